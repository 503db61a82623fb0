import type { UserMessage } from './chat-store';
import type { InboundContent } from './demo-api';
import type { BusinessContent, BusinessMessageView } from './message-view';

/** One bubble in the chat, in display order. */
export type TimelineItem =
  | { kind: 'out'; key: string; at: number; message: UserMessage }
  | { kind: 'in'; key: string; at: number; message: BusinessMessageView };

/** The chat as the phone shows it. */
export type Timeline = {
  items: TimelineItem[];
  /** Emoji the business put on a message, by that message's wamid (reactions fold into their target). */
  reactions: ReadonlyMap<string, string>;
  /** Short text of each message by wamid, for "reply to" quotes. */
  snippets: ReadonlyMap<string, string>;
};

/**
 * Merges the user's local messages with the business messages from the fake, oldest first.
 * Business messages created at or before `hiddenUntil` are left out (the user reset the chat). A reaction whose target
 * is in the chat becomes a badge on it (the latest reaction wins; an empty emoji removes it); a reaction to a message
 * not in view stays a bubble of its own, so nothing is dropped.
 */
export function buildTimeline(user: readonly UserMessage[], business: readonly BusinessMessageView[], hiddenUntil: number): Timeline {
  const visible = business.filter((message) => message.createdAt > hiddenUntil);
  const snippets = new Map<string, string>();
  for (const message of user) {
    if (message.waMessageId) {
      snippets.set(message.waMessageId, summarizeUserContent(message.content));
    }
  }
  for (const message of visible) {
    const snippet = summarizeBusinessContent(message.content);
    if (snippet !== undefined) {
      snippets.set(message.id, snippet);
    }
  }

  const reactions = new Map<string, string>();
  const items: TimelineItem[] = user.map((message) => ({ kind: 'out', key: message.localId, at: message.sentAt, message }));
  const inTimeline = new Set([...snippets.keys(), ...visible.map((message) => message.id)]);
  for (const message of visible) {
    const content = message.content;
    if (content.kind === 'reaction' && inTimeline.has(content.targetId)) {
      if (content.emoji === '') {
        reactions.delete(content.targetId);
      } else {
        reactions.set(content.targetId, content.emoji);
      }
      continue;
    }
    items.push({ kind: 'in', key: message.id, at: message.createdAt, message });
  }
  // Stable sort: equal times keep user-before-business, which matches cause and effect.
  items.sort((a, b) => a.at - b.at);
  return { items, reactions, snippets };
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
