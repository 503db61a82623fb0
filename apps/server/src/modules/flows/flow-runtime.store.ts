import { ContentItem, Flow as FlowSchema, storedSettings, Topic } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray, type Tx } from '../../platform/db.js';
import { type AuditEntryInput, appendAudit } from '../audit/index.js';
import { handOffConversations, type HandoffReason } from '../inbox/index.js';
import { applyKeywordConsent, consentAuditEntries, type DoubleOptInAnswer, listLatestConsentTexts, recordConsentDecisions, recordDoubleOptInAnswers } from '../consent/index.js';
import { type EffectOwner, storeEffects } from './flow-effects.store.js';
import { createWorkspaceRuntime, type WorkspaceRuntime } from './flow-runtime.js';
import type { ConsentRecord } from './flow-consent.js';
import type { PendingEffect, UnansweredFollowUp } from './flow-turn.js';

const CACHE_MS = 5_000;

export interface RuntimeLoader {
  /** The workspace's runtime, rebuilt at most every few seconds (a newly applied workspace shows up soon). */
  get(workspaceId: string): Promise<WorkspaceRuntime>;
  /** Forgets the cached runtime (after an apply in this process, or to find a draft stored a moment ago). */
  invalidate(workspaceId: string): void;
}

export function createRuntimeLoader(ex: Executor): RuntimeLoader {
  const cache = new Map<string, { at: number; value: Promise<WorkspaceRuntime> }>();
  return {
    get(workspaceId) {
      const hit = cache.get(workspaceId);
      if (hit && Date.now() - hit.at < CACHE_MS) {
        return hit.value;
      }
      const value = loadRuntime(ex, workspaceId);
      cache.set(workspaceId, { at: Date.now(), value });
      value.catch(() => cache.delete(workspaceId));
      return value;
    },
    invalidate(workspaceId) {
      cache.delete(workspaceId);
    },
  };
}

async function loadRuntime(ex: Executor, workspaceId: string): Promise<WorkspaceRuntime> {
  const [workspace] = await query<{ language: string; settings: unknown }>(ex, sql`select default_language as language, settings from workspaces where id = ${workspaceId}`);

  const flows = await query<{ definition: Record<string, unknown>; status: 'draft' | 'published' }>(
    ex,
    sql`select v.definition, v.status from flow_versions v join flows f on f.id = v.flow_id where f.workspace_id = ${workspaceId}`,
  );
  // The latest version of every item; shown only if that version is approved (a withdrawal hides the item).
  const items = await query<{ slug: string; topic: string; audience: string; status: string; validFrom: Date | null; validUntil: Date | null; data: Record<string, unknown> }>(
    ex,
    sql`select distinct on (i.id) i.slug, v.topic_slug as topic, v.audience, v.status, v.valid_from as "validFrom", v.valid_until as "validUntil", v.data
        from content_items i join content_versions v on v.item_id = i.id
        where i.workspace_id = ${workspaceId}
        order by i.id, v.version desc`,
  );
  const topics = await query<{ slug: string; parent: string | null; title: Record<string, string>; description: Record<string, string> | null; sortOrder: number | null; keywords: Record<string, string[]> | null }>(
    ex,
    sql`select slug, parent_slug as parent, title, description, sort_order as "sortOrder", keywords from topics where workspace_id = ${workspaceId}`,
  );
  const day = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : undefined);
  return createWorkspaceRuntime({
    flows: flows.map((f) => FlowSchema.parse({ ...f.definition, status: f.status })),
    items: items.map((i) =>
      ContentItem.parse({ ...i.data, id: i.slug, topic: i.topic, audience: i.audience, status: i.status, validFrom: day(i.validFrom), validUntil: day(i.validUntil) }),
    ),
    topics: topics.map((t) =>
      Topic.parse({ id: t.slug, title: t.title, ...(t.parent ? { parent: t.parent } : {}), ...(t.description ? { description: t.description } : {}), ...(t.sortOrder !== null ? { order: t.sortOrder } : {}), ...(t.keywords ? { keywords: t.keywords } : {}) }),
    ),
    defaultLanguage: workspace?.language ?? 'de',
    now: new Date(),
    settings: storedSettings(workspace?.settings),
    consentTexts: await listLatestConsentTexts(ex, workspaceId),
  });
}

export interface TurnWrite extends EffectOwner {
  contactLanguage?: string;
  flowState: unknown;
  /** The bot hands over: the conversation waits in `queue` (bot → queued, modules/inbox). */
  handoff?: { queue: string; reason: HandoffReason };
  unanswered?: { text: string; language: string; candidates: unknown[] };
  /** The person picked an offered item or asked for a person after the conversation's last unanswered question. */
  followUp?: UnansweredFollowUp;
  effects: PendingEffect[];
  /** The runner menu to remember; null forgets it, undefined keeps it. */
  lastMenu?: Array<{ id: string; title: string }> | null;
  /** STOP/START: consent events for these purposes on the conversation's channel, with the message as evidence. */
  consent?: { kind: 'stop' | 'start'; purposes: string[]; evidence: Record<string, unknown> };
  /** Decisions at consent nodes (a tap is the method `button`), with the message as evidence. */
  consentRecords?: { records: ConsentRecord[]; evidence: Record<string, unknown> };
  /** An answer to a double opt-in request (GDPR-10): `granted` or `denied` for the pending consent it names. */
  doubleOptIn?: DoubleOptInAnswer;
}

/**
 * Writes a batch of turns set-based: run states, hand-offs to the queue (each a conditional ownership transition
 * with its system event, modules/inbox), unanswered questions, languages, effects, consent — and every audit entry
 * of them in one append, with `earlier` entries of the same transaction (conversations reopened before the turns).
 * Call it after the turns' replies are enqueued: a hand-off's event then follows the notice in the history.
 */
export async function writeTurns(ex: Tx, turns: TurnWrite[], earlier: AuditEntryInput[] = []): Promise<void> {
  if (turns.length === 0) {
    await appendAudit(ex, earlier);
    return;
  }
  await ex.execute(
    sql`update conversations c set flow_state = x.state::jsonb, last_menu = case when x.keep_menu then c.last_menu else x.menu::jsonb end
        from unnest(${toPgArray(turns.map((t) => t.conversationId))}::uuid[], ${toPgArray(turns.map((t) => (t.flowState ? JSON.stringify(t.flowState) : null)))}::text[],
                    ${toPgArray(turns.map((t) => (t.lastMenu ? JSON.stringify(t.lastMenu) : null)))}::text[],
                    ${toPgArray(turns.map((t) => String(t.lastMenu === undefined)))}::boolean[]) as x(id, state, menu, keep_menu)
        where c.id = x.id`,
  );
  const handedOff = await handOffConversations(
    ex,
    turns.flatMap((t) => (t.handoff ? [{ workspaceId: t.workspaceId, conversationId: t.conversationId, queue: t.handoff.queue, reason: t.handoff.reason }] : [])),
  );
  const unanswered = turns.filter((t) => t.unanswered);
  if (unanswered.length > 0) {
    await ex.execute(
      sql`insert into unanswered_questions (workspace_id, conversation_id, text, language, candidates)
          select * from unnest(${toPgArray(unanswered.map((t) => t.workspaceId))}::uuid[], ${toPgArray(unanswered.map((t) => t.conversationId))}::uuid[],
                               ${toPgArray(unanswered.map((t) => t.unanswered!.text))}::text[], ${toPgArray(unanswered.map((t) => t.unanswered!.language))}::text[],
                               ${toPgArray(unanswered.map((t) => JSON.stringify(t.unanswered!.candidates)))}::jsonb[])`,
    );
  }
  await recordFollowUps(ex, turns);
  const languages = turns.filter((t) => t.contactLanguage);
  if (languages.length > 0) {
    await ex.execute(
      sql`update contacts ct set language = x.language, updated_at = now()
          from conversations c, unnest(${toPgArray(languages.map((t) => t.conversationId))}::uuid[], ${toPgArray(languages.map((t) => t.contactLanguage!))}::text[]) as x(conv, language)
          where c.id = x.conv and ct.id = c.contact_id`,
    );
  }
  await storeEffects(ex, turns);
  const consent = turns.flatMap((t) => (t.consent ? [{ workspaceId: t.workspaceId, conversationId: t.conversationId, kind: t.consent.kind, purposes: t.consent.purposes, method: 'keyword' as const, evidence: t.consent.evidence }] : []));
  const events = [
    // GDPR-13: effective before the next send decision — the dispatcher reads the ledger at dispatch time.
    ...(consent.length > 0 ? await applyKeywordConsent(ex, consent) : []),
    ...(await recordConsentDecisions(
      ex,
      turns.flatMap((t) => (t.consentRecords ? t.consentRecords.records.map((r) => ({ workspaceId: t.workspaceId, conversationId: t.conversationId, ...r, method: 'button' as const, evidence: t.consentRecords!.evidence })) : [])),
    )),
    ...(await recordDoubleOptInAnswers(ex, turns.flatMap((t) => (t.doubleOptIn ? [t.doubleOptIn] : [])))),
  ];
  await appendAudit(ex, [...earlier, ...handedOff, ...consentAuditEntries(events)]);
}

/** How long after an unanswered question a pick or a request for a person still counts as its outcome. */
const FOLLOW_UP_WINDOW = '1 day';

/**
 * The outcome of each conversation's latest unanswered question, when it has none yet and is recent: an item picked
 * counts only when it was among the items offered for it (a tap in a topic menu much later says nothing about it).
 */
async function recordFollowUps(ex: Tx, turns: TurnWrite[]): Promise<void> {
  const withFollowUp = turns.filter((t) => t.followUp);
  if (withFollowUp.length === 0) {
    return;
  }
  await ex.execute(
    sql`update unanswered_questions u set outcome = x.outcome, picked_item = x.item, outcome_at = now()
        from unnest(${toPgArray(withFollowUp.map((t) => t.conversationId))}::uuid[], ${toPgArray(withFollowUp.map((t) => t.followUp!.kind))}::text[],
                    ${toPgArray(withFollowUp.map((t) => (t.followUp!.kind === 'picked' ? t.followUp!.itemId : null)))}::text[]) as x(conv, outcome, item)
        where u.id = (select q.id from unanswered_questions q where q.conversation_id = x.conv order by q.id desc limit 1)
          and u.outcome is null
          and u.created_at > now() - ${FOLLOW_UP_WINDOW}::interval
          and (x.outcome = 'escalated' or u.candidates @> jsonb_build_array(jsonb_build_object('itemId', x.item)))`,
  );
}
