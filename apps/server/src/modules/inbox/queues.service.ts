/**
 * Queues and the people in them (issue #5 item 3): the queues a workspace defines (workspace.yaml) with their
 * members, waiting counts and SLA state; membership changes (audited as `queue.members_changed`); and the people a
 * conversation can be given to, with their open conversations (least load is what auto-assignment uses).
 */
import type { InboxQueue } from '@parley/contracts';
import { type AuditContext, appendAudit } from '../audit/index.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { listQueueDefinitions } from './ownership.store.js';
import { countByQueue, listInboxStaff, listQueueMembers, replaceQueueMembers } from './queues.store.js';

/** A queue as the inbox shows it (the contracts' InboxQueue). */
export type QueueView = InboxQueue;

export interface InboxPerson {
  id: string;
  name: string;
  roles: string[];
  queues: string[];
  openConversations: number;
}

export interface QueueService {
  /** `hideRestricted`: counts without restricted contacts' conversations (a reader who may not see them, GDPR-20). */
  listQueues(workspaceId: string, opts?: { hideRestricted?: boolean }): Promise<QueueView[]>;
  /** Replaces a defined queue's members. Throws `queue.not_found`, `user.unavailable`. */
  setMembers(workspaceId: string, queue: string, userIds: string[], audit: AuditContext): Promise<QueueView>;
  /** Enabled people with the agent or admin role: whom a conversation can be given to. */
  listPeople(workspaceId: string, opts?: { hideRestricted?: boolean }): Promise<InboxPerson[]>;
}

export function createQueueService(deps: { db: Db; now?: () => Date }): QueueService {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function listQueues(workspaceId: string, opts: { hideRestricted?: boolean } = {}): Promise<QueueView[]> {
    const [definitions, members, counts] = [await listQueueDefinitions(db, workspaceId), await listQueueMembers(db, workspaceId), await countByQueue(db, workspaceId, opts)];
    const ids = [...definitions.map((d) => d.id), ...counts.map((c) => c.queue).filter((q) => !definitions.some((d) => d.id === q)).sort()];
    const at = now().getTime();
    return ids.map((id) => {
      const d = definitions.find((q) => q.id === id);
      const c = counts.find((x) => x.queue === id);
      const oldest = c?.oldestQueuedAt ? Math.max(0, Math.floor((at - Date.parse(c.oldestQueuedAt)) / 1000)) : null;
      return {
        id,
        name: d?.name ?? { en: id },
        slaMinutes: d?.slaMinutes ?? null,
        autoAssign: d?.autoAssign ?? false,
        defined: d !== undefined,
        members: members.filter((m) => m.queue === id).map((m) => ({ id: m.userId, name: m.name })),
        waiting: c?.waiting ?? 0,
        withAgent: c?.withAgent ?? 0,
        oldestWaitingSeconds: oldest,
        slaBreached: oldest !== null && d?.slaMinutes !== undefined && oldest > d.slaMinutes * 60,
      };
    });
  }

  return {
    listQueues,

    async setMembers(workspaceId, queue, userIds, audit) {
      await db.transaction(async (tx) => {
        const definitions = await listQueueDefinitions(tx, workspaceId);
        if (!definitions.some((d) => d.id === queue)) {
          throw new AppError('queue.not_found', `There is no queue "${queue}" in workspace.yaml (queues: ${definitions.map((d) => d.id).join(', ') || 'none'}).`, { queue });
        }
        const wanted = [...new Set(userIds)];
        const staff = await listInboxStaff(tx, workspaceId, { ids: wanted });
        const missing = wanted.filter((id) => !staff.some((s) => s.id === id));
        if (missing.length > 0) {
          throw new AppError('user.unavailable', `Only enabled people with the agent or admin role can be members; not: ${missing.join(', ')}.`, { userIds: missing });
        }
        const change = await replaceQueueMembers(tx, workspaceId, queue, wanted);
        await appendAudit(tx, [
          { workspaceId, ...audit, action: 'queue.members_changed', object: { type: 'queue', id: queue }, before: { userIds: change.before }, after: { userIds: change.after } },
        ]);
      });
      return (await listQueues(workspaceId)).find((q) => q.id === queue)!;
    },

    async listPeople(workspaceId, opts = {}) {
      const [staff, members] = [await listInboxStaff(db, workspaceId, { hideRestricted: opts.hideRestricted }), await listQueueMembers(db, workspaceId)];
      return staff.map((s) => ({ id: s.id, name: s.name, roles: s.roles, queues: members.filter((m) => m.userId === s.id).map((m) => m.queue), openConversations: s.openConversations }));
    },
  };
}
