export { type AnswerDecision, type AnswerMatcher, createAnswerMatcher, type MatchableItem } from './answer-matcher.js';
export { type ApplyOutcome, applyContentItem, listUnanswered, type UnansweredSummary, upsertTopic } from './content.store.js';
