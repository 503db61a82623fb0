import type { InboxQueue } from '@parley/contracts';
import { apiRequest } from '../auth/api-client';

/**
 * Replaces a queue's members (`PUT /api/inbox/queues/:id/members`, admins only) and answers the queue as the list
 * shows it now. Refusals are ApiErrors: `queue.not_found`, `user.unavailable` (details.userIds), `auth.forbidden`.
 * @example const queue = await setQueueMembers('patient-service', [agentId]);
 */
export async function setQueueMembers(queueId: string, userIds: readonly string[]): Promise<InboxQueue> {
  return (await apiRequest<{ queue: InboxQueue }>('PUT', `/api/inbox/queues/${encodeURIComponent(queueId)}/members`, { userIds })).queue;
}
