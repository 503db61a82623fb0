import type { DeliveryPolicy } from './webhooks.js';
import type { FakePhoneNumber, FakeTemplate, FakeUser, WhatsAppFakeOptions } from './types.js';

/** WhatsAppFakeOptions with every default applied. */
export interface ResolvedOptions {
  assumeReachableHosts: Set<string>;
  port: number;
  host: string;
  appSecret: string;
  verifyToken: string | undefined;
  accessTokens: Set<string>;
  wabaId: string;
  phoneNumbers: FakePhoneNumber[];
  templates: FakeTemplate[];
  users: FakeUser[];
  statusDelays: { sent: number; delivered: number };
  /** ms after `delivered`, or false. */
  autoRead: number | false;
  delivery: DeliveryPolicy;
  pairLimit: { burst: number; refillPerSecond: number };
  graphVersionDefault: string;
  now: () => number;
  requireVerifiedWebhook: boolean;
  templateReviewDelayMs: number;
}

export const DEFAULT_WABA_ID = '880011223344556';
export const DEFAULT_RETRY_DELAYS_MS = [0, 1000, 5000, 30000, 60000];

const nonNegative = (value: number | undefined, fallback: number, name: string, problems: string[]): number => {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isFinite(value) || value < 0) {
    problems.push(`${name} must be a finite number >= 0`);
    return fallback;
  }
  return value;
};

/** Applies defaults and validates; throws one Error listing every problem. */
export function resolveOptions(opts: WhatsAppFakeOptions): ResolvedOptions {
  const problems: string[] = [];
  if (typeof opts.appSecret !== 'string' || opts.appSecret === '') {
    problems.push('appSecret is required');
  }
  if (!Array.isArray(opts.accessTokens) || opts.accessTokens.length === 0) {
    problems.push('accessTokens must list at least one token');
  }
  if (!Array.isArray(opts.phoneNumbers) || opts.phoneNumbers.length === 0) {
    problems.push('phoneNumbers must list at least one number');
  }
  const ids = new Set<string>();
  for (const phone of opts.phoneNumbers ?? []) {
    if (!/^\d+$/.test(phone.phoneNumberId)) {
      problems.push(`phoneNumberId "${phone.phoneNumberId}" must be digits`);
    }
    if (ids.has(phone.phoneNumberId)) {
      problems.push(`phoneNumberId "${phone.phoneNumberId}" is configured twice`);
    }
    ids.add(phone.phoneNumberId);
    if (!/\d/.test(phone.displayPhoneNumber)) {
      problems.push(`displayPhoneNumber of ${phone.phoneNumberId} has no digits`);
    }
  }
  const delivery = opts.delivery ?? {};
  const retryDelaysMs = delivery.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  if (!retryDelaysMs.every((d) => Number.isFinite(d) && d >= 0)) {
    problems.push('delivery.retryDelaysMs must contain finite numbers >= 0');
  }
  const duplicateRate = delivery.duplicateRate ?? 0;
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
    problems.push('delivery.duplicateRate must be between 0 and 1');
  }
  const batchSize = delivery.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    problems.push('delivery.batchSize must be an integer >= 1');
  }
  const pairLimit = opts.pairLimit ?? { burst: 45, refillPerSecond: 1 / 6 };
  if (!(pairLimit.burst >= 1) || !(pairLimit.refillPerSecond >= 0)) {
    problems.push('pairLimit needs burst >= 1 and refillPerSecond >= 0');
  }
  const version = opts.graphVersionDefault ?? 'v24.0';
  if (!/^v\d+\.\d+$/.test(version)) {
    problems.push('graphVersionDefault must look like v24.0');
  }
  const resolved: ResolvedOptions = {
    assumeReachableHosts: new Set((opts.assumeReachableHosts ?? []).map((h) => h.toLowerCase())),
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    appSecret: opts.appSecret,
    verifyToken: opts.verifyToken,
    accessTokens: new Set(opts.accessTokens ?? []),
    wabaId: opts.wabaId ?? DEFAULT_WABA_ID,
    phoneNumbers: opts.phoneNumbers ?? [],
    templates: opts.templates ?? [],
    users: opts.users ?? [],
    statusDelays: {
      sent: nonNegative(opts.statusDelaysMs?.sent, 5, 'statusDelaysMs.sent', problems),
      delivered: nonNegative(opts.statusDelaysMs?.delivered, 10, 'statusDelaysMs.delivered', problems),
    },
    autoRead: opts.autoRead === true ? 0 : typeof opts.autoRead === 'number' ? nonNegative(opts.autoRead, 0, 'autoRead', problems) : false,
    delivery: {
      timeoutMs: nonNegative(delivery.timeoutMs, 10_000, 'delivery.timeoutMs', problems),
      retryDelaysMs: [...retryDelaysMs],
      duplicateRate,
      reorder: delivery.reorder ?? false,
      batchSize,
    },
    pairLimit,
    graphVersionDefault: version,
    now: opts.now ?? Date.now,
    requireVerifiedWebhook: opts.requireVerifiedWebhook ?? false,
    templateReviewDelayMs: nonNegative(opts.templateReviewDelayMs, 20, 'templateReviewDelayMs', problems),
  };
  if (problems.length > 0) {
    throw new Error(`Invalid WhatsApp fake options:\n- ${problems.join('\n- ')}`);
  }
  return resolved;
}
