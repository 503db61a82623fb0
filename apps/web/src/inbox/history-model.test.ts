import { describe, expect, it } from 'vitest';
import { ApiError } from '../auth/api-client';
import { createTranslator } from '../i18n';
import type { HistoryMessage } from './inbox-api';
import { toHistoryItems } from './history-model';
import { allowedMoves } from './ownership-actions';
import { describeRefusal } from './refusal';

let seq = 0;
function message(direction: string, content: Record<string, unknown>, author: HistoryMessage['author'] = null): HistoryMessage {
  seq += 1;
  const base = { id: `m${seq}`, seq, type: String(content.type ?? 'text'), content, status: 'read', gateReason: null, errorCode: null, errorReason: null, purpose: 'service', author, templateText: null, createdAt: '2026-01-01T12:00:00Z', statuses: [] };
  return { ...base, direction } as HistoryMessage;
}

const event = (name: string, state: string, assigneeId: string | null, previous: { state: string; assigneeId: string | null }) =>
  message('event', { type: 'system', event: name, state, queue: 'patient-service', assigneeId, previous: { ...previous, queue: null }, by: { kind: 'user', id: assigneeId ?? 'anna' } });

describe('toHistoryItems', () => {
  it('names the stored author of a message over what the ownership events suggest', () => {
    const messages = [
      event('conversation.taken', 'agent', 'anna', { state: 'queued', assigneeId: null }),
      // While Anna has it, an admin (Ben) answers, and the send API posts a notice.
      message('out', { type: 'text', text: 'Hier ist Ben.' }, { kind: 'user', userId: 'ben' }),
      message('out', { type: 'text', text: 'Ihr Termin ist bestätigt.' }, { kind: 'api', userId: null }),
      message('out', { type: 'text', text: 'Hier ist Anna.' }, { kind: 'user', userId: 'anna' }),
      // Stored before authors were recorded: inferred from the owner.
      message('out', { type: 'text', text: 'Noch da?' }),
    ];
    const senders = toHistoryItems(messages, { state: 'agent', assignee: { id: 'anna', name: 'Anna Schmidt' } }, { anna: 'Anna Schmidt', ben: 'Ben Kraus' }).flatMap((i) => (i.kind === 'message' ? [i.sender] : []));
    expect(senders).toEqual([
      { kind: 'agent', id: 'ben', name: 'Ben Kraus' },
      { kind: 'api' },
      { kind: 'agent', id: 'anna', name: 'Anna Schmidt' },
      { kind: 'agent', id: 'anna', name: 'Anna Schmidt' },
    ]);
  });

  it('says who sent what: the bot before the take, the agent while they have it, the bot again after the return', () => {
    const messages = [
      message('in', { type: 'text', text: 'Mitarbeiter' }),
      message('out', { type: 'text', text: 'Ich verbinde Sie …' }),
      event('conversation.taken', 'agent', 'anna', { state: 'queued', assigneeId: null }),
      message('out', { type: 'text', text: 'Hier ist Anna.' }),
      message('note', { type: 'note', text: 'Rückruf morgen', by: { id: 'anna' } }),
      event('conversation.returned_to_bot', 'bot', null, { state: 'agent', assigneeId: 'anna' }),
      message('out', { type: 'menu', body: 'Wozu möchten Sie etwas wissen?' }),
    ];
    const items = toHistoryItems(messages, { state: 'bot', assignee: null }, { anna: 'Anna Schmidt' });
    expect(items.map((i) => (i.kind === 'message' ? i.sender.kind : i.kind))).toEqual(['contact', 'bot', 'event', 'agent', 'note', 'event', 'bot']);
    expect(items[3]).toMatchObject({ sender: { kind: 'agent', id: 'anna', name: 'Anna Schmidt' } });
    expect(items[4]).toMatchObject({ kind: 'note', text: 'Rückruf morgen', authorName: 'Anna Schmidt' });
  });

  it('knows the owner before the first message shown, from the first event or the conversation', () => {
    const older = [message('out', { type: 'text', text: 'Noch Fragen?' }), event('conversation.resolved', 'resolved', 'ben', { state: 'agent', assigneeId: 'ben' })];
    expect(toHistoryItems(older, { state: 'resolved', assignee: null }, {})[0]).toMatchObject({ sender: { kind: 'agent', id: 'ben' } });
    const noEvents = [message('out', { type: 'text', text: 'Gern!' })];
    expect(toHistoryItems(noEvents, { state: 'agent', assignee: { id: 'eva', name: 'Eva' } }, {})[0]).toMatchObject({ sender: { kind: 'agent', name: 'Eva' } });
  });
});

describe('what the inbox offers and how it words a refusal', () => {
  const me = { id: 'me' };
  it('offers only the moves the server allows this person', () => {
    expect(allowedMoves({ state: 'queued', assignee: null }, me, false)).toEqual({ take: true, pass: true, resolve: false, returnToBot: true });
    expect(allowedMoves({ state: 'agent', assignee: { id: 'other', name: 'Anna' } }, me, false)).toEqual({ take: false, pass: false, resolve: false, returnToBot: false });
    expect(allowedMoves({ state: 'agent', assignee: { id: 'other', name: 'Anna' } }, me, true)).toEqual({ take: false, pass: true, resolve: true, returnToBot: true });
    expect(allowedMoves({ state: 'agent', assignee: { id: 'me', name: 'Me' } }, me, false)).toEqual({ take: false, pass: true, resolve: true, returnToBot: true });
    expect(allowedMoves({ state: 'bot', assignee: null }, me, false)).toEqual({ take: true, pass: true, resolve: false, returnToBot: false });
  });

  it('names who has the conversation, why a person cannot take it, and the gate’s reason', () => {
    const de = createTranslator('de');
    const en = createTranslator('en');
    expect(describeRefusal(new ApiError(409, 'conversation.taken', 'x', undefined, { assignee: { id: 'a', name: 'Anna Schmidt' } }), de)).toBe('Anna Schmidt hat dieses Gespräch bereits übernommen.');
    expect(describeRefusal(new ApiError(409, 'user.unavailable', 'x', undefined, { reason: 'disabled' }), en)).toBe('This person’s account is disabled. The conversation stays where it was.');
    expect(describeRefusal(new ApiError(409, 'conversation.wrong_state', 'x', undefined, { state: 'bot' }), de)).toBe('Jetzt nicht möglich: Das Gespräch ist beim Bot.');
    expect(describeRefusal(new ApiError(422, 'send.no_consent', 'x'), en)).toBe('Not sent: the contact has not consented to messages for this purpose.');
  });
});
