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
  consentStateDetails,
  type ConsentStateDetail,
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
export { ConsentImportBody, type ConsentImportOutcome, type ConsentImportReport, type DoubleOptInOutcome, type DoubleOptInRequests, RecordConsentBody } from './consent.schemas.js';
export { type ConsentTextVersion, findConsentChannel, findConsentPurpose, findConsentText, recordConsent } from './consent.service.js';
export {
  DEFAULT_DOUBLE_OPT_IN_WORDS,
  DOUBLE_OPT_IN_BUTTONS,
  type DoubleOptInAnswerKind,
  doubleOptInButtonId,
  doubleOptInExpiryDays,
  doubleOptInLanguage,
  doubleOptInReply,
  doubleOptInRequest,
  type DoubleOptInRequestInput,
  doubleOptInWords,
  parseDoubleOptInButtonId,
  purposeLabel,
} from './double-opt-in.js';
export { type DoubleOptInAnswer, findOpenDoubleOptIns, type OpenDoubleOptIn, recordDoubleOptInAnswers } from './double-opt-in.store.js';
