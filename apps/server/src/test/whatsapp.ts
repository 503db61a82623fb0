/**
 * A harness wired to the protocol-faithful WhatsApp fake over loopback: Parley listens and runs its workers, the
 * fake delivers signed webhooks to it, and one channel points at the fake's Graph API. For end-to-end tests.
 */
import { startWhatsAppFake, type WhatsAppFake, type WhatsAppFakeOptions } from '@parley/provider-fakes';
import { createHarness, type Harness } from './harness.js';

export interface WhatsAppHarness {
  h: Harness;
  fake: WhatsAppFake;
  close(): Promise<void>;
}

export async function createWhatsAppHarness(opts: {
  phoneNumberId: string;
  slug: string;
  env?: Record<string, string>;
  fake?: Partial<WhatsAppFakeOptions>;
  autoReply?: string;
}): Promise<WhatsAppHarness> {
  const secrets = { accessToken: `token-${opts.slug}-123`, appSecret: `secret-${opts.slug}-123`, verifyToken: `verify-${opts.slug}-123` };
  const h = await createHarness(opts.env);
  const url = await h.listen();
  await h.startWorkers();
  const fake = await startWhatsAppFake({
    ...secrets,
    accessTokens: [secrets.accessToken],
    phoneNumbers: [{ phoneNumberId: opts.phoneNumberId, displayPhoneNumber: '4930123456789', webhookUrl: `${url}/webhooks/whatsapp/${opts.slug}` }],
    statusDelaysMs: { sent: 5, delivered: 10 },
    ...opts.fake,
  });
  await h.deps.channels.createChannel(h.deps.workspace.id, {
    kind: 'whatsapp',
    slug: opts.slug,
    phoneNumberId: opts.phoneNumberId,
    ...secrets,
    apiBaseUrl: fake.url,
    ...(opts.autoReply ? { autoReply: opts.autoReply } : {}),
  });
  return {
    h,
    fake,
    async close() {
      await fake.close();
      await h.close();
    },
  };
}
