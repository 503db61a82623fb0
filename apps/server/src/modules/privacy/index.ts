export { type ExportLanguage, escapeHtml, renderContactExportHtml } from './privacy-html.js';
export { privacyRoutes } from './privacy.routes.js';
export {
  CONSENT_HISTORY_SCHEMA,
  CONTACT_EXPORT_SCHEMA,
  type ConsentEntry,
  type ConsentHistoryExport,
  type ContactExport,
  type ContactRef,
  type ExportContactOptions,
  type ExportCounts,
  type ExportedConversation,
  type ExportedMessage,
  type ExportFormat,
  type ExportScope,
  exportContact,
  parseContactRef,
  type RenderedExport,
  renderContactExport,
  toConsentHistory,
} from './privacy.service.js';
export { hashAddress, type KeyedHash, normaliseAddress, suppressAddresses, suppressedHashes } from './suppression.store.js';
export { activeRestrictions, isRestrictedSql } from './rights.store.js';
export { DATA_CLASSES, type DataClass, DEFAULT_RETENTION, retentionRules, TABLE_CLASSIFICATION } from './data-classes.js';
export { resolveContactRef } from './contact-ref.js';
export { type ErasureOutcome } from './erasure.service.js';
export { createSweepJobHandler, PRIVACY_QUEUE, runSweep, scheduleSweep, type SweepReport } from './retention.service.js';
export { rightsRoutes } from './rights.routes.js';
export { requestRoutes } from './requests.routes.js';
export { extendRequest, listRequestCases, openAccessRequest, type RequestCase, refuseRequest, verifyRequest } from './requests.service.js';
export { VERIFICATION_METHODS, type VerificationMethod } from './requests.policy.js';
export { advanceLegalHold, eraseContact, liftRestriction, objectToMarketing, requestLegalHold, restrictContact, type RightsDeps } from './rights.service.js';
