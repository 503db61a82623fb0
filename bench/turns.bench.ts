/**
 * Benchmark (b): bot turns end to end (ARCHITECTURE §11: ≥ 500 turns/s; p99 < 150 ms at 250 turns/s).
 * A turn: the fake WhatsApp API delivers a signed inbound webhook → Parley stores it, a worker processes it and
 * queues the reply → the dispatcher sends it to the fake → the fake's sent/delivered status webhooks come back
 * and are processed. Latency is inbound injection → reply received by the fake. The server runs as its own
 * process with all roles, the fake in this process, on a channel of 1,000 messages per second.
 *
 *   npm run bench:turns                                      # PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:turns
 */
import { startWhatsAppFake } from '@parley/provider-fakes';
import { atRate, createChannel, fmt, percentile, rssMb, sleep, startServer, withConcurrency } from './lib.js';

const TURNS = Number(process.env.BENCH_TURNS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 250);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const PNID = '109876543210987';
const MESSAGE_PATH_QUEUES = ['inbound.process', 'inbound.status', 'outbound.dispatch', 'flow.resume'];
const secrets = { accessToken: 'bench-token-1', appSecret: 'bench-secret-1', verifyToken: 'bench-verify-1' };

async function main(): Promise<void> {
  // A short reconcile window: a send of unknown outcome (e.g. a connection dropped mid-request) must not hold the
  // run for the 120 s production default. Such resends are counted below as replies beyond one per turn.
  const reconcile = process.env.SEND_RECONCILE_SECONDS ?? '10';
  const server = await startServer({ roles: 'api,worker,scheduler', env: { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '32', SEND_RECONCILE_SECONDS: reconcile } });
  const fake = await startWhatsAppFake({
    ...secrets,
    accessTokens: [secrets.accessToken],
    phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: '4930123456789', mps: 1000, webhookUrl: `${server.url}/webhooks/whatsapp/bench` }],
    statusDelaysMs: { sent: 1, delivered: 2 },
    delivery: { timeoutMs: 10_000, retryDelaysMs: [0, 200, 500, 1000, 2000, 5000] },
  });
  try {
    await createChannel(server, { kind: 'whatsapp', slug: 'bench', phoneNumberId: PNID, ...secrets, apiBaseUrl: fake.url, mps: 1000, autoReply: 'Danke für Ihre Nachricht. Wir melden uns.' });
    const injectedAt = new Map<string, number>();
    const latencies: number[] = [];
    const timeline: Array<[number, number]> = [];
    fake.on((e) => {
      if (e.type !== 'sent') {
        return;
      }
      const to = (e.data.message as { to: string }).to;
      const t0 = injectedAt.get(to);
      if (t0 !== undefined) {
        latencies.push(performance.now() - t0);
        timeline.push([t0, performance.now() - t0]);
        injectedAt.delete(to);
      }
    });
    const turn = async (user: string) => {
      injectedAt.set(user, performance.now());
      await fake.injectInbound({ from: user, type: 'text', text: { body: 'Wann hat die Praxis geöffnet?' } });
    };
    const stats = async () => (await (await fetch(`${server.url}/api/admin/stats`, { headers: { authorization: `Bearer ${server.adminToken}` } })).json()) as {
      jobs: Record<string, Record<string, number>>;
      messages: Record<string, Record<string, number>>;
    };
    const settled = async (expected: number, timeoutMs: number) => {
      const started = Date.now();
      for (;;) {
        const s = await stats();
        const delivered = s.messages.out?.delivered ?? 0;
        // The message path's queues only: the scheduler's jobs (retention sweep, audit anchor) wait for their time.
        const pending = MESSAGE_PATH_QUEUES.reduce((a, name) => a + (s.jobs[name]?.pending ?? 0) + (s.jobs[name]?.running ?? 0), 0);
        if (delivered >= expected && pending === 0 && fake.pendingDeliveries() === 0) {
          return;
        }
        if (Date.now() - started > timeoutMs) {
          throw new Error(`not settled: delivered ${delivered}/${expected}, jobs pending ${pending}, webhooks pending ${fake.pendingDeliveries()}`);
        }
        await sleep(50);
      }
    };

    // Warm-up.
    await withConcurrency(300, 50, (i) => turn(`4915${String(9000000 + i)}`));
    await settled(300, 60_000);
    latencies.length = 0; // warm-up turns are not measured
    timeline.length = 0;

    // Paced: latency at a fixed rate.
    await atRate(RATE, RATE_SECONDS, (i) => turn(`4916${String(1000000 + i)}`));
    await settled(300 + RATE * RATE_SECONDS, 60_000);
    const paced = latencies.splice(0);
    if (process.env.BENCH_DEBUG) {
      const start = Math.min(...timeline.map(([t]) => t));
      const bySecond = new Map<number, number[]>();
      for (const [t, ms] of timeline.splice(0)) {
        const sec = Math.floor((t - start) / 1000);
        bySecond.set(sec, [...(bySecond.get(sec) ?? []), ms]);
      }
      for (const [sec, list] of [...bySecond.entries()].sort((a, b) => a[0] - b[0])) {
        console.log(`  second ${sec}: n=${list.length} p50 ${fmt(percentile(list, 50))} p99 ${fmt(percentile(list, 99))} max ${fmt(Math.max(...list))}`);
      }
    }

    // Maximum: as many turns as the machine takes, until every reply is delivered and every status processed.
    const started = performance.now();
    await withConcurrency(TURNS, CONCURRENCY, (i) => turn(`4917${String(1000000 + i)}`));
    await settled(300 + RATE * RATE_SECONDS + TURNS, 300_000);
    const seconds = (performance.now() - started) / 1000;
    const s = await stats();
    const failed = (s.messages.out?.failed ?? 0) + Object.values(s.jobs).reduce((a, q) => a + (q.dead ?? 0), 0);

    console.log(`bot turns end to end — ${server.database}, server RSS ${rssMb(server.pid)} MB`);
    console.log(`  max rate:   ${fmt(TURNS / seconds, 0)} turns/s (${TURNS} turns, ${CONCURRENCY} users in flight, all replies delivered and statuses processed); reply latency p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms`);
    console.log(`  at ${RATE}/s:   reply latency p50 ${fmt(percentile(paced, 50))} ms, p99 ${fmt(percentile(paced, 99))} ms (${paced.length} turns over ${RATE_SECONDS} s)`);
    const turns = 300 + RATE * RATE_SECONDS + TURNS;
    console.log(`  replies at the fake: ${fake.sent().length} for ${turns} turns (reconcile window ${reconcile} s), failed messages or dead jobs: ${failed}`);
  } finally {
    await fake.close();
    await server.stop();
  }
}

await main();
