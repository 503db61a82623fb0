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
  type ChainBreak,
  type ChainVerification,
  exportAudit,
  getWorkspaceId,
  verifyAudit,
  type VerifyResult,
} from './audit.service.js';
export { toCsvCell } from './audit-format.js';
export { AUDIT_ANCHOR_QUEUE, type AnchorResult, anchorAudit, type Checkpoint, createAnchorJobHandler, scheduleAnchor } from './audit-checkpoint.js';
