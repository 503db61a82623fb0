/**
 * PGlite does not lock its directory, and two processes on one directory corrupt it (ARCHITECTURE §12).
 * This takes an exclusive lock file holding the owner's pid and how to reach it; a lock whose pid is dead
 * (the owner was killed) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** Where the owning server answers its admin API, when it runs one. */
  adminUrl?: string;
  adminToken?: string;
}

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly owner: LockInfo) {
    super(`The data directory ${dataDir} is in use by another Parley process (pid ${owner.pid}).`);
  }
}

export function lockFilePath(dataDir: string): string {
  return join(dataDir, 'parley.lock');
}

/** Reads the lock of a data directory if a live process holds it. */
export function readLiveLock(dataDir: string): LockInfo | undefined {
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockFilePath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
  return isAlive(info.pid) ? info : undefined;
}

export interface DataDirLock {
  update(extra: Partial<LockInfo>): void;
  release(): void;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockFilePath(dataDir);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return {
        update(extra) {
          Object.assign(info, extra);
          rmSync(path, { force: true });
          const f = openSync(path, 'wx', 0o600);
          writeSync(f, JSON.stringify(info));
          closeSync(f);
        },
        release() {
          const current = readLiveLock(dataDir);
          if (!current || current.pid === process.pid) {
            rmSync(path, { force: true });
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
      const owner = readLiveLock(dataDir);
      if (owner && owner.pid !== process.pid) {
        throw new DataDirLockedError(dataDir, owner);
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
