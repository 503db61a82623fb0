/**
 * Erasure (Art. 17, GDPR-20/22/23), evaluated per data class: a class without a retention duty is deleted
 * everywhere Parley keeps it; a class under a duty whose period has not ended is kept, restricted (Art. 18:
 * no message reaches the contact, only compliance may read it) until the duty ends — the nightly sweep then runs
 * the erasure again and deletes it; a legal hold keeps everything. Every run withdraws the contact's consents,
 * puts the addresses on the suppression list (GDPR-15) and leaves a tombstone in the audit trail: counts and
 * dates, never the erased content.
 */
import { purposesOf, storedSettings } from '@parley/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { countAffected, type Executor, query, toPgArray, type Tx } from '../../platform/db.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { insertConsentEvents } from '../consent/index.js';
import { DATA_CLASSES, type DataClass, retentionRules } from './data-classes.js';
import * as rights from './rights.store.js';
import { hashAddress, type KeyedHash, suppressAddresses } from './suppression.store.js';

export interface ErasureOutcome {
  contactId: string;
  /** done: nothing left; partial: classes kept under a duty; held: a legal hold keeps everything. */
  status: 'done' | 'partial' | 'held';
  deleted: Partial<Record<DataClass, Record<string, number>>>;
  /** Kept classes and until when (ISO date); `hold` while a legal hold stands. */
  kept: Partial<Record<DataClass, string>>;
  holds: string[];
  requestId: string;
}

type Target = { contactId: string; lastActivity: Date; conversations: Array<{ id: string; channelId: string; address: string }>; addresses: string[] };

/**
 * Erases what may be erased of one contact, in the caller's transaction. `requestId` continues an open case (the
 * sweep); otherwise a case is opened. Returns undefined when the contact no longer exists.
 */
export async function eraseContactData(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  opts: { audit: AuditContext; keyedHash: KeyedHash; now: Date; reason: 'request' | 'retention'; requestId?: string; requestedBy?: string },
): Promise<ErasureOutcome | undefined> {
  const target = await loadTarget(tx, workspaceId, contactId);
  if (!target) {
    return undefined;
  }
  const [ws] = await query<{ settings: unknown }>(tx, sql`select settings from workspaces where id = ${workspaceId}`);
  const settings = storedSettings(ws?.settings);
  const rules = retentionRules(settings);
  const holds = await rights.openHolds(tx, workspaceId, [contactId]);
  const kept: ErasureOutcome['kept'] = {};
  const erase = new Set<DataClass>();
  for (const dataClass of DATA_CLASSES) {
    const rule = rules[dataClass];
    const dutyEnds = new Date(target.lastActivity.getTime() + rule.days * 86_400_000);
    if (holds.length > 0) {
      kept[dataClass] = 'hold';
    } else if (rule.duty && dutyEnds > opts.now) {
      kept[dataClass] = dutyEnds.toISOString();
    } else {
      erase.add(dataClass);
    }
  }
  const deleted = await deleteClasses(tx, workspaceId, target, erase);
  if (opts.reason === 'request' && !opts.requestId) {
    // Art. 17(1)(b): the person's erasure request withdraws every consent, on every channel, and keeps the
    // addresses from being re-enabled by an import (GDPR-15). Storage limitation (`retention`) does neither.
    const purposes = [...purposesOf(settings).keys()];
    await insertConsentEvents(
      tx,
      purposes.map((purpose) => ({ workspaceId, contactId, purpose, channelId: null, decision: 'withdrawn' as const, method: 'agent' as const, evidence: { erasure: true }, actor: { ...opts.audit.actor } })),
    );
    await suppressAddresses(tx, workspaceId, target.addresses.map((a) => hashAddress(opts.keyedHash, a)), 'erasure');
  }
  await rights.liftRestrictions(tx, workspaceId, contactId, 'retention');
  const keptClasses = Object.keys(kept) as DataClass[];
  if (keptClasses.length > 0) {
    const untils = Object.values(kept).filter((v) => v !== 'hold');
    const until = holds.length > 0 || untils.length === 0 ? undefined : new Date(untils.sort().at(-1)!);
    await rights.insertRestriction(tx, { workspaceId, contactId, basis: 'retention', reason: holds.length > 0 ? 'legal hold' : 'retention duty', dataClasses: keptClasses, ...(until ? { until } : {}) });
  }
  const status: ErasureOutcome['status'] = holds.length > 0 ? 'held' : keptClasses.length > 0 ? 'partial' : 'done';
  const outcome = { deleted, kept, holds: holds.map((h) => h.id) };
  const requestId = opts.requestId ?? (await rights.insertRequest(tx, { workspaceId, contactId, kind: 'erasure', status, outcome, requestedBy: opts.requestedBy ?? String(opts.audit.actor.id ?? opts.audit.actor.kind), done: status === 'done' }));
  if (opts.requestId) {
    await rights.updateRequest(tx, opts.requestId, status, outcome, status === 'done');
  }
  // The tombstone (GDPR-20, AUD-07): what happened, in counts; no erased content, no address.
  await appendAudit(tx, [{
    workspaceId,
    ...opts.audit,
    action: status === 'done' ? 'contact.erased' : 'contact.erasure_partial',
    object: { type: 'contact', id: contactId },
    reason: opts.reason,
    after: { request: requestId, status, deleted, kept, holds: outcome.holds },
  }]);
  return { contactId, status, deleted, kept, holds: outcome.holds, requestId };
}

async function loadTarget(ex: Executor, workspaceId: string, contactId: string): Promise<Target | undefined> {
  const [contact] = await query<{ id: string; updatedAt: Date | string }>(ex, sql`select id, updated_at as "updatedAt" from contacts where workspace_id = ${workspaceId} and id = ${contactId} for update`);
  if (!contact) {
    return undefined;
  }
  const conversations = await query<{ id: string; channelId: string; address: string; last: Date | string | null }>(
    ex,
    sql`select id, channel_id as "channelId", address, coalesce(last_message_at, created_at) as last from conversations where contact_id = ${contactId} order by id for update`,
  );
  const identities = await query<{ address: string }>(ex, sql`select address from contact_identities where contact_id = ${contactId}`);
  const activity = [new Date(contact.updatedAt).getTime(), ...conversations.map((c) => (c.last ? new Date(c.last).getTime() : 0))];
  return {
    contactId,
    lastActivity: new Date(Math.max(...activity)),
    conversations: conversations.map(({ id, channelId, address }) => ({ id, channelId, address })),
    addresses: [...new Set([...identities.map((i) => i.address), ...conversations.map((c) => c.address)])],
  };
}

/** Deletes the classes in `erase`; returns the rows deleted per class and table (the tombstone's counts). */
async function deleteClasses(tx: Executor, workspaceId: string, target: Target, erase: Set<DataClass>): Promise<ErasureOutcome['deleted']> {
  const deleted: ErasureOutcome['deleted'] = {};
  const conversationIds = toPgArray(target.conversations.map((c) => c.id));
  const count = (statement: SQL) => countAffected(tx, statement);
  if (erase.has('conversationState')) {
    deleted.conversationState = {
      jobs: await count(sql`delete from jobs where payload->>'conversationId' = any(${conversationIds}::text[])`),
      runStates: await count(sql`update conversations set flow_state = null, last_menu = null where id = any(${conversationIds}::uuid[]) and (flow_state is not null or last_menu is not null)`),
    };
  }
  if (erase.has('messages')) {
    const channels = toPgArray(target.conversations.map((c) => c.channelId));
    const addresses = toPgArray(target.conversations.map((c) => c.address));
    deleted.messages = {
      statusEvents: await count(sql`delete from message_status_events where message_id in (select id from messages where conversation_id = any(${conversationIds}::uuid[]))`),
      rawEvents: await count(sql`delete from inbound_events e using unnest(${channels}::uuid[], ${addresses}::text[]) as x(ch, address) where e.channel_id = x.ch and e.payload->>'address' = x.address`),
      unansweredQuestions: await count(sql`delete from unanswered_questions where conversation_id = any(${conversationIds}::uuid[])`),
      // The inbox's realtime feed: ids and statuses only, but of this person's conversations.
      inboxEvents: await count(sql`delete from inbox_events where workspace_id = ${workspaceId} and conversation_id = any(${conversationIds}::uuid[])`),
      messages: await count(sql`delete from messages where conversation_id = any(${conversationIds}::uuid[])`),
    };
  }
  if (erase.has('profile')) {
    const subscriptions = await count(sql`delete from topic_subscriptions where contact_id = ${target.contactId}`);
    const identities = await count(sql`delete from contact_identities where contact_id = ${target.contactId}`);
    // The conversation rows (address, ownership) go with the messages; the contact row with its last conversation.
    const conversations = erase.has('messages') ? await count(sql`delete from conversations where id = any(${conversationIds}::uuid[])`) : 0;
    const contacts = erase.has('messages')
      ? await count(sql`delete from contacts where id = ${target.contactId} and workspace_id = ${workspaceId}`)
      : await count(sql`update contacts set display_name = null, language = null, updated_at = now() where id = ${target.contactId}`);
    deleted.profile = { contacts, identities, subscriptions, conversations };
  }
  return deleted;
}
