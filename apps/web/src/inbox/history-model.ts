/**
 * The history as the conversation view shows it (pure): who said each message — the contact, the bot, or which
 * agent — and the system events and internal notes between them.
 *
 * Who had an outbound message sent is stored on it (`author`): the bot, an agent, or a machine caller (the send API).
 * Messages stored before that carry no author; theirs follows from the ownership events in the same history: the bot
 * never answers while a person owns the conversation (ARCHITECTURE §6), so what went out while it was with an agent is
 * that agent's, and everything else is the bot's.
 */
import type { ConversationSummary, HistoryMessage } from './inbox-api';

export type Sender = { kind: 'contact' } | { kind: 'bot' } | { kind: 'agent'; id: string; name: string | null } | { kind: 'api' };

export type HistoryItem =
  | { kind: 'message'; message: HistoryMessage; sender: Sender }
  | { kind: 'event'; message: HistoryMessage; event: OwnershipEvent }
  | { kind: 'note'; message: HistoryMessage; text: string; authorName: string | null };

/** A system event's content (docs/inbox.md "Owners"): what happened, the owner after and before, who, why. */
export type OwnershipEvent = {
  event: string;
  state: string | null;
  queue: string | null;
  assigneeId: string | null;
  previous: { state: string | null; queue: string | null; assigneeId: string | null };
  by: { kind: string; id: string | null };
  reason: string | null;
};

/**
 * The display items of `messages` (in seq order).
 * @example toHistoryItems(detail.messages, detail.conversation, detail.people)
 */
export function toHistoryItems(messages: readonly HistoryMessage[], conversation: Pick<ConversationSummary, 'state' | 'assignee'>, people: Readonly<Record<string, string>>): HistoryItem[] {
  let agentId = initialAgent(messages, conversation);
  const items: HistoryItem[] = [];
  for (const message of messages) {
    const direction: string = message.direction;
    if (direction === 'event') {
      const event = toOwnershipEvent(message.content);
      agentId = event.state === 'agent' ? event.assigneeId : event.state === null ? agentId : null;
      items.push({ kind: 'event', message, event });
    } else if (direction === 'note') {
      const by = record(message.content.by);
      const authorId = text(by.id);
      items.push({ kind: 'note', message, text: text(message.content.text) ?? '', authorName: text(by.name) ?? (authorId ? (people[authorId] ?? null) : null) });
    } else if (direction === 'in') {
      items.push({ kind: 'message', message, sender: { kind: 'contact' } });
    } else {
      const author = message.author;
      const id = author ? (author.kind === 'user' ? author.userId : null) : agentId;
      const sender: Sender = id
        ? { kind: 'agent', id, name: people[id] ?? (conversation.assignee?.id === id ? conversation.assignee.name : null) }
        : author && author.kind !== 'bot' && author.kind !== 'user'
          ? { kind: 'api' }
          : { kind: 'bot' };
      items.push({ kind: 'message', message, sender });
    }
  }
  return items;
}

/** Reads a system event's content, tolerating what an older or newer server leaves out. */
export function toOwnershipEvent(content: Record<string, unknown>): OwnershipEvent {
  const previous = record(content.previous);
  const by = record(content.by);
  return {
    event: text(content.event) ?? 'unknown',
    state: text(content.state),
    queue: text(content.queue),
    assigneeId: text(content.assigneeId),
    previous: { state: text(previous.state), queue: text(previous.queue), assigneeId: text(previous.assigneeId) },
    by: { kind: text(by.kind) ?? 'system', id: text(by.id) },
    reason: text(content.reason),
  };
}

/** Who owned the conversation before the first message shown: the first event's `previous`, else the owner now. */
function initialAgent(messages: readonly HistoryMessage[], conversation: Pick<ConversationSummary, 'state' | 'assignee'>): string | null {
  const first = messages.find((m) => m.direction === 'event');
  if (first) {
    const previous = toOwnershipEvent(first.content).previous;
    return previous.state === 'agent' ? previous.assigneeId : null;
  }
  return conversation.state === 'agent' ? (conversation.assignee?.id ?? null) : null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
