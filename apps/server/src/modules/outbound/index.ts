export { createDispatcher } from './dispatcher.service.js';
export { applyStatusEvent, DISPATCH_QUEUE, enqueueOutbound, type OutboundInput } from './outbound.store.js';
