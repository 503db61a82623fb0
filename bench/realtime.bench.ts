/**
 * Benchmark: the inbox's realtime feed (issue #5 items 5 and 9: "a message from the fake appears in an open inbox
 * in < 500 ms"). The fake WhatsApp API delivers signed inbound webhooks at a fixed rate to Parley A (all roles, its
 * own process); the bot answers and the statuses come back, as in production. Two feed clients are open: one on A,
 * one on Parley B — a second process with only the API role on the same PostgreSQL, reached through LISTEN/NOTIFY.
 * Latency: inbound injected at the fake → `message.created` received on the WebSocket.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/realtime.bench.ts
 *   BENCH_RATES=50,250 BENCH_RATE_SECONDS=10 (defaults)
 */
import { startWhatsAppFake } from '@parley/provider-fakes';
import pg from 'pg';
import { connectFeed, type FeedClient } from '../apps/server/src/test/feed-client.js';
import { atRate, type BenchServer, createChannel, fmt, percentile, sleep, startServer } from './lib.js';

const RATES = (process.env.BENCH_RATES ?? '50,250').split(',').map(Number);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const PNID = '109876543210777';
const secrets = { accessToken: 'bench-token-rt', appSecret: 'bench-secret-rt', verifyToken: 'bench-verify-rt' };

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('(PGlite: one process only — the second client connects to the same process)');
  }
  const a = await startServer({ roles: 'api,worker,scheduler', env: { WORKER_CONCURRENCY: '32', SEND_RECONCILE_SECONDS: '10' } });
  const b = process.env.DATABASE_URL ? await startServer({ roles: 'api', sharedDatabase: a }) : undefined;
  const fake = await startWhatsAppFake({
    ...secrets,
    accessTokens: [secrets.accessToken],
    phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: '4930123456789', mps: 1000, webhookUrl: `${a.url}/webhooks/whatsapp/bench` }],
    statusDelaysMs: { sent: 1, delivered: 2 },
    delivery: { timeoutMs: 10_000, retryDelaysMs: [0, 200, 500, 1000, 2000, 5000] },
  });
  const clients: FeedClient[] = [];
  try {
    await createChannel(a, { kind: 'whatsapp', slug: 'bench', phoneNumberId: PNID, ...secrets, apiBaseUrl: fake.url, mps: 1000, autoReply: 'Danke für Ihre Nachricht.' });
    const onA = await open(a, clients);
    const onB = b ? await open(b, clients) : onA;
    const injectedAt = new Map<string, number>();

    // Warm-up, not measured.
    await atRate(50, 2, async (i) => {
      await fake.injectInbound({ from: `4915${String(9000000 + i)}`, type: 'text', text: { body: 'Hallo' } });
    });
    await sleep(2000);

    console.log(`realtime feed — ${a.database}, fake inbound → message.created on the WebSocket (the bot answers each message too)`);
    for (const [r, rate] of RATES.entries()) {
      const from = (i: number) => `49${16 + r}${String(1000000 + i)}`;
      const start = { a: onA.events.length, b: onB.events.length };
      await atRate(rate, RATE_SECONDS, async (i) => {
        injectedAt.set(from(i), performance.now());
        await fake.injectInbound({ from: from(i), type: 'text', text: { body: 'Wann hat die Praxis geöffnet?' } });
      });
      await sleep(3000);
      const total = Math.round(rate * RATE_SECONDS);
      const address = await addressesOf(a, [...onA.events.slice(start.a), ...onB.events.slice(start.b)].map((e) => e.conversationId));
      for (const [name, client, from0] of [['A (same process as the workers)', onA, start.a], ['B (another process, LISTEN/NOTIFY)', onB, start.b]] as const) {
        const latencies = client.events
          .slice(from0)
          .filter((e) => e.kind === 'message.created' && e.data.direction === 'in')
          .map((e) => e.receivedAt - (injectedAt.get(address.get(e.conversationId) ?? '') ?? Number.NaN))
          .filter(Number.isFinite);
        const late = latencies.filter((ms) => ms >= 500).length;
        console.log(`  at ${rate}/s, client on ${name}: ${latencies.length}/${total} inbound events, p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(Math.max(...latencies))} ms, ≥ 500 ms: ${late}`);
        if (!b) {
          break;
        }
      }
    }
    if (a.databaseUrl) {
      await reportCompleteness(a.databaseUrl, [['A', onA], ['B', onB]]);
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await fake.close();
    await b?.stop();
    await a.stop();
  }
}

async function open(server: BenchServer, clients: FeedClient[]): Promise<FeedClient> {
  const client = await connectFeed(server.url, { token: server.adminToken });
  clients.push(client);
  client.subscribe(null);
  await client.waitFor((m) => m.type === 'ready', 10_000, 'ready');
  return client;
}

/** Every event the table holds since the clients' first one, against what each client received: none missing, none twice. */
async function reportCompleteness(databaseUrl: string, clients: Array<[string, FeedClient]>): Promise<void> {
  const first = Math.min(...clients.map(([, c]) => c.events[0]?.id ?? Number.MAX_SAFE_INTEGER));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const stored = (await db.query<{ id: string }>('select id from inbox_events where id >= $1 order by id', [first])).rows.map((r) => Number(r.id));
  await db.end();
  for (const [name, client] of clients) {
    const got = client.events.map((e) => e.id);
    const set = new Set(got);
    const since = stored.filter((id) => id >= (got[0] ?? 0));
    const missing = since.filter((id) => !set.has(id)).length;
    const outOfOrder = got.filter((id, i) => i > 0 && id < got[i - 1]!).length;
    console.log(`  client on ${name}: ${got.length} events of ${since.length} in the table since its first — missing ${missing}, twice ${got.length - set.size}, out of id order ${outOfOrder}`);
  }
}

/** conversation id → the contact's address, through the inbox API (after the run, so it does not add load). */
async function addressesOf(server: BenchServer, conversationIds: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const id of new Set(conversationIds)) {
    const res = await fetch(`${server.url}/api/inbox/conversations/${id}?limit=1`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    if (res.ok) {
      const body = (await res.json()) as { conversation: { contact: { address: string } } };
      map.set(id, body.conversation.contact.address);
    }
  }
  return map;
}

await main();
