/**
 * Workspaces as code (issue #3, item 7): reads a workspace directory —
 *   workspace.yaml (settings, optional), content/topics.yaml, content/items/*.yaml, flows/*.yaml, templates/*.yaml
 * — validates every file (shape, flow graph, cross-references, duplicate ids) and reports each problem with its
 * file, line and column. Nothing is applied here; `parley apply` imports only a workspace without problems.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConsentTextFile, ContentItem, type Flow, purposesOf, Topic, WorkspaceSettings } from '@parley/contracts';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { parseFlow } from '../engine/index.js';
import { type DesiredTemplate, saysHowToOptOut, TemplateFile } from '../templates/index.js';

export interface WorkspaceProblem {
  file: string;
  line?: number;
  column?: number;
  /** Where in the file: a dotted path such as `3.title.de` or `nodes.ask_name.next`. */
  path: string;
  message: string;
}

export interface WorkspaceFiles {
  topics: Topic[];
  items: ContentItem[];
  flows: Flow[];
  /** The file each flow was read from (relative to the workspace), by flow id. */
  flowFiles: Record<string, string>;
  /** templates/*.yaml: the WhatsApp templates the workspace wants (issue #4 item 7), with their file and index. */
  templates: DesiredTemplate[];
  /** consent/*.yaml: one consent text (one purpose, every language) per file. */
  consentTexts: ConsentTextFile[];
  /** The file each consent text was read from, by id. */
  consentTextFiles: Record<string, string>;
  /** workspace.yaml; undefined when the directory has none (apply then leaves the stored settings alone). */
  settings?: WorkspaceSettings;
  problems: WorkspaceProblem[];
}

interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** Reads and validates a workspace directory. Never throws for bad content: every problem is in `problems`. */
export function loadWorkspaceDir(dir: string): WorkspaceFiles {
  const problems: WorkspaceProblem[] = [];
  const out: WorkspaceFiles = { topics: [], items: [], flows: [], flowFiles: {}, templates: [], consentTexts: [], consentTextFiles: {}, problems };
  if (!existsSync(dir)) {
    problems.push({ file: dir, path: '', message: 'no such directory' });
    return out;
  }
  const settingsFile = join(dir, 'workspace.yaml');
  let settingsSource: Source | undefined;
  if (existsSync(settingsFile)) {
    settingsSource = read(dir, settingsFile, problems);
    const settings = check(WorkspaceSettings, settingsSource.doc.contents ? settingsSource.doc.toJS() : {}, settingsSource, [], problems);
    if (settings) {
      out.settings = settings;
    }
  }
  const topicSources = new Map<string, { source: Source; index: number }>();
  const itemSources = new Map<string, { source: Source; index: number }>();

  const topicsFile = join(dir, 'content', 'topics.yaml');
  if (existsSync(topicsFile)) {
    const source = read(dir, topicsFile, problems);
    listOf(source, problems).forEach((raw, index) => {
      const topic = check(Topic, raw, source, [index], problems);
      if (topic && addUnique(topicSources, topic.id, { source, index }, 'topic', problems)) {
        out.topics.push(topic);
      }
    });
  }
  for (const file of yamlFiles(join(dir, 'content', 'items'))) {
    const source = read(dir, file, problems);
    listOf(source, problems).forEach((raw, index) => {
      const item = check(ContentItem, raw, source, [index], problems);
      if (item && addUnique(itemSources, item.id, { source, index }, 'item', problems)) {
        out.items.push(item);
      }
    });
  }
  const flowSources = new Map<string, Source>();
  for (const file of yamlFiles(join(dir, 'flows'))) {
    const source = read(dir, file, problems);
    if (!source.doc.contents) {
      continue;
    }
    const parsed = parseFlow(source.doc.toJS());
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => locate(source, toPath(p.path), p.message)));
      continue;
    }
    if (flowSources.has(parsed.flow.id)) {
      problems.push(locate(source, ['id'], `flow id "${parsed.flow.id}" is used by ${flowSources.get(parsed.flow.id)?.file} too`));
      continue;
    }
    flowSources.set(parsed.flow.id, source);
    out.flows.push(parsed.flow);
    out.flowFiles[parsed.flow.id] = source.file;
  }
  readTemplates(dir, out, problems);
  const consentSources = readConsentTexts(dir, out, problems);

  // Cross-references: what one file names must exist in another.
  for (const topic of out.topics) {
    if (topic.parent && !topicSources.has(topic.parent)) {
      const at = topicSources.get(topic.id)!;
      problems.push(locate(at.source, [at.index, 'parent'], `parent topic "${topic.parent}" does not exist`));
    }
  }
  for (const item of out.items) {
    if (!topicSources.has(item.topic)) {
      const at = itemSources.get(item.id)!;
      problems.push(locate(at.source, [at.index, 'topic'], `topic "${item.topic}" does not exist`));
    }
  }
  const purposes = purposesOf(out.settings ?? {});
  // With queues defined, a hand-off must name one of them (else it gets no SLA and no auto-assignment).
  const queues = out.settings?.queues && out.settings.queues.length > 0 ? new Set(out.settings.queues.map((q) => q.id)) : undefined;
  const unknownQueue = (queue: string) => `queue "${queue}" is not defined in workspace.yaml (queues: ${[...(queues ?? [])].join(', ')})`;
  for (const flow of out.flows) {
    const source = flowSources.get(flow.id)!;
    if (flow.purpose !== undefined && !purposes.has(flow.purpose)) {
      problems.push(locate(source, ['purpose'], `purpose "${flow.purpose}" is not defined in workspace.yaml (purposes)`));
    }
    for (const [nodeId, node] of Object.entries(flow.nodes)) {
      if (node.type === 'content') {
        const ref = node.ref;
        if ('item' in ref && !itemSources.has(ref.item)) {
          problems.push(locate(source, ['nodes', nodeId, 'ref', 'item'], `content item "${ref.item}" does not exist`));
        }
        if ('topic' in ref && !topicSources.has(ref.topic)) {
          problems.push(locate(source, ['nodes', nodeId, 'ref', 'topic'], `topic "${ref.topic}" does not exist`));
        }
      }
      if ((node.type === 'subscribe' || node.type === 'unsubscribe') && !topicSources.has(node.topic)) {
        problems.push(locate(source, ['nodes', nodeId, 'topic'], `topic "${node.topic}" does not exist`));
      }
      if (node.type === 'consent' && !consentSources.has(node.consentText)) {
        problems.push(locate(source, ['nodes', nodeId, 'consentText'], `consent text "${node.consentText}" does not exist (consent/*.yaml)`));
      }
      if (node.type === 'handoff' && queues && !queues.has(node.queue)) {
        problems.push(locate(source, ['nodes', nodeId, 'queue'], unknownQueue(node.queue)));
      }
      if (node.type === 'goto' && !flowSources.has(node.flow)) {
        problems.push(locate(source, ['nodes', nodeId, 'flow'], `flow "${node.flow}" does not exist in this workspace`));
      }
    }
  }
  if (settingsSource && out.settings?.menuFlow !== undefined && !flowSources.has(out.settings.menuFlow)) {
    problems.push(locate(settingsSource, ['menuFlow'], `flow "${out.settings.menuFlow}" does not exist in this workspace`));
  }
  if (settingsSource && queues && out.settings?.handoffQueue !== undefined && !queues.has(out.settings.handoffQueue)) {
    problems.push(locate(settingsSource, ['handoffQueue'], unknownQueue(out.settings.handoffQueue)));
  }
  return out;
}

/** Validates one flow file on its own (`parley flow validate`): shape and graph, no cross-references. */
export function validateFlowFile(file: string): WorkspaceProblem[] {
  const problems: WorkspaceProblem[] = [];
  const source = read(process.cwd(), file, problems);
  if (problems.length > 0 || !source.doc.contents) {
    return problems.length > 0 ? problems : [{ file: source.file, path: '', message: 'the file is empty' }];
  }
  const parsed = parseFlow(source.doc.toJS());
  return parsed.ok ? [] : parsed.problems.map((p) => locate(source, toPath(p.path), p.message));
}

/** consent/*.yaml: one text per file; its purpose must be one the workspace defines (workspace.yaml `purposes`). */
function readConsentTexts(dir: string, out: WorkspaceFiles, problems: WorkspaceProblem[]): Map<string, Source> {
  const sources = new Map<string, Source>();
  const purposes = purposesOf(out.settings ?? {});
  for (const file of yamlFiles(join(dir, 'consent'))) {
    const source = read(dir, file, problems);
    const text = check(ConsentTextFile, source.doc.contents ? source.doc.toJS() : {}, source, [], problems);
    if (!text) {
      continue;
    }
    if (sources.has(text.id)) {
      problems.push(locate(source, ['id'], `consent text id "${text.id}" is used by ${sources.get(text.id)?.file} too`));
      continue;
    }
    if (!purposes.has(text.purpose)) {
      problems.push(locate(source, ['purpose'], `purpose "${text.purpose}" is not defined in workspace.yaml (purposes)`));
    }
    sources.set(text.id, source);
    out.consentTexts.push(text);
    out.consentTextFiles[text.id] = source.file;
  }
  return sources;
}

/** templates/*.yaml: lists of templates; one name and language per channel (the provider's key, §4.8). */
function readTemplates(dir: string, out: WorkspaceFiles, problems: WorkspaceProblem[]): void {
  const seen = new Map<string, string>();
  for (const file of yamlFiles(join(dir, 'templates'))) {
    const source = read(dir, file, problems);
    listOf(source, problems).forEach((raw, index) => {
      const template = check(TemplateFile, raw, source, [index], problems);
      if (!template) {
        return;
      }
      const key = `${template.channel ?? ''}/${template.name}/${template.language}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push(locate(source, [index, 'name'], `template "${template.name}" (${template.language}) is defined in ${first} too`));
        return;
      }
      if (!saysHowToOptOut(template)) {
        problems.push(locate(source, [index, 'footer'], `marketing template "${template.name}" must say how to opt out (GDPR-14), e.g. a footer "Abmelden: STOP" or a quick-reply button "Abmelden"`));
        return;
      }
      seen.set(key, source.file);
      out.templates.push({ template, file: source.file, index });
    });
  }
}

function read(dir: string, file: string, problems: WorkspaceProblem[]): Source {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const name = relative(dir, file) || file;
  for (const error of doc.errors) {
    const pos = lines.linePos(error.pos[0]);
    problems.push({ file: name, line: pos.line, column: pos.col, path: '', message: `YAML: ${error.message.split('\n')[0]}` });
  }
  return { file: name, doc, lines };
}

function listOf(source: Source, problems: WorkspaceProblem[]): unknown[] {
  if (source.doc.errors.length > 0 || !source.doc.contents) {
    return [];
  }
  const value: unknown = source.doc.toJS();
  if (!Array.isArray(value)) {
    problems.push(locate(source, [], 'expected a list (each entry starting with "- ")'));
    return [];
  }
  return value;
}

function check<S extends z.ZodType>(schema: S, raw: unknown, source: Source, at: Array<string | number>, problems: WorkspaceProblem[]): z.infer<S> | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) {
    return parsed.data;
  }
  problems.push(...parsed.error.issues.map((i) => locate(source, [...at, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], i.message)));
  return undefined;
}

function addUnique(seen: Map<string, { source: Source; index: number }>, id: string, value: { source: Source; index: number }, what: string, problems: WorkspaceProblem[]): boolean {
  const first = seen.get(id);
  if (first) {
    problems.push(locate(value.source, [value.index, 'id'], `${what} id "${id}" is used in ${first.source.file} too`));
    return false;
  }
  seen.set(id, value);
  return true;
}

/** The problem at the nearest node of `path` that exists in the file (a missing field points at its parent). */
function locate(source: Source, path: Array<string | number>, message: string): WorkspaceProblem {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? source.doc.contents : source.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = source.lines.linePos(node.range[0]);
      return { file: source.file, line: pos.line, column: pos.col, path: path.join('.'), message };
    }
  }
  return { file: source.file, path: path.join('.'), message };
}

function toPath(dotted: string): Array<string | number> {
  return dotted ? dotted.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

/** `file:line:column  path  message`, one problem per line, for people and editors. */
export function formatProblems(problems: WorkspaceProblem[]): string {
  return problems.map((p) => `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}  ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
}
