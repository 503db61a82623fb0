/**
 * The hand-off end to end (issue #5 item 2, ARCHITECTURE §6) with workers and the WhatsApp fake over loopback: after
 * MITARBEITER the contact is told once what happens next and the bot stays silent — also while many messages arrive
 * and agents take and return the conversation at the same time; after the return the bot answers again; outside
 * business hours the notice says when someone will answer.
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { createStaffKit, type StaffKit, type StaffSession } from '../users/users.fixtures.js';
import { applyWorkspace } from '../workspaces/index.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let kit: StaffKit;
let agents: StaffSession[];

beforeAll(async () => {
  wa = await createWhatsAppHarness({ phoneNumberId: '109876543210555', slug: 'handoff' });
  ({ h, fake } = wa);
  expect(await applyWorkspace(h.database.db, h.deps.workspace.id, demo)).toMatchObject({ ok: true });
  h.deps.runtimes.invalidate(h.deps.workspace.id);
  kit = createStaffKit(h.deps, h.app);
  agents = [];
  for (let i = 0; i < 3; i++) {
    agents.push(await kit.auth.createSession((await kit.createStaff(['agent'])).user.id));
  }
  // Always open, so the notice does not depend on when the test runs (the closed case sets its own hours below).
  await setHours({ timeZone: 'Europe/Berlin', days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']])), holidays: [] });
}, 60_000);
afterAll(async () => wa?.close());

async function setHours(businessHours: unknown): Promise<void> {
  await h.database.db.execute(sql`update workspaces set settings = jsonb_set(settings, '{businessHours}', ${JSON.stringify(businessHours)}::jsonb) where id = ${h.deps.workspace.id}`);
  h.deps.runtimes.invalidate(h.deps.workspace.id);
}
const texts = (to: string) =>
  fake.sent({ to }).map((m) => {
    const body = m.body as { text?: { body: string }; interactive?: { body: { text: string } } };
    return body.text?.body ?? body.interactive?.body.text ?? `[${m.type}]`;
  });
const write = (from: string, text: string) => fake.injectInbound({ from, type: 'text', text: { body: text } });
const inbound = async (from: string) => (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id where c.address = ${from} and m.direction = 'in'`))[0]?.n ?? 0;
const conversationId = async (from: string) => (await query<{ id: string }>(h.database.db, sql`select id from conversations where address = ${from}`))[0]!.id;
const act = (who: StaffSession, id: string, action: 'take' | 'return-to-bot') => kit.injectAs(who, { method: 'POST', url: `/api/inbox/conversations/${id}/${action}`, payload: {} });
/** No outbound work left: every reply decided and sent. */
const settled = async () => (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from jobs where status in ('pending', 'running') and queue in ('inbound.process', 'outbound.dispatch')`))[0]?.n === 0;

describe('hand-off with the WhatsApp fake', () => {
  it('MITARBEITER: the contact is told once; more messages (MITARBEITER again too) get no reply; after the return the bot answers', async () => {
    const from = '491760000001';
    await write(from, 'Mitarbeiter');
    await eventually(() => texts(from).length === 1, 10_000, 'the notice');
    expect(texts(from)).toEqual(['Ich verbinde Sie mit unserem Service-Team. Eine Mitarbeiterin oder ein Mitarbeiter meldet sich hier im Chat.']);
    for (const t of ['Hallo?', 'Ist da jemand?', 'Mitarbeiter', 'Wo finde ich den Beipackzettel?']) {
      await write(from, t);
    }
    await eventually(async () => (await inbound(from)) === 5 && (await settled()), 10_000, 'five messages stored');
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(from)).toHaveLength(1);

    const id = await conversationId(from);
    expect((await act(agents[0]!, id, 'take')).statusCode).toBe(200);
    await write(from, 'Danke!');
    await eventually(async () => (await inbound(from)) === 6 && (await settled()), 10_000, 'the sixth message');
    expect(texts(from)).toHaveLength(1);

    expect((await act(agents[0]!, id, 'return-to-bot')).statusCode).toBe(200);
    await write(from, 'Beipackzettel');
    await eventually(() => texts(from).length > 1, 10_000, 'the bot’s answer');
    expect(texts(from).slice(1).join('\n')).toMatch(/Packungsbeilage|Beipackzettel/);
  });

  it('the bot never answers while the conversation is queued or with an agent — many messages while agents take and return it', async () => {
    const from = '491760000002';
    await write(from, 'Hallo');
    await eventually(() => texts(from).length > 0, 10_000, 'the greeting');
    const id = await conversationId(from);
    let sent = 1;
    const contact = (async () => {
      for (let i = 0; i < 40; i++) {
        await write(from, i % 10 === 3 ? 'Mitarbeiter' : `Frage ${i}: Beipackzettel`);
        sent++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const staff = (async () => {
      for (let i = 0; i < 15; i++) {
        const who = agents[i % agents.length]!;
        // Several agents at once; only one can win each take, a return needs the one who has it.
        await Promise.all(agents.map((a) => act(a, id, 'take')));
        await new Promise((r) => setTimeout(r, 10));
        await Promise.all([act(who, id, 'return-to-bot'), ...agents.map((a) => act(a, id, 'return-to-bot'))]);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await Promise.all([contact, staff]);
    await eventually(async () => (await inbound(from)) === sent && (await settled()), 20_000, 'every message processed and every reply sent');

    // Walk the history in order: no reply of the bot may stand where a person owned the conversation.
    const history = await query<{ direction: string; state: string | null }>(h.database.db, sql`select direction, content->>'state' as state from messages where conversation_id = ${id} order by seq`);
    let owner = 'bot';
    const violations: number[] = [];
    history.forEach((m, i) => {
      if (m.direction === 'event') {
        owner = m.state ?? owner;
      } else if (m.direction === 'out' && owner !== 'bot') {
        violations.push(i);
      }
    });
    expect(violations).toEqual([]);
    expect(history.filter((m) => m.direction === 'event').length).toBeGreaterThan(4);
    // Everything the bot did say reached the fake, once.
    await eventually(() => texts(from).length === history.filter((m) => m.direction === 'out').length, 10_000, 'every reply at the fake');
  }, 60_000);

  it('outside business hours the notice says when someone will answer', async () => {
    const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() + offset * 86_400_000));
    await setHours({ timeZone: 'Europe/Berlin', days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']])), holidays: [day(-1), day(0), day(1)] });
    const from = '491760000003';
    await write(from, 'Mitarbeiter');
    await eventually(() => texts(from).length === 1, 10_000, 'the notice');
    expect(texts(from)[0]).toMatch(/^Ich habe Ihre Anfrage an unser Service-Team weitergegeben\. Gerade ist niemand im Dienst – wir melden uns hier im Chat ab \p{L}+, 0:00 Uhr\.$/u);
    await write(from, 'Hallo?');
    await eventually(async () => (await inbound(from)) === 2 && (await settled()), 10_000, 'the second message');
    expect(texts(from)).toHaveLength(1);
  });
});
