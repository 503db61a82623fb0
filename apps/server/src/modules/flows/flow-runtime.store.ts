import { ContentItem, Flow as FlowSchema, storedSettings, Topic } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray, type Tx } from '../../platform/db.js';
import { appendAudit } from '../audit/index.js';
import { applyKeywordConsent, consentAuditEntries, listLatestConsentTexts, recordConsentDecisions } from '../consent/index.js';
import { type EffectOwner, storeEffects } from './flow-effects.store.js';
import { createWorkspaceRuntime, type WorkspaceRuntime } from './flow-runtime.js';
import type { ConsentRecord } from './flow-consent.js';
import type { PendingEffect } from './flow-turn.js';

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
  handoff: boolean;
  unanswered?: { text: string; language: string; candidates: unknown[] };
  effects: PendingEffect[];
  /** The runner menu to remember; null forgets it, undefined keeps it. */
  lastMenu?: Array<{ id: string; title: string }> | null;
  /** STOP/START: consent events for these purposes on the conversation's channel, with the message as evidence. */
  consent?: { kind: 'stop' | 'start'; purposes: string[]; evidence: Record<string, unknown> };
  /** Decisions at consent nodes (a tap is the method `button`), with the message as evidence. */
  consentRecords?: { records: ConsentRecord[]; evidence: Record<string, unknown> };
}

/** Writes a batch of turns set-based: run states, hand-offs to the queue, unanswered questions, languages, effects. */
export async function writeTurns(ex: Tx, turns: TurnWrite[]): Promise<void> {
  if (turns.length === 0) {
    return;
  }
  await ex.execute(
    sql`update conversations c set flow_state = x.state::jsonb, state = case when x.handoff then 'queued' else c.state end,
               last_menu = case when x.keep_menu then c.last_menu else x.menu::jsonb end
        from unnest(${toPgArray(turns.map((t) => t.conversationId))}::uuid[], ${toPgArray(turns.map((t) => (t.flowState ? JSON.stringify(t.flowState) : null)))}::text[],
                    ${toPgArray(turns.map((t) => String(t.handoff)))}::boolean[], ${toPgArray(turns.map((t) => (t.lastMenu ? JSON.stringify(t.lastMenu) : null)))}::text[],
                    ${toPgArray(turns.map((t) => String(t.lastMenu === undefined)))}::boolean[]) as x(id, state, handoff, menu, keep_menu)
        where c.id = x.id`,
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
  ];
  await appendAudit(ex, consentAuditEntries(events));
}

