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
