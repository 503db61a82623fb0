/**
 * The dialog engine's public face: the pure `advance`, run-state creation and flow validation.
 */
export { advance, createRunState, DEFAULT_MAX_STEPS } from './engine.js';
export type {
  EngineContext,
  EngineEffect,
  EngineEffectBody,
  EngineEffectType,
  EngineInput,
  EngineResult,
  FlowErrorReason,
  HttpRequestSpec,
  IgnoredReason,
} from './engine.types.js';
export { getEngineTexts, ENGINE_TEXT_LANGUAGES, type EngineTexts } from './engine.texts.js';
export { listNodeReferences, parseFlow, validateFlow, type FlowProblem } from './flow-validate.js';
export { DEFAULT_CALL_TIMEOUT_MS } from './nodes/call.js';
export { DEFAULT_MAX_ATTEMPTS } from './engine.run.js';
