/**
 * Builds a real Parley (services, Fastify app, optionally the job runner) on a fresh test database.
 * Tenant-isolated: every harness has its own database clone.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { buildDeps, type Deps } from '../deps.js';
import { buildApp } from '../http/app.js';
import { createSecretBox } from '../platform/crypto.js';
import { createJobRunner, type JobRunner } from '../platform/job-runner.js';
import { createLogger } from '../platform/logger.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface Harness {
  database: TestDatabase;
  deps: Deps;
  app: FastifyInstance;
  config: Config;
  adminToken: string;
  /** Base URL once `listen()` was called. */
  url: string;
  listen(): Promise<string>;
  startWorkers(opts?: { concurrency?: number }): Promise<JobRunner>;
  close(): Promise<void>;
}

export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const config = loadConfig({ PARLEY_DEMO: 'false', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://parley.test', SEND_RECONCILE_SECONDS: '2', ...env });
  const logger = createLogger(config.logLevel);
  const deps = await buildDeps(config, database, logger, createSecretBox(randomBytes(32)));
  const adminToken = randomBytes(16).toString('hex');
  const app = await buildApp(deps, { adminToken });
  const runners: JobRunner[] = [];
  const harness: Harness = {
    database,
    deps,
    app,
    config,
    adminToken,
    url: '',
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      harness.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      return harness.url;
    },
    async startWorkers(opts = {}) {
      const runner = createJobRunner({
        database,
        handlers: deps.jobHandlers,
        batchHandlers: deps.batchJobHandlers,
        workerId: `test-${randomBytes(3).toString('hex')}`,
        concurrency: opts.concurrency ?? 8,
        leaseSeconds: 30,
        logger,
        pollIntervalMs: 50,
      });
      deps.wakeWorkers = () => runner.wake();
      await runner.start();
      runners.push(runner);
      return runner;
    },
    async close() {
      for (const r of runners) {
        await r.stop();
      }
      await app.close();
      await database.close();
    },
  };
  return harness;
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, label = 'condition'): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
