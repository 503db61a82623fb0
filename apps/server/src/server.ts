/**
 * Starts Parley with the roles of this process (ARCHITECTURE §9): opens the database (PGlite under a lock file,
 * or PostgreSQL), migrates, wires the services, then runs the API, the workers and the scheduler as configured.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Config } from './config.js';
import { buildDeps, type Deps } from './deps.js';
import { buildApp } from './http/app.js';
import { type DemoHandle, startDemo } from './modules/demo/index.js';
import { createSecretBox, loadOrCreateDemoKey, parseSecretKey } from './platform/crypto.js';
import { acquireDataDirLock, type DataDirLock } from './platform/data-dir-lock.js';
import { type Database, openPglite, openPostgres } from './platform/db.js';
import { createJobRunner, type JobRunner } from './platform/job-runner.js';
import { extendLeases, JOBS_CHANNEL, purgeFinishedJobs } from './platform/jobs.js';
import { scheduleSweep } from './modules/privacy/index.js';
import { scheduleAnchor } from './modules/audit/index.js';
import { INBOX_EVENTS_RETENTION_SECONDS, purgeInboxEvents } from './modules/realtime/index.js';
import { createLogger, type Logger } from './platform/logger.js';
import { migrate } from './platform/migrate.js';

export interface Parley {
  deps: Deps;
  app: FastifyInstance | undefined;
  /** Where the API listens, e.g. http://127.0.0.1:3000 (undefined without the api role). */
  url: string | undefined;
  demo: DemoHandle | undefined;
  workerId: string;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

export async function openDatabase(config: Config, logger: Logger): Promise<{ database: Database; lock: DataDirLock | undefined }> {
  if (config.databaseUrl) {
    const database = await openPostgres(config.databaseUrl, config.dbPoolSize).catch((err: unknown) => {
      throw new StartupError(`Cannot connect to PostgreSQL at DATABASE_URL: ${err instanceof Error ? err.message : String(err)}`);
    });
    return { database, lock: undefined };
  }
  const lock = acquireDataDirLock(config.dataDir);
  try {
    logger.info({ dataDir: config.dataDir }, 'using the embedded database (PGlite)');
    return { database: await openPglite({ dataDir: config.dataDir }), lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}

export async function startParley(config: Config, opts: { logger?: Logger; isTty?: boolean } = {}): Promise<Parley> {
  const format = config.logFormat === 'auto' ? (opts.isTty ? 'pretty' : 'json') : config.logFormat;
  const logger = opts.logger ?? createLogger(config.logLevel, format);
  const { database, lock } = await openDatabase(config, logger);
  const cleanup: Array<() => Promise<void>> = [async () => database.close(), async () => lock?.release()];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) {
      await step().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
    }
  };
  try {
    const applied = await migrate(database.db);
    if (applied.length > 0) {
      logger.info({ applied }, 'database migrated');
    }
    const secretBox = createSecretBox(resolveKey(config, logger));
    const deps = await buildDeps(config, database, logger, secretBox);
    const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

    await registerWorker(deps, workerId);
    const heartbeat = setInterval(() => {
      void database.db.execute(sql`update workers set heartbeat_at = now() where id = ${workerId}`).catch(() => undefined);
      // A live worker keeps its leases: only a stopped one's jobs return to the queue.
      void extendLeases(database.db, workerId, config.jobLeaseSeconds).catch(() => undefined);
    }, 2000);
    cleanup.push(async () => {
      clearInterval(heartbeat);
      await database.db.execute(sql`delete from workers where id = ${workerId}`).catch(() => undefined);
    });

    let runner: JobRunner | undefined;
    if (config.roles.includes('worker')) {
      runner = createJobRunner({ database, handlers: deps.jobHandlers, batchHandlers: deps.batchJobHandlers, workerId, concurrency: config.workerConcurrency, leaseSeconds: config.jobLeaseSeconds, logger });
      deps.wakeWorkers = () => runner?.wake();
      await runner.start();
      cleanup.push(async () => runner?.stop());
    } else {
      // Workers elsewhere: wake them through the database, at most every 20 ms (a hint; they also poll).
      let pending = false;
      deps.wakeWorkers = () => {
        if (!pending) {
          pending = true;
          setTimeout(() => {
            pending = false;
            void database.notify(JOBS_CHANNEL).catch(() => undefined);
          }, 20);
        }
      };
    }
    if (config.roles.includes('scheduler')) {
      // The nightly retention sweep (GDPR-22): each day's job enqueues the next; this makes sure one exists.
      await scheduleSweep(database.db, new Date());
      // Signed audit checkpoints (AUD-04): each slot's job enqueues the next.
      await scheduleAnchor(database.db, new Date());
      const purge = setInterval(() => {
        void purgeFinishedJobs(database.db, 24 * 3600).catch(() => undefined);
        // The realtime feed's events: a client away for longer reloads its lists instead of catching up.
        void purgeInboxEvents(database.db, INBOX_EVENTS_RETENTION_SECONDS).catch(() => undefined);
      }, 10 * 60_000);
      cleanup.push(async () => clearInterval(purge));
    }

    let app: FastifyInstance | undefined;
    let url: string | undefined;
    let demo: DemoHandle | undefined;
    if (config.roles.includes('api')) {
      const adminToken = config.adminToken ?? (lock ? randomBytes(24).toString('hex') : undefined);
      const holder: { demo: DemoHandle | undefined } = { demo: undefined };
      app = await buildApp(deps, { adminToken, getDemo: () => holder.demo, serveWeb: true });
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const reachable = ['0.0.0.0', '::', '127.0.0.1', 'localhost'].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
      url = `http://${reachable}:${port}`;
      cleanup.push(async () => app?.close());
      lock?.update({ adminUrl: url, ...(adminToken ? { adminToken } : {}) });
      if (config.demo) {
        demo = await startDemo(deps, { webhookBaseUrl: url });
        holder.demo = demo;
        cleanup.push(async () => demo?.close());
      }
    }
    return { deps, app, url, demo, workerId, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * The key that seals channel secrets: PARLEY_SECRET_KEY, or in demo mode one generated into the data directory.
 * Required with PostgreSQL outside the demo. The one rule for the server and the CLI.
 */
export function resolveKey(config: Config, logger: Logger): Buffer {
  if (config.secretKey) {
    return parseSecretKey(config.secretKey);
  }
  if (!config.demo && config.databaseUrl) {
    throw new StartupError('PARLEY_SECRET_KEY is required with DATABASE_URL (32 bytes, e.g. `openssl rand -hex 32`); it encrypts channel credentials.');
  }
  const { key, created, path } = loadOrCreateDemoKey(config.dataDir);
  if (created) {
    logger.warn({ path }, 'generated a secret key for channel credentials into the data directory (demo mode); set PARLEY_SECRET_KEY in production');
  }
  return key;
}

async function registerWorker(deps: Deps, workerId: string): Promise<void> {
  const { database, config } = deps;
  if (database.kind === 'pglite') {
    // The lock file makes this the only process on the data directory: leases of earlier ones are void.
    await database.db.execute(sql`delete from workers`);
    await database.db.execute(sql`update jobs set status = 'pending', locked_by = null, locked_until = null where status = 'running'`);
  }
  await database.db.execute(
    sql`insert into workers (id, roles, pid, host) values (${workerId}, ${config.roles.join(',')}, ${process.pid}, ${hostname()})`,
  );
}
