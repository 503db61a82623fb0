export { createDispatcher } from './dispatcher.service.js';
export { applyStatusEvents, DISPATCH_QUEUE, enqueueOutbound, type OutboundInput } from './outbound.store.js';
export { createStatusBatchProcessor, toStatusInput } from './status.service.js';
