import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { claimJobs } from '../../platform/jobs.js';
import { createHarness, type Harness } from '../../test/harness.js';
import type { InboundEvent } from '../channels/index.js';
import { INBOUND_QUEUE, storeInboundEvents } from '../channels/webhook.store.js';
import { createInboundBatchProcessor } from './inbound.service.js';
import { createRuntimeLoader } from '../flows/index.js';

let h: Harness;
let a: { id: string; workspaceId: string };
let b: { id: string; workspaceId: string };

const secrets = { accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678' };
beforeAll(async () => {
  h = await createHarness();
  const ws = h.deps.workspace.id;
  const ca = await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'chan-a', phoneNumberId: '1111111', ...secrets, autoReply: 'Hallo A' });
  const cb = await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'chan-b', phoneNumberId: '2222222', ...secrets, autoReply: 'Hallo B' });
  a = { id: ca.id, workspaceId: ws };
  b = { id: cb.id, workspaceId: ws };
});
afterAll(async () => h.close());

const text = (id: string, from: string, body: string, profileName?: string): Extract<InboundEvent, { kind: 'message' }> => ({
  kind: 'message',
  providerEventId: id,
  providerMessageId: id,
  address: from,
  timestamp: new Date('2026-11-22T10:00:00Z'),
  content: { type: 'text', text: body },
  raw: {},
  ...(profileName ? { profileName } : {}),
});

async function processAll(): Promise<number> {
  const process = createInboundBatchProcessor({ database: h.database, channels: h.deps.channels, runtimes: createRuntimeLoader(h.database.db), logger: h.deps.logger, onEnqueued: () => undefined });
  let batches = 0;
  for (;;) {
    const jobs = await claimJobs(h.database.db, { queues: [INBOUND_QUEUE], limit: 100, workerId: 'test', leaseSeconds: 30 });
    if (jobs.length === 0) {
      return batches;
    }
    await process(jobs);
    batches++;
  }
}

describe('inbound batch processing', () => {
  it('receives a batch set-based: shared identities, redeliveries, replies only where due, jobs completed', async () => {
    await storeInboundEvents(h.database.db, [
      { channel: a, event: text('wamid.1', '491701', 'Hallo', 'Erika') },
      { channel: b, event: text('wamid.2', '491701', 'Hallo über B', 'Erika M.') },
      { channel: a, event: text('wamid.3', '491702', 'Frage') },
      { channel: a, event: { ...text('wamid.4', '491703', ''), content: { type: 'reaction', targetProviderId: 'wamid.x', emoji: '👍' } } },
    ]);
    expect(await processAll()).toBe(1);
    // A redelivery of wamid.1 under another event id (as after a provider retry with a new batch): stored once.
    await storeInboundEvents(h.database.db, [{ channel: a, event: { ...text('wamid.1', '491701', 'Hallo'), providerEventId: 'wamid.1-again' } }]);
    await storeInboundEvents(h.database.db, [{ channel: a, event: text('wamid.5', '491701', 'Noch eine Frage') }]);
    await processAll();

    const contacts = await query<{ n: number; name: string }>(
      h.database.db,
      sql`select count(distinct c.id)::int as n, max(i.profile_name) as name from contacts c join contact_identities i on i.contact_id = c.id where i.address = '491701'`,
    );
    expect(contacts[0]).toEqual({ n: 1, name: 'Erika M.' });
    const conversations = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from conversations where address = '491701'`);
    expect(conversations[0]?.n).toBe(2);
    const inbound = await query<{ pmid: string }>(h.database.db, sql`select provider_message_id as pmid from messages where direction = 'in' order by provider_message_id`);
    expect(inbound.map((m) => m.pmid)).toEqual(['wamid.1', 'wamid.2', 'wamid.3', 'wamid.4', 'wamid.5']);
    const replies = await query<{ address: string; text: string }>(
      h.database.db,
      sql`select c.address, m.content->>'text' as text from messages m join conversations c on c.id = m.conversation_id where m.direction = 'out' order by c.address, m.created_at`,
    );
    // Four answerable new messages (wamid.1, .2, .3, .5); none for the reaction, none for the redelivery.
    expect(replies).toHaveLength(4);
    expect(replies.filter((r) => r.address === '491703')).toEqual([]);
    expect(replies.map((r) => r.text).sort()).toEqual(['Hallo A', 'Hallo A', 'Hallo A', 'Hallo B']);
    const open = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from jobs where queue = ${INBOUND_QUEUE} and status <> 'done'`);
    expect(open[0]?.n).toBe(0);
    const dispatch = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from jobs where queue = 'outbound.dispatch'`);
    expect(dispatch[0]?.n).toBe(4);
  });
});
