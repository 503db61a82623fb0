export { createInboundProcessor } from './inbound.service.js';
