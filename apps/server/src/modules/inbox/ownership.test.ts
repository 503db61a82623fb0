/**
 * The ownership state machine, table-driven (ARCHITECTURE §6, issue #5 item 2): every action from every state, for
 * the agent who has the conversation, another agent, and an admin — allowed (and where to), unchanged, or refused
 * with which code.
 */
import { describe, expect, it } from 'vitest';
import { decideTransition, type Ownership, type OwnershipAction, type OwnershipActor } from './ownership.js';

const ME = 'u-me';
const OTHER = 'u-other';

/** Where a conversation stands: `agent:me` is with the caller, `agent:other` with someone else. */
const SITUATIONS: Record<string, Ownership> = {
  bot: { state: 'bot', queue: null, assigneeId: null },
  queued: { state: 'queued', queue: 'patient-service', assigneeId: null },
  'agent:me': { state: 'agent', queue: 'patient-service', assigneeId: ME },
  'agent:other': { state: 'agent', queue: 'patient-service', assigneeId: OTHER },
  resolved: { state: 'resolved', queue: 'patient-service', assigneeId: OTHER },
};

const agent: OwnershipActor = { kind: 'user', userId: ME, admin: false };
const admin: OwnershipActor = { kind: 'user', userId: ME, admin: true };

/** The target of assign/transfer in this table: a third person, or the HCP queue. */
const TARGET = { userId: 'u-third', queue: 'hcp-service' };

// Expected outcome per action and situation, for an agent (and, where it differs, an admin): a state it moves to,
// `same` (nothing to do), or the refusal code.
const TABLE: Array<[OwnershipAction, Record<keyof typeof SITUATIONS, string>, Partial<Record<keyof typeof SITUATIONS, string>>?]> = [
  ['handoff', { bot: 'queued', queued: 'conversation.wrong_state', 'agent:me': 'conversation.wrong_state', 'agent:other': 'conversation.wrong_state', resolved: 'conversation.wrong_state' }],
  // Even an admin does not take someone else's conversation: they transfer it (the other agent sees that).
  ['take', { bot: 'agent', queued: 'agent', 'agent:me': 'same', 'agent:other': 'conversation.taken', resolved: 'agent' }],
  ['assign', { bot: 'agent', queued: 'agent', 'agent:me': 'conversation.taken', 'agent:other': 'conversation.taken', resolved: 'agent' }],
  [
    'transfer_to_agent',
    { bot: 'conversation.wrong_state', queued: 'agent', 'agent:me': 'agent', 'agent:other': 'conversation.not_owner', resolved: 'conversation.wrong_state' },
    { 'agent:other': 'agent' },
  ],
  [
    'transfer_to_queue',
    { bot: 'conversation.wrong_state', queued: 'queued', 'agent:me': 'queued', 'agent:other': 'conversation.not_owner', resolved: 'conversation.wrong_state' },
    { 'agent:other': 'queued' },
  ],
  [
    'resolve',
    { bot: 'conversation.wrong_state', queued: 'conversation.wrong_state', 'agent:me': 'resolved', 'agent:other': 'conversation.not_owner', resolved: 'conversation.wrong_state' },
    { 'agent:other': 'resolved' },
  ],
  [
    'return_to_bot',
    { bot: 'conversation.wrong_state', queued: 'bot', 'agent:me': 'bot', 'agent:other': 'conversation.not_owner', resolved: 'conversation.wrong_state' },
    { 'agent:other': 'bot' },
  ],
  ['reopen', { bot: 'conversation.wrong_state', queued: 'conversation.wrong_state', 'agent:me': 'conversation.wrong_state', 'agent:other': 'conversation.wrong_state', resolved: 'bot' }],
];

function outcome(action: OwnershipAction, situation: Ownership, actor: OwnershipActor): string {
  const d = decideTransition(action, situation, actor, TARGET);
  if (!d.ok) {
    return d.code;
  }
  return 'unchanged' in d ? 'same' : d.transition.to;
}

describe('ownership state machine (bot → queued → agent → resolved | bot)', () => {
  for (const [action, forAgent, adminDiffers = {}] of TABLE) {
    for (const [name, situation] of Object.entries(SITUATIONS)) {
      it(`${action} from ${name}: an agent gets ${forAgent[name]}, an admin ${adminDiffers[name] ?? forAgent[name]}`, () => {
        expect(outcome(action, situation, agent)).toBe(forAgent[name]);
        expect(outcome(action, situation, admin)).toBe(adminDiffers[name] ?? forAgent[name]);
      });
    }
  }

  it('covers every action', () => {
    expect(TABLE.map(([a]) => a).sort()).toEqual(['assign', 'handoff', 'reopen', 'resolve', 'return_to_bot', 'take', 'transfer_to_agent', 'transfer_to_queue']);
  });

  it('moving to where it already is changes nothing (a repeated click)', () => {
    expect(outcome('transfer_to_agent', SITUATIONS['agent:me']!, { kind: 'user', userId: ME, admin: false })).toBe('agent');
    expect(decideTransition('transfer_to_agent', SITUATIONS['agent:me']!, agent, { userId: ME })).toEqual({ ok: true, unchanged: true });
    expect(decideTransition('transfer_to_queue', SITUATIONS.queued!, agent, { queue: 'patient-service' })).toEqual({ ok: true, unchanged: true });
    expect(decideTransition('assign', SITUATIONS['agent:other']!, agent, { userId: OTHER })).toEqual({ ok: true, unchanged: true });
  });

  it('Parley itself (auto-assignment, the contact writing again) is not bound to an owner', () => {
    expect(outcome('assign', SITUATIONS.queued!, { kind: 'system' })).toBe('agent');
    expect(outcome('reopen', SITUATIONS.resolved!, { kind: 'system' })).toBe('bot');
  });
});
