import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { query } from '../../platform/db.js';
import { claimJobs } from '../../platform/jobs.js';
import { createHarness, type Harness } from '../../test/harness.js';
import type { InboundEvent } from '../channels/index.js';
import { INBOUND_QUEUE, storeInboundEvents } from '../channels/webhook.store.js';
import { listUnanswered } from '../content/index.js';
import { createInboundBatchProcessor } from '../conversations/index.js';
import { applyWorkspace } from '../workspaces/index.js';
import { createRuntimeLoader } from './flow-runtime.store.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
let h: Harness;
let channel: { id: string; workspaceId: string };
let seq = 0;

beforeAll(async () => {
  h = await createHarness();
  expect(await applyWorkspace(h.database.db, h.deps.workspace.id, demo)).toMatchObject({ ok: true });
  const c = await h.deps.channels.createChannel(h.deps.workspace.id, { kind: 'whatsapp', slug: 'runner', phoneNumberId: '4444444', accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678', autoReply: 'AUTO' });
  channel = { id: c.id, workspaceId: h.deps.workspace.id };
});
afterAll(async () => h.close());

const say = (from: string, text: string): InboundEvent => {
  const id = `wamid.run.${++seq}`;
  return { kind: 'message', providerEventId: id, providerMessageId: id, address: from, timestamp: new Date(), content: { type: 'text', text }, raw: {} };
};
async function deliver(...events: InboundEvent[]): Promise<void> {
  await storeInboundEvents(h.database.db, events.map((event) => ({ channel, event })));
  const process = createInboundBatchProcessor({ database: h.database, channels: h.deps.channels, runtimes: createRuntimeLoader(h.database.db), logger: h.deps.logger, onEnqueued: () => undefined });
  for (;;) {
    const jobs = await claimJobs(h.database.db, { queues: [INBOUND_QUEUE], limit: 100, workerId: 'test', leaseSeconds: 30 });
    if (jobs.length === 0) {
      return;
    }
    await process(jobs);
  }
}
const repliesTo = async (address: string) =>
  query<{ type: string; text: string | null }>(
    h.database.db,
    sql`select m.type, coalesce(m.content->>'text', m.content->>'body') as text from messages m join conversations c on c.id = m.conversation_id
        where c.address = ${address} and m.direction = 'out' order by m.created_at, m.id`,
  );

describe('flows in conversations (demo workspace)', () => {
  it('greets a new conversation with the menu instead of the channel auto-reply', async () => {
    await deliver(say('49171000001', 'Hallo'));
    const replies = await repliesTo('49171000001');
    expect(replies.map((r) => r.text).join('\n')).toContain('Aurelia Pharma');
    expect(replies.some((r) => r.type === 'menu')).toBe(true);
    expect(replies.some((r) => r.text === 'AUTO')).toBe(false);
  });

  it('keeps unanswerable questions for the content team, counted across people', async () => {
    await deliver(say('49171000002', 'Hallo'), say('49171000003', 'Hallo'));
    await deliver(say('49171000002', 'Was kostet ein neues Fahrrad?'), say('49171000003', 'was kostet ein neues fahrrad?'));
    const list = await listUnanswered(h.database.db, h.deps.workspace.id, { sinceDays: 30, limit: 10 });
    expect(list[0]).toMatchObject({ text: 'was kostet ein neues fahrrad?', count: 2, language: 'de' });
    // The CLI reads the same list (on PostgreSQL; the PGlite harness database lives in this process only).
    if (h.database.url) {
      const lines: string[] = [];
      const env = { DATABASE_URL: h.database.url, PARLEY_SECRET_KEY: 'a'.repeat(64), LOG_LEVEL: 'silent' };
      expect(await runCli(['content', 'unanswered'], env, { log: (s) => lines.push(s), error: (s) => lines.push(s) })).toBe(0);
      expect(lines.join('\n')).toContain('2×  de  was kostet ein neues fahrrad?');
    }
  });

  it('MITARBEITER queues the conversation and the bot goes silent', async () => {
    await deliver(say('49171000004', 'Hallo'));
    await deliver(say('49171000004', 'Mitarbeiter'));
    const [conv] = await query<{ state: string }>(h.database.db, sql`select state from conversations where address = '49171000004'`);
    expect(conv?.state).toBe('queued');
    const before = (await repliesTo('49171000004')).length;
    await deliver(say('49171000004', 'Hallo? Ist da jemand?'));
    expect((await repliesTo('49171000004')).length).toBe(before);
  });
});
