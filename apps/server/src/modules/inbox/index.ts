export { findOpening, formatOpening, type Opening } from './business-hours.js';
export { assertVisible, createInboxService, type InboxActor, type InboxService } from './inbox.service.js';
export { inboxActorOf, inboxRoutes } from './inbox.routes.js';
export { seesRestricted } from './inbox.policy.js';
export { createInboxMediaService, type InboxMediaService } from './media.service.js';
export { decideTransition, type Ownership, type OwnershipAction, TRANSITIONS } from './ownership.js';
export { handOffConversations, type HandoffInput, type HandoffReason, reopenConversations } from './ownership.store.js';
export { createQueueService, type QueueService } from './queues.service.js';
