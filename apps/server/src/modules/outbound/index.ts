export { createDispatcher } from './dispatcher.service.js';
export { applyStatusEvents, DISPATCH_QUEUE, enqueueOutbound, type OutboundInput } from './outbound.store.js';
export { createStatusBatchProcessor, toStatusInput } from './status.service.js';
export { outboundRoutes } from './outbound.routes.js';
export { awaitGateDecisions, blockedSendError, queueMessages, readMessage, SendMessageBody, sendMessage, type SentMessage } from './send.service.js';
export { serviceWindowHours } from './send-gate.service.js';
