export {
  applyKeywordConsent,
  applyProviderPreference,
  type ConsentDecision,
  type ConsentEventInput,
  consentHistory,
  type ConsentRow,
  consentTextHash,
  storeConsentText,
  type ConsentMethod,
  type ConsentQuery,
  consentStates,
  insertConsentEvents,
  type KeywordConsentInput,
  listLatestConsentTexts,
  recordConsentDecisions,
  type StoredConsentEvent,
  withdrawOnProviderOptOut,
} from './consent.store.js';
export { consentAuditEntries } from './consent.audit.js';
export { consentRoutes } from './consent.routes.js';
export { RecordConsentBody, recordConsent } from './consent.service.js';
