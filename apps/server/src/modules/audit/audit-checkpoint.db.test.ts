/**
 * AUD-04/AUD-05 on a real database: signed checkpoints catch what the bare hash chain cannot — a chain cut short, or
 * one rebuilt from an entry on by someone with database rights — and a forged checkpoint; the anchor directory
 * receives each checkpoint and the entries as files that are never overwritten.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, verifySignature } from '../../platform/crypto.js';
import { query } from '../../platform/db.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { anchorAudit, checkpointMessage, listCheckpoints } from './audit-checkpoint.js';
import { type AuditEntryInput, computeEntryHash } from './audit.schemas.js';
import { verifyAudit } from './audit.service.js';
import { appendAudit } from './audit.store.js';

let database: TestDatabase;
let dir: string;
const { signer } = createSecretBox(randomBytes(32));
const other = createSecretBox(randomBytes(32)).signer;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'parley-anchor-'));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newWorkspace(): Promise<{ id: string; slug: string }> {
  const slug = `ws-${randomUUID().slice(0, 8)}`;
  const [row] = await query<{ id: string }>(database.db, sql`insert into workspaces (slug, name) values (${slug}, ${slug}) returning id`);
  return { id: row?.id ?? '', slug };
}
const entries = (workspaceId: string, from: number, n: number): AuditEntryInput[] =>
  Array.from({ length: n }, (_, i) => ({ workspaceId, actor: { kind: 'system' }, action: 'send.decided', object: { type: 'message', id: `m-${from + i}` }, after: { n: from + i } }));
const append = (list: AuditEntryInput[]) => database.db.transaction((tx) => appendAudit(tx, list));
const anchor = () => anchorAudit(database.db, { signer, anchorDir: dir, now: new Date() });
const verify = (slug: string, publicKeyPem = signer.publicKeyPem) => verifyAudit(database.db, { workspaceSlug: slug, publicKeyPem });
/** As a database superuser, behind the triggers — what an operator with DBA rights can do. */
async function asSuperuser(statement: ReturnType<typeof sql>): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger user`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger user`);
  });
}

describe('signed audit checkpoints (AUD-04)', () => {
  it('AUD-04 signs the head of each chain that moved, once; the signature holds with the public key only', async () => {
    const ws = await newWorkspace();
    await append(entries(ws.id, 1, 5));
    const first = (await anchor()).find((r) => r.workspaceId === ws.id)!;
    expect(first.checkpoint).toMatchObject({ workspaceId: ws.id, seq: 5, keyId: signer.keyId });
    expect(verifySignature(signer.publicKeyPem, checkpointMessage(first.checkpoint!), first.checkpoint!.signature)).toBe(true);
    expect(verifySignature(other.publicKeyPem, checkpointMessage(first.checkpoint!), first.checkpoint!.signature)).toBe(false);
    expect((await anchor()).find((r) => r.workspaceId === ws.id)?.checkpoint).toBeUndefined(); // nothing new, nothing signed
    expect(await verify(ws.slug)).toMatchObject({ ok: true, chains: [{ entries: 5, checkpoints: { count: 1, latestSeq: 5 } }] });
    const refused = await database.db.execute(sql`update audit_checkpoints set seq = 1 where workspace_id = ${ws.id}`).then(() => undefined, (err: Error & { cause?: Error }) => err.cause?.message ?? err.message);
    expect(refused).toBe('audit_log is append-only: UPDATE refused');
  });

  it('AUD-04 detects a chain cut short: the hash chain alone would still verify', async () => {
    const ws = await newWorkspace();
    await append(entries(ws.id, 1, 8));
    await anchor();
    await asSuperuser(sql`delete from audit_log where workspace_id = ${ws.id} and seq > 6`);
    const result = await verify(ws.slug);
    expect(result.ok).toBe(false);
    expect(result.chains[0]?.firstBreak).toMatchObject({ problem: 'truncated', seq: 7 });
    expect(result.chains[0]?.firstBreak?.message).toContain('entries 7–8 were removed');
  });

  it('AUD-04 detects a chain rebuilt consistently from an entry on (hashes recomputed), at the checkpoint', async () => {
    const ws = await newWorkspace();
    const stored = await append(entries(ws.id, 1, 4));
    await anchor();
    // Rewrite entry 4 and recompute its hash: the chain itself is consistent again.
    const e = stored[3]!;
    const changed = { ...e, after: { n: 999 } };
    const { prevHash, hash: _old, ...body } = changed;
    const hash = computeEntryHash(prevHash, body);
    await asSuperuser(sql`update audit_log set "after" = '{"n":999}'::jsonb, hash = ${hash} where id = ${e.id}`);
    const result = await verify(ws.slug);
    expect(result.chains[0]?.firstBreak).toMatchObject({ problem: 'checkpoint_mismatch', seq: 4 });
  });

  it('AUD-04 refuses a checkpoint not signed by this installation (forged, or inserted by hand)', async () => {
    const ws = await newWorkspace();
    await append(entries(ws.id, 1, 3));
    await anchorAudit(database.db, { signer: other, anchorDir: undefined, now: new Date() });
    expect((await verify(ws.slug)).chains[0]?.firstBreak).toMatchObject({ problem: 'checkpoint_signature', seq: 3 });
    expect((await verify(ws.slug, other.publicKeyPem)).ok).toBe(true);
  });
});

describe('the anchor directory (AUD-04 anchoring, AUD-05 copy outside the database)', () => {
  it('AUD-05 writes each checkpoint and each batch of entries as new files, never rewriting one', async () => {
    const ws = await newWorkspace();
    await append(entries(ws.id, 1, 3));
    await anchor();
    await append(entries(ws.id, 4, 2));
    await anchor();
    const checkpoints = readdirSync(join(dir, 'checkpoints', ws.id)).sort();
    expect(checkpoints).toEqual(['000000000003.json', '000000000005.json']);
    const file = JSON.parse(readFileSync(join(dir, 'checkpoints', ws.id, '000000000005.json'), 'utf8')) as { seq: number; signature: string; publicKey: string; hash: string };
    expect(file).toMatchObject({ seq: 5, publicKey: signer.publicKeyPem });
    expect(file.hash).toBe((await listCheckpoints(database.db, ws.id)).at(-1)?.hash);
    const trail = readdirSync(join(dir, 'trail', ws.id)).sort();
    expect(trail).toEqual(['000000000001-000000000003.jsonl', '000000000004-000000000005.jsonl']);
    const lines = readFileSync(join(dir, 'trail', ws.id, trail[1]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual([4, 5]);
    expect(existsSync(join(dir, 'trail', ws.id, '000000000001-000000000005.jsonl'))).toBe(false);
  });
});
