export { type OpenConversationInput, type OpenedConversation, openConversations } from './conversation.store.js';
export { createInboundBatchProcessor, createInboundProcessor } from './inbound.service.js';
