/**
 * Tamper evidence beyond the hash chain (AUD-04, AUD-05). A hash chain alone does not show a chain cut short, or
 * replaced by an older copy, by someone who can write the database. So, every few minutes:
 *   - the head of each workspace's chain (seq and hash) is signed with the installation's Ed25519 key and stored as a
 *     checkpoint (append-only table); `audit verify` then refuses a chain shorter than a checkpoint, or whose entry at
 *     a checkpoint's seq has another hash, or a checkpoint whose signature does not hold;
 *   - with PARLEY_AUDIT_ANCHOR_DIR, each checkpoint is also written there as a file that is never overwritten, and the
 *     entries since the last run as a JSON Lines file — a copy outside the database. Point the directory at a
 *     write-once (WORM) mount, or have a separate process ship it off the host; the public key to check the
 *     signatures with is in every checkpoint file.
 * Runs as the job `audit.anchor` (one per 10-minute slot, however many instances) and on demand
 * (`parley audit checkpoint`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { canonicalJson } from '../../platform/canonical.js';
import type { Signer } from '../../platform/crypto.js';
import { type Db, type Executor, query } from '../../platform/db.js';
import type { JobHandler } from '../../platform/job-runner.js';
import { enqueueJobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { listChainPage } from './audit.store.js';

export const AUDIT_ANCHOR_QUEUE = 'audit.anchor';
const SLOT_MS = 10 * 60_000;
const STREAM_BATCH = 5000;

export interface Checkpoint {
  workspaceId: string;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

/** What a checkpoint's signature covers. */
export const checkpointMessage = (c: Pick<Checkpoint, 'workspaceId' | 'seq' | 'hash' | 'at'>) => canonicalJson({ workspaceId: c.workspaceId, seq: c.seq, hash: c.hash, at: c.at });

export async function listCheckpoints(ex: Executor, workspaceId: string): Promise<Checkpoint[]> {
  const rows = await query<Omit<Checkpoint, 'seq'> & { seq: number | string }>(
    ex,
    sql`select workspace_id as "workspaceId", seq, hash, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, key_id as "keyId", signature
        from audit_checkpoints where workspace_id = ${workspaceId} order by seq`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export interface AnchorResult {
  workspaceId: string;
  /** The checkpoint written now; undefined when the chain did not move since the last one. */
  checkpoint?: Checkpoint;
  /** Entries copied to the anchor directory in this run. */
  streamed: number;
}

/** Signs every chain's head that moved since its last checkpoint, and copies it and the new entries out. */
export async function anchorAudit(db: Db, opts: { signer: Signer; anchorDir: string | undefined; now: Date }): Promise<AnchorResult[]> {
  const heads = await query<{ workspaceId: string; seq: number | string; hash: string; lastCheckpoint: number | string | null }>(
    db,
    sql`select distinct on (a.workspace_id) a.workspace_id as "workspaceId", a.seq, a.hash,
               (select max(c.seq) from audit_checkpoints c where c.workspace_id = a.workspace_id) as "lastCheckpoint"
        from audit_log a order by a.workspace_id, a.seq desc`,
  );
  const results: AnchorResult[] = [];
  for (const head of heads) {
    const result: AnchorResult = { workspaceId: head.workspaceId, streamed: 0 };
    if (Number(head.seq) > Number(head.lastCheckpoint ?? 0)) {
      const at = opts.now.toISOString();
      const unsigned = { workspaceId: head.workspaceId, seq: Number(head.seq), hash: head.hash, at };
      const checkpoint: Checkpoint = { ...unsigned, keyId: opts.signer.keyId, signature: opts.signer.sign(checkpointMessage(unsigned)) };
      const inserted = await query<{ id: string }>(
        db,
        sql`insert into audit_checkpoints (workspace_id, seq, hash, at, key_id, signature)
            values (${checkpoint.workspaceId}, ${checkpoint.seq}, ${checkpoint.hash}, ${at}::timestamptz, ${checkpoint.keyId}, ${checkpoint.signature})
            on conflict (workspace_id, seq) do nothing returning id`,
      );
      if (inserted.length > 0) {
        result.checkpoint = checkpoint;
        if (opts.anchorDir) {
          writeOnce(join(opts.anchorDir, 'checkpoints', head.workspaceId), `${String(checkpoint.seq).padStart(12, '0')}.json`, `${JSON.stringify({ ...checkpoint, publicKey: opts.signer.publicKeyPem }, null, 2)}\n`);
        }
      }
    }
    if (opts.anchorDir) {
      result.streamed = await streamEntries(db, head.workspaceId, opts.anchorDir);
    }
    results.push(result);
  }
  return results;
}

/**
 * Copies the entries after the last copied one into new files (`<from>-<to>.jsonl`, never appended to, so a WORM
 * target works). The position is kept in `installation`; a crash between file and position copies a batch twice,
 * which a reader removes by `seq`.
 */
async function streamEntries(db: Db, workspaceId: string, dir: string): Promise<number> {
  const key = `audit.anchor.streamed:${workspaceId}`;
  const [position] = await query<{ seq: number | string }>(db, sql`select (value->>'seq')::bigint as seq from installation where key = ${key}`);
  let after = Number(position?.seq ?? 0);
  let total = 0;
  for (;;) {
    const entries = await listChainPage(db, workspaceId, after, STREAM_BATCH);
    if (entries.length === 0) {
      return total;
    }
    const last = entries.at(-1)!.seq;
    writeOnce(join(dir, 'trail', workspaceId), `${String(entries[0]!.seq).padStart(12, '0')}-${String(last).padStart(12, '0')}.jsonl`, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
    await db.execute(
      sql`insert into installation (key, value) values (${key}, ${JSON.stringify({ seq: last })}::jsonb)
          on conflict (key) do update set value = excluded.value, updated_at = now()`,
    );
    after = last;
    total += entries.length;
  }
}

function writeOnce(dir: string, name: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, name), content, { flag: 'wx', mode: 0o440 });
  } catch (err) {
    // Written by another instance (or before a crash): the file is the record; never overwrite it.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw err;
    }
  }
}

/** The next slot's job; each run schedules the one after (the idempotency key is the slot). */
export async function scheduleAnchor(ex: Executor, now: Date): Promise<void> {
  const slot = Math.floor(now.getTime() / SLOT_MS) * SLOT_MS + SLOT_MS;
  await enqueueJobs(ex, [{ queue: AUDIT_ANCHOR_QUEUE, payload: { slot }, idempotencyKey: `anchor:${slot}`, runAt: new Date(slot), maxAttempts: 3 }]);
}

export function createAnchorJobHandler(deps: { db: Db; signer: Signer; anchorDir: string | undefined; logger: Logger }): JobHandler {
  return async () => {
    const results = await anchorAudit(deps.db, { signer: deps.signer, anchorDir: deps.anchorDir, now: new Date() });
    const signed = results.filter((r) => r.checkpoint).length;
    if (signed > 0) {
      deps.logger.info({ checkpoints: signed, streamed: results.reduce((n, r) => n + r.streamed, 0) }, 'audit checkpoints signed');
    }
    await scheduleAnchor(deps.db, new Date());
    return { kind: 'done' };
  };
}
