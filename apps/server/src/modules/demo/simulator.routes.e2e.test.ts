/**
 * The simulator's flow panel API (issue #3 item 9) over real HTTP with the fake WhatsApp: list flow versions
 * (drafts included), start a chosen version in the user's conversation through the normal path — its messages
 * reach the fake — and read the run state; a draft runs in the simulator but no keyword starts it.
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { applyWorkspace } from '../workspaces/index.js';
import { DEMO_WORKSPACE_DIR } from './demo.service.js';

const PNID = '109876543210777';
const USER = '491712345678';
let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let dir: string;

const DRAFT = `
id: draft-try
version: 1
status: draft
name: Draft try
defaultLanguage: de
languages: [de, en]
triggers:
  - type: keyword
    keywords: { de: ["ENTWURF"], en: ["DRAFT"] }
start: hello
nodes:
  hello:
    type: ask
    text: { de: "Entwurf: Wie alt sind Sie?", en: "Draft: how old are you?" }
    input: { kind: number, min: 0, max: 130 }
    saveAs: age
    next: done
  done:
    type: end
    text: { de: "Danke, {{age}}.", en: "Thanks, {{age}}." }
`;

const texts = () =>
  fake.sent({ to: USER }).map((m) => {
    const body = m.body as { text?: { body: string }; interactive?: { body: { text: string } } };
    return body.text?.body ?? body.interactive?.body.text ?? '';
  });
const api = async (path: string, init?: { method: string; body: unknown }) => {
  const res = await fetch(`${h.url}/api/demo/simulator/${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : undefined);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const state = async () => (await api(`state?phoneNumberId=${PNID}&waId=${USER}`)).body as { conversation: null | { ownership: string; run: null | Record<string, unknown> } };

beforeAll(async () => {
  wa = await createWhatsAppHarness({ phoneNumberId: PNID, slug: 'sim', env: { PARLEY_DEMO: 'true' }, fake: { assumeReachableHosts: ['example.org'] } });
  ({ h, fake } = wa);
  dir = mkdtempSync(join(tmpdir(), 'parley-sim-'));
  cpSync(DEMO_WORKSPACE_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'flows', 'draft-try.yaml'), DRAFT);
  expect(await applyWorkspace(h.database.db, h.deps.workspace.id, dir)).toMatchObject({ ok: true });
});
afterAll(async () => {
  await wa?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('simulator flow panel API', () => {
  it('lists every flow with its versions, drafts marked and never live', async () => {
    const { status, body } = await api('flows');
    expect(status).toBe(200);
    const flows = body.flows as Array<{ id: string; versions: Array<{ version: number; status: string; live: boolean }> }>;
    expect(flows.map((f) => f.id)).toEqual([...flows.map((f) => f.id)].sort());
    expect(flows.find((f) => f.id === 'brochure-request')?.versions).toEqual([{ version: 1, status: 'published', live: true }]);
    expect(flows.find((f) => f.id === 'draft-try')?.versions).toEqual([{ version: 1, status: 'draft', live: false }]);
  });

  it('has no conversation before the user writes, and refuses to start one', async () => {
    expect(await state()).toEqual({ conversation: null });
    const res = await api('run', { method: 'POST', body: { phoneNumberId: PNID, waId: USER, flowId: 'brochure-request', version: 1 } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'simulator.no_conversation' } });
  });

  it('starts a chosen version in the conversation and shows its run state', async () => {
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'Hallo' } });
    await eventually(async () => (await state()).conversation?.run?.flowId === 'main-menu' || undefined, 10_000, 'the greeting run');
    const res = await api('run', { method: 'POST', body: { phoneNumberId: PNID, waId: USER, flowId: 'brochure-request', version: 1 } });
    expect(res.status).toBe(202);
    await eventually(() => texts().includes('Wie lautet Ihr Vor- und Nachname?') || undefined, 10_000, 'the first question at the fake');
    const s = await eventually(async () => ((await state()).conversation?.run?.nodeId === 'ask_name' ? await state() : undefined), 10_000, 'run state at ask_name');
    expect(s.conversation).toMatchObject({ ownership: 'bot', run: { flowId: 'brochure-request', flowVersion: 1, status: 'active', nodeType: 'ask', waiting: 'input', flowName: 'Broschüre bestellen / Order a brochure' } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'Erika Mustermann' } });
    const after = await eventually(async () => ((await state()).conversation?.run?.nodeId === 'ask_street' ? await state() : undefined), 10_000, 'the next question');
    expect(after.conversation?.run?.attributes).toMatchObject({ name: 'Erika Mustermann' });
  });

  it('runs a draft in the simulator, while its keyword starts nothing', async () => {
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'ENTWURF' } });
    await new Promise((r) => setTimeout(r, 800));
    expect(texts().some((t) => t.startsWith('Entwurf:'))).toBe(false);
    expect((await api('run', { method: 'POST', body: { phoneNumberId: PNID, waId: USER, flowId: 'draft-try', version: 1 } })).status).toBe(202);
    await eventually(() => texts().includes('Entwurf: Wie alt sind Sie?') || undefined, 10_000, 'the draft question');
    await fake.injectInbound({ from: USER, type: 'text', text: { body: '42' } });
    await eventually(() => texts().includes('Danke, 42.') || undefined, 10_000, 'the draft answer');
  });

  it('answers bad input with problem JSON', async () => {
    expect((await api('run', { method: 'POST', body: { phoneNumberId: PNID, waId: USER, flowId: 'nope', version: 1 } })).body).toMatchObject({ error: { code: 'flow.not_found' } });
    const bad = await api('run', { method: 'POST', body: { phoneNumberId: 'x', waId: USER, flowId: 'main-menu' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation.failed' } });
    expect((await api('state?phoneNumberId=1')).status).toBe(400);
  });
});
