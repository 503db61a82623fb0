/**
 * How the inbox presents stored rows (pure): a list row with its waiting time against the queue's SLA, and a
 * one-line preview of a message in any channel-neutral type.
 */
import type { ConversationSummary, QueueDefinition } from '@parley/contracts';
import type { ConversationRow } from './inbox.store.js';

const PREVIEW_CHARS = 160;

/**
 * A list row. Waiting: a queued conversation since its hand-off; one with an agent since the contact's message that
 * nobody has answered yet (the last message is the contact's); others do not wait. Late when longer than the
 * queue's `slaMinutes`.
 */
export function toSummary(row: ConversationRow, queues: ReadonlyMap<string, QueueDefinition>, now: Date): ConversationSummary {
  const since = row.state === 'queued' ? row.queuedAt : row.state === 'agent' && row.lastDirection === 'in' ? row.lastAt : null;
  const waitingSeconds = since === null ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  const sla = row.queue === null ? undefined : queues.get(row.queue)?.slaMinutes;
  return {
    id: row.id,
    state: row.state,
    queue: row.queue,
    contact: { id: row.contactId, name: row.contactName, address: row.address, language: row.language },
    channel: { id: row.channelId, kind: row.channelKind, name: row.channelName },
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
    lastMessage:
      row.lastSeq !== null && row.lastDirection !== null && row.lastAt !== null
        ? { seq: row.lastSeq, direction: row.lastDirection, type: row.lastType ?? 'unknown', preview: previewOf(row.lastContent ?? {}), status: row.lastStatus ?? '', at: row.lastAt }
        : null,
    unreadCount: row.unreadCount,
    waitingSeconds,
    slaBreached: waitingSeconds !== null && sla !== undefined && waitingSeconds > sla * 60,
    queuedAt: row.queuedAt,
    assignedAt: row.assignedAt,
    resolvedAt: row.resolvedAt,
    lastInboundAt: row.lastInboundAt,
    lastActivityAt: row.lastActivityAt,
    restricted: row.restricted,
  };
}

/**
 * One line of a message for the list, as plain text (the web app renders it as text, never HTML).
 *
 * @example previewOf({ type: 'menu', body: 'Bitte wählen Sie:', options: [] }) // 'Bitte wählen Sie:'
 */
export function previewOf(content: Record<string, unknown>): string {
  const text = (key: string) => (typeof content[key] === 'string' ? (content[key] as string) : undefined);
  const type = text('type') ?? 'unknown';
  const line =
    type === 'template'
      ? `[${text('name') ?? 'template'}]`
      : (text('text') ?? text('body') ?? text('title') ?? text('caption') ?? text('filename') ?? text('name') ?? text('address') ?? `[${text('mediaType') ?? type}]`);
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
