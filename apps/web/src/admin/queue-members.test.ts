import { describe, expect, it } from 'vitest';
import { ApiError } from '../auth/api-client';
import { createTranslator } from '../i18n';
import { chosenMembers, describeQueueError, diffMembers, forgetDraft, hasChanges, memberOptions, toggleMember, type SavedQueue } from './queue-members';

const queue: SavedQueue = { id: 'patient-service', members: [{ id: 'anna', name: 'Anna' }] };

describe('diffMembers', () => {
  it('names who would be added and who removed', () => {
    expect(diffMembers(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
  });

  it('sees no change in another order or with a repeated id', () => {
    const diff = diffMembers(['a', 'b'], ['b', 'a', 'a']);
    expect(diff).toEqual({ added: [], removed: [] });
    expect(hasChanges(diff)).toBe(false);
  });

  it('counts emptying a queue as a change', () => {
    expect(hasChanges(diffMembers(['a'], []))).toBe(true);
  });
});

describe('toggleMember', () => {
  it('keeps an unsaved choice per queue and leaves other queues alone', () => {
    const other: SavedQueue = { id: 'hcp-service', members: [] };
    let drafts = toggleMember({}, queue, 'ben', true);
    drafts = toggleMember(drafts, other, 'anna', true);
    expect(drafts).toEqual({ 'patient-service': ['anna', 'ben'], 'hcp-service': ['anna'] });
    expect(chosenMembers(drafts, queue)).toEqual(['anna', 'ben']);
  });

  it('drops the draft once the choice equals the saved members again', () => {
    const drafts = toggleMember(toggleMember({}, queue, 'anna', false), queue, 'anna', true);
    expect(drafts).toEqual({});
    expect(chosenMembers(drafts, queue)).toEqual(['anna']);
  });

  it('leaves out a chosen person who can no longer be offered', () => {
    const drafts = { 'patient-service': ['anna', 'ben', 'gone'] };
    expect(chosenMembers(drafts, queue, [{ id: 'ben' }])).toEqual(['anna', 'ben']);
    expect(chosenMembers({}, queue, [])).toEqual(['anna']);
  });

  it('does not add a person twice', () => {
    expect(toggleMember({ 'patient-service': ['ben'] }, queue, 'ben', true)).toEqual({ 'patient-service': ['ben'] });
  });

  it('forgets a saved queue’s draft only', () => {
    expect(forgetDraft({ a: ['x'], b: [] }, 'a')).toEqual({ b: [] });
  });
});

describe('memberOptions', () => {
  it('offers everyone who can take conversations, then members who no longer can', () => {
    const people = [
      { id: 'ben', name: 'Ben', roles: ['agent'], openConversations: 2 },
      { id: 'cleo', name: 'Cleo', roles: ['admin'], openConversations: 0 },
    ];
    expect(memberOptions(people, queue)).toEqual([
      { id: 'ben', name: 'Ben', roles: ['agent'], openConversations: 2, available: true },
      { id: 'cleo', name: 'Cleo', roles: ['admin'], openConversations: 0, available: true },
      { id: 'anna', name: 'Anna', roles: [], openConversations: null, available: false },
    ]);
  });
});

describe('describeQueueError', () => {
  const de = createTranslator('de');

  it('words the reasons the app knows, in the admin’s language', () => {
    expect(describeQueueError(new ApiError(404, 'queue.not_found', 'There is no queue "x"'), de)).toBe('Diese Warteschlange gibt es nicht.');
    const unavailable = new ApiError(409, 'user.unavailable', 'Only enabled people …', undefined, { userIds: ['anna'] });
    expect(describeQueueError(unavailable, createTranslator('en'), (id) => (id === 'anna' ? 'Anna' : id))).toBe('Only enabled agents and admins can be members; not: Anna.');
  });

  it('shows the server’s message for anything else', () => {
    expect(describeQueueError(new ApiError(400, 'validation.failed', 'userIds.0: Invalid UUID'), de)).toBe('Das hat nicht geklappt: userIds.0: Invalid UUID');
    expect(describeQueueError(new TypeError('Failed to fetch'), de)).toBe('Das hat nicht geklappt: Failed to fetch');
  });
});
