/**
 * The contact panel, the pickers and restricted contacts over HTTP on a real database (issue #5 item 4): identities,
 * language, the run's attributes, consent per purpose and channel as the ledger says it now (GDPR-02/05), topic
 * subscriptions, suppression (GDPR-15); the approved library an agent may send from (MLR-01, HWG-01) and the canned
 * answers of workspace.yaml; a restricted contact hidden from agents in the list, when opened, moved, noted or
 * looked up — and still visible to admins, flagged (GDPR-20).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { insertConsentEvents } from '../consent/index.js';
import { createInboxKit, type InboxKit, type Person } from '../inbox/inbox.fixtures.js';
import { objectToMarketing, restrictContact } from '../privacy/index.js';

let k: InboxKit;
let anna: Person;
let admin: Person;
let editor: Person;
let n = 0;
const nextAddress = () => `4917400${String(++n).padStart(5, '0')}`;

beforeAll(async () => {
  k = await createInboxKit();
  [anna, admin, editor] = [await k.person('Anna Schmidt'), await k.person('Ada Admin', ['admin']), await k.person('Eddi Editor', ['editor'])];
}, 60_000);
afterAll(async () => k?.close());

const rights = () => ({ db: k.h.database.db, workspaceId: k.workspaceId, keyedHash: (v: string) => k.h.deps.secretBox.keyedHash(v) });

/** A contact who asked for a person, and their conversation. */
async function contact(): Promise<{ address: string; id: string; contactId: string }> {
  const address = nextAddress();
  await k.say(address, 'Mitarbeiter');
  const { id } = await k.conversationOf(address);
  const [row] = await query<{ contactId: string }>(k.h.database.db, sql`select contact_id as "contactId" from conversations where id = ${id}`);
  return { address, id, contactId: row!.contactId };
}

describe('the contact panel', () => {
  it('GDPR-05 identities, language, the run’s attributes, consent per purpose and channel with the latest event’s time and method, subscriptions', async () => {
    const c = await contact();
    const db = k.h.database.db;
    await db.execute(sql`update conversations set flow_state = ${JSON.stringify({ attributes: { therapyStart: '2026-11-01', language: 'de' } })}::jsonb where id = ${c.id}`);
    await db.execute(sql`update contacts set language = 'de' where id = ${c.contactId}`);
    await insertConsentEvents(db, [
      { workspaceId: k.workspaceId, contactId: c.contactId, purpose: 'psp-reminders', channelId: k.channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } },
      { workspaceId: k.workspaceId, contactId: c.contactId, purpose: 'topic:studien', channelId: k.channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } },
      { workspaceId: k.workspaceId, contactId: c.contactId, purpose: 'topic:studien', channelId: k.channelId, decision: 'withdrawn', method: 'keyword', actor: { kind: 'contact' } },
    ]);
    await db.execute(sql`insert into topics (workspace_id, slug, title) values (${k.workspaceId}, 'studien-news-test', ${JSON.stringify({ de: 'Studien' })}::jsonb) on conflict do nothing`);
    await db.execute(sql`insert into topic_subscriptions (workspace_id, contact_id, topic_slug, status, subscribed_at) values (${k.workspaceId}, ${c.contactId}, 'studien-news-test', 'active', now())`);

    const res = await k.as(anna, 'GET', `/api/inbox/conversations/${c.id}/contact`);
    expect(res.statusCode).toBe(200);
    const panel = res.json<{ consents: Array<{ purpose: string; state: string; method: string | null; at: string | null; channel: { id: string; kind: string } }> }>();
    expect(panel).toMatchObject({
      contact: { id: c.contactId, name: `Kontakt ${c.address.slice(-4)}`, language: 'de' },
      identities: [{ kind: 'whatsapp', address: c.address, profileName: `Kontakt ${c.address.slice(-4)}` }],
      attributes: { therapyStart: '2026-11-01' },
      subscriptions: [{ topic: 'studien-news-test', title: { de: 'Studien' }, status: 'active' }],
      flags: { restricted: false, suppressed: false },
    });
    const byPurpose = Object.fromEntries(panel.consents.map((x) => [x.purpose, x]));
    expect(byPurpose['psp-reminders']).toMatchObject({ state: 'granted', method: 'button', channel: { id: k.channelId, kind: 'whatsapp' }, at: expect.stringMatching(/^\d{4}-/) });
    expect(byPurpose['topic:studien']).toMatchObject({ state: 'withdrawn', method: 'keyword' });
  });

  it('GDPR-15 an objection to marketing shows as suppressed; editors may not read the panel (403)', async () => {
    const c = await contact();
    await objectToMarketing(rights(), c.contactId, { audit: SYSTEM_AUDIT });
    expect((await k.as(anna, 'GET', `/api/inbox/conversations/${c.id}/contact`)).json()).toMatchObject({ flags: { suppressed: true } });
    expect((await k.as(editor, 'GET', `/api/inbox/conversations/${c.id}/contact`)).statusCode).toBe(403);
  });
});

describe('restricted contacts are hidden from agents (GDPR-20)', () => {
  it('GDPR-20 gone from the agent’s list and search; opening, the panel, the composer, a note, a take or a read → 404; admins see it flagged', async () => {
    const c = await contact();
    await restrictContact(rights(), c.contactId, { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
    const ids = async (who: Person, q = '') => (await k.as(who, 'GET', `/api/inbox/conversations?limit=200${q}`)).json<{ conversations: Array<{ id: string; restricted: boolean }> }>().conversations;
    expect((await ids(anna)).map((r) => r.id)).not.toContain(c.id);
    expect(await ids(anna, `&q=${c.address}`)).toEqual([]);
    for (const [method, path] of [['GET', ''], ['GET', '/contact'], ['GET', '/composer'], ['POST', '/notes'], ['POST', '/take'], ['POST', '/read']] as const) {
      const res = await k.as(anna, method, `/api/inbox/conversations/${c.id}${path}`, path === '/notes' ? { text: 'x' } : {});
      expect([path, res.statusCode, res.json<{ error?: { code: string } }>().error?.code]).toEqual([path, 404, 'conversation.not_found']);
    }
    expect(await k.conversationOf(c.address)).toMatchObject({ state: 'queued', assigneeId: null });
    expect((await ids(admin, `&q=${c.address}`)).map((r) => [r.id, r.restricted])).toEqual([[c.id, true]]);
    expect((await k.as(admin, 'GET', `/api/inbox/conversations/${c.id}`)).json()).toMatchObject({ conversation: { id: c.id, restricted: true } });
    expect((await k.as(admin, 'GET', `/api/inbox/conversations/${c.id}/contact`)).json()).toMatchObject({ flags: { restricted: true } });
  });
});

describe('the pickers', () => {
  it('MLR-01/HWG-01 the library lists approved items valid now for an open audience, with title and snippet; search in the asked language', async () => {
    const all = (await k.as(anna, 'GET', '/api/inbox/library')).json<{ items: Array<{ id: string; audience: string }> }>().items;
    expect(all.length).toBeGreaterThan(5);
    expect(all.every((i) => i.audience === 'public' || i.audience === 'patient-programme')).toBe(true);
    expect(all.map((i) => i.id)).not.toContain('feiertage-2025'); // expired at the end of 2025
    const found = (await k.as(anna, 'GET', '/api/inbox/library?q=inject%20pen&lang=en')).json<{ items: Array<{ id: string; title: string; snippet: string; media: number }> }>().items;
    const pen = found.find((i) => i.id === 'pen-anwendung');
    expect(pen).toMatchObject({ title: 'How to inject with the Lumerra® pen', media: 1, topic: { id: 'anwendung' } });
    expect(pen!.snippet.startsWith('Take the pen out of the fridge')).toBe(true);
    expect((await k.as(anna, 'GET', '/api/inbox/library?lang=english')).statusCode).toBe(400);
  });

  it('canned answers from workspace.yaml, searched, in the asked language', async () => {
    const answers = (await k.as(anna, 'GET', '/api/inbox/canned?lang=en')).json<{ answers: Array<{ id: string; title: string; text: string }> }>().answers;
    expect(answers.map((a) => a.id)).toEqual(['greeting', 'checking', 'ask-your-doctor', 'goodbye']);
    expect((await k.as(anna, 'GET', '/api/inbox/canned?q=geduld')).json()).toMatchObject({ answers: [{ id: 'checking', title: 'Ich sehe nach' }] });
  });
});
