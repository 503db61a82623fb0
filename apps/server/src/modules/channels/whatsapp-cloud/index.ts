export { WhatsAppSecrets, WhatsAppSettings, whatsappCloudAdapter } from './whatsapp.adapter.js';
export { mapGraphError } from './whatsapp.client.js';
export { signWhatsAppPayload, verifyWhatsAppSignature } from './whatsapp.signature.js';
