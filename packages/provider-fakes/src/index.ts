export * from './whatsapp/index.js';
