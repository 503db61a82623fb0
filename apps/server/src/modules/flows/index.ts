export { publishFlowVersion } from './flow.store.js';
export { createWorkspaceRuntime, isShowable, type WorkspaceRuntime } from './flow-runtime.js';
export { createRuntimeLoader, type RuntimeLoader, type TurnWrite, writeTurns } from './flow-runtime.store.js';
export { renderContent, runTurn, type TurnInput, type TurnResult } from './flow-turn.js';
