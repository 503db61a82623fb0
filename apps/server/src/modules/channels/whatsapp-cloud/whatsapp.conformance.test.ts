import { createServer, type IncomingMessage, type Server } from 'node:http';
import { startWhatsAppFake } from '@parley/provider-fakes';
import { freePort } from '../../../test/net.js';
import { describeChannelConformance } from '../channel.conformance.js';
import type { WebhookRequest } from '../channel.port.js';
import { type WhatsAppSecrets, WhatsAppSettings, whatsappCloudAdapter } from './whatsapp.adapter.js';

const PNID = '109876543210987';
const USER = '+49 170 1234567';

/** Receives the fake's webhooks and keeps each request exactly as it arrived. */
async function startCapture(): Promise<{ url: string; requests: WebhookRequest[]; server: Server }> {
  const requests: WebhookRequest[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'POST', headers: req.headers, query: {}, rawBody: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`, requests, server };
}

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const found = find();
    if (found !== undefined) {
      return found;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the fake did not deliver ${what}`);
}

describeChannelConformance<WhatsAppSettings, WhatsAppSecrets>('WhatsApp Cloud API', {
  adapter: whatsappCloudAdapter,
  withWrongSecret: (s) => ({ ...s, appSecret: `${s.appSecret}-not` }),
  withWrongCredential: (s) => ({ ...s, accessToken: 'expired-token' }),
  async start() {
    const capture = await startCapture();
    const secrets = { accessToken: 'conformance-token', appSecret: 'conformance-secret', verifyToken: 'conformance-verify' };
    const fake = await startWhatsAppFake({
      ...secrets,
      accessTokens: [secrets.accessToken],
      phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: '4930123456789', webhookUrl: capture.url }],
      templates: [
        {
          name: 'appointment_reminder',
          language: 'de',
          category: 'UTILITY',
          components: [{ type: 'body', text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.', example: { body_text: [['Ana', '5. Januar']] } }],
        },
      ],
      statusDelaysMs: { sent: 2, delivered: 4 },
    });
    const settings = WhatsAppSettings.parse({ phoneNumberId: PNID, apiBaseUrl: fake.url });
    // A port that was free a moment ago and has no listener: connections are refused.
    const closed = await freePort();
    const bodyOf = (r: WebhookRequest) => r.rawBody.toString('utf8');
    return {
      target: { settings, secrets },
      unreachable: { settings: { ...settings, apiBaseUrl: `http://127.0.0.1:${closed}` }, secrets },
      userAddress: USER,
      template: { name: 'appointment_reminder', language: 'de', bodyParameters: 2 },
      // The fake serves its own media; any loopback URL that answers 200 is fetchable for it.
      mediaLink: `${fake.url}/_fake/state`,
      async userSendsText(text) {
        const { id } = await fake.injectInbound({ from: USER.replace(/\D/g, ''), type: 'text', text: { body: text } });
        return waitFor(() => capture.requests.find((r) => bodyOf(r).includes(id)), `inbound ${id}`);
      },
      statusRequest(id, status) {
        return waitFor(() => capture.requests.find((r) => bodyOf(r).includes(id) && bodyOf(r).includes(`"status":"${status}"`)), `${status} for ${id}`);
      },
      async userReads(id) {
        fake.markRead(id);
      },
      async received() {
        return fake.sent({ to: USER.replace(/\D/g, '') }).map((m) => ({ id: m.id, type: m.type }));
      },
      async close() {
        await fake.close();
        await new Promise<void>((r) => capture.server.close(() => r()));
      },
    };
  },
});
