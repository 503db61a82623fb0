/**
 * The flow format (ARCHITECTURE §5, issue #3): versioned, declarative dialog graphs, written as YAML/JSON files in a
 * workspace or in the web app, executed by the pure engine in `apps/server/src/modules/engine`.
 *
 * The schemas check the *shape* of a flow. Graph rules (dangling `next`, unreachable nodes, missing translations,
 * invalid patterns) are checked by `validateFlow` in the engine module, because they need the whole flow.
 *
 * Conventions:
 * - Every text a contact sees is a `LocalizedText` (`{ de: '…', en: '…' }`) and may contain `{{attribute}}` placeholders.
 * - A node's `next` is optional where the flow may simply end after the node: no `next` ends the flow.
 * - The attribute `language` is reserved: setting it (by `set` or an `ask` with `saveAs: language`) switches the
 *   conversation's language when the value is one of the flow's `languages`.
 */
import { z } from 'zod';

/** A language code such as `de`, `en` or `pt-BR`. */
/** An IANA time zone name the runtime knows (Europe/Berlin, America/Mexico_City …). */
export const TimeZone = z.string().min(1).refine(
  (name) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      return true;
    } catch {
      return false;
    }
  },
  'unknown time zone (use an IANA name such as Europe/Berlin)',
);

export const LanguageCode = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language code such as "de" or "en"');
export type LanguageCode = z.infer<typeof LanguageCode>;

/** Text per language: `{ de: 'Hallo', en: 'Hello' }`. Placeholders `{{attribute}}` are filled from the run's attributes. */
export const LocalizedText = z.record(LanguageCode, z.string().min(1).max(4096));
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A `LocalizedText` of at most `max` characters per language (option titles, button labels: channel limits). */
export function localizedLabel(max: number) {
  return z.record(LanguageCode, z.string().min(1).max(max));
}

/** A node id inside one flow. */
export const NodeId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'node ids use letters, digits, "_" and "-"');
export type NodeId = z.infer<typeof NodeId>;

/** A flow id (slug), unique within a workspace. */
export const FlowId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'flow ids are lower-case slugs');
export type FlowId = z.infer<typeof FlowId>;

/** An attribute name of the run (and of the contact, if the runner persists it). */
export const AttributeName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'attribute names use letters, digits and "_"');
export type AttributeName = z.infer<typeof AttributeName>;

/** A JSON literal that a `set` node writes or a `branch` condition compares with. Strings may be templates. */
export const FlowLiteral = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);
export type FlowLiteral = z.infer<typeof FlowLiteral>;

// ---------------------------------------------------------------------------------------------------------------
// Triggers

/** What starts a flow: a keyword (per language), the first message of a new conversation, or an entry point. */
export const FlowTrigger = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('keyword'),
    /** Keywords per language, matched by the runner case-insensitively against the whole message. */
    keywords: z.record(LanguageCode, z.array(z.string().min(1).max(100)).min(1)),
  }),
  z.object({ type: z.literal('new_conversation') }),
  z.object({
    type: z.literal('entry_point'),
    /** Reference of an entry point (QR code, link, ad) configured in the workspace. */
    ref: z.string().min(1).max(200),
  }),
]);
export type FlowTrigger = z.infer<typeof FlowTrigger>;

// ---------------------------------------------------------------------------------------------------------------
// Ask input kinds

const maxAttempts = z.number().int().min(1).max(10).optional();

/** One choice of an `ask` node with `kind: choice`; the saved value is the choice's `id`. */
export const AskChoice = z.object({ id: z.string().min(1).max(200), label: localizedLabel(200) });
export type AskChoice = z.infer<typeof AskChoice>;

/** The typed input an `ask` node accepts, with its validation rules. */
export const AskInput = z.discriminatedUnion('kind', [
  /** Free text; `min`/`max` are lengths in characters. */
  z.object({ kind: z.literal('text'), min: z.number().int().min(0).optional(), max: z.number().int().min(1).max(4096).optional() }),
  /** A number (decimal comma or point); saved as a number. */
  z.object({ kind: z.literal('number'), min: z.number().optional(), max: z.number().optional(), integer: z.boolean().optional() }),
  /** A calendar date (`2025-03-31`, `31.3.2025`, `31/03/2025`); saved as `YYYY-MM-DD`. `min`/`max` are dates or `today`. */
  z.object({
    kind: z.literal('date'),
    min: z.union([z.literal('today'), z.iso.date()]).optional(),
    max: z.union([z.literal('today'), z.iso.date()]).optional(),
  }),
  /** An e-mail address; saved trimmed, domain lower-cased. */
  z.object({ kind: z.literal('email') }),
  /** A phone number; saved without separators, `00` prefix turned into `+`. */
  z.object({ kind: z.literal('phone') }),
  /** One of `choices`, by reply id, number or label; rendered as a menu. */
  z.object({ kind: z.literal('choice'), choices: z.array(AskChoice).min(1).max(100) }),
  /** Yes or no (ja/nein, yes/no, buttons); saved as a boolean. */
  z.object({ kind: z.literal('yes_no') }),
  /** A code matching `pattern` (the whole input must match); `flags` such as `i`. */
  z.object({ kind: z.literal('code'), pattern: z.string().min(1).max(500), flags: z.string().regex(/^[imsu]*$/).optional() }),
]);
export type AskInput = z.infer<typeof AskInput>;
export type AskInputKind = AskInput['kind'];

// ---------------------------------------------------------------------------------------------------------------
// Nodes

/** Send a text. */
export const SayNode = z.object({ type: z.literal('say'), text: LocalizedText, next: NodeId.optional() });

/** One option of a menu. */
export const FlowMenuOption = z.object({ id: z.string().min(1).max(200), label: localizedLabel(200), next: NodeId });
export type FlowMenuOption = z.infer<typeof FlowMenuOption>;

/** Show options and wait for a choice (by reply id, by number "2", or by label in any of the flow's languages). */
export const MenuNode = z.object({
  type: z.literal('menu'),
  text: LocalizedText,
  options: z.array(FlowMenuOption).min(1).max(100),
  /** Label of the button that opens a list (WhatsApp list messages, at most 20 characters). */
  button: localizedLabel(20).optional(),
  maxAttempts,
  /** Where to go after `maxAttempts` replies that match no option; without it, the engine offers the menu or a human. */
  onFail: NodeId.optional(),
});

/**
 * In-chat opt-in (GDPR-07, issue #4): shows the exact wording of a consent text (the workspace's consent/<id>.yaml;
 * the runner inserts it and records its version and hash), then asks with two buttons — nothing pre-selected — and
 * records the decision for the text's purpose in the consent ledger. One decision per purpose: one node per text.
 */
export const ConsentNode = z.object({
  type: z.literal('consent'),
  /** The consent text to show (its id in the workspace's consent/ files). */
  consentText: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'consent text ids are lower-case slugs'),
  /** Said before the wording: who writes and why (the wording itself says what is stored and for what). */
  intro: LocalizedText.optional(),
  /** The question under the wording (default: "Sind Sie einverstanden?" / "Do you agree?"). */
  question: LocalizedText.optional(),
  accept: localizedLabel(20).optional(),
  decline: localizedLabel(20).optional(),
  /** Saves true/false. */
  saveAs: AttributeName.optional(),
  maxAttempts,
  onFail: NodeId.optional(),
  /** After a yes. */
  next: NodeId.optional(),
  /** After a no (default: `next`) — the service must not depend on it (GDPR-07). */
  onDeclined: NodeId.optional(),
});

/** Ask for typed input, validate it, save it as an attribute. */
export const AskNode = z.object({
  type: z.literal('ask'),
  text: LocalizedText,
  input: AskInput,
  saveAs: AttributeName,
  /** Shown after invalid input instead of the built-in text; should state the allowed format. */
  reprompt: LocalizedText.optional(),
  /** Failures before `onFail` (default 3). */
  maxAttempts,
  onFail: NodeId.optional(),
  next: NodeId.optional(),
});

/** A condition on an attribute. `value` may be a template `{{other}}`; `in` takes a list; `matches` a RegExp source. */
export const FlowCondition = z.object({
  attribute: z.string().min(1).max(200),
  op: z.enum(['eq', 'neq', 'gt', 'lt', 'in', 'exists', 'matches']),
  value: z.union([FlowLiteral, z.array(FlowLiteral)]).optional(),
});
export type FlowCondition = z.infer<typeof FlowCondition>;

/** Go to the first `next` whose condition holds, else to `otherwise`. */
export const BranchNode = z.object({
  type: z.literal('branch'),
  conditions: z.array(z.object({ when: FlowCondition, next: NodeId })).min(1),
  otherwise: NodeId,
});

/** Set an attribute to a literal or a template (`"{{a}}"` alone copies the value with its type). */
export const SetNode = z.object({ type: z.literal('set'), attribute: AttributeName, value: FlowLiteral, next: NodeId.optional() });

/** Where content comes from: a topic of the content library (its pull menu) or one item. */
export const ContentRef = z.union([z.object({ topic: z.string().min(1).max(200) }), z.object({ item: z.string().min(1).max(200) })]);
export type ContentRef = z.infer<typeof ContentRef>;

/** Send approved content (effect `send_content`; the runner renders it). */
export const ContentNode = z.object({ type: z.literal('content'), ref: ContentRef, next: NodeId.optional() });

/** Wait for a free-text question and hand it to the answer library (effect `answer_question`). */
export const AnswerNode = z.object({
  type: z.literal('answer'),
  /** Prompt shown before waiting, e.g. "What would you like to know?". */
  text: LocalizedText.optional(),
  saveAs: AttributeName.optional(),
  maxAttempts,
  onFail: NodeId.optional(),
  next: NodeId.optional(),
});

/** Subscribe the contact to a topic (effect `subscribe`). */
export const SubscribeNode = z.object({ type: z.literal('subscribe'), topic: z.string().min(1).max(200), next: NodeId.optional() });
/** Unsubscribe the contact from a topic (effect `unsubscribe`). */
export const UnsubscribeNode = z.object({ type: z.literal('unsubscribe'), topic: z.string().min(1).max(200), next: NodeId.optional() });

/** Hand the conversation to a human queue; the bot goes silent for this run. */
export const HandoffNode = z.object({ type: z.literal('handoff'), queue: z.string().min(1).max(200), message: LocalizedText.optional() });

/** An HTTP integration. The engine emits `call_http` and waits for the runner's `call_result`. */
export const CallNode = z.object({
  type: z.literal('call'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  /** URL template; placeholders are URL-encoded. */
  url: z.string().min(1).max(2000),
  headers: z.record(z.string().min(1).max(200), z.string().max(2000)).optional(),
  /** JSON body; string values are templates. */
  body: z.unknown().optional(),
  /** Default 10 000, at most 30 000. */
  timeoutMs: z.number().int().min(100).max(30_000).optional(),
  /** attribute → path into the JSON response, e.g. `{ status: "shipment.events.0.status" }`. A missing path is an error. */
  map: z.record(AttributeName, z.string().min(1).max(500)).optional(),
  /** Saves the HTTP status code (also on errors, when there is one). */
  saveStatusAs: AttributeName.optional(),
  next: NodeId.optional(),
  /** Taken on timeout, network error, non-2xx status, a body that is not JSON, or a mapped path that is missing. */
  onError: NodeId,
});

/** Wait for a delay or until a time; the engine emits `schedule_wake` and waits for the runner's `timer`. */
export const WaitNode = z.object({
  type: z.literal('wait'),
  delaySeconds: z.number().int().min(1).max(366 * 24 * 3600).optional(),
  /** An ISO date-time. */
  until: z.iso.datetime({ offset: true }).optional(),
  /** An attribute holding an ISO date or date-time. */
  untilAttribute: AttributeName.optional(),
  next: NodeId.optional(),
});

/** Continue in another flow (effect `goto_flow`) or, with this flow's id, at a node of this flow. */
export const GotoNode = z.object({ type: z.literal('goto'), flow: FlowId, node: NodeId.optional() });

/** End the run, optionally with a last text. */
export const EndNode = z.object({ type: z.literal('end'), text: LocalizedText.optional() });

/**
 * A node of a flow, by `type`.
 * Reserved for later issues, not accepted yet: `verify` (HCP verification) and `book` (appointment slot).
 */
export const FlowNode = z.discriminatedUnion('type', [
  SayNode,
  MenuNode,
  AskNode,
  BranchNode,
  SetNode,
  ContentNode,
  AnswerNode,
  SubscribeNode,
  UnsubscribeNode,
  HandoffNode,
  CallNode,
  WaitNode,
  GotoNode,
  EndNode,
  ConsentNode,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowNodeType = FlowNode['type'];
/** The node of a given type, e.g. `FlowNodeOf<'ask'>`. */
export type FlowNodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

/** A flow version as stored and executed. A published version is immutable; an edit makes a new version. */
export const Flow = z.object({
  id: FlowId,
  version: z.number().int().min(1),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  /**
   * `draft`: stored for trying out in the simulator, never started by a trigger, and changeable until published
   * (remove the field, or write `published`, to publish that version). Default: published.
   */
  status: z.enum(['draft', 'published']).optional(),
  /**
   * The purpose (workspace.yaml `purposes`) of what the flow sends on its own — after a `wait`, when no message of
   * the contact started the turn (GDPR-01/02). Replies to the contact's own messages are always `service`.
   * Default: `service`, which after 24 hours no longer reaches a WhatsApp contact.
   */
  purpose: z.string().regex(/^[a-z0-9][a-z0-9:_-]{0,99}$/, 'a purpose id from workspace.yaml, e.g. psp-reminders').optional(),
  defaultLanguage: LanguageCode,
  languages: z.array(LanguageCode).min(1),
  triggers: z.array(FlowTrigger),
  start: NodeId,
  nodes: z.record(NodeId, FlowNode),
});
export type Flow = z.infer<typeof Flow>;

// ---------------------------------------------------------------------------------------------------------------
// Run state

/**
 * The state of one run of a flow in a conversation: plain JSON, saved by the runner with the conversation and passed
 * back to the engine on the next input. A run stays on `flowVersion` until it ends.
 */
export const FlowRunState = z.object({
  flowId: FlowId,
  flowVersion: z.number().int().min(1),
  /** The current node; `null` before the start and after the end. */
  nodeId: NodeId.nullable(),
  status: z.enum(['active', 'ended', 'handed_off', 'failed']),
  /** What the run waits for; `null` when it does not wait (ended, or not started). */
  waiting: z.enum(['input', 'call', 'timer']).nullable(),
  /** Correlates a `call_result` or `timer` input with the wait that asked for it; stale ones are ignored. */
  waitToken: z.string().nullable(),
  /** Failed attempts at the current node. */
  attempts: z.number().int().min(0),
  /** Counter for wait tokens; only grows. */
  seq: z.number().int().min(0),
  language: LanguageCode,
  attributes: z.record(z.string(), z.unknown()),
});
export type FlowRunState = z.infer<typeof FlowRunState>;
