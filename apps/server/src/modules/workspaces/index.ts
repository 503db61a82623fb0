export { type Workspace, ensureDefaultWorkspace } from './workspace.store.js';
export { formatProblems, loadWorkspaceDir, validateFlowFile, type WorkspaceFiles, type WorkspaceProblem } from './workspace-files.js';
export { type ApplyResult, type ApplySummary, applyWorkspace, formatSummary } from './workspace-apply.service.js';
export {
  exportWorkspace,
  findExportTargetProblem,
  formatExportSummary,
  type WorkspaceExport,
  type WrittenExport,
  writeWorkspaceExport,
} from './workspace-export.service.js';
