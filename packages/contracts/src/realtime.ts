/**
 * The inbox's realtime feed (`GET /api/inbox/stream`, a WebSocket; docs/inbox.md "Realtime"), shared by the server
 * and the web app. Every event has an id that grows with each change; a client that reconnects subscribes with the
 * last id it saw and receives exactly what it missed, in id order.
 */
import { z } from 'zod';

/**
 * What changed: a new message (in, out or a system event), a status an inbox shows, ownership, or whether the
 * conversation may be shown at all (its contact's processing restricted or the restriction lifted, GDPR-20).
 */
export const InboxEventKind = z.enum(['message.created', 'message.status', 'conversation.changed', 'conversation.visibility']);
export type InboxEventKind = z.infer<typeof InboxEventKind>;

/** `message.created` and `message.status`: ids, status and codes — never the message's content. */
export type MessageEventData = {
  messageId: string;
  /** The message's place in its conversation's history (`messages.seq`). */
  seq: number;
  /** `event`: a system event of the conversation (hand-off …); `note`: an agent's internal note, never sent. */
  direction: 'in' | 'out' | 'event' | 'note';
  type: string;
  status: string;
  errorCode: string | null;
  /** The send gate's reason code when a send was refused (`send.window_closed` …). */
  gateReason: string | null;
  at: string;
};

/** `conversation.changed`: the conversation's ownership after the change. Times are ISO 8601. */
export type ConversationEventData = {
  state: string;
  previousState: string;
  queue: string | null;
  assignedUserId: string | null;
  agentReadSeq: number | null;
  queuedAt: string | null;
  assignedAt: string | null;
  resolvedAt: string | null;
  at: string;
};

/**
 * `conversation.visibility`: the contact's processing was restricted or the restriction lifted (GDPR-20).
 * `restricted` is the state when the event is delivered. Every reader receives it — only admins see restricted
 * contacts' conversations, so an agent's inbox drops the conversation (`restricted: true`) or may show it again.
 */
export type VisibilityEventData = { restricted: boolean; at: string };

/** One event of the feed. */
export type InboxEvent =
  | { id: number; kind: 'message.created' | 'message.status'; conversationId: string; data: MessageEventData }
  | { id: number; kind: 'conversation.changed'; conversationId: string; data: ConversationEventData }
  | { id: number; kind: 'conversation.visibility'; conversationId: string; data: VisibilityEventData };

/**
 * Client → server. `subscribe` starts (or restarts) the feed: `after` is the last event id the client has, or null
 * for "from now on" (then load the list, and apply events on top).
 */
export const FeedClientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('subscribe'), after: z.number().int().min(0).nullable() }).strict()]);
export type FeedClientMessage = z.infer<typeof FeedClientMessage>;

/**
 * Server → client.
 * - `events`: in id order (a rare event whose transaction committed late comes later, with a lower id).
 * - `ready`: catch-up is complete; `lastEventId` is where a reconnect resumes when no event followed.
 * - `reset`: more was missed than the server replays (or the server no longer has it): reload the lists, then
 *   continue from `lastEventId`.
 * - `heartbeat`: every `heartbeatMs`; a client that hears nothing for about two of them reconnects.
 * - `error`: a message the server did not understand.
 */
export type FeedServerMessage =
  | { type: 'events'; events: InboxEvent[] }
  | { type: 'ready'; lastEventId: number; heartbeatMs: number }
  | { type: 'reset'; lastEventId: number }
  | { type: 'heartbeat' }
  | { type: 'error'; code: string; message: string };

/** Close codes of the feed (4000–4999 are the application's): the client must not simply reconnect after these. */
export const FEED_CLOSE = {
  /** The session ended (signed out, timed out, disabled) or lost the role: sign in again. */
  sessionEnded: 4401,
  /** The client fell too far behind reading; reconnecting resumes from its last id. */
  tooSlow: 4408,
} as const;
