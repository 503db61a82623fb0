/**
 * Shared pieces of the benchmarks: run Parley as its own process (as in production), on a fresh PostgreSQL
 * database (DATABASE_URL) or a fresh PGlite directory, and measure latency percentiles and memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;

export interface BenchServer {
  url: string;
  adminToken: string;
  pid: number;
  database: string;
  /** The PostgreSQL URL it runs on (undefined on PGlite): another server can join it (`sharedDatabase`). */
  databaseUrl: string | undefined;
  secretKey: string;
  stop(): Promise<void>;
}

import { freePort } from '../apps/server/src/test/net.js';

export { freePort };

/**
 * Starts `parley start` with the given roles on a database of its own — or, with `sharedDatabase`, as a further
 * process on another server's PostgreSQL database (that server drops it); stops and cleans up after.
 */
export async function startServer(opts: { roles: string; env?: Record<string, string>; sharedDatabase?: BenchServer }): Promise<BenchServer> {
  const port = await freePort();
  const adminToken = randomBytes(16).toString('hex');
  const secretKey = opts.sharedDatabase?.secretKey ?? randomBytes(32).toString('hex');
  const baseUrl = process.env.DATABASE_URL;
  let dbName: string | undefined;
  let dataDir: string | undefined;
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    ROLES: opts.roles,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    PARLEY_DEMO: 'false',
    PARLEY_SECRET_KEY: secretKey,
    PARLEY_ADMIN_TOKEN: adminToken,
    ...opts.env,
  };
  if (opts.sharedDatabase?.databaseUrl) {
    env.DATABASE_URL = opts.sharedDatabase.databaseUrl;
  } else if (baseUrl) {
    dbName = `parley_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    env.PARLEY_DATA_DIR = dataDir;
  }
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // The server's log (JSON lines) goes to a file, so warnings about retries can be read after a run.
  const logPath = join(tmpdir(), `parley-bench-${port}.log`);
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(root, 'apps/server/bin/parley.mjs'), 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  console.log(`(server log: ${logPath})`);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) {
        break;
      }
    } catch {
      // not up yet
    }
    if (Date.now() - started > 60_000 || child.exitCode !== null) {
      throw new Error('the server did not become ready');
    }
    await sleep(100);
  }
  return {
    url,
    adminToken,
    pid: child.pid ?? 0,
    database: env.DATABASE_URL ? 'PostgreSQL' : 'PGlite',
    databaseUrl: env.DATABASE_URL,
    secretKey,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
      if (dbName && baseUrl) {
        const admin = new pg.Client({ connectionString: baseUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
      if (dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export async function createChannel(server: BenchServer, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/api/admin/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) {
    throw new Error(`creating the channel failed: ${res.status} ${await res.text()}`);
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One POST over a keep-alive connection; resolves with the status and the time it took in ms. */
export function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Resident memory of a process in MB (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs `task` at a fixed rate for `seconds`, without waiting for earlier ones (open loop). */
export async function atRate(perSecond: number, seconds: number, task: (i: number) => Promise<void>): Promise<void> {
  const total = Math.round(perSecond * seconds);
  const started = performance.now();
  const running: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) {
      await sleep(wait);
    }
    running.push(task(i));
  }
  await Promise.all(running);
}

/** Runs `total` tasks with at most `concurrency` in flight (closed loop: the maximum rate). */
export async function withConcurrency(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        await task(i);
      }
    }),
  );
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
