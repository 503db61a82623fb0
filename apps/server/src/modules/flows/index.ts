export { publishFlowVersion } from './flow.store.js';
export { createWorkspaceRuntime, isShowable, type WorkspaceRuntime } from './flow-runtime.js';
export { createRuntimeLoader, type RuntimeLoader, type TurnWrite, writeTurns } from './flow-runtime.store.js';
export { consentCommand, doubleOptInAnswer, mayAnswerDoubleOptIn } from './flow-consent.js';
export { type PendingEffect, renderContent, toReply, resumeTurn, runTurn, startRun, type TurnInput, type TurnResult } from './flow-turn.js';
export { conversationsAwaitingCall, FLOW_QUEUE, type FlowJobPayload } from './flow-effects.store.js';
export { createHttpCaller, type HttpCaller } from './flow-http.js';
export { createFlowJobHandler } from './flow-jobs.service.js';
export { ESCALATE_OPTION_ID, handoffNotice, handoffOf } from './flow-handoff.js';
