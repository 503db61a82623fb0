import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { query } from '../../platform/db.js';
import { claimJobs, deferJob } from '../../platform/jobs.js';
import { createHarness, type Harness } from '../../test/harness.js';
import type { InboundEvent } from '../channels/index.js';
import { INBOUND_QUEUE, storeInboundEvents } from '../channels/webhook.store.js';
import { listUnanswered } from '../content/index.js';
import { createInboundBatchProcessor } from '../conversations/index.js';
import { consentTextHash } from '../consent/index.js';
import { applyWorkspace, loadWorkspaceDir } from '../workspaces/index.js';
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
const tapItem = (from: string, itemId: string): InboundEvent => {
  const id = `wamid.run.${++seq}`;
  return { kind: 'message', providerEventId: id, providerMessageId: id, address: from, timestamp: new Date(), content: { type: 'interactive_reply', replyId: `item:${itemId}`, title: itemId, via: 'list' }, raw: {} };
};
async function deliver(...events: InboundEvent[]): Promise<void> {
  await storeInboundEvents(h.database.db, events.map((event) => ({ channel, event })));
  const process = createInboundBatchProcessor({ database: h.database, channels: h.deps.channels, runtimes: createRuntimeLoader(h.database.db), logger: h.deps.logger, onEnqueued: () => undefined });
  for (;;) {
    const jobs = await claimJobs(h.database.db, { queues: [INBOUND_QUEUE], limit: 100, workerId: 'test', leaseSeconds: 30 });
    if (jobs.length === 0) {
      return;
    }
    for (const [id, outcome] of await process(jobs)) {
      if (outcome.kind === 'defer') {
        await deferJob(h.database.db, id, outcome.runAt);
      }
    }
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

  it('records what people did next: the offered item they picked, or a person; --examples lists the picks per item', async () => {
    const [a, b, c, d] = ['49171000031', '49171000032', '49171000033', '49171000034'];
    await deliver(say(a, 'Hallo'), say(b, 'Hallo'), say(c, 'Hallo'), say(d, 'Hallo'));
    await deliver(say(a, 'Pen halten'), say(b, 'pen halten'), say(c, 'Pen halten'), say(d, 'Pen halten'));
    const [conv] = await query<{ lastMenu: Array<{ id: string; title: string }> }>(h.database.db, sql`select last_menu as "lastMenu" from conversations where address = ${a}`);
    const offered = conv!.lastMenu.filter((o) => o.id.startsWith('item:')).map((o) => o.id.slice('item:'.length));
    expect(offered.length).toBeGreaterThan(1);
    // Two pick the second item offered (by its number), one asks for a person.
    await deliver(say(a, '2'), say(b, '2'), say(c, 'Mitarbeiter'));
    // d taps an item that was not offered: no evidence for the question, so no outcome.
    const notOffered = 'servicezeiten';
    expect(offered).not.toContain(notOffered);
    await deliver(tapItem(d, notOffered));
    // A later tap on another offered item does not overwrite the first outcome.
    await deliver(tapItem(a, offered[0]!));
    const list = await listUnanswered(h.database.db, h.deps.workspace.id, { sinceDays: 30, limit: 10 });
    expect(list.find((q) => q.text === 'pen halten')).toMatchObject({ count: 4, picked: [{ itemId: offered[1], count: 2 }], escalated: 1 });
    const outcomes = await query<{ address: string; outcome: string | null; pickedItem: string | null }>(
      h.database.db,
      sql`select c.address, u.outcome, u.picked_item as "pickedItem" from unanswered_questions u join conversations c on c.id = u.conversation_id
          where c.address in (${a}, ${c}, ${d}) order by c.address`,
    );
    expect(outcomes).toEqual([
      { address: a, outcome: 'picked', pickedItem: offered[1] },
      { address: c, outcome: 'escalated', pickedItem: null },
      { address: d, outcome: null, pickedItem: null },
    ]);
    if (h.database.url) {
      const lines: string[] = [];
      const env = { DATABASE_URL: h.database.url, PARLEY_SECRET_KEY: 'a'.repeat(64), LOG_LEVEL: 'silent' };
      const out = { log: (s: string) => lines.push(s), error: (s: string) => lines.push(s) };
      expect(await runCli(['content', 'unanswered'], env, out)).toBe(0);
      expect(lines.join('\n')).toContain(`→ picked ${offered[1]} 2×; asked for a person 1×`);
      lines.length = 0;
      expect(await runCli(['content', 'unanswered', '--examples'], env, out)).toBe(0);
      expect(lines.join('\n')).toContain(`${offered[1]}:\n  de: ["pen halten"]`);
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

  it('remembers the topic menu it sent, so a typed number picks from it in the next turn', async () => {
    const from = '49171000005';
    await deliver(say(from, 'Hallo'));
    await deliver(say(from, 'Materialien'));
    await deliver(say(from, 'Pen anwenden'));
    const [conv] = await query<{ lastMenu: Array<{ id: string; title: string }> | null }>(h.database.db, sql`select last_menu as "lastMenu" from conversations where address = ${from}`);
    expect(conv?.lastMenu?.length).toBeGreaterThan(2);
    const second = conv!.lastMenu![1]!;
    expect(second.id).toMatch(/^(item|topic):/);
    const before = (await repliesTo(from)).length;
    await deliver(say(from, '2'));
    const replies = (await repliesTo(from)).slice(before);
    expect(replies.map((r) => r.text ?? '').join('\n')).toContain(second.title);
  });

  it('a message sent while the flow waits for its HTTP call waits for the call; a dead call holds nothing back', async () => {
    const from = '49171000006';
    await deliver(say(from, 'Bestellung'));
    await deliver(say(from, 'LU-123456'));
    const [conv] = await query<{ id: string; waiting: string }>(h.database.db, sql`select id, flow_state->>'waiting' as waiting from conversations where address = ${from}`);
    expect(conv?.waiting).toBe('call');
    // No workers run here: the call job stays pending, so the next message must wait.
    const before = (await repliesTo(from)).length;
    await deliver(say(from, 'Hallo?'));
    const stored = async () => query<{ n: number }>(h.database.db, sql`select count(*)::int as n from messages m where m.conversation_id = ${conv!.id} and m.direction = 'in'`);
    expect((await stored())[0]?.n).toBe(2);
    const [held] = await query<{ status: string; attempts: number }>(h.database.db, sql`select status, attempts from jobs where ordering_key = ${`in:${channel.id}:${from}`} order by id desc limit 1`);
    expect(held).toMatchObject({ status: 'pending' });
    // The call job died (dead-lettered): the message goes on and is answered.
    await h.database.db.execute(sql`update jobs set status = 'dead' where ordering_key = ${`call:${conv!.id}`}`);
    await new Promise((r) => setTimeout(r, 150));
    await deliver();
    expect((await stored())[0]?.n).toBe(3);
    expect((await repliesTo(from)).length).toBeGreaterThan(before);
  });

  it('marks a reply with the library item it carries, for the send gate\'s re-check at dispatch (MLR-01)', async () => {
    const from = '49171000007';
    await deliver(say(from, 'Hallo'));
    await deliver(say(from, 'Wo finde ich den Beipackzettel?'));
    const rows = await query<{ purpose: string; refs: string[] | null }>(
      h.database.db,
      sql`select m.purpose, m.content_refs as refs from messages m join conversations c on c.id = m.conversation_id where c.address = ${from} and m.direction = 'out'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.purpose === 'service')).toBe(true);
    expect(rows.some((r) => r.refs?.includes('packungsbeilage'))).toBe(true);
  });

  it('GDPR-05/07 the diary opt-in shows the exact wording, asks, and records the decision with that wording\'s version and hash', async () => {
    const from = '49171000008';
    await deliver(say(from, 'Hallo'));
    const before = (await repliesTo(from)).length;
    await deliver(say(from, 'Tagebuch Erinnerung'));
    const shown = (await repliesTo(from)).slice(before);
    const wording = loadWorkspaceDir(demo).consentTexts.find((t) => t.id === 'diary-reminders')!.text.de!;
    // Stored in one transaction (same created_at); the dispatch order is the jobs' order, tested elsewhere.
    expect(shown).toHaveLength(3);
    expect(shown.map((r) => r.text)).toEqual(expect.arrayContaining([expect.stringContaining('einmal pro Woche'), wording, expect.stringContaining('einverstanden')]));
    await deliver(say(from, 'Ja'));
    const [event] = await query<{ purpose: string; decision: string; method: string; textSlug: string; textVersion: number; textLanguage: string; textHash: string; evidence: { providerMessageId?: string } }>(
      h.database.db,
      sql`select e.purpose, e.decision, e.method, e.text_slug as "textSlug", e.text_version as "textVersion", e.text_language as "textLanguage", e.text_hash as "textHash", e.evidence
          from consent_events e join conversations c on c.contact_id = e.contact_id where c.address = ${from}`,
    );
    expect(event).toMatchObject({ purpose: 'psp-reminders', decision: 'granted', method: 'button', textSlug: 'diary-reminders', textVersion: 1, textLanguage: 'de', textHash: consentTextHash(wording) });
    expect(event?.evidence.providerMessageId).toMatch(/^wamid\.run\./);
    const subscribed = await query<{ status: string }>(h.database.db, sql`select s.status from topic_subscriptions s join conversations c on c.contact_id = s.contact_id where c.address = ${from}`);
    expect(subscribed).toEqual([{ status: 'active' }]);
  });

  it('GDPR-07 the study news need their own consent: one decision for topic:studien, independent of the diary reminders; a no subscribes nothing', async () => {
    const yes = '49171000009';
    await deliver(say(yes, 'Studien News'));
    await deliver(say(yes, 'Ja'));
    const events = await query<{ purpose: string; decision: string; textSlug: string }>(
      h.database.db,
      sql`select e.purpose, e.decision, e.text_slug as "textSlug" from consent_events e join conversations c on c.contact_id = e.contact_id where c.address = ${yes}`,
    );
    expect(events).toEqual([{ purpose: 'topic:studien', decision: 'granted', textSlug: 'studien-news' }]);
    const topics = await query<{ topic: string; status: string }>(h.database.db, sql`select s.topic_slug as topic, s.status from topic_subscriptions s join conversations c on c.contact_id = s.contact_id where c.address = ${yes}`);
    expect(topics).toEqual([{ topic: 'studien', status: 'active' }]);

    const no = '49171000010';
    await deliver(say(no, 'Study news'));
    await deliver(say(no, 'Nein'));
    const declined = await query<{ purpose: string; decision: string }>(h.database.db, sql`select e.purpose, e.decision from consent_events e join conversations c on c.contact_id = e.contact_id where c.address = ${no}`);
    expect(declined).toEqual([{ purpose: 'topic:studien', decision: 'denied' }]);
    expect(await query(h.database.db, sql`select 1 from topic_subscriptions s join conversations c on c.contact_id = s.contact_id where c.address = ${no}`)).toEqual([]);
  });
});
