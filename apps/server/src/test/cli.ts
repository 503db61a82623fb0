/**
 * What the CLI tests share: temporary data directories removed after the file, things to close, and a captured
 * console (`runCli(args, env, kit.capture().out)`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface CliTestKit {
  /** A fresh directory, removed after the test file. */
  tempDir(): string;
  /** Servers, harnesses … closed after the test file. */
  closers: Array<{ close(): Promise<void> }>;
  capture(): { out: { log: (s: string) => void; error: (s: string) => void }; lines: string[]; errors: string[] };
}

/** Call once at the top of a test file. */
export function useCliTestKit(prefix: string): CliTestKit {
  const dirs: string[] = [];
  const closers: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const c of closers) {
      await c.close();
    }
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  return {
    tempDir() {
      const dir = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
      dirs.push(dir);
      return dir;
    },
    closers,
    capture() {
      const lines: string[] = [];
      const errors: string[] = [];
      return { out: { log: (s: string) => lines.push(s), error: (s: string) => errors.push(s) }, lines, errors };
    },
  };
}
