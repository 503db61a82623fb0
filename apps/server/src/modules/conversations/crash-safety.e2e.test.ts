/**
 * Crash safety, proven (issue #2, deliverable 10): a worker process is killed with SIGKILL in the middle of a
 * load of inbound messages and restarted; every message is processed exactly once and every reply sent exactly
 * once. On PostgreSQL the API and the worker run as separate processes and only the worker dies; on PGlite one
 * process owns the data directory, so that process dies and the fake's webhook retries cover the gap.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWhatsAppFake, type WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { type Database, openPglite, query } from '../../platform/db.js';
import { createTestDatabase, isPostgresRun, type TestDatabase } from '../../test/db.js';
import { eventually } from '../../test/harness.js';
import { freePort } from '../../test/net.js';

const root = new URL('../../../../../', import.meta.url).pathname;
const bin = join(root, 'apps/server/bin/parley.mjs');
const PNID = '109876543210987';
const secrets = { accessToken: 'token-crash-123', appSecret: 'secret-crash-123', verifyToken: 'verify-crash-123' };
const USERS = 40;
const PER_USER = 5;
const TOTAL = USERS * PER_USER;

let fake: WhatsAppFake;
let testDb: TestDatabase | undefined;
let dataDir: string;
let env: Record<string, string>;
const children: ChildProcess[] = [];

function startProcess(roles: string): ChildProcess {
  const child = spawn(process.execPath, [bin, 'start'], { env: { ...process.env, ...env, ROLES: roles }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', () => undefined);
  if (process.env.CRASH_LOG) {
    child.stdout?.on('data', (d: Buffer) => appendFileSync(process.env.CRASH_LOG!, d));
  } else {
    child.stdout?.resume();
  }
  children.push(child);
  return child;
}

async function waitReady(port: number): Promise<void> {
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok || undefined, 30_000, 'server ready');
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
  testDb = isPostgresRun() ? await createTestDatabase() : undefined;
  env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PARLEY_DEMO: 'false',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
    SEND_RECONCILE_SECONDS: '20',
    JOB_LEASE_SECONDS: '30',
    WORKER_CONCURRENCY: '8',
    ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
  };
  fake = await startWhatsAppFake({
    ...secrets,
    accessTokens: [secrets.accessToken],
    phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: '4930123456789', webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp/crash` }],
    statusDelaysMs: { sent: 5, delivered: 10 },
    delivery: { timeoutMs: 2000, retryDelaysMs: [0, 250, 500, 1000, 1000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000] },
  });
  const out = { log: () => undefined, error: (s: string) => console.error(s) };
  const code = await runCli(
    ['channel', 'add', 'whatsapp', '--slug', 'crash', '--phone-number-id', PNID, '--access-token', secrets.accessToken, '--app-secret', secrets.appSecret, '--verify-token', secrets.verifyToken, '--api-base-url', fake.url, '--auto-reply', 'Antwort', '--mps', '1000'],
    env,
    out,
  );
  expect(code).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      await kill9(c);
    }
  }
  await fake?.close();
  await testDb?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('SIGKILL of the worker mid-load: every message processed once, every reply sent once', async () => {
    const split = Boolean(env.DATABASE_URL);
    const api = split ? startProcess('api') : undefined;
    let worker = startProcess(split ? 'worker,scheduler' : 'api,worker,scheduler');
    await waitReady(Number(env.PORT));

    const sends: Array<Promise<unknown>> = [];
    for (let m = 1; m <= PER_USER; m++) {
      for (let u = 0; u < USERS; u++) {
        sends.push(fake.injectInbound({ from: `49170${String(1000000 + u)}`, type: 'text', text: { body: `msg ${m}` } }));
      }
    }
    await Promise.all(sends);
    await eventually(() => fake.sent().length >= TOTAL / 4 || undefined, 60_000, 'a quarter of the replies');
    await kill9(worker);
    if (process.env.CRASH_LOG) {
      appendFileSync(process.env.CRASH_LOG, `KILLED ${Date.now()}\n`);
    }
    const sentAtKill = fake.sent().length;
    expect(sentAtKill).toBeLessThan(TOTAL);

    worker = startProcess(split ? 'worker,scheduler' : 'api,worker,scheduler');
    if (process.env.CRASH_LOG) {
      const port = Number(env.PORT);
      void eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok || undefined, 30_000).then(() => appendFileSync(process.env.CRASH_LOG!, `READY ${Date.now()}\n`));
    }
    await eventually(() => (fake.sent().length >= TOTAL && fake.pendingDeliveries() === 0) || undefined, 90_000, `all ${TOTAL} replies`);
    await new Promise((r) => setTimeout(r, 4000)); // a late duplicate would show up here

    const sent = fake.sent();
    // Name a duplicate precisely: one message sent twice (same callback id) or a message answered twice.
    const byMessage = new Map<string, number>();
    for (const s of sent) {
      const id = String(s.body.biz_opaque_callback_data);
      byMessage.set(id, (byMessage.get(id) ?? 0) + 1);
    }
    const resent = [...byMessage.entries()].filter(([, n]) => n > 1);
    if (resent.length > 0 && process.env.CRASH_LOG) {
      await kill9(worker);
      const db: Database = testDb ?? (await openPgliteDir(dataDir));
      for (const [id] of resent) {
        appendFileSync(process.env.CRASH_LOG, `\nDUP ${id} ${JSON.stringify(await query(db.db, sql`select status, provider_message_id, error_code, sending_at, created_at, updated_at, attempts from messages where id = ${id}`))}\n`);
        appendFileSync(process.env.CRASH_LOG, `EVENTS ${JSON.stringify(await query(db.db, sql`select e.status, e.provider_message_id, e.received_at, e.message_id from message_status_events e where e.message_id = ${id} or e.provider_message_id in (select provider_message_id from message_status_events where message_id = ${id}) order by id`))}\n`);
        const attempts = sent.filter((x) => x.body.biz_opaque_callback_data === id);
        appendFileSync(process.env.CRASH_LOG, `SENT ${JSON.stringify(attempts.map((x) => ({ id: x.id, createdAt: x.createdAt, statuses: x.statuses })))}\n`);
        const first = attempts[0]?.id ?? '';
        appendFileSync(process.env.CRASH_LOG, `DELIVERIES ${JSON.stringify(fake.webhookLog().filter((w) => w.body.includes(first)).map((w) => ({ at: w.at, status: w.status, attempt: w.attempt })))}\n`);
      }
    }
    expect(resent, 'messages sent more than once').toEqual([]);
    expect(sent).toHaveLength(TOTAL);
    const perUser = new Map<string, number>();
    for (const s of sent) {
      perUser.set(s.to, (perUser.get(s.to) ?? 0) + 1);
    }
    expect([...perUser.values()].every((n) => n === PER_USER)).toBe(true);
    expect(perUser.size).toBe(USERS);

    // The database is closed to us on PGlite while the server runs: stop it, then look.
    await kill9(worker);
    if (api) {
      await kill9(api);
    }
    const db: Database = testDb ?? (await openPgliteDir(dataDir));
    try {
      const [counts] = await query<{ inbound: number; outbound: number; distinct_in: number; dead: number }>(
        db.db,
        sql`select (select count(*)::int from messages where direction = 'in') as inbound,
                   (select count(*)::int from messages where direction = 'out') as outbound,
                   (select count(distinct provider_message_id)::int from messages where direction = 'in') as distinct_in,
                   (select count(*)::int from jobs where status = 'dead') as dead`,
      );
      expect(counts).toEqual({ inbound: TOTAL, outbound: TOTAL, distinct_in: TOTAL, dead: 0 });
    } finally {
      if (!testDb) {
        await db.close();
      }
    }
  }, 180_000);
});

function openPgliteDir(dir: string): Promise<Database> {
  return openPglite({ dataDir: dir });
}

