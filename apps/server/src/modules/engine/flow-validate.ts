/**
 * Graph checks of a flow that its schema cannot express (issue #3 item 7, ARCHITECTURE §5 "validated on publish").
 */
import { Flow, type FlowNode, type LocalizedText } from '@parley/contracts';
import { compilePattern } from './input-parse.js';

/** One problem of a flow; `path` is dotted from the flow's root (`nodes.ask_zip.text.en`). */
export type FlowProblem = { path: string; message: string };

/**
 * Checks a schema-valid flow: a missing start node, `next`-like references to nodes that do not exist, nodes that
 * cannot be reached from the start, texts (and keyword triggers) missing a translation for one of `languages`, a
 * default language that is not in `languages`, invalid RegExp patterns, duplicate option ids, and `wait` nodes without
 * exactly one of `delaySeconds`/`until`/`untilAttribute`. Returns `[]` for a good flow. `goto` targets in other flows
 * are not checked here (that needs the workspace).
 *
 * @example
 * const problems = validateFlow(flow);
 * if (problems.length > 0) { reject(problems); }
 */
export function validateFlow(flow: Flow): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const nodeIds = new Set(Object.keys(flow.nodes));

  if (!flow.languages.includes(flow.defaultLanguage)) {
    problems.push({ path: 'defaultLanguage', message: `"${flow.defaultLanguage}" is not one of languages (${flow.languages.join(', ')})` });
  }
  if (!nodeIds.has(flow.start)) {
    problems.push({ path: 'start', message: `start node "${flow.start}" does not exist` });
  }
  flow.triggers.forEach((trigger, i) => {
    if (trigger.type !== 'keyword') {
      return;
    }
    for (const language of flow.languages) {
      if ((trigger.keywords[language] ?? []).length === 0) {
        problems.push({ path: `triggers.${i}.keywords.${language}`, message: `no keywords for language "${language}"` });
      }
    }
  });

  for (const [id, node] of Object.entries(flow.nodes)) {
    const base = `nodes.${id}`;
    for (const ref of listNodeReferences(flow, node)) {
      if (!nodeIds.has(ref.target)) {
        problems.push({ path: `${base}.${ref.path}`, message: `refers to node "${ref.target}", which does not exist` });
      }
    }
    for (const text of listTexts(node)) {
      for (const language of flow.languages) {
        if ((text.text[language] ?? '').trim() === '') {
          problems.push({ path: `${base}.${text.path}.${language}`, message: `missing translation for "${language}"` });
        }
      }
    }
    problems.push(...checkNode(node).map((p) => ({ path: `${base}.${p.path}`, message: p.message })));
  }

  // Without a start node every node would be "unreachable"; the missing start is the one problem to report.
  const reachable = nodeIds.has(flow.start) ? listReachable(flow) : nodeIds;
  for (const id of nodeIds) {
    if (!reachable.has(id)) {
      problems.push({ path: `nodes.${id}`, message: `node "${id}" cannot be reached from the start node` });
    }
  }
  return problems;
}

/**
 * Parses an unknown value (a YAML/JSON document) as a flow and validates it: schema problems first; graph problems only
 * for a schema-valid flow.
 */
export function parseFlow(input: unknown): { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] } {
  const parsed = Flow.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  const problems = validateFlow(parsed.data);
  return problems.length === 0 ? { ok: true, flow: parsed.data } : { ok: false, problems };
}

/** The nodes of this flow that `node` can lead to, with the property path of each reference. */
export function listNodeReferences(flow: Flow, node: FlowNode): Array<{ path: string; target: string }> {
  const refs: Array<{ path: string; target: string | undefined }> = [];
  switch (node.type) {
    case 'say':
    case 'set':
    case 'content':
    case 'subscribe':
    case 'unsubscribe':
    case 'wait':
      refs.push({ path: 'next', target: node.next });
      break;
    case 'menu':
      node.options.forEach((o, i) => refs.push({ path: `options.${i}.next`, target: o.next }));
      refs.push({ path: 'onFail', target: node.onFail });
      break;
    case 'ask':
    case 'answer':
      refs.push({ path: 'next', target: node.next }, { path: 'onFail', target: node.onFail });
      break;
    case 'branch':
      node.conditions.forEach((c, i) => refs.push({ path: `conditions.${i}.next`, target: c.next }));
      refs.push({ path: 'otherwise', target: node.otherwise });
      break;
    case 'call':
      refs.push({ path: 'next', target: node.next }, { path: 'onError', target: node.onError });
      break;
    case 'consent':
      refs.push({ path: 'next', target: node.next }, { path: 'onDeclined', target: node.onDeclined }, { path: 'onFail', target: node.onFail });
      break;
    case 'goto':
      if (node.flow === flow.id) {
        refs.push({ path: 'node', target: node.node ?? flow.start });
      }
      break;
    case 'handoff':
    case 'end':
      break;
    default:
      return assertNever(node);
  }
  return refs.filter((r): r is { path: string; target: string } => r.target !== undefined);
}

function listReachable(flow: Flow): Set<string> {
  const seen = new Set<string>();
  const queue = [flow.start];
  while (queue.length > 0) {
    const id = queue.pop();
    const node = id === undefined ? undefined : flow.nodes[id];
    if (id === undefined || node === undefined || seen.has(id)) {
      continue;
    }
    seen.add(id);
    queue.push(...listNodeReferences(flow, node).map((r) => r.target));
  }
  return seen;
}

function listTexts(node: FlowNode): Array<{ path: string; text: LocalizedText }> {
  const texts: Array<{ path: string; text: LocalizedText | undefined }> = [];
  switch (node.type) {
    case 'say':
      texts.push({ path: 'text', text: node.text });
      break;
    case 'menu':
      texts.push({ path: 'text', text: node.text }, { path: 'button', text: node.button });
      node.options.forEach((o, i) => texts.push({ path: `options.${i}.label`, text: o.label }));
      break;
    case 'ask':
      texts.push({ path: 'text', text: node.text }, { path: 'reprompt', text: node.reprompt });
      if (node.input.kind === 'choice') {
        node.input.choices.forEach((c, i) => texts.push({ path: `input.choices.${i}.label`, text: c.label }));
      }
      break;
    case 'answer':
    case 'end':
      texts.push({ path: 'text', text: node.text });
      break;
    case 'handoff':
      texts.push({ path: 'message', text: node.message });
      break;
    case 'consent':
      texts.push({ path: 'intro', text: node.intro }, { path: 'question', text: node.question }, { path: 'accept', text: node.accept }, { path: 'decline', text: node.decline });
      break;
    case 'branch':
    case 'set':
    case 'content':
    case 'subscribe':
    case 'unsubscribe':
    case 'call':
    case 'wait':
    case 'goto':
      break;
    default:
      return assertNever(node);
  }
  return texts.filter((t): t is { path: string; text: LocalizedText } => t.text !== undefined);
}

function checkNode(node: FlowNode): FlowProblem[] {
  const problems: FlowProblem[] = [];
  if (node.type === 'ask' && node.input.kind === 'code' && compilePattern(node.input.pattern, node.input.flags) === undefined) {
    problems.push({ path: 'input.pattern', message: `"${node.input.pattern}" is not a valid regular expression` });
  }
  if (node.type === 'ask' && node.input.kind === 'choice') {
    problems.push(...checkUniqueIds(node.input.choices, 'input.choices'));
  }
  if (node.type === 'menu') {
    problems.push(...checkUniqueIds(node.options, 'options'));
  }
  if (node.type === 'branch') {
    node.conditions.forEach((c, i) => {
      if (c.when.op === 'matches' && (typeof c.when.value !== 'string' || compilePattern(c.when.value) === undefined)) {
        problems.push({ path: `conditions.${i}.when.value`, message: 'matches needs a valid regular expression as value' });
      }
      if (c.when.op === 'in' && !Array.isArray(c.when.value)) {
        problems.push({ path: `conditions.${i}.when.value`, message: 'in needs a list as value' });
      }
    });
  }
  if (node.type === 'wait') {
    const given = [node.delaySeconds, node.until, node.untilAttribute].filter((v) => v !== undefined).length;
    if (given !== 1) {
      problems.push({ path: 'delaySeconds', message: 'a wait node needs exactly one of delaySeconds, until, untilAttribute' });
    }
  }
  return problems;
}

function checkUniqueIds(items: ReadonlyArray<{ id: string }>, path: string): FlowProblem[] {
  const seen = new Set<string>();
  const problems: FlowProblem[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.id)) {
      problems.push({ path: `${path}.${i}.id`, message: `duplicate id "${item.id}"` });
    }
    seen.add(item.id);
  });
  return problems;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
