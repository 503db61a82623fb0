/**
 * Demo mode (`npm start` with no configuration): runs the fake WhatsApp Cloud API in-process and wires a demo
 * channel to it, so the phone simulator chats through Parley's real webhook path without a Meta account.
 */
import { randomBytes } from 'node:crypto';
import { startWhatsAppFake, type WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../platform/errors.js';
import { applyWorkspace } from '../workspaces/index.js';
import { createQueueService } from '../inbox/index.js';
import { createUserService, DEMO_ACCOUNTS, type DemoAccount, ensureDemoAccounts, formatDemoAccounts, type UserService } from '../users/index.js';
import { DEMO_ORDER_SERVICE_HOST } from '../../config.js';
import { type OrderService, startOrderService } from '../../../../../examples/demo/order-service/order-service.js';

export const DEMO_CHANNEL_SLUG = 'demo-whatsapp';
export const DEMO_PHONE_NUMBER_ID = '100000000000001';
export const DEMO_DISPLAY_NUMBER = '4930123456789';
export const DEMO_USER = { waId: '491701234567', name: 'Demo User' };

const AUTO_REPLY =
  'Hallo! 👋 Hier antwortet der Parley-Demo-Service. Ihre Nachricht ist angekommen.\n' +
  'Hello! 👋 This is the Parley demo service. Your message has arrived.';

export interface DemoHandle {
  fake: WhatsAppFake;
  config: { demo: true; channels: Array<{ slug: string; name: string; phoneNumberId: string; displayPhoneNumber: string }>; user: typeof DEMO_USER };
  /** The demo's admin and agent accounts; a password only at the start that created it (print it then). */
  accounts: DemoAccount[];
  /** The example order service the demo's order flows call; absent when its port was taken. */
  orderService: OrderService | undefined;
  close(): Promise<void>;
}

/** The demo workspace shipped in the repository (content library and flows). */
export const DEMO_WORKSPACE_DIR = fileURLToPath(new URL('../../../../../examples/demo', import.meta.url));

/**
 * Starts the fake and creates (first start) or re-points (later starts) the demo channel at it, applies the
 * demo workspace (idempotent: unchanged files change nothing), and creates the demo's admin and agent accounts.
 */
export async function startDemo(deps: Deps, opts: { webhookBaseUrl: string }): Promise<DemoHandle> {
  const applied = await applyWorkspace(deps.database.db, deps.workspace.id, DEMO_WORKSPACE_DIR);
  if (applied.ok) {
    deps.logger.info({ summary: applied.summary }, 'demo workspace applied');
  } else {
    deps.logger.warn({ problems: applied.problems.slice(0, 5) }, 'the demo workspace has problems and was not applied');
  }
  let channel = (await deps.channels.listChannels(deps.workspace.id)).find((c) => c.slug === DEMO_CHANNEL_SLUG);
  if (!channel) {
    const secret = () => randomBytes(24).toString('hex');
    channel = await deps.channels.createChannel(deps.workspace.id, {
      kind: 'whatsapp',
      slug: DEMO_CHANNEL_SLUG,
      name: 'Parley Demo',
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      displayPhoneNumber: DEMO_DISPLAY_NUMBER,
      accessToken: secret(),
      appSecret: secret(),
      verifyToken: secret(),
      apiBaseUrl: 'http://127.0.0.1:1',
      autoReply: AUTO_REPLY,
    });
  }
  const resolved = await deps.channels.getById(channel.id);
  const secrets = resolved.secrets as { accessToken: string; appSecret: string; verifyToken: string };
  const fake = await startWhatsAppFake({
    appSecret: secrets.appSecret,
    verifyToken: secrets.verifyToken,
    accessTokens: [secrets.accessToken],
    phoneNumbers: [
      {
        phoneNumberId: DEMO_PHONE_NUMBER_ID,
        displayPhoneNumber: DEMO_DISPLAY_NUMBER,
        webhookUrl: `${opts.webhookBaseUrl}/webhooks/whatsapp/${DEMO_CHANNEL_SLUG}`,
      },
    ],
    users: [{ waId: DEMO_USER.waId, name: DEMO_USER.name }],
    statusDelaysMs: { sent: 150, delivered: 400 },
    // The demo content links brochures and videos on example.org; offline, the fake counts them as fetchable.
    assumeReachableHosts: ['example.org'],
  });
  // The fake listens on a new port each start: point the channel at it.
  await deps.database.db.execute(
    sql`update channels set settings = jsonb_set(settings, '{apiBaseUrl}', to_jsonb(${fake.url}::text)), updated_at = now() where id = ${channel.id}`,
  );
  deps.channels.forget();
  const orderService = await startDemoOrderService(deps);
  const users = createUserService({ db: deps.database.db, workspaceId: deps.workspace.id, keyedHash: (v) => deps.secretBox.keyedHash(v) });
  const accounts = await ensureDemoAccounts(users);
  await staffDemoQueues(deps, users);
  deps.logger.info(`demo accounts for signing in to the web app:\n${formatDemoAccounts(accounts).join('\n')}`);
  return {
    fake,
    orderService,
    accounts,
    config: {
      demo: true,
      channels: [{ slug: DEMO_CHANNEL_SLUG, name: 'Parley Demo', phoneNumberId: DEMO_PHONE_NUMBER_ID, displayPhoneNumber: DEMO_DISPLAY_NUMBER }],
      user: DEMO_USER,
    },
    close: async () => {
      await orderService?.close();
      await fake.close();
    },
  };
}

/**
 * The order service of examples/demo on the fixed address its flows call (config allows it past the SSRF guard).
 * Another process holding the port (a second demo) is not fatal: the order flows then take their error branch.
 */
async function startDemoOrderService(deps: Deps): Promise<OrderService | undefined> {
  const [host, port] = DEMO_ORDER_SERVICE_HOST.split(':') as [string, string];
  try {
    const service = await startOrderService({ host, port: Number(port) });
    deps.logger.info({ url: service.url }, 'demo order service started');
    return service;
  } catch (err) {
    deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `demo order service could not listen on ${DEMO_ORDER_SERVICE_HOST}; the order-status flow will report service trouble`);
    return undefined;
  }
}

export function requireDemo(demo: DemoHandle | undefined): DemoHandle {
  if (!demo) {
    throw new AppError('demo.unavailable', 'Demo mode is off on this server.');
  }
  return demo;
}

/**
 * The demo agent is a member of every queue nobody staffs yet, so a conversation handed over in the phone simulator
 * shows up in their queue view (and an auto-assigning queue has someone to give it to). An operator's own
 * membership choices are never overwritten.
 */
export async function staffDemoQueues(deps: Deps, users: UserService): Promise<void> {
  const agent = (await users.listUsers()).find((u) => u.email === DEMO_ACCOUNTS.find((a) => a.role === 'agent')?.email);
  if (!agent) {
    return;
  }
  const queues = createQueueService({ db: deps.database.db });
  for (const queue of await queues.listQueues(deps.workspace.id)) {
    if (queue.defined && queue.members.length === 0) {
      await queues.setMembers(deps.workspace.id, queue.id, [agent.id], { actor: { kind: 'system', id: 'demo' } });
    }
  }
}
