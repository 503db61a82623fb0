import { resolve } from 'node:path';
import { z } from 'zod';

const roleNames = ['api', 'worker', 'scheduler'] as const;
export type Role = (typeof roleNames)[number];

/** Where demo mode runs the example order service (examples/demo/order-service) that its flows call. */
export const DEMO_ORDER_SERVICE_HOST = '127.0.0.1:4599';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'auto'])
  .transform((v) => (v === 'auto' ? 'auto' : ['true', '1', 'yes'].includes(v)));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Default: 0.0.0.0, but 127.0.0.1 in demo mode (its simulator routes need no login). */
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL, e.g. https://parley.example.org' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  PARLEY_SECRET_KEY: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)')
    .optional(),
  ROLES: z
    .string()
    .default('api,worker,scheduler')
    .transform((v, ctx) => {
      const roles = v.split(',').map((r) => r.trim()).filter(Boolean);
      const bad = roles.filter((r) => !(roleNames as readonly string[]).includes(r));
      if (bad.length > 0 || roles.length === 0) {
        ctx.addIssue({ code: 'custom', message: `unknown role(s) ${bad.join(', ') || '(none)'}; use a comma list of ${roleNames.join(', ')}` });
        return z.NEVER;
      }
      return [...new Set(roles)] as Role[];
    }),
  /** `auto`: readable lines at a terminal, JSON lines otherwise (log collectors). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARLEY_DEMO: boolish.default('auto'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(16),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /**
   * How long a send of unknown outcome (the process died during the HTTP call) waits for the provider's status
   * webhook before it is sent again. Providers redeliver webhooks after an outage with growing gaps, in order per
   * user, so this must outlast their catch-up: shorter risks a duplicate, longer delays a reply that never left.
   */
  SEND_RECONCILE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** Bearer token for the admin API (/api/admin). With PGlite a random one is made per start and kept in the lock file for the CLI. */
  PARLEY_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(3 * 1024 * 1024),
  /** A web session ends after this many minutes without a request (SEC-07). */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** … and this many hours after sign-in, however active (SEC-07). */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto (client address for limits and audit; Secure cookies). */
  TRUST_PROXY: z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v)).default(false),
  /**
   * Hosts a flow's `call` node may reach although they are loopback or private addresses (the SSRF guard blocks
   * those by default): a comma list of `host` or `host:port`. Demo mode allows its order service, 127.0.0.1:4599.
   */
  /**
   * AUD-04/AUD-05: a directory outside the database — ideally a write-once (WORM) mount or one a separate process ships
   * off the host — that receives every signed checkpoint (files never overwritten) and the trail as JSON Lines.
   */
  PARLEY_AUDIT_ANCHOR_DIR: z.string().min(1).optional(),
  FLOW_HTTP_ALLOW_PRIVATE: z
    .string()
    .transform((v, ctx) => {
      const entries = v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
      const bad = entries.filter((h) => !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(h));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `not a host or host:port: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return entries;
    })
    .optional(),
});

export type Config = {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string | undefined;
  roles: Role[];
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  logFormat: 'auto' | 'json' | 'pretty';
  demo: boolean;
  dbPoolSize: number;
  workerConcurrency: number;
  jobLeaseSeconds: number;
  sendReconcileSeconds: number;
  webhookBodyLimitBytes: number;
  adminToken: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  trustProxy: boolean;
  /** `host` or `host:port` entries a flow may call although private (see FLOW_HTTP_ALLOW_PRIVATE). */
  flowHttpAllowPrivate: string[];
  /** Where audit checkpoints and the trail are copied outside the database (PARLEY_AUDIT_ANCHOR_DIR); none when unset. */
  auditAnchorDir: string | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses the environment once into a typed config. The only reader of `process.env` in the server.
 * Collects every problem and throws one ConfigError naming them all.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const port = e.PORT;
  const demo = e.PARLEY_DEMO === 'auto' ? e.DATABASE_URL === undefined : e.PARLEY_DEMO;
  return {
    port,
    host: e.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.PARLEY_DATA_DIR),
    secretKey: e.PARLEY_SECRET_KEY,
    roles: e.ROLES,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    demo,
    dbPoolSize: e.DB_POOL_SIZE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
    sendReconcileSeconds: e.SEND_RECONCILE_SECONDS,
    webhookBodyLimitBytes: e.WEBHOOK_BODY_LIMIT_BYTES,
    adminToken: e.PARLEY_ADMIN_TOKEN,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    trustProxy: e.TRUST_PROXY,
    flowHttpAllowPrivate: e.FLOW_HTTP_ALLOW_PRIVATE ?? (demo ? [DEMO_ORDER_SERVICE_HOST] : []),
    auditAnchorDir: e.PARLEY_AUDIT_ANCHOR_DIR === undefined ? undefined : resolve(e.PARLEY_AUDIT_ANCHOR_DIR),
  };
}
