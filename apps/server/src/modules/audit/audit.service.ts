/**
 * Use cases of the audit trail: verify the chains (AUD-04) and export a workspace's trail with the verification
 * result (AUD-08). An export is itself audited, in the transaction that reads it.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, type AuditEntry, type AuditExportOptions, computeEntryHash, GENESIS_HASH } from './audit.schemas.js';
import { type AuditFilter, appendAudit, findWorkspaceIdBySlug, listChainPage, listChains, listEntries } from './audit.store.js';
import { toCsv, toJsonl } from './audit-format.js';

const PAGE = 2000;

export interface ChainBreak {
  seq: number;
  id: string;
  problem: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
  message: string;
}

export interface ChainVerification {
  workspaceId: string;
  slug: string | null;
  entries: number;
  headSeq: number;
  headHash: string;
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
export async function verifyAudit(ex: Executor, opts: { workspaceSlug?: string } = {}): Promise<VerifyResult> {
  const workspaceId = opts.workspaceSlug === undefined ? undefined : await getWorkspaceId(ex, opts.workspaceSlug);
  const chains: ChainVerification[] = [];
  for (const chain of await listChains(ex, workspaceId)) {
    chains.push(await verifyChain(ex, chain.workspaceId, chain.slug));
  }
  if (workspaceId && chains.length === 0) {
    chains.push({ workspaceId, slug: opts.workspaceSlug ?? null, entries: 0, headSeq: 0, headHash: GENESIS_HASH });
  }
  return { ok: chains.every((c) => !c.firstBreak), verifiedAt: new Date().toISOString(), chains };
}

async function verifyChain(ex: Executor, workspaceId: string, slug: string | null): Promise<ChainVerification> {
  const result: ChainVerification = { workspaceId, slug, entries: 0, headSeq: 0, headHash: GENESIS_HASH };
  for (;;) {
    const page = await listChainPage(ex, workspaceId, result.headSeq, PAGE);
    for (const e of page) {
      const problem = findBreak(e, result.headSeq, result.headHash);
      if (problem) {
        result.firstBreak = problem;
        return result;
      }
      result.entries++;
      result.headSeq = e.seq;
      result.headHash = e.hash;
    }
    if (page.length < PAGE) {
      return result;
    }
  }
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

export type AuditExportRequest = AuditExportOptions & AuditContext & { workspaceId: string };

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
      chains: [chain ? await verifyChain(tx, chain.workspaceId, chain.slug) : { workspaceId: req.workspaceId, slug: null, entries: 0, headSeq: 0, headHash: GENESIS_HASH }],
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

export interface AuditHasher {
  /** `hmac-sha256:v1:<hex>` of a sensitive string (a phone number, an IP of a contact, a token's fingerprint). */
  hash(value: string): string;
}

/**
 * Keyed hashes for sensitive strings in audit entries (AUD-07, Vault-style HMAC): equal inputs give equal hashes
 * within an installation, so entries can be searched by them, but nothing can be read back. The HMAC key is
 * derived (HKDF-SHA256) from the installation secret key (PARLEY_SECRET_KEY or the demo key file), never the key itself.
 *
 * @example createAuditHasher(resolveKey(config, logger)).hash('+4915112345678') // 'hmac-sha256:v1:3f…'
 */
export function createAuditHasher(secretKey: Buffer): AuditHasher {
  const key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.from('parley'), Buffer.from('parley.audit.hmac.v1'), 32));
  return {
    hash(value) {
      return `hmac-sha256:v1:${createHmac('sha256', key).update(value, 'utf8').digest('hex')}`;
    },
  };
}
