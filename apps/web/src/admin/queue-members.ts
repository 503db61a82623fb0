/**
 * The queue page's logic without React (docs/inbox.md "Queues"): which people a queue offers as checkboxes, the
 * members an admin has chosen but not saved yet (per queue), what changed against the saved members, and a refused
 * save in words.
 */
import { ApiError } from '../auth/api-client';
import type { Translate } from '../i18n';

/** A queue's saved members, as `GET /api/inbox/queues` lists them. */
export type SavedQueue = { id: string; members: ReadonlyArray<{ id: string; name: string }> };

/** Someone who can take conversations (`GET /api/inbox/people`). */
export type Candidate = { id: string; name: string; roles: readonly string[]; openConversations: number };

/**
 * One checkbox of a queue. `available: false` is a member who can no longer take conversations (disabled, or no
 * longer an agent or admin): listed so the admin can remove them, since the server refuses to keep them.
 */
export type MemberOption = { id: string; name: string; roles: readonly string[]; openConversations: number | null; available: boolean };

/** Unsaved member choices by queue id; a queue without an entry shows its saved members. */
export type MemberDrafts = Readonly<Record<string, readonly string[]>>;

/** What saving would change: people to add and to remove. */
export type MemberDiff = { added: string[]; removed: string[] };

/**
 * The members chosen for `queue` and the saved ones, compared.
 * @example diffMembers(['a', 'b'], ['b', 'c']) // { added: ['c'], removed: ['a'] }
 */
export function diffMembers(saved: readonly string[], chosen: readonly string[]): MemberDiff {
  const before = new Set(saved);
  const after = new Set(chosen);
  return { added: [...after].filter((id) => !before.has(id)), removed: [...before].filter((id) => !after.has(id)) };
}

/** True when saving would change something. */
export function hasChanges(diff: MemberDiff): boolean {
  return diff.added.length > 0 || diff.removed.length > 0;
}

/**
 * The ids checked for a queue now: its unsaved choice, else its saved members. Given `people`, a chosen person who
 * is neither among them nor a saved member any more (disabled, or lost the role, since they were checked) is left
 * out: there is no checkbox left for them, and the server would refuse them.
 */
export function chosenMembers(drafts: MemberDrafts, queue: SavedQueue, people?: readonly Pick<Candidate, 'id'>[]): readonly string[] {
  const draft = drafts[queue.id];
  if (draft === undefined) {
    return queue.members.map((m) => m.id);
  }
  return people ? draft.filter((id) => people.some((p) => p.id === id) || queue.members.some((m) => m.id === id)) : draft;
}

/**
 * Checks or unchecks one person in a queue. A choice that ends up equal to the saved members is dropped, so the
 * queue has nothing unsaved again.
 * @example toggleMember({}, { id: 'q', members: [] }, 'u1', true) // { q: ['u1'] }
 */
export function toggleMember(drafts: MemberDrafts, queue: SavedQueue, userId: string, checked: boolean): MemberDrafts {
  const current = chosenMembers(drafts, queue);
  const next = checked ? (current.includes(userId) ? current : [...current, userId]) : current.filter((id) => id !== userId);
  return hasChanges(diffMembers(queue.members.map((m) => m.id), next)) ? { ...drafts, [queue.id]: next } : forgetDraft(drafts, queue.id);
}

/** The drafts without the queue's entry (after it was saved). */
export function forgetDraft(drafts: MemberDrafts, queueId: string): MemberDrafts {
  return Object.fromEntries(Object.entries(drafts).filter(([id]) => id !== queueId));
}

/**
 * The checkboxes of a queue: everyone who can take conversations, in the server's order, then members who no longer
 * can (marked unavailable).
 */
export function memberOptions(people: readonly Candidate[], queue: SavedQueue): MemberOption[] {
  const options: MemberOption[] = people.map((p) => ({ id: p.id, name: p.name, roles: p.roles, openConversations: p.openConversations, available: true }));
  for (const member of queue.members) {
    if (!people.some((p) => p.id === member.id)) {
      options.push({ id: member.id, name: member.name, roles: [], openConversations: null, available: false });
    }
  }
  return options;
}

/**
 * A refused save in the admin's language where the app knows the reason, else the server's message. `names` turns
 * the ids of `user.unavailable` (details.userIds) into names.
 * @example describeQueueError(new ApiError(404, 'queue.not_found', '…'), t) // 'Diese Warteschlange gibt es nicht.'
 */
export function describeQueueError(error: unknown, t: Translate, names: (id: string) => string = (id) => id): string {
  if (!(error instanceof ApiError)) {
    return t('queues.error', { message: error instanceof Error ? error.message : String(error) });
  }
  switch (error.code) {
    case 'queue.not_found':
      return t('inbox.refusal.queueNotFound');
    case 'user.unavailable': {
      const ids = Array.isArray(error.details?.userIds) ? error.details.userIds.filter((id): id is string => typeof id === 'string') : [];
      return ids.length > 0 ? t('queues.unavailable', { names: ids.map(names).join(', ') }) : t('queues.error', { message: error.message });
    }
    case 'auth.forbidden':
      return t('inbox.refusal.forbidden');
    default:
      return t('queues.error', { message: error.message });
  }
}
