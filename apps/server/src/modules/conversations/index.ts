export { createInboundBatchProcessor, createInboundProcessor } from './inbound.service.js';
