/**
 * The composition root: builds every service once from config and the database (STYLE.md: plain functions,
 * no container). Tests build the same graph on their own database.
 */
import type { Config } from './config.js';
import { createChannelService, createSendRateLimiter, type ChannelService, INBOUND_QUEUE, STATUS_QUEUE } from './modules/channels/index.js';
import { AUDIT_ANCHOR_QUEUE, createAnchorJobHandler } from './modules/audit/index.js';
import { createInboundBatchProcessor, createInboundProcessor } from './modules/conversations/index.js';
import { createFlowJobHandler, createHttpCaller, createRuntimeLoader, FLOW_QUEUE, type RuntimeLoader } from './modules/flows/index.js';
import { createDispatcher, createStatusBatchProcessor, DISPATCH_QUEUE } from './modules/outbound/index.js';
import { createSweepJobHandler, PRIVACY_QUEUE } from './modules/privacy/index.js';
import { createTemplateRefreshJobHandler, createTemplateService, TEMPLATE_REFRESH_QUEUE } from './modules/templates/index.js';
import { ensureDefaultWorkspace, type Workspace } from './modules/workspaces/index.js';
import type { SecretBox } from './platform/crypto.js';
import type { Database } from './platform/db.js';
import type { BatchJobHandler, JobHandler } from './platform/job-runner.js';
import type { Logger } from './platform/logger.js';

export interface Deps {
  config: Config;
  database: Database;
  logger: Logger;
  secretBox: SecretBox;
  workspace: Workspace;
  channels: ChannelService;
  /** The flows and content the bot runs on, per workspace (cached). */
  runtimes: RuntimeLoader;
  jobHandlers: Record<string, JobHandler>;
  batchJobHandlers: Record<string, BatchJobHandler>;
  /** Wakes this process's job runner after local enqueues (set once the runner exists). */
  wakeWorkers: () => void;
}

export async function buildDeps(config: Config, database: Database, logger: Logger, secretBox: SecretBox): Promise<Deps> {
  const workspace = await ensureDefaultWorkspace(database.db);
  const channels = createChannelService({ db: database.db, secretBox, publicUrl: config.publicUrl });
  const deps: Deps = {
    config,
    database,
    logger,
    secretBox,
    workspace,
    channels,
    jobHandlers: {},
    runtimes: createRuntimeLoader(database.db),
    batchJobHandlers: {},
    wakeWorkers: () => undefined,
  };
  const wake = () => deps.wakeWorkers();
  const runtimes = deps.runtimes;
  const inbound = { database, channels, runtimes, logger, onEnqueued: wake };
  const dispatcher = createDispatcher({ database, channels, rateLimiter: createSendRateLimiter(database.db), logger, reconcileSeconds: config.sendReconcileSeconds, keyedHash: (v) => secretBox.keyedHash(v) });
  // Every queue of the message path runs in batches of different conversations (ARCHITECTURE §3).
  deps.batchJobHandlers = {
    [INBOUND_QUEUE]: { size: 100, handle: createInboundBatchProcessor(inbound), single: createInboundProcessor(inbound) },
    [STATUS_QUEUE]: { size: 200, handle: createStatusBatchProcessor({ database }) },
    [DISPATCH_QUEUE]: { size: 100, handle: dispatcher.batch, single: dispatcher.single },
  };
  // HTTP calls and timers of flows: one job at a time each (a call may take its whole timeout).
  deps.jobHandlers = {
    // Signed checkpoints of the audit chains and their copy outside the database (AUD-04/05), every 10 minutes.
    [AUDIT_ANCHOR_QUEUE]: createAnchorJobHandler({ db: database.db, signer: secretBox.signer, anchorDir: config.auditAnchorDir, logger }),
    // The nightly retention sweep (GDPR-22), one job per day.
    [PRIVACY_QUEUE]: createSweepJobHandler({ db: database.db, keyedHash: (v) => secretBox.keyedHash(v), logger }),
    [FLOW_QUEUE]: createFlowJobHandler({ database, runtimes, http: createHttpCaller({ allowPrivate: config.flowHttpAllowPrivate }), logger, onEnqueued: wake }),
    // A template status webhook's refresh: the registry takes what the provider holds now (webhooks may be late).
    [TEMPLATE_REFRESH_QUEUE]: createTemplateRefreshJobHandler({ templates: createTemplateService({ db: database.db, channels }), logger }),
  };
  return deps;
}
