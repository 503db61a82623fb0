/**
 * Benchmark: the agents' inbox on PostgreSQL (issue #5 item 9: the list with 10,000 conversations < 300 ms server
 * time; opening a conversation with 1,000 messages < 200 ms). Creates a fresh database, migrates it, seeds 10,000
 * conversations (bot, queued in two queues, with five agents, resolved; three messages each, system events for the
 * ones with people) and one conversation of 1,000 messages with delivery statuses, then times the inbox API in this
 * process (Fastify's inject: server time without the network) and prints p50/p99 per request. Drops the database.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/inbox.bench.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../apps/server/src/config.js';
import { buildDeps } from '../apps/server/src/deps.js';
import { buildApp } from '../apps/server/src/http/app.js';
import { createAuthService } from '../apps/server/src/modules/users/index.js';
import { createSecretBox } from '../apps/server/src/platform/crypto.js';
import { openPostgres, query, toPgArray } from '../apps/server/src/platform/db.js';
import { createLogger } from '../apps/server/src/platform/logger.js';
import { migrate } from '../apps/server/src/platform/migrate.js';
import { fmt, percentile } from './lib.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const BIG = Number(process.env.BENCH_BIG_MESSAGES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const AGENTS = 5;
const NAMES = ['Erika', 'Hans', 'Anna', 'Mehmet', 'Sofia', 'Lukas', 'Marie', 'Jonas', 'Lea', 'Paul'];

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `parley_inbox_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 8);
  try {
    await migrate(database.db);
    const config = loadConfig({ DATABASE_URL: url.toString(), PARLEY_DEMO: 'false', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://parley.bench' });
    const secretBox = createSecretBox(randomBytes(32));
    const deps = await buildDeps(config, database, createLogger('silent'), secretBox);
    const app = await buildApp(deps, { adminToken: randomBytes(16).toString('hex') });
    const started = performance.now();
    const seeded = await seed(deps.database.db, deps.workspace.id, (await deps.channels.createChannel(deps.workspace.id, { kind: 'whatsapp', slug: 'bench', phoneNumberId: '1234567', accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678' })).id);
    console.log(`seeded ${CONVERSATIONS} conversations, ${seeded.messages} messages in ${fmt((performance.now() - started) / 1000)} s`);
    const auth = createAuthService({ db: database.db, workspaceId: deps.workspace.id, keyedHash: (v) => secretBox.keyedHash(v), timeouts: { idleMinutes: 30, maxHours: 12 } });
    const session = await auth.createSession(seeded.agentIds[0]!);
    const get = async (path: string) => {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url: path, headers: { cookie: `parley_session=${session.token}` } });
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) {
        throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
      return { ms, body: res.json() as { conversations?: unknown[]; nextCursor?: string | null; messages?: unknown[] } };
    };
    // A cursor 20 pages deep, for a page in the middle of the list.
    let cursor: string | null | undefined = null;
    for (let i = 0; i < 20; i++) {
      cursor = (await get(`/api/inbox/conversations?view=all&limit=50${cursor ? `&cursor=${cursor}` : ''}`)).body.nextCursor;
    }
    const cases: Array<[string, string, number]> = [
      ['list: all, first page (50)', '/api/inbox/conversations?view=all&limit=50', 50],
      ['list: all, page 21 (cursor)', `/api/inbox/conversations?view=all&limit=50&cursor=${cursor}`, 50],
      ['list: unassigned, longest waiting', '/api/inbox/conversations?view=unassigned&sort=waiting&limit=50', 50],
      ['list: queue hcp-service', '/api/inbox/conversations?view=queue&queue=hcp-service&limit=50', 50],
      ['list: mine', '/api/inbox/conversations?view=mine&limit=50', 50],
      ['list: search a name', '/api/inbox/conversations?q=Muster%204711', 1],
      ['list: search a phone number', `/api/inbox/conversations?q=${encodeURIComponent('+49 170 000 4711')}`, 1],
      ['list: search message text', '/api/inbox/conversations?q=Pen%20Nummer%204711', 1],
      [`open: ${BIG} messages`, `/api/inbox/conversations/${seeded.bigId}?limit=${BIG}`, BIG],
      ['open: 3 messages', `/api/inbox/conversations/${seeded.smallId}`, 3],
    ];
    console.log(`\n${RUNS} runs each (after 10 warm-up runs), server time via inject:`);
    console.log('request'.padEnd(40), 'rows'.padStart(6), 'p50 ms'.padStart(9), 'p99 ms'.padStart(9));
    for (const [label, path, expected] of cases) {
      for (let i = 0; i < 10; i++) {
        await get(path);
      }
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await get(path);
        times.push(r.ms);
        rows = (r.body.conversations ?? r.body.messages ?? []).length;
      }
      if (rows < expected) {
        throw new Error(`${label}: ${rows} rows, expected ${expected}`);
      }
      console.log(label.padEnd(40), String(rows).padStart(6), fmt(percentile(times, 50)).padStart(9), fmt(percentile(times, 99)).padStart(9));
    }
    await app.close();
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** 10,000 conversations in every state, three messages each, events for hand-offs; one long conversation. */
async function seed(db: Parameters<typeof query>[0], workspaceId: string, channelId: string): Promise<{ agentIds: string[]; bigId: string; smallId: string; messages: number }> {
  await db.execute(
    sql`update workspaces set settings = ${JSON.stringify({
      queues: [
        { id: 'patient-service', name: { de: 'Patientenservice' }, slaMinutes: 15, autoAssign: false },
        { id: 'hcp-service', name: { de: 'Fachkreise' }, slaMinutes: 60, autoAssign: false },
      ],
    })}::jsonb where id = ${workspaceId}`,
  );
  const agentIds = Array.from({ length: AGENTS }, () => randomUUID());
  await db.execute(
    sql`insert into users (id, email, name, roles) select id, 'agent' || n || '@bench.example', 'Agent ' || n, array['agent'] from unnest(${toPgArray(agentIds)}::uuid[]) with ordinality as u(id, n)`,
  );
  const g = Array.from({ length: CONVERSATIONS }, (_, i) => i + 1);
  const contactIds = g.map(() => randomUUID());
  const address = (i: number) => `49170${String(i).padStart(7, '0')}`;
  await db.execute(
    sql`insert into contacts (id, workspace_id, display_name, language)
        select id, ${workspaceId}, name, 'de' from unnest(${toPgArray(contactIds)}::uuid[], ${toPgArray(g.map((i) => `${NAMES[i % NAMES.length]} Muster ${i}`))}::text[]) as x(id, name)`,
  );
  await db.execute(
    sql`insert into contact_identities (workspace_id, contact_id, kind, address, profile_name)
        select ${workspaceId}, id, 'whatsapp', address, name from unnest(${toPgArray(contactIds)}::uuid[], ${toPgArray(g.map(address))}::text[], ${toPgArray(g.map((i) => `${NAMES[i % NAMES.length]} ${i}`))}::text[]) as x(id, address, name)`,
  );
  // Every tenth queued (half in each queue), every tenth with an agent, every tenth resolved, the rest with the bot.
  await db.execute(
    sql`insert into conversations (workspace_id, channel_id, contact_id, address, state, queue, assigned_user_id, queued_at, assigned_at, resolved_at, last_inbound_at, last_message_at, created_at)
        select ${workspaceId}, ${channelId}, x.contact, x.address,
               case x.g % 10 when 0 then 'queued' when 1 then 'agent' when 2 then 'resolved' else 'bot' end,
               case when x.g % 10 in (0, 1, 2) then (case when x.g % 20 < 10 then 'patient-service' else 'hcp-service' end) end,
               case when x.g % 10 in (1, 2) then (${toPgArray(agentIds)}::uuid[])[1 + (x.g / 10) % ${AGENTS}] end,
               case when x.g % 10 in (0, 1, 2) then now() - make_interval(secs => x.g) end,
               case when x.g % 10 in (1, 2) then now() - make_interval(secs => x.g / 2) end,
               case when x.g % 10 = 2 then now() - make_interval(secs => x.g / 4) end,
               now() - make_interval(secs => x.g * 3), now() - make_interval(secs => x.g * 3), now() - make_interval(days => 30)
        from unnest(${toPgArray(contactIds)}::uuid[], ${toPgArray(g.map(address))}::text[], ${toPgArray(g.map(String))}::int[]) as x(contact, address, g)`,
  );
  await db.execute(
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status, created_at)
        select c.workspace_id, c.id, c.channel_id, case when s = 2 then 'out' else 'in' end, 'text',
               jsonb_build_object('type', 'text', 'text', case when s = 2 then 'Hier finden Sie die Anleitung.' else 'Frage zum Pen Nummer ' || ltrim(substr(c.address, 6), '0') end),
               case when s = 2 then 'delivered' else 'received' end, c.last_message_at - make_interval(secs => 3 - s)
        from conversations c cross join generate_series(1, 3) s where c.workspace_id = ${workspaceId} order by c.last_message_at, c.id, s`,
  );
  await db.execute(
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status, created_at)
        select workspace_id, id, channel_id, 'event', 'system', jsonb_build_object('type', 'system', 'event', 'conversation.queued', 'state', 'queued', 'queue', queue), 'recorded', queued_at
        from conversations where workspace_id = ${workspaceId} and queued_at is not null`,
  );
  const [big] = await query<{ id: string }>(db, sql`select id from conversations where workspace_id = ${workspaceId} and state = 'agent' order by last_message_at desc limit 1`);
  await db.execute(
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status, provider_message_id, created_at)
        select ${workspaceId}, ${big!.id}, ${channelId}, case when s % 2 = 0 then 'out' else 'in' end, 'text',
               jsonb_build_object('type', 'text', 'text', 'Nachricht ' || s || ' im langen Gespräch'), case when s % 2 = 0 then 'read' else 'received' end,
               'wamid.big.' || s, now() - make_interval(secs => ${BIG} - s)
        from generate_series(1, ${BIG - 3}) s order by s`,
  );
  await db.execute(
    sql`insert into message_status_events (workspace_id, channel_id, message_id, provider_message_id, status, occurred_at)
        select m.workspace_id, m.channel_id, m.id, m.provider_message_id, st, m.created_at + make_interval(secs => n)
        from messages m cross join unnest(array['sent', 'delivered', 'read']) with ordinality as t(st, n)
        where m.conversation_id = ${big!.id} and m.direction = 'out' and m.provider_message_id is not null`,
  );
  await db.execute(sql`analyze`);
  const [small] = await query<{ id: string }>(db, sql`select id from conversations where workspace_id = ${workspaceId} and state = 'bot' limit 1`);
  const [count] = await query<{ n: number }>(db, sql`select count(*)::int as n from messages`);
  return { agentIds, bigId: big!.id, smallId: small!.id, messages: count?.n ?? 0 };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
