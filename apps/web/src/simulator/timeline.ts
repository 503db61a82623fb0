import type { UserMessage } from './chat-store';
import type { InboundContent } from './demo-api';
import type { BusinessContent, BusinessMessageView } from './message-view';

/** One bubble in the chat, in display order. */
export type TimelineItem = { kind: 'out'; key: string; message: UserMessage } | { kind: 'in'; key: string; message: BusinessMessageView };

/** The chat as the phone shows it. */
export type Timeline = {
  items: TimelineItem[];
  /** Emoji the business put on a message, by that message's wamid (reactions fold into their target). */
  reactions: ReadonlyMap<string, string>;
  /** Short text of each message by wamid, for "reply to" quotes. */
  snippets: ReadonlyMap<string, string>;
};

/**
 * Merges the user's local messages with the business messages from the fake (oldest first, as the fake lists them).
 *
 * Order does not rely on clocks: the fake has its own clock, which tests and demos move forward (e.g. past the 24-hour
 * window), so its `createdAt` cannot be compared with the browser's time. Each user message instead remembers the last
 * business message the phone showed when it was sent (`afterBusinessId`) and is placed right after it, as on a real
 * phone. Only when that anchor is unknown does the time decide.
 *
 * Business messages created at or before `hiddenUntil` (fake time) are left out: the user reset the chat. A reaction
 * whose target is in the chat becomes a badge on it (the latest wins; an empty emoji removes it); a reaction to a
 * message not in view stays a bubble of its own, so nothing is dropped.
 */
export function buildTimeline(user: readonly UserMessage[], business: readonly BusinessMessageView[], hiddenUntil: number): Timeline {
  const visible = new Set(business.filter((message) => message.createdAt > hiddenUntil).map((message) => message.id));
  const snippets = collectSnippets(user, business, visible);
  const targets = new Set([...snippets.keys(), ...visible]);
  const reactions = new Map<string, string>();
  const slots = placeUserMessages(user, business);
  const items: TimelineItem[] = [];
  const emitUsers = (position: number): void => {
    for (const message of slots.get(position) ?? []) {
      items.push({ kind: 'out', key: message.localId, message });
    }
  };

  business.forEach((message, index) => {
    emitUsers(index);
    if (!visible.has(message.id)) {
      return;
    }
    const content = message.content;
    if (content.kind === 'reaction' && targets.has(content.targetId)) {
      if (content.emoji === '') {
        reactions.delete(content.targetId);
      } else {
        reactions.set(content.targetId, content.emoji);
      }
      return;
    }
    items.push({ kind: 'in', key: message.id, message });
  });
  emitUsers(business.length);
  return { items, reactions, snippets };
}

/** Groups user messages by how many business messages precede them; never reorders the user's own messages. */
function placeUserMessages(user: readonly UserMessage[], business: readonly BusinessMessageView[]): Map<number, UserMessage[]> {
  const indexOf = new Map(business.map((message, index) => [message.id, index]));
  const slots = new Map<number, UserMessage[]>();
  let floor = 0;
  for (const message of user) {
    floor = Math.max(floor, positionOf(message, indexOf, business));
    slots.set(floor, [...(slots.get(floor) ?? []), message]);
  }
  return slots;
}

function positionOf(message: UserMessage, indexOf: ReadonlyMap<string, number>, business: readonly BusinessMessageView[]): number {
  if (message.afterBusinessId === null) {
    return 0;
  }
  const anchored = message.afterBusinessId === undefined ? undefined : indexOf.get(message.afterBusinessId);
  if (anchored !== undefined) {
    return anchored + 1;
  }
  // No usable anchor (the list had not loaded when it was sent, or the fake was reset): fall back to time.
  return business.filter((candidate) => candidate.createdAt < message.sentAt).length;
}

function collectSnippets(user: readonly UserMessage[], business: readonly BusinessMessageView[], visible: ReadonlySet<string>): Map<string, string> {
  const snippets = new Map<string, string>();
  for (const message of user) {
    if (message.waMessageId) {
      snippets.set(message.waMessageId, summarizeUserContent(message.content));
    }
  }
  for (const message of business) {
    const snippet = visible.has(message.id) ? summarizeBusinessContent(message.content) : undefined;
    if (snippet !== undefined) {
      snippets.set(message.id, snippet);
    }
  }
  return snippets;
}

/** The text a user's message shows. */
export function summarizeUserContent(content: InboundContent): string {
  switch (content.type) {
    case 'text':
      return content.text.body;
    case 'interactive':
      return content.interactive.type === 'button_reply' ? content.interactive.button_reply.title : content.interactive.list_reply.title;
    case 'location': {
      const { latitude, longitude, name } = content.location;
      const coordinates = `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
      return name ? `📍 ${name} (${coordinates})` : `📍 ${coordinates}`;
    }
  }
}

/** A one-line summary of a business message for quotes; undefined when it has no text of its own. */
export function summarizeBusinessContent(content: BusinessContent): string | undefined {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'buttons':
    case 'list':
    case 'cta-url':
      return content.body || content.header;
    case 'media':
      return content.caption ?? content.filename;
    case 'template':
      return content.name;
    case 'location':
      return content.name ?? content.address;
    case 'contacts':
      return content.contacts.map((contact) => contact.name).join(', ');
    case 'reaction':
      return content.emoji;
    case 'unknown':
      return content.text;
  }
}
