import { createChallenge } from './ids.js';
import type { WebhookVerification } from './types.js';

/**
 * The §1.1 subscription handshake as Meta performs it: `GET <callbackUrl>?hub.mode=subscribe&
 * hub.challenge=<random>&hub.verify_token=<token>`; verified when the endpoint answers 200 with
 * exactly the challenge as body.
 *
 * @example const { verified } = await verifyWebhookEndpoint('http://127.0.0.1:3000/webhooks/whatsapp', 'my-token');
 */
export async function verifyWebhookEndpoint(callbackUrl: string, verifyToken: string, timeoutMs = 10_000): Promise<WebhookVerification> {
  const challenge = createChallenge();
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { verified: res.status === 200 && body === challenge, status: res.status, challenge, body };
  } catch {
    return { verified: false, status: 'error', challenge, body: '' };
  }
}
