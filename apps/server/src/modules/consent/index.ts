export {
  applyKeywordConsent,
  applyProviderPreference,
  type ConsentDecision,
  type ConsentEventInput,
  consentHistory,
  type ConsentMethod,
  type ConsentQuery,
  consentStates,
  insertConsentEvents,
  type KeywordConsentInput,
  type StoredConsentEvent,
} from './consent.store.js';
export { consentAuditEntries } from './consent.audit.js';
