/**
 * The human hand-off (ARCHITECTURE §6): queues and business hours as a workspace configures them (workspace.yaml),
 * and the inbox API's requests and answers, shared by the server and the web app.
 */
import { z } from 'zod';
import { LocalizedText, localizedLabel, TimeZone } from './flows.js';

/** A queue id: a lower-case slug (`patient-service`), named by flows' hand-off nodes and `handoffQueue`. */
export const QueueId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'queue ids are lower-case slugs, e.g. patient-service');
export type QueueId = z.infer<typeof QueueId>;

/**
 * A queue of the inbox (workspace.yaml `queues`). `slaMinutes`: how long a conversation may wait for a person
 * before the inbox marks it late. `autoAssign`: a hand-off goes at once to the member with the fewest open
 * conversations (members are people, kept in the database: `PUT /api/inbox/queues/:id/members`).
 */
export const QueueDefinition = z
  .object({
    id: QueueId,
    name: LocalizedText,
    slaMinutes: z.number().int().min(1).max(10_080).optional(),
    autoAssign: z.boolean().default(false),
  })
  .strict();
export type QueueDefinition = z.infer<typeof QueueDefinition>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

const TIME_RANGE = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** `"08:00-20:00"`: local time, start before end, within one day (`24:00` ends at midnight). */
export const TimeRange = z
  .string()
  .regex(TIME_RANGE, 'a time range is "HH:MM-HH:MM" within one day, e.g. "08:00-20:00" (end "24:00" for midnight)')
  .refine((r) => r.slice(0, 5) < r.slice(6), 'the range must start before it ends (split a range across midnight into two days)');

/**
 * When people answer in the inbox (workspace.yaml `businessHours`): ranges per weekday in the workspace's time
 * zone, and holidays (local dates) without any. A day left out has no hours. While a conversation waits outside
 * these hours, the contact is told when someone will answer.
 */
export const BusinessHours = z
  .object({
    timeZone: TimeZone.default('Europe/Berlin'),
    days: z.partialRecord(Weekday, z.array(TimeRange).max(10)),
    holidays: z.array(z.iso.date({ message: 'holidays are dates such as 2026-12-24' })).max(1000).default([]),
  })
  .strict();
export type BusinessHours = z.infer<typeof BusinessHours>;

/** Ownership of a conversation: the bot, waiting in a queue, with an agent, or resolved. */
export const ConversationState = z.enum(['bot', 'queued', 'agent', 'resolved']);
export type ConversationState = z.infer<typeof ConversationState>;

/**
 * Inbox views: `mine` (with me), `unassigned` (waiting in a queue), `queue` (waiting or with someone, in the
 * `queue` given), `all` (every conversation, the bot's too), `resolved`.
 */
export const InboxView = z.enum(['mine', 'unassigned', 'queue', 'all', 'resolved']);
export type InboxView = z.infer<typeof InboxView>;

/** `GET /api/inbox/conversations` query. `channel`: a channel id or a channel kind (`whatsapp`). */
export const ListConversationsQuery = z
  .object({
    view: InboxView.default('all'),
    queue: QueueId.optional(),
    channel: z.string().trim().min(1).max(100).optional(),
    /** A contact's name, a phone number (any formatting), or words of a message. */
    q: z.string().trim().min(1).max(200).optional(),
    /** `recent`: latest activity first; `waiting`: longest waiting first. */
    sort: z.enum(['recent', 'waiting']).default('recent'),
    cursor: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((q) => q.view !== 'queue' || q.queue !== undefined, { message: 'view=queue needs queue=<id>', path: ['queue'] });
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

/** `POST /api/inbox/conversations/:id/assign`. */
export const AssignBody = z.object({ userId: z.uuid() }).strict();
export type AssignBody = z.infer<typeof AssignBody>;

/** `POST /api/inbox/conversations/:id/transfer`: to a person, or back into a queue. */
export const TransferBody = z.union([z.object({ userId: z.uuid() }).strict(), z.object({ queue: QueueId }).strict()]);
export type TransferBody = z.infer<typeof TransferBody>;

/** `POST /api/inbox/conversations/:id/read`: up to `seq` (default: the latest message). */
export const MarkReadBody = z.object({ seq: z.number().int().min(0).optional() }).strict();
export type MarkReadBody = z.infer<typeof MarkReadBody>;

/** `PUT /api/inbox/queues/:id/members`: the whole membership of a queue. */
export const QueueMembersBody = z.object({ userIds: z.array(z.uuid()).max(1000) }).strict();
export type QueueMembersBody = z.infer<typeof QueueMembersBody>;

/** `GET /api/inbox/conversations/:id` query: the latest `limit` messages, or those before `before` (a seq). */
export const ConversationHistoryQuery = z
  .object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(2000).default(500) })
  .strict();
export type ConversationHistoryQuery = z.infer<typeof ConversationHistoryQuery>;

/** One row of the inbox list (and the head of an opened conversation). Times are ISO 8601 UTC. */
export type ConversationSummary = {
  id: string;
  state: ConversationState;
  queue: string | null;
  contact: { id: string; name: string | null; address: string; language: string | null };
  channel: { id: string; kind: string; name: string };
  assignee: { id: string; name: string } | null;
  lastMessage: { seq: number; direction: 'in' | 'out'; type: string; preview: string; status: string; at: string } | null;
  /** The contact's messages after the last one an agent marked read. */
  unreadCount: number;
  /** Queued: since the hand-off. With an agent: since the contact's unanswered message. Otherwise null. */
  waitingSeconds: number | null;
  /** Waiting longer than the queue's `slaMinutes`. */
  slaBreached: boolean;
  queuedAt: string | null;
  assignedAt: string | null;
  resolvedAt: string | null;
  lastInboundAt: string | null;
  lastActivityAt: string;
  /** The contact restricted processing (Art. 18): only admins see such a conversation, and nothing can be sent. */
  restricted: boolean;
};

/**
 * A message of the history; `direction: 'event'` rows are system events (`content.event`: `conversation.taken` …),
 * `direction: 'note'` rows agents' internal notes (`content`: `{ type: 'note', text, by: { id } }`), never sent.
 */
export type HistoryMessage = {
  id: string;
  seq: number;
  direction: 'in' | 'out' | 'event' | 'note';
  type: string;
  content: Record<string, unknown>;
  status: string;
  /** The send gate's reason code (outbound), e.g. `send.window_closed`. */
  gateReason: string | null;
  errorCode: string | null;
  errorReason: string | null;
  purpose: string;
  /**
   * Who had an outbound message sent: `bot`, `user` (an agent, `userId`; the name is in the detail's `people`), or a
   * machine caller (`api`, `cli`, `system`). Null for what the contact sent, events, notes and older messages.
   */
  author: { kind: string; userId: string | null } | null;
  /** A template message as the contact read it: the registry's wording with the values sent. Null for other types. */
  templateText: string | null;
  createdAt: string;
  /** Every delivery status the provider reported, in order. */
  statuses: Array<{ status: string; at: string; errorCode: string | null; errorReason: string | null }>;
};

/** `GET /api/inbox/conversations/:id`. `people` names every staff id the events mention. */
export type ConversationDetail = {
  conversation: ConversationSummary;
  messages: HistoryMessage[];
  /** Older messages exist: ask again with `before` = the first message's seq. */
  hasMore: boolean;
  people: Record<string, string>;
};

// The agent's side of a conversation (docs/inbox.md "Replying"): what the composer may offer, replies, internal
// notes, the content picker, canned answers and the contact panel.

/** A canned answer's id: a lower-case slug (workspace.yaml `cannedAnswers`). */
export const CannedAnswerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'canned answer ids are lower-case slugs, e.g. thanks-waiting');

/**
 * A canned answer (workspace.yaml `cannedAnswers`): a stock phrase of the service team, per language. It goes out as
 * free text, so only inside the 24-hour window; approved information goes out as a library item instead.
 */
export const CannedAnswer = z
  .object({
    id: CannedAnswerId,
    /** What the picker lists, per language (at most 80 characters). */
    title: localizedLabel(80),
    text: LocalizedText,
  })
  .strict();
export type CannedAnswer = z.infer<typeof CannedAnswer>;

/**
 * Why the composer cannot offer something now — codes; the web app words them (German and English):
 * `conversation.wrong_state` (nobody has taken it: take it first), `conversation.not_owner` (another agent has it),
 * `send.window_closed` (WhatsApp: the contact last wrote more than 24 hours ago, only templates), `send.restricted`
 * (the contact restricted processing: nothing but legally required notifications), `template.none_available`
 * (no approved template fits).
 */
export type ComposerNotice = 'conversation.wrong_state' | 'conversation.not_owner' | 'send.window_closed' | 'send.restricted' | 'template.none_available';

/** One input of a template's form: `key` is what `params` names it by (`"1"`, a named variable, or `link`). */
export type TemplateField = { key: string; position: number };

/** An approved template the composer offers, with the form its variables need. */
export type ComposerTemplate = {
  name: string;
  language: string;
  category: 'utility' | 'marketing' | 'authentication';
  parameterFormat: 'positional' | 'named';
  variables: {
    /** `text` headers take their variables; media headers one field `link` (a public https URL). */
    header: { format: 'text' | 'image' | 'video' | 'document' | 'location'; text: string | null; fields: TemplateField[] } | null;
    body: { text: string; fields: TemplateField[] };
    /** Every button by index; a `dynamic` one needs a value in `params.buttons["<index>"]`. */
    buttons: Array<{ index: number; type: string; dynamic: boolean }>;
  };
  /** Header, body and footer as the contact will read them, with the variables still as `{{1}}` / `{{name}}`. */
  preview: string;
  /** The purposes it may carry (its category decides, WA-03). */
  purposes: string[];
};

/** A purpose an agent may send for (`service` unless the request names another). */
export type ComposerPurpose = { id: string; basis: string; needsConsent: boolean; description: Record<string, string> | null };

/** `GET /api/inbox/conversations/:id/composer`: what the composer may offer now. Times are ISO 8601 UTC. */
export type ComposerState = {
  conversationId: string;
  state: ConversationState;
  channelKind: string;
  /** The language replies from the library and canned answers are sent in (the contact's, else the workspace's). */
  language: string;
  /** WhatsApp's customer-service window (WA-02); channels without one are always open (`closesAt` null). */
  window: { open: boolean; closesAt: string | null };
  ownedByMe: boolean;
  /** The conversation is with an agent, and it is you (or you are an admin). */
  canSend: boolean;
  /** Free text, canned answers and library items may go now; false: only templates (or nothing). */
  freeText: boolean;
  notices: ComposerNotice[];
  /** Approved templates of this channel whose category fits a purpose in `purposes`. */
  templates: ComposerTemplate[];
  purposes: ComposerPurpose[];
  defaultPurpose: string;
};

/** A template's variables as the composer's form gives them: by field key (`TemplateField.key`), per component. */
export const TemplateFormParams = z
  .object({
    header: z.record(z.string().max(100), z.string().max(2000)).optional(),
    body: z.record(z.string().max(100), z.string().max(2000)).optional(),
    buttons: z.record(z.string().regex(/^\d{1,2}$/, 'buttons are named by their index, e.g. "0"'), z.string().max(2000)).optional(),
  })
  .strict();
export type TemplateFormParams = z.infer<typeof TemplateFormParams>;

const PurposeField = z.string().min(1).max(100).optional();

/** `POST /api/inbox/conversations/:id/messages`: free text, an approved template, a library item or a canned answer. */
export const AgentMessageBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().trim().min(1).max(4096), purpose: PurposeField }).strict(),
  z.object({ kind: z.literal('template'), name: z.string().min(1).max(512), language: z.string().min(2).max(15), params: TemplateFormParams.default({}), purpose: PurposeField }).strict(),
  z.object({ kind: z.literal('item'), itemId: z.string().min(1).max(100), language: z.string().min(2).max(15).optional(), purpose: PurposeField }).strict(),
  z.object({ kind: z.literal('canned'), id: CannedAnswerId, language: z.string().min(2).max(15).optional(), purpose: PurposeField }).strict(),
]);
export type AgentMessageBody = z.infer<typeof AgentMessageBody>;

/** An agent's message as the send gate left it: `gateReason` null while undecided (answered 202). */
export type AgentSentMessage = { id: string; conversationId: string; status: string; gateReason: string | null };

/** The answer to a send: `message` is the first of `messages` (a library item with media is several). */
export type AgentSendResult = { message: AgentSentMessage; messages: AgentSentMessage[] };

/** The field-level problems of a template send (422 `template.params_invalid`, `details.errors`). */
export type TemplateFieldError = { field: string | null; code: string; message: string };

/** `POST /api/inbox/conversations/:id/notes`. */
export const NoteBody = z.object({ text: z.string().trim().min(1).max(4096) }).strict();
export type NoteBody = z.infer<typeof NoteBody>;

/** An internal note: in the history as `direction: 'note'`, never sent to the contact. */
export type NoteView = { id: string; seq: number; conversationId: string; text: string; by: { id: string | null; name: string | null }; createdAt: string };

/** `GET /api/inbox/library` and `GET /api/inbox/canned`: a search (title, text, keywords) in one language. */
export const PickerQuery = z
  .object({ q: z.string().trim().max(200).optional(), lang: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'lang is a language code such as de').optional() })
  .strict();
export type PickerQuery = z.infer<typeof PickerQuery>;

/** An approved library item valid now, for an open audience: what `kind: 'item'` may send. */
export type LibraryEntry = { id: string; topic: { id: string; title: string | null }; title: string; snippet: string; audience: string; validUntil: string | null; media: number };

/** A canned answer in the language asked for (`text` is what is sent). */
export type CannedAnswerView = { id: string; title: string; text: string };

/** The consent state of one purpose on one channel, derived from the ledger (`none`: no event). */
export type ContactConsent = {
  purpose: string;
  basis: string | null;
  channel: { id: string; kind: string | null; name: string | null };
  state: 'granted' | 'pending' | 'denied' | 'withdrawn' | 'expired' | 'none';
  /** The latest event's time and method (`button`, `keyword`, `import`, `agent` …); null without one. */
  at: string | null;
  method: string | null;
};

/** `GET /api/inbox/conversations/:id/contact`: the contact panel. */
export type ContactPanel = {
  contact: { id: string; name: string | null; language: string | null; createdAt: string };
  identities: Array<{ kind: string; address: string; profileName: string | null }>;
  /** The attributes of this conversation's flow run (what the bot asked and stored). */
  attributes: Record<string, unknown>;
  consents: ContactConsent[];
  subscriptions: Array<{ topic: string; title: Record<string, string> | null; status: string; subscribedAt: string | null; endedAt: string | null }>;
  /** Restricted (Art. 18): only admins see such a contact here; suppressed: no advertising (objection or erasure). */
  flags: { restricted: boolean; suppressed: boolean };
};


/** `GET /api/inbox/queues`: a queue with its members, what waits in it and its SLA state. */
export type InboxQueue = {
  id: string;
  name: LocalizedText;
  slaMinutes: number | null;
  autoAssign: boolean;
  /** False for a queue that conversations name (a flow's hand-off node) but workspace.yaml does not define. */
  defined: boolean;
  members: Array<{ id: string; name: string }>;
  waiting: number;
  withAgent: number;
  /** How long the longest waiting conversation waits (null: none waits). */
  oldestWaitingSeconds: number | null;
  slaBreached: boolean;
};
