export { EventSequencer, type SequencerOptions } from './event-sequencer.js';
export { type FeedSocket, startFeedSession } from './feed-session.js';
export { createFeedHub, type FeedAudience, type FeedHub, type FeedHubOptions, type FeedSubscription } from './realtime.hub.js';
export { FEED_ROLES, isAllowedOrigin, mayReadFeed } from './realtime.policy.js';
export { realtimeRoutes, type RealtimeRoutesOptions } from './realtime.routes.js';
export { findEventBounds, INBOX_CHANNEL, listEventsBetween, purgeInboxEvents } from './realtime.store.js';

/** How long the feed's events are kept: a client away for longer reloads its lists (`reset`). */
export const INBOX_EVENTS_RETENTION_SECONDS = 7 * 24 * 3600;
