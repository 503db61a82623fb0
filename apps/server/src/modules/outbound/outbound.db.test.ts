import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { enqueueJobs } from '../../platform/jobs.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { receiveInboundMessages } from '../conversations/conversation.store.js';
import { applyStatusEvents, enqueueOutbound, recordAccepted, type StatusEventInput } from './outbound.store.js';

let h: Harness;
let channelId: string;
let ws: string;
let seq = 0;

beforeAll(async () => {
  h = await createHarness();
  ws = h.deps.workspace.id;
  channelId = (await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'status', phoneNumberId: '3333333', accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678' })).id;
});
afterAll(async () => h.close());

/** A conversation with one queued outbound message; returns the message id. */
async function outbound(): Promise<string> {
  const address = `49170${++seq}`;
  const [received] = await receiveInboundMessages(h.database.db, [
    { workspaceId: ws, channelId, kind: 'whatsapp', address, providerMessageId: `wamid.in.${seq}`, content: { type: 'text', text: 'Hallo' }, providerTimestamp: new Date() },
  ]);
  const [id] = await enqueueOutbound(h.database.db, [{ workspaceId: ws, conversationId: received!.conversationId, channelId, content: { type: 'text', text: 'Antwort' } }]);
  return id!;
}
const status = (wamid: string, s: StatusEventInput['status'], extra: Partial<StatusEventInput> = {}): StatusEventInput => ({
  workspaceId: ws,
  channelId,
  providerMessageId: wamid,
  status: s,
  occurredAt: new Date(),
  ...extra,
});
const messageOf = async (id: string) =>
  (await query<{ status: string; errorCode: string | null; pmid: string | null }>(h.database.db, sql`select status, error_code as "errorCode", provider_message_id as pmid from messages where id = ${id}`))[0];
const job = async () => (await enqueueJobs(h.database.db, [{ queue: 'outbound.dispatch', payload: {} }]))[0]!;

describe('delivery statuses', () => {
  it('keeps a status for an unknown message and applies it when the send is recorded (never an error)', async () => {
    const id = await outbound();
    await applyStatusEvents(h.database.db, [status('wamid.early', 'sent'), status('wamid.early', 'delivered')]);
    const orphans = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from message_status_events where provider_message_id = 'wamid.early' and message_id is null`);
    expect(orphans[0]?.n).toBe(2);
    await recordAccepted(h.database.db, [{ messageId: id, channelId, providerMessageId: 'wamid.early', jobId: await job() }]);
    expect(await messageOf(id)).toMatchObject({ status: 'delivered', pmid: 'wamid.early' });
    const linked = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from message_status_events where message_id = ${id}`);
    expect(linked[0]?.n).toBe(2);
  });

  it('moves forward only: a late delivered after read changes nothing; failed after delivered keeps delivered', async () => {
    const id = await outbound();
    await recordAccepted(h.database.db, [{ messageId: id, channelId, providerMessageId: 'wamid.fwd', jobId: await job() }]);
    await applyStatusEvents(h.database.db, [status('wamid.fwd', 'read')]);
    await applyStatusEvents(h.database.db, [status('wamid.fwd', 'delivered')]);
    expect((await messageOf(id))?.status).toBe('read');
    await applyStatusEvents(h.database.db, [status('wamid.fwd', 'failed', { error: { code: '131026', reason: 'x' } })]);
    expect((await messageOf(id))?.status).toBe('read');
  });

  it('marks failed with the provider code when it fails before delivery', async () => {
    const id = await outbound();
    await recordAccepted(h.database.db, [{ messageId: id, channelId, providerMessageId: 'wamid.fail', jobId: await job() }]);
    await applyStatusEvents(h.database.db, [status('wamid.fail', 'sent'), status('wamid.fail', 'failed', { error: { code: '131047', reason: 'window closed' } })]);
    expect(await messageOf(id)).toMatchObject({ status: 'failed', errorCode: '131047' });
  });

  it('adopts a send whose response was lost, through the echoed callback id', async () => {
    const id = await outbound();
    await applyStatusEvents(h.database.db, [status('wamid.lost', 'delivered', { callbackData: id })]);
    expect(await messageOf(id)).toMatchObject({ status: 'delivered', pmid: 'wamid.lost' });
  });
});
