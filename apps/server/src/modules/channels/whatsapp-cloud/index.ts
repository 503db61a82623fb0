export { WhatsAppSecrets, WhatsAppSettings, whatsappCloudAdapter } from './whatsapp.adapter.js';
export { createGraphTemplate, getGraphTemplate, type GraphAccountTarget, type GraphApi, type GraphResult, listGraphTemplates, mapGraphError } from './whatsapp.client.js';
export { signWhatsAppPayload, verifyWhatsAppSignature } from './whatsapp.signature.js';
