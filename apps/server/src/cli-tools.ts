/**
 * What cli.ts lends every command file (cli-*.ts): its database-or-server switch, its admin client, its usage error,
 * and node's parseArgs with its errors turned into usage errors (exit code 2).
 */
import type { Config } from './config.js';
import type { Deps } from './deps.js';

/** The running server that holds the embedded database, as the lock file names it. */
export interface AdminServer {
  pid: number;
  adminUrl: string;
  adminToken: string;
}

export interface CliTools {
  /** Runs `direct` on the database, or — when a live server holds the embedded database — `viaServer` against it. */
  withDatabase<T>(config: Config, direct: (deps: Deps) => Promise<T>, viaServer: (server: AdminServer) => Promise<T>): Promise<T>;
  /** Calls the server's admin API with its token; a problem answer (unless in `acceptStatuses`) becomes an error. */
  callAdmin(server: AdminServer, method: string, path: string, body?: unknown, acceptStatuses?: number[]): Promise<unknown>;
  usageError(message: string): Error;
}

export function parseCliArgs<T>(tools: Pick<CliTools, 'usageError'>, run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw tools.usageError(err instanceof Error ? err.message.replace(/\. To specify.*$/, '') : String(err));
  }
}
