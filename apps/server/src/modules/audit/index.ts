export {
  type AuditActor,
  type AuditActorKind,
  type AuditContext,
  type AuditEntry,
  type AuditEntryInput,
  type AuditExportOptions,
  type AuditOutcome,
  type AuditSource,
  computeEntryHash,
  GENESIS_HASH,
  parseAuditExportOptions,
  SYSTEM_AUDIT,
} from './audit.schemas.js';
export { appendAudit } from './audit.store.js';
export {
  type AuditExport,
  type AuditExportFormat,
  type AuditHasher,
  type ChainBreak,
  type ChainVerification,
  createAuditHasher,
  exportAudit,
  getWorkspaceId,
  verifyAudit,
  type VerifyResult,
} from './audit.service.js';
export { toCsvCell } from './audit-format.js';
