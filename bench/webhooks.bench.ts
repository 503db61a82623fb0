/**
 * Benchmark (a): signed WhatsApp webhooks accepted durably (ARCHITECTURE §11: ≥ 3,000/s on PostgreSQL,
 * p99 ack < 25 ms at 1,000/s). Runs the server with the api role only, so the figure is the request path:
 * verify the signature, parse, store the event and its job in one statement, answer 200.
 *
 *   npm run bench:webhooks                                   # PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:webhooks
 */
import { createHmac } from 'node:crypto';
import { atRate, createChannel, fmt, percentile, post, rssMb, startServer, withConcurrency } from './lib.js';

const APP_SECRET = 'bench-app-secret';
const TOTAL = Number(process.env.BENCH_WEBHOOKS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);

function webhook(i: number, run: string): { body: string; headers: Record<string, string> } {
  const from = String(4917000000000 + (i % 5000));
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '880011223344556', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '4930123456789', phone_number_id: '109876543210987' }, contacts: [{ profile: { name: 'Bench' }, wa_id: from }], messages: [{ from, id: `wamid.bench.${run}.${i}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `Frage ${i}: Wann hat die Praxis geöffnet?` } }] } }] }],
  }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return { body, headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` } };
}

async function main(): Promise<void> {
  const server = await startServer({ roles: 'api' });
  try {
    await createChannel(server, { kind: 'whatsapp', slug: 'bench', phoneNumberId: '109876543210987', accessToken: 'bench-token-1', appSecret: APP_SECRET, verifyToken: 'bench-verify-1' });
    const url = `${server.url}/webhooks/whatsapp/bench`;
    let failures = 0;
    // Warm-up: connections, JIT, caches.
    await withConcurrency(1000, CONCURRENCY, async (i) => {
      const w = webhook(i, 'warm');
      failures += (await post(url, w.body, w.headers)).status === 200 ? 0 : 1;
    });

    // Signed before the clock starts: the load generator shares the 2 cores and is not what we measure.
    const prepared = Array.from({ length: TOTAL }, (_, i) => webhook(i, 'max'));
    const latencies: number[] = [];
    const started = performance.now();
    await withConcurrency(TOTAL, CONCURRENCY, async (i) => {
      const w = prepared[i]!;
      const r = await post(url, w.body, w.headers);
      latencies.push(r.ms);
      failures += r.status === 200 ? 0 : 1;
    });
    const seconds = (performance.now() - started) / 1000;

    const paced: number[] = [];
    await atRate(RATE, RATE_SECONDS, async (i) => {
      const w = webhook(i, 'paced');
      const r = await post(url, w.body, w.headers);
      paced.push(r.ms);
      failures += r.status === 200 ? 0 : 1;
    });

    console.log(`webhooks accepted durably — ${server.database}, server RSS ${rssMb(server.pid)} MB`);
    console.log(`  max rate:   ${fmt(TOTAL / seconds, 0)} webhooks/s (${TOTAL} at concurrency ${CONCURRENCY}); ack p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms`);
    console.log(`  at ${RATE}/s:  ack p50 ${fmt(percentile(paced, 50))} ms, p99 ${fmt(percentile(paced, 99))} ms, max ${fmt(Math.max(...paced))} ms (${paced.length} webhooks over ${RATE_SECONDS} s)`);
    console.log(`  non-200 answers: ${failures}`);
  } finally {
    await server.stop();
  }
}

await main();
