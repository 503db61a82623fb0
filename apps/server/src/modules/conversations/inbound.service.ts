/**
 * Processes stored inbound events (ARCHITECTURE §3 step 3): one event per transaction, a conversation's events
 * in order (the job ordering key), the job completed in the same transaction — so a crash repeats nothing
 * and loses nothing.
 */
import type { InboundContent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db.js';
import { queryOne } from '../../platform/db.js';
import { completeJob, type Job } from '../../platform/jobs.js';
import type { JobOutcome } from '../../platform/job-runner.js';
import type { Logger } from '../../platform/logger.js';
import type { ChannelService, InboundEvent } from '../channels/index.js';
import { applyStatusEvents, enqueueOutbound, toStatusInput } from '../outbound/index.js';
import { receiveInboundMessage } from './conversation.store.js';

export interface InboundDeps {
  database: Database;
  channels: ChannelService;
  logger: Logger;
  /** Called after a transaction enqueued outbound work (wakes local dispatchers). */
  onEnqueued: () => void;
}

/** Content the bot answers; reactions, system notices and the like get no reply (no loops). */
const ANSWERABLE = new Set<InboundContent['type']>(['text', 'interactive_reply', 'media', 'location', 'contacts', 'order', 'unsupported', 'unknown']);

export function createInboundProcessor(deps: InboundDeps): (job: Job) => Promise<JobOutcome> {
  const { database, channels, logger } = deps;

  return async function processInbound(job: Job): Promise<JobOutcome> {
    const eventId = Number(job.payload.eventId);
    let enqueued = false;
    const stored = await queryOne<{ channelId: string; workspaceId: string; payload: InboundEvent }>(
      database.db,
      sql`select channel_id as "channelId", workspace_id as "workspaceId", payload from inbound_events where id = ${eventId}`,
    );
    // Resolve before the transaction: on PGlite a query outside an open transaction waits for it to end.
    const channel = await channels.getById(stored.channelId);
    const event = stored.payload;
    await database.db.transaction(async (tx) => {
      switch (event.kind) {
        case 'message': {
          const received = await receiveInboundMessage(tx, {
            workspaceId: stored.workspaceId,
            channelId: channel.row.id,
            kind: channel.row.kind,
            address: event.address,
            providerMessageId: event.providerMessageId,
            content: event.content,
            providerTimestamp: new Date(event.timestamp),
            ...(event.profileName ? { profileName: event.profileName } : {}),
            ...(event.replyToProviderId ? { replyToProviderId: event.replyToProviderId } : {}),
          });
          if (!received) {
            throw new Error('contact identity was created concurrently; retrying');
          }
          const autoReply = channel.settings.autoReply;
          // Until the dialog engine lands, the channel's auto-reply exercises the whole path (issue #2).
          if (received.messageId && received.state === 'bot' && typeof autoReply === 'string' && autoReply && ANSWERABLE.has(event.content.type)) {
            await enqueueOutbound(
              tx,
              { workspaceId: stored.workspaceId, conversationId: received.conversationId, channelId: channel.row.id, content: { type: 'text', text: autoReply } },
              { completeJobId: job.id },
            );
            enqueued = true;
            return; // the reply's statement completed this job too
          }
          break;
        }
        case 'status':
          // Statuses normally go to the status queue in batches; one stored before that split still applies here.
          await applyStatusEvents(tx, toStatusInput(stored.workspaceId, channel.row.id, event));
          break;
        case 'error':
          logger.warn({ channel: channel.row.slug, errors: event.errors }, 'provider reported an error for the channel');
          break;
        case 'preference':
        case 'other':
          // Stored in inbound_events; consent (user_preferences) and template status handling arrive with their issues.
          break;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
      await completeJob(tx, job.id);
    });
    if (enqueued) {
      deps.onEnqueued();
    }
    return { kind: 'done', completedInTx: true };
  };
}
