/**
 * The rules of the agent's composer (pure): who may send in a conversation, the purposes an agent may send for, which
 * templates fit them, and what the composer may offer now — so it says what the send gate will decide before the
 * agent types (WA-02). The gate at dispatch stays the authority; these rules only predict it.
 */
import {
  CONFIRMATION_PURPOSE,
  type ComposerNotice,
  type ComposerPurpose,
  type ComposerState,
  type ComposerTemplate,
  type ConversationState,
  needsConsent,
  type Purpose,
  purposesOf,
  type WorkspaceSettings,
} from '@parley/contracts';

/** What the composer needs to know of a conversation. */
export interface ComposerFacts {
  id: string;
  state: ConversationState;
  assigneeId: string | null;
  channelKind: string;
  /** ISO 8601, or null before the contact ever wrote. */
  lastInboundAt: string | null;
  restricted: boolean;
}

/** Who asks: the signed-in user (none for the admin token) and whether they are an admin. */
export interface ComposerActor {
  userId: string | undefined;
  admin: boolean;
}

/**
 * Why `actor` may not send in the conversation now, or undefined when they may: only while it is with an agent
 * (`conversation.wrong_state`: take it first), and only its agent or an admin (`conversation.not_owner`).
 *
 * @example sendRefusal({ state: 'agent', assigneeId: 'anna', … }, { userId: 'ben', admin: false }) // 'conversation.not_owner'
 */
export function sendRefusal(facts: Pick<ComposerFacts, 'state' | 'assigneeId'>, actor: ComposerActor): 'conversation.wrong_state' | 'conversation.not_owner' | undefined {
  if (facts.state !== 'agent') {
    return 'conversation.wrong_state';
  }
  if (!actor.admin && (actor.userId === undefined || facts.assigneeId !== actor.userId)) {
    return 'conversation.not_owner';
  }
  return undefined;
}

/**
 * The purposes an agent may send for: every purpose of the workspace except advertising (agents do not send
 * promotion, SEC-05) and the double opt-in's own confirmation requests. `service` comes first.
 */
export function agentPurposes(settings: WorkspaceSettings): Purpose[] {
  return [...purposesOf(settings).values()].filter((p) => !p.promotional && p.id !== CONFIRMATION_PURPOSE.id);
}

/** The purposes a template of `category` may carry among `purposes` (WA-03): utility for non-promotional ones. */
export function purposesForCategory(category: string, purposes: Purpose[]): string[] {
  // Marketing needs a promotional purpose (none is an agent's); authentication templates carry one-time codes only.
  return category.toLowerCase() === 'utility' ? purposes.filter((p) => !p.promotional).map((p) => p.id) : [];
}

/** A purpose as the composer lists it. */
export function toComposerPurpose(p: Purpose): ComposerPurpose {
  return { id: p.id, basis: p.basis, needsConsent: needsConsent(p), description: p.description ?? null };
}

/**
 * The window of WhatsApp's customer service (WA-02): open for `hours` after the contact's last message. Channels
 * without one (`hours` undefined) are always open.
 */
export function serviceWindow(lastInboundAt: string | null, hours: number | undefined, now: Date): ComposerState['window'] {
  if (hours === undefined) {
    return { open: true, closesAt: null };
  }
  if (lastInboundAt === null) {
    return { open: false, closesAt: null };
  }
  const closesAt = new Date(Date.parse(lastInboundAt) + hours * 3_600_000);
  return { open: now < closesAt, closesAt: closesAt.toISOString() };
}

/** What the composer may offer now. */
export function composerState(input: {
  facts: ComposerFacts;
  actor: ComposerActor;
  now: Date;
  windowHours: number | undefined;
  language: string;
  templates: ComposerTemplate[];
  purposes: ComposerPurpose[];
}): ComposerState {
  const { facts, actor } = input;
  const refusal = sendRefusal(facts, actor);
  const window = serviceWindow(facts.lastInboundAt, input.windowHours, input.now);
  const notices: ComposerNotice[] = [];
  if (refusal) {
    notices.push(refusal);
  }
  if (facts.restricted) {
    notices.push('send.restricted');
  }
  if (!window.open) {
    notices.push('send.window_closed');
    if (input.templates.length === 0) {
      notices.push('template.none_available');
    }
  }
  return {
    conversationId: facts.id,
    state: facts.state,
    channelKind: facts.channelKind,
    language: input.language,
    window,
    ownedByMe: facts.state === 'agent' && actor.userId !== undefined && facts.assigneeId === actor.userId,
    canSend: refusal === undefined,
    freeText: refusal === undefined && window.open && !facts.restricted,
    notices,
    templates: input.templates,
    purposes: input.purposes,
    defaultPurpose: 'service',
  };
}
