import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { loadWorkspaceDir, validateFlowFile } from './workspace-files.js';

const root = new URL('../../../../../', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ws-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const topics = `- id: studien
  title: { de: Studien, en: Studies }
`;
const item = (id: string, topic = 'studien') => `- id: ${id}
  topic: ${topic}
  status: approved
  title: { de: Titel, en: Title }
  body: { de: Text, en: Text }
`;
const flow = `id: hauptmenue
version: 1
name: Hauptmenü
defaultLanguage: de
languages: [de, en]
triggers:
  - type: new_conversation
start: hallo
nodes:
  hallo:
    type: say
    text: { de: Hallo, en: Hello }
    next: info
  info:
    type: content
    ref: { item: gibt-es-nicht }
`;

describe('workspace files', () => {
  it('reads the demo workspace without a single problem', () => {
    const ws = loadWorkspaceDir(join(root, 'examples/demo'));
    expect(ws.problems).toEqual([]);
    expect(ws.topics.length).toBeGreaterThanOrEqual(5);
    expect(ws.items.length).toBeGreaterThanOrEqual(45);
  });

  it('names file, line and column of a YAML syntax error', () => {
    const dir = workspace({ 'content/topics.yaml': topics, 'content/items/a.yaml': `- id: a\n  title: { de: "offen\n` });
    const [problem] = loadWorkspaceDir(dir).problems;
    expect(problem).toMatchObject({ file: 'content/items/a.yaml', line: expect.any(Number) });
    expect(problem?.message).toMatch(/^YAML: /);
  });

  it('points a schema problem at the field, and a missing field at its item', () => {
    const dir = workspace({
      'content/topics.yaml': topics,
      'content/items/a.yaml': `${item('gut')}- id: Schlecht Geschrieben\n  topic: studien\n  title: { de: x }\n`,
    });
    const problems = loadWorkspaceDir(dir).problems;
    const badId = problems.find((p) => p.path === '1.id');
    expect(badId).toMatchObject({ file: 'content/items/a.yaml', line: 6 });
    const missingBody = problems.find((p) => p.path === '1.body');
    expect(missingBody?.line).toBe(6); // the item that lacks it
  });

  it('reports dangling references and duplicate ids where they are written', () => {
    const dir = workspace({
      'content/topics.yaml': topics,
      'content/items/a.yaml': item('eins') + item('zwei', 'gibt-es-nicht'),
      'content/items/b.yaml': item('eins'),
      'flows/hauptmenue.yaml': flow,
    });
    const problems = loadWorkspaceDir(dir).problems;
    expect(problems).toContainEqual(expect.objectContaining({ file: 'content/items/a.yaml', line: 7, message: 'topic "gibt-es-nicht" does not exist' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'content/items/b.yaml', line: 1, message: 'item id "eins" is used in content/items/a.yaml too' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'flows/hauptmenue.yaml', line: 16, message: 'content item "gibt-es-nicht" does not exist' }));
  });

  it('validates one flow file on its own, with the line of a dangling next', () => {
    const dir = workspace({ 'flow.yaml': flow.replace('next: info', 'next: nirgendwo') });
    const problems = validateFlowFile(join(dir, 'flow.yaml'));
    const dangling = problems.find((p) => p.path.startsWith('nodes.hallo.next'));
    expect(dangling?.line).toBe(13);
  });

  it('parley flow validate exits 1 with file:line problems, 0 for a good flow; workspace validate likewise', async () => {
    const dir = workspace({ 'bad.yaml': flow.replace('next: info', 'next: nirgendwo'), 'good.yaml': flow.replace(/ {2}info:\n[\s\S]*$/, '').replace('    next: info\n', '') });
    const errors: string[] = [];
    const lines: string[] = [];
    const out = { log: (s: string) => lines.push(s), error: (s: string) => errors.push(s) };
    expect(await runCli(['flow', 'validate', join(dir, 'bad.yaml')], {}, out)).toBe(1);
    expect(errors.join('\n')).toMatch(/bad\.yaml:13:\d+ {2}nodes\.hallo\.next/);
    expect(await runCli(['flow', 'validate', join(dir, 'good.yaml')], {}, out)).toBe(0);
    expect(await runCli(['flow', 'validate'], {}, out)).toBe(2);
    expect(await runCli(['workspace', 'validate', join(root, 'examples/demo')], {}, out)).toBe(0);
  });
});

describe('workspace.yaml (settings)', () => {
  it('reads the settings', () => {
    const dir = workspace({ 'content/topics.yaml': topics, 'flows/hauptmenue.yaml': flow, 'workspace.yaml': 'menuFlow: hauptmenue\ncommands:\n  agent: { de: [BERATER] }\n' });
    const ws = loadWorkspaceDir(dir);
    expect(ws.problems.filter((p) => p.file === 'workspace.yaml')).toEqual([]);
    expect(ws.settings).toEqual({ menuFlow: 'hauptmenue', commands: { agent: { de: ['BERATER'] } } });
  });

  it('names the file and line of an unknown key, a wrong shape and a menu flow that does not exist', () => {
    const dir = workspace({
      'content/topics.yaml': topics,
      'flows/hauptmenue.yaml': flow,
      'workspace.yaml': 'defaultLanguage: de\nmenuFlow: nirgends\ncommands:\n  agent: { de: [] }\n  dance: { de: [TANZ] }\nhandoffQueu: x\n',
    });
    const problems = loadWorkspaceDir(dir).problems.filter((p) => p.file === 'workspace.yaml');
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.find((p) => p.path === 'commands.agent.de')).toMatchObject({ line: 4 });
    expect(problems.some((p) => /handoffQueu/.test(p.message))).toBe(true);
    expect(problems.some((p) => p.path.startsWith('commands') && /dance/.test(`${p.path} ${p.message}`))).toBe(true);
  });

  it('checks the menu flow once the shape is right', () => {
    const dir = workspace({ 'content/topics.yaml': topics, 'flows/hauptmenue.yaml': flow, 'workspace.yaml': 'menuFlow: nirgends\n' });
    expect(loadWorkspaceDir(dir).problems.filter((p) => p.file === 'workspace.yaml')).toEqual([expect.objectContaining({ file: 'workspace.yaml', line: 1, path: 'menuFlow', message: 'flow "nirgends" does not exist in this workspace' })]);
  });

  it('with queues defined, a hand-off queue (workspace.yaml, a flow’s handoff node) must be one of them', () => {
    const handoffFlow = `${flow.replace('ref: { item: gibt-es-nicht }', 'ref: { item: gibt-es-nicht }\n    next: person')}  person: { type: handoff, queue: service }\n`;
    const settings = 'handoffQueue: patientenservice\nqueues:\n  - { id: patient-service, name: { de: Patientenservice } }\n';
    const problems = loadWorkspaceDir(workspace({ 'content/topics.yaml': topics, 'flows/hauptmenue.yaml': handoffFlow, 'workspace.yaml': settings })).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'workspace.yaml', path: 'handoffQueue', message: 'queue "patientenservice" is not defined in workspace.yaml (queues: patient-service)' }),
        expect.objectContaining({ file: 'flows/hauptmenue.yaml', path: 'nodes.person.queue', message: 'queue "service" is not defined in workspace.yaml (queues: patient-service)' }),
      ]),
    );
    // Without queues, hand-offs name queues freely.
    const free = loadWorkspaceDir(workspace({ 'content/topics.yaml': topics, 'flows/hauptmenue.yaml': handoffFlow, 'workspace.yaml': 'handoffQueue: x\n' })).problems;
    expect(free.filter((p) => /queue/.test(p.message))).toEqual([]);
  });

  it('refuses a command word without letters or digits (it would match every emoji)', () => {
    const dir = workspace({ 'content/topics.yaml': topics, 'flows/hauptmenue.yaml': flow, 'workspace.yaml': 'commands:\n  help: { de: [HILFE, "?"] }\n' });
    expect(loadWorkspaceDir(dir).problems.filter((p) => p.file === 'workspace.yaml')).toEqual([expect.objectContaining({ line: 2, path: 'commands.help.de.1', message: expect.stringContaining('letter or digit') })]);
  });

  it('checks consent texts: a purpose workspace.yaml does not define, and a consent node naming a missing text', () => {
    const consentFlow = flow.replace('start: hallo', 'start: optin').replace('nodes:', 'nodes:\n  optin: { type: consent, consentText: nirgends, next: hallo }');
    const dir = workspace({
      'content/topics.yaml': topics,
      'flows/hauptmenue.yaml': consentFlow,
      'workspace.yaml': 'purposes:\n  - { id: psp-reminders, basis: consent }\n',
      'consent/reminders.yaml': 'id: reminders\nversion: 1\npurpose: newsletter\ntext: { de: Wortlaut, en: Wording }\n',
    });
    const problems = loadWorkspaceDir(dir).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'consent/reminders.yaml', line: 3, message: 'purpose "newsletter" is not defined in workspace.yaml (purposes)' }),
        expect.objectContaining({ file: 'flows/hauptmenue.yaml', path: 'nodes.optin.consentText', message: expect.stringContaining('consent text "nirgends" does not exist') }),
      ]),
    );
  });
});
