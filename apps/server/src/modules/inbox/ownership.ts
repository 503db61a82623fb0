/**
 * The ownership state machine of a conversation (ARCHITECTURE §6): `bot → queued → agent → resolved | bot`. One
 * table says which action leads from which states where, and which audit action records it; the store turns each
 * into ONE conditional UPDATE (`… where state = any($from)`), so two people can never both take a conversation.
 * Pure: the decisions here also explain a refused UPDATE (who has the conversation now).
 */
import type { ConversationState } from '@parley/contracts';

export type OwnershipAction =
  /** The bot hands over (AGENT/MITARBEITER, a flow's hand-off node, an escalated question): waits in a queue. */
  | 'handoff'
  /** An agent takes it for themselves — from the queue, proactively from the bot, or a resolved one again. */
  | 'take'
  /** Someone gives it to an agent (a person, or auto-assignment by least load). */
  | 'assign'
  /** Moves it on to another agent, or back into a queue. */
  | 'transfer_to_agent'
  | 'transfer_to_queue'
  | 'resolve'
  /** A person hands it back: the bot answers the next message. */
  | 'return_to_bot'
  /** The contact writes into a resolved conversation: the bot answers again. */
  | 'reopen';

export interface Transition {
  from: readonly ConversationState[];
  to: ConversationState;
  /** The audit action and the system event shown in the history. */
  event: string;
}

export const TRANSITIONS: Record<OwnershipAction, Transition> = {
  handoff: { from: ['bot'], to: 'queued', event: 'conversation.queued' },
  take: { from: ['bot', 'queued', 'resolved'], to: 'agent', event: 'conversation.taken' },
  assign: { from: ['bot', 'queued', 'resolved'], to: 'agent', event: 'conversation.assigned' },
  transfer_to_agent: { from: ['queued', 'agent'], to: 'agent', event: 'conversation.transferred' },
  transfer_to_queue: { from: ['queued', 'agent'], to: 'queued', event: 'conversation.transferred' },
  resolve: { from: ['agent'], to: 'resolved', event: 'conversation.resolved' },
  return_to_bot: { from: ['queued', 'agent'], to: 'bot', event: 'conversation.returned_to_bot' },
  reopen: { from: ['resolved'], to: 'bot', event: 'conversation.returned_to_bot' },
};

/** Who owns a conversation now. */
export interface Ownership {
  state: ConversationState;
  queue: string | null;
  assigneeId: string | null;
}

/** Who acts: a staff user (admins may act on anyone's conversation), or Parley itself. */
export type OwnershipActor = { kind: 'user'; userId: string; admin: boolean } | { kind: 'system' };

export type TransitionDecision =
  | { ok: true; transition: Transition }
  /** Nothing to do: the conversation is already where the action would put it (a repeated click). */
  | { ok: true; unchanged: true }
  | {
      ok: false;
      /**
       * `conversation.taken`: another agent has it; `conversation.not_owner`: it is someone else's and only they or an
       * admin may do this; `conversation.wrong_state`: the action does not apply in this state.
       */
      code: 'conversation.taken' | 'conversation.not_owner' | 'conversation.wrong_state';
    };

/**
 * Whether `actor` may do `action` to a conversation owned as `current`, moving it to `target` (the agent or queue
 * of assign/transfer).
 *
 * @example decideTransition('take', { state: 'agent', queue: 'q', assigneeId: 'anna' }, { kind: 'user', userId: 'ben', admin: false })
 * // { ok: false, code: 'conversation.taken' }
 */
export function decideTransition(action: OwnershipAction, current: Ownership, actor: OwnershipActor, target: { userId?: string; queue?: string } = {}): TransitionDecision {
  const transition = TRANSITIONS[action];
  const mine = actor.kind === 'user' && current.assigneeId === actor.userId;
  const someoneElses = current.state === 'agent' && !mine;
  if (action === 'take' && current.state === 'agent') {
    return mine ? { ok: true, unchanged: true } : { ok: false, code: 'conversation.taken' };
  }
  if (action === 'assign' && current.state === 'agent') {
    return current.assigneeId === target.userId ? { ok: true, unchanged: true } : { ok: false, code: 'conversation.taken' };
  }
  if (!transition.from.includes(current.state)) {
    return { ok: false, code: 'conversation.wrong_state' };
  }
  // What is with one agent only that agent (or an admin) moves on, resolves or gives back.
  if (someoneElses && actor.kind === 'user' && !actor.admin) {
    return { ok: false, code: 'conversation.not_owner' };
  }
  if (action === 'transfer_to_agent' && current.state === 'agent' && current.assigneeId === target.userId) {
    return { ok: true, unchanged: true };
  }
  if (action === 'transfer_to_queue' && current.state === 'queued' && current.queue === target.queue) {
    return { ok: true, unchanged: true };
  }
  return { ok: true, transition };
}
