export { upsertContactByIdentity } from './contact.store.js';
