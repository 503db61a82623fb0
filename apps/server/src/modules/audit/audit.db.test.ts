/**
 * The audit trail on a real database (PGlite, or PostgreSQL with DATABASE_URL): the chain, the append-only
 * triggers, tamper detection, fail-closed writes and concurrent appends. Requirement IDs from compliance.md §4.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { type AuditEntryInput, computeEntryHash, GENESIS_HASH } from './audit.schemas.js';
import { createSecretBox } from '../../platform/crypto.js';
import { exportAudit, verifyAudit } from './audit.service.js';
import { appendAudit, listChainPage } from './audit.store.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** A workspace of its own per test, so tests never share a chain. */
async function newWorkspace(): Promise<{ id: string; slug: string }> {
  const slug = `ws-${randomUUID().slice(0, 8)}`;
  const [row] = await query<{ id: string }>(database.db, sql`insert into workspaces (slug, name) values (${slug}, ${slug}) returning id`);
  return { id: row?.id ?? '', slug };
}

function entry(workspaceId: string, n: number, extra: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return { workspaceId, actor: { kind: 'system' }, action: 'send.decided', object: { type: 'message', id: `m-${n}` }, after: { decision: 'allowed', n }, ...extra };
}

async function append(entries: AuditEntryInput[]) {
  return database.db.transaction((tx) => appendAudit(tx, entries));
}

describe('appendAudit', () => {
  it('AUD-02/AUD-04: a batch of 100 entries extends the chain with seq 1…100, each hash over the previous one', async () => {
    const ws = await newWorkspace();
    const stored = await append(Array.from({ length: 100 }, (_, i) => entry(ws.id, i)));
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(stored[0]?.prevHash).toBe(GENESIS_HASH);
    const page = await listChainPage(database.db, ws.id, 0, 1000);
    expect(page).toEqual(stored);
    page.forEach((e, i) => {
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : page[i - 1]?.hash);
      const { prevHash, hash, ...body } = e;
      expect(computeEntryHash(prevHash, body)).toBe(hash);
    });
    const more = await append([entry(ws.id, 100)]);
    expect(more[0]).toMatchObject({ seq: 101, prevHash: stored[99]?.hash });
    expect(await verifyAudit(database.db, { workspaceSlug: ws.slug })).toMatchObject({ ok: true, chains: [{ entries: 101, headSeq: 101 }] });
  });

  it('AUD-07: free-text fields lose control characters, so an entry cannot forge a second log line', async () => {
    const ws = await newWorkspace();
    const [stored] = await append([entry(ws.id, 1, { reason: 'ok\nFAKE ENTRY', source: { userAgent: 'x\u001b[31m' } })]);
    expect(stored?.reason).toBe('ok\uFFFDFAKE ENTRY');
    expect(stored?.sourceUserAgent).toBe('x\uFFFD[31m');
  });

  it('AUD-06: chains stay gapless under 20 parallel transactions appending to the same workspace', async () => {
    const ws = await newWorkspace();
    const other = await newWorkspace();
    await Promise.all(Array.from({ length: 20 }, (_, t) => append([entry(ws.id, t * 10), entry(other.id, t), entry(ws.id, t * 10 + 1)])));
    const result = await verifyAudit(database.db);
    const mine = result.chains.filter((c) => c.workspaceId === ws.id || c.workspaceId === other.id);
    expect(mine.map((c) => [c.entries, c.firstBreak])).toEqual(expect.arrayContaining([[40, undefined], [20, undefined]]));
    expect(mine).toHaveLength(2);
  });

  it('AUD-06: if the audit insert fails, the change it records is rolled back', async () => {
    const ws = await newWorkspace();
    const attempt = database.db.transaction(async (tx) => {
      await tx.execute(sql`update workspaces set name = 'changed' where id = ${ws.id}`);
      // jsonb refuses \u0000: the audit write fails inside the transaction of the change.
      await appendAudit(tx, [entry(ws.id, 1, { after: { bad: 'a\u0000b' } })]);
    });
    await expect(attempt).rejects.toThrow();
    const [row] = await query<{ name: string }>(database.db, sql`select name from workspaces where id = ${ws.id}`);
    expect(row?.name).toBe(ws.slug);
    expect(await listChainPage(database.db, ws.id, 0, 10)).toEqual([]);
  });
});

describe('the database refuses changes to the trail (AUD-03)', () => {
  it.each([
    ['UPDATE', (id: string) => sql`update audit_log set reason = 'edited' where workspace_id = ${id}`],
    ['DELETE', (id: string) => sql`delete from audit_log where workspace_id = ${id}`],
    ['TRUNCATE', () => sql`truncate audit_log`],
  ])('refuses %s', async (op, statement) => {
    const ws = await newWorkspace();
    await append([entry(ws.id, 1)]);
    const error = await database.db.execute(statement(ws.id)).then(() => undefined, (err: unknown) => err as Error & { cause?: Error });
    expect(error?.cause?.message ?? error?.message).toBe(`audit_log is append-only: ${op} refused`);
    expect(await listChainPage(database.db, ws.id, 0, 10)).toHaveLength(1);
  });
});

describe('verify (AUD-04)', () => {
  /** As a database superuser: triggers off, one statement, triggers on — what an attacker with DBA rights can do. */
  async function tamper(statement: ReturnType<typeof sql>) {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger user`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit_log enable trigger user`);
    });
  }

  it('names exactly the entry whose after-value a superuser changed behind the triggers', async () => {
    const ws = await newWorkspace();
    const stored = await append(Array.from({ length: 10 }, (_, i) => entry(ws.id, i)));
    const victim = stored[6];
    await tamper(sql`update audit_log set after = '{"decision":"blocked","n":6}'::jsonb where id = ${victim?.id}`);
    const result = await verifyAudit(database.db, { workspaceSlug: ws.slug });
    expect(result.ok).toBe(false);
    expect(result.chains[0]?.firstBreak).toMatchObject({ seq: 7, id: victim?.id, problem: 'hash_mismatch' });
    expect(result.chains[0]?.entries).toBe(6);
  });

  it('names the gap when a superuser deleted an entry', async () => {
    const ws = await newWorkspace();
    const stored = await append(Array.from({ length: 5 }, (_, i) => entry(ws.id, i)));
    await tamper(sql`delete from audit_log where id = ${stored[2]?.id}`);
    expect((await verifyAudit(database.db, { workspaceSlug: ws.slug })).chains[0]?.firstBreak).toMatchObject({ seq: 4, problem: 'seq_gap' });
  });

  it('a rewritten entry with a recomputed hash still breaks the link of the next one', async () => {
    const ws = await newWorkspace();
    const stored = await append(Array.from({ length: 3 }, (_, i) => entry(ws.id, i)));
    const first = stored[0];
    if (!first) {
      throw new Error('no entry');
    }
    const { prevHash, hash: _old, ...body } = { ...first, after: { decision: 'blocked' } };
    await tamper(sql`update audit_log set after = '{"decision":"blocked"}'::jsonb, hash = ${computeEntryHash(prevHash, body)} where id = ${first.id}`);
    expect((await verifyAudit(database.db, { workspaceSlug: ws.slug })).chains[0]?.firstBreak).toMatchObject({ seq: 2, problem: 'prev_hash_mismatch' });
  });

  it('an unknown workspace is an error, not an empty success', async () => {
    await expect(verifyAudit(database.db, { workspaceSlug: 'no-such-workspace' })).rejects.toMatchObject({ code: 'audit.workspace_not_found' });
  });
});

describe('export (AUD-08)', () => {
  it('JSON Lines: a header with the verification, then entries a third party can re-hash; the export is audited', async () => {
    const ws = await newWorkspace();
    await append([entry(ws.id, 1), entry(ws.id, 2, { action: 'channel.created' }), entry(ws.id, 3)]);
    const exported = await exportAudit(database.db, { format: 'jsonl', workspaceId: ws.id, actionPrefix: 'send.', actor: { kind: 'cli', id: 'officer' } });
    const lines = exported.content.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ auditExport: { count: 2, verification: { ok: true }, filters: { action: 'send.' } } });
    expect(lines.slice(1).map((l) => l.seq)).toEqual([1, 3]);
    const e = lines[1] as unknown as Parameters<typeof computeEntryHash>[1] & { prevHash: string; hash: string };
    expect(computeEntryHash(e.prevHash, e)).toBe(e.hash);
    const chain = await listChainPage(database.db, ws.id, 0, 10);
    expect(chain.at(-1)).toMatchObject({ seq: 4, action: 'audit.exported', actorKind: 'cli', actorId: 'officer', after: { entries: 2, verified: true, format: 'jsonl' } });
  });

  it('CSV: RFC 4180 quoting of commas, quotes and line breaks; formula cells defused; the verification on top', async () => {
    const ws = await newWorkspace();
    await append([entry(ws.id, 1, { reason: 'says "hi", twice', actor: { kind: 'user', id: '=HYPERLINK("x")' }, after: { a: 1, b: 'x,y' } })]);
    const { content } = await exportAudit(database.db, { format: 'csv', workspaceId: ws.id, actor: { kind: 'system' } });
    const lines = content.split('\r\n');
    expect(lines[0]).toMatch(/^# parley audit export .* 1 entries$/);
    expect(lines[2]).toBe('# verification: ok, the chain is intact');
    expect(lines[3]?.startsWith('seq,at,action,outcome,actorKind,actorId')).toBe(true);
    expect(lines[4]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[4]).toContain('"says ""hi"", twice"');
    expect(lines[4]).toContain('"{""a"":1,""b"":""x,y""}"');
  });

  it('filters by time: --since includes, --until excludes', async () => {
    const ws = await newWorkspace();
    const [first] = await append([entry(ws.id, 1)]);
    const at = new Date(first?.at ?? '');
    const since = await exportAudit(database.db, { format: 'jsonl', workspaceId: ws.id, since: at, actor: { kind: 'system' } });
    const until = await exportAudit(database.db, { format: 'jsonl', workspaceId: ws.id, until: at, actor: { kind: 'system' } });
    expect([since.count, until.count]).toEqual([1, 0]);
  });

  it('reports a broken chain in the export itself', async () => {
    const ws = await newWorkspace();
    const [e] = await append([entry(ws.id, 1)]);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger user`);
      await tx.execute(sql`update audit_log set reason = 'forged' where id = ${e?.id}`);
      await tx.execute(sql`alter table audit_log enable trigger user`);
    });
    const exported = await exportAudit(database.db, { format: 'csv', workspaceId: ws.id, actor: { kind: 'system' } });
    expect(exported.verification.ok).toBe(false);
    expect(exported.content.split('\r\n')[2]).toMatch(/^# verification: BROKEN at entry 1: /);
  });
});

describe('keyed hashes (AUD-07)', () => {
  it('are stable per installation key, differ between keys and do not contain the input', () => {
    const key = Buffer.alloc(32, 7);
    const a = createSecretBox(key).keyedHash('+4915112345678');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(createSecretBox(key).keyedHash('+4915112345678')).toBe(a);
    expect(createSecretBox(Buffer.alloc(32, 8)).keyedHash('+4915112345678')).not.toBe(a);
    expect(a).not.toContain('4915112345678');
  });
});
