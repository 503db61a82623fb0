export { type AnswerDecision, type AnswerMatcher, type Candidate, createAnswerMatcher, type MatchableItem } from './answer-matcher.js';
export { foldText } from './text-normalise.js';
export { type ApplyOutcome, applyContentItem, listUnanswered, type UnansweredSummary, upsertTopic } from './content.store.js';
