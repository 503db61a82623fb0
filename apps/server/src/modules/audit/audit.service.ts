/**
 * Use cases of the audit trail: verify the chains (AUD-04) and export a workspace's trail with the verification
 * result (AUD-08). An export is itself audited, in the transaction that reads it.
 */
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, type AuditEntry, type AuditExportOptions, computeEntryHash, GENESIS_HASH } from './audit.schemas.js';
import { type AuditFilter, appendAudit, findWorkspaceIdBySlug, listChainPage, listChains, listEntries } from './audit.store.js';
import { toCsv, toJsonl } from './audit-format.js';
import { checkpointMessage, listCheckpoints } from './audit-checkpoint.js';
import { verifySignature } from '../../platform/crypto.js';

const PAGE = 2000;

export interface ChainBreak {
  seq: number;
  id: string;
  /** truncated / checkpoint_*: the chain contradicts a signed checkpoint (AUD-04). */
  problem: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'truncated' | 'checkpoint_mismatch' | 'checkpoint_signature';
  message: string;
}

export interface ChainVerification {
  workspaceId: string;
  slug: string | null;
  entries: number;
  headSeq: number;
  headHash: string;
  /** Signed checkpoints checked against the chain (AUD-04); `latestSeq` 0 when there is none yet. */
  checkpoints: { count: number; latestSeq: number };
  /** The first entry where the chain does not hold; absent when it verifies. */
  firstBreak?: ChainBreak;
}

export interface VerifyResult {
  ok: boolean;
  verifiedAt: string;
  chains: ChainVerification[];
}

/**
 * Recomputes every chain (or one workspace's) from its first entry and reports the first entry that breaks it:
 * a gap in `seq`, a `prev_hash` that is not the previous entry's hash, or a hash that does not match the entry.
 *
 * @example const r = await verifyAudit(db, { workspaceSlug: 'default' }); if (!r.ok) console.log(r.chains[0]?.firstBreak);
 */
export async function verifyAudit(ex: Executor, opts: { workspaceSlug?: string; publicKeyPem?: string } = {}): Promise<VerifyResult> {
  const workspaceId = opts.workspaceSlug === undefined ? undefined : await getWorkspaceId(ex, opts.workspaceSlug);
  const chains: ChainVerification[] = [];
  for (const chain of await listChains(ex, workspaceId)) {
    chains.push(await verifyChain(ex, chain.workspaceId, chain.slug, opts.publicKeyPem));
  }
  if (workspaceId && chains.length === 0) {
    chains.push({ workspaceId, slug: opts.workspaceSlug ?? null, entries: 0, headSeq: 0, headHash: GENESIS_HASH, checkpoints: { count: 0, latestSeq: 0 } });
  }
  return { ok: chains.every((c) => !c.firstBreak), verifiedAt: new Date().toISOString(), chains };
}

/**
 * One chain from its first entry; then its signed checkpoints: each must be signed by `publicKeyPem` (when given),
 * name an entry with the same hash, and none may lie beyond the chain's end (a chain cut short).
 */
async function verifyChain(ex: Executor, workspaceId: string, slug: string | null, publicKeyPem: string | undefined): Promise<ChainVerification> {
  const checkpoints = await listCheckpoints(ex, workspaceId);
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const result: ChainVerification = { workspaceId, slug, entries: 0, headSeq: 0, headHash: GENESIS_HASH, checkpoints: { count: checkpoints.length, latestSeq: checkpoints.at(-1)?.seq ?? 0 } };
  const unsigned = publicKeyPem ? checkpoints.find((c) => !verifySignature(publicKeyPem, checkpointMessage(c), c.signature)) : undefined;
  if (unsigned) {
    result.firstBreak = { seq: unsigned.seq, id: `checkpoint:${unsigned.seq}`, problem: 'checkpoint_signature', message: `the checkpoint at entry ${unsigned.seq} is not signed by this installation's key (${unsigned.keyId}): it was forged or altered` };
    return result;
  }
  for (;;) {
    const page = await listChainPage(ex, workspaceId, result.headSeq, PAGE);
    for (const e of page) {
      const checkpoint = bySeq.get(e.seq);
      const problem = findBreak(e, result.headSeq, result.headHash) ??
        (checkpoint && checkpoint.hash !== e.hash ? { seq: e.seq, id: e.id, problem: 'checkpoint_mismatch' as const, message: `entry ${e.seq} is not the entry the checkpoint of ${checkpoint.at} signed: the chain was replaced from there on` } : undefined);
      if (problem) {
        result.firstBreak = problem;
        return result;
      }
      result.entries++;
      result.headSeq = e.seq;
      result.headHash = e.hash;
    }
    if (page.length < PAGE) {
      break;
    }
  }
  const beyond = checkpoints.find((c) => c.seq > result.headSeq);
  if (beyond) {
    result.firstBreak = { seq: result.headSeq + 1, id: `checkpoint:${beyond.seq}`, problem: 'truncated', message: `the chain ends at entry ${result.headSeq}, but a checkpoint of ${beyond.at} signed entry ${beyond.seq}: entries ${result.headSeq + 1}–${beyond.seq} were removed` };
  }
  return result;
}

function findBreak(e: AuditEntry, prevSeq: number, prevHash: string): ChainBreak | undefined {
  const at = { seq: e.seq, id: e.id };
  if (e.seq !== prevSeq + 1) {
    return { ...at, problem: 'seq_gap', message: `entry ${e.seq} follows entry ${prevSeq}: entries ${prevSeq + 1}–${e.seq - 1} are missing` };
  }
  if (e.prevHash !== prevHash) {
    return { ...at, problem: 'prev_hash_mismatch', message: `entry ${e.seq} does not link to the hash of entry ${prevSeq}` };
  }
  const { prevHash: _p, hash: _h, ...body } = e;
  if (computeEntryHash(e.prevHash, body) !== e.hash) {
    return { ...at, problem: 'hash_mismatch', message: `entry ${e.seq} (${e.action}) was changed after it was written: its content does not match its hash` };
  }
  return undefined;
}

export type AuditExportFormat = AuditExportOptions['format'];

export type AuditExportRequest = AuditExportOptions & AuditContext & { workspaceId: string; publicKeyPem?: string };

export interface AuditExport {
  format: AuditExportFormat;
  count: number;
  verification: VerifyResult;
  /** The file: JSON Lines (a header line with the verification, then one entry a line) or CSV (`#` header lines). */
  content: string;
}

/**
 * Exports a workspace's trail in one transaction: verifies its chain, reads the filtered entries and records the
 * export itself (`audit.exported`) — if that record cannot be written, nothing is exported (AUD-06, AUD-08).
 */
export async function exportAudit(db: Db, req: AuditExportRequest): Promise<AuditExport> {
  return db.transaction(async (tx) => {
    const [chain] = await listChains(tx, req.workspaceId);
    const verification: VerifyResult = {
      ok: true,
      verifiedAt: new Date().toISOString(),
      chains: [chain ? await verifyChain(tx, chain.workspaceId, chain.slug, req.publicKeyPem) : { workspaceId: req.workspaceId, slug: null, entries: 0, headSeq: 0, headHash: GENESIS_HASH, checkpoints: { count: 0, latestSeq: 0 } }],
    };
    verification.ok = verification.chains.every((c) => !c.firstBreak);
    const filter: AuditFilter = { workspaceId: req.workspaceId, since: req.since, until: req.until, actionPrefix: req.actionPrefix };
    const entries: AuditEntry[] = [];
    for (let after = 0; ; ) {
      const page = await listEntries(tx, filter, after, PAGE);
      entries.push(...page);
      if (page.length < PAGE) {
        break;
      }
      after = page[page.length - 1]?.seq ?? after;
    }
    const filters = { since: req.since?.toISOString(), until: req.until?.toISOString(), action: req.actionPrefix };
    await appendAudit(tx, [{
      workspaceId: req.workspaceId,
      actor: req.actor,
      correlationId: req.correlationId,
      action: 'audit.exported',
      object: { type: 'audit_log', id: req.workspaceId, version: verification.chains[0]?.headSeq },
      after: { format: req.format, filters, entries: entries.length, verified: verification.ok, headHash: verification.chains[0]?.headHash },
      source: req.source,
    }]);
    const header = { exportedAt: verification.verifiedAt, workspaceId: req.workspaceId, filters, count: entries.length, verification };
    const content = req.format === 'jsonl' ? toJsonl(header, entries) : toCsv(header, entries);
    return { format: req.format, count: entries.length, verification, content };
  });
}

/** The workspace id of a slug; `audit.workspace_not_found` when there is none. */
export async function getWorkspaceId(ex: Executor, slug: string): Promise<string> {
  const id = await findWorkspaceIdBySlug(ex, slug);
  if (!id) {
    throw new AppError('audit.workspace_not_found', `There is no workspace "${slug}".`, { workspace: slug });
  }
  return id;
}
