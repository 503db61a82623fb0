/**
 * Channels: create and list them, resolve a channel for a webhook (cached briefly, the hot path), and open its
 * secrets. Secrets are sealed with the installation key before they touch the database.
 */
import { CreateWhatsAppChannelBody, type ChannelView } from '@parley/contracts';
import type { SecretBox } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit, SYSTEM_AUDIT } from '../audit/index.js';
import type { ChannelAdapter } from './channel.port.js';
import { getAdapter } from './channel.registry.js';
import { type ChannelRow, findChannelById, findChannelBySlug, insertChannel, listChannels, listChannelsByRef } from './channel.store.js';

/** A channel ready to use: its adapter with validated settings and opened secrets. */
export interface ResolvedChannel {
  row: ChannelRow;
  adapter: ChannelAdapter<Record<string, unknown>, Record<string, unknown>>;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

export interface ChannelService {
  /** Creates a channel and its audit entry in one transaction (settings only: secrets never reach the trail). */
  createChannel(workspaceId: string, input: unknown, audit?: AuditContext): Promise<ChannelView>;
  listChannels(workspaceId?: string): Promise<ChannelView[]>;
  /** For webhooks: undefined for an unknown slug. Cached for a few seconds per process. */
  findForWebhook(kind: string, slug: string): Promise<ResolvedChannel | undefined>;
  getById(id: string): Promise<ResolvedChannel>;
  /**
   * Where an event that names another sender than the channel whose URL received it belongs: the channel of that
   * sender verified by the same signing secret (the same provider app), else undefined.
   */
  routeByRef(received: ResolvedChannel, channelRef: string): Promise<ResolvedChannel | undefined>;
  toView(row: ChannelRow): ChannelView;
  /** Drops this process's cache after a change made outside the service. */
  forget(): void;
}

const CACHE_MS = 5_000;

export function createChannelService(deps: { db: Db; secretBox: SecretBox; publicUrl: string }): ChannelService {
  const { db, secretBox } = deps;
  const cache = new Map<string, { at: number; value: ResolvedChannel | undefined }>();
  /** Channels by provider ref (a sender id), for routing one app's webhooks to the channel of their number. */
  const byRef = new Map<string, { at: number; value: ResolvedChannel[] }>();

  function resolve(row: ChannelRow): ResolvedChannel {
    const adapter = getAdapter(row.kind);
    return {
      row,
      adapter,
      settings: adapter.settingsSchema.parse(row.settings),
      secrets: adapter.secretsSchema.parse(JSON.parse(secretBox.open(row.secrets))),
    };
  }

  function toView(row: ChannelRow): ChannelView {
    return {
      id: row.id,
      kind: 'whatsapp',
      slug: row.slug,
      name: row.name,
      status: row.status,
      webhookUrl: `${deps.publicUrl}/webhooks/${row.kind}/${row.slug}`,
      settings: row.settings,
      createdAt: new Date(row.createdAt).toISOString(),
    };
  }

  async function cached(key: string, load: () => Promise<ChannelRow | undefined>): Promise<ResolvedChannel | undefined> {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) {
      return hit.value;
    }
    const row = await load();
    const value = row ? resolve(row) : undefined;
    cache.set(key, { at: Date.now(), value });
    return value;
  }

  return {
    toView,
    forget: () => {
      cache.clear();
      byRef.clear();
    },
    async createChannel(workspaceId, input, audit = SYSTEM_AUDIT) {
      const parsed = CreateWhatsAppChannelBody.safeParse(input);
      if (!parsed.success) {
        throw new AppError('validation.failed', 'The channel is not valid.', {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      const b = parsed.data;
      const adapter = getAdapter(b.kind);
      const settings = adapter.settingsSchema.parse({
        phoneNumberId: b.phoneNumberId,
        displayPhoneNumber: b.displayPhoneNumber?.replace(/\D/g, ''),
        apiBaseUrl: b.apiBaseUrl,
        apiVersion: b.apiVersion,
        mps: b.mps,
        autoReply: b.autoReply,
      });
      const secrets = adapter.secretsSchema.parse({ accessToken: b.accessToken, appSecret: b.appSecret, verifyToken: b.verifyToken });
      const row = await db.transaction(async (tx) => {
        const inserted = await insertChannel(tx, {
          workspaceId,
          kind: b.kind,
          slug: b.slug,
          name: b.name ?? b.slug,
          settings,
          secrets: secretBox.seal(JSON.stringify(secrets)),
          providerRef: adapter.channelRef(settings),
          rateTokens: Number(settings.mps ?? 1),
        });
        if (!inserted) {
          throw new AppError('channel.slug_taken', `A ${b.kind} channel with the slug "${b.slug}" exists already.`, { slug: b.slug });
        }
        // AUD-07: the entry names which secrets were set, never their values.
        await appendAudit(tx, [{
          workspaceId,
          ...audit,
          action: 'channel.created',
          object: { type: 'channel', id: inserted.id },
          after: { kind: inserted.kind, slug: inserted.slug, name: inserted.name, settings: inserted.settings, secretsSet: Object.keys(secrets).sort() },
        }]);
        return inserted;
      });
      cache.clear();
      byRef.clear();
      return toView(row);
    },
    async listChannels(workspaceId) {
      return (await listChannels(db, workspaceId)).map(toView);
    },
    findForWebhook(kind, slug) {
      return cached(`${kind}/${slug}`, () => findChannelBySlug(db, kind, slug));
    },
    async routeByRef(received, channelRef) {
      const key = `${received.row.kind}:${channelRef}`;
      let hit = byRef.get(key);
      if (!hit || Date.now() - hit.at >= CACHE_MS) {
        hit = { at: Date.now(), value: (await listChannelsByRef(db, received.row.kind, channelRef)).map(resolve) };
        byRef.set(key, hit);
      }
      // Same provider app: the signature that admitted the request would also have admitted it at that channel.
      const secret = received.adapter.signingSecret(received.secrets);
      return hit.value.find((c) => c.adapter.signingSecret(c.secrets) === secret);
    },
    async getById(id) {
      const found = await cached(`id:${id}`, () => findChannelById(db, id));
      if (!found) {
        throw new AppError('channel.not_found', `Channel ${id} does not exist.`);
      }
      return found;
    },
  };
}
