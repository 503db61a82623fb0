/**
 * The ONE conformance suite every channel adapter runs against its protocol-faithful provider fake
 * (ARCHITECTURE §4, STYLE.md after hono's router suite). An adapter passes when real provider traffic —
 * webhooks the fake signs and sends, sends the fake validates — goes through verify/parse/render/send intact.
 */
import type { OutboundContent } from '@parley/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelTarget, InboundEvent, WebhookRequest } from './channel.port.js';

export interface ProviderSession<S, Sec> {
  target: ChannelTarget<S, Sec>;
  /** The user's address as the provider writes it (the adapter normalises it). */
  userAddress: string;
  /** Makes the provider deliver an inbound text from the user; resolves with the captured webhook request. */
  userSendsText(text: string): Promise<WebhookRequest>;
  /** The captured webhook requests carrying a status for this provider message id, once `status` arrived. */
  statusRequest(providerMessageId: string, status: 'sent' | 'delivered' | 'read'): Promise<WebhookRequest>;
  /** The user reads a business message (drives read receipts). */
  userReads(providerMessageId: string): Promise<void>;
  /** Payloads the provider accepted for the user, oldest first. */
  received(): Promise<Array<{ id: string; type: string }>>;
  /** An approved template the provider knows, with its body parameter count. */
  template: { name: string; language: string; bodyParameters: number };
  /** A media URL the provider can fetch. */
  mediaLink: string;
  /** The target pointed at an address where no provider answers. */
  unreachable: ChannelTarget<S, Sec>;
  close(): Promise<void>;
}

export interface ConformanceOptions<S, Sec> {
  adapter: ChannelAdapter<S, Sec>;
  start(): Promise<ProviderSession<S, Sec>>;
  /** Secrets with the signing secret changed, to prove verify depends on it. */
  withWrongSecret(secrets: Sec): Sec;
  /** Secrets whose credential the provider refuses. */
  withWrongCredential(secrets: Sec): Sec;
}

export function describeChannelConformance<S, Sec>(name: string, opts: ConformanceOptions<S, Sec>): void {
  const { adapter } = opts;
  describe(`${name}: channel adapter conformance`, () => {
    let p: ProviderSession<S, Sec>;
    beforeAll(async () => {
      p = await opts.start();
    });
    afterAll(async () => p?.close());

    const onlyMessage = (events: InboundEvent[]) => {
      const messages = events.filter((e) => e.kind === 'message');
      expect(messages).toHaveLength(1);
      const m = messages[0];
      if (m?.kind !== 'message') {
        throw new Error('no message event');
      }
      return m;
    };
    const send = async (content: OutboundContent) => {
      const payloads = adapter.render(content, { to: adapter.normaliseAddress(p.userAddress), language: 'de' });
      expect(payloads.length).toBeGreaterThan(0);
      const results = [];
      for (const payload of payloads) {
        results.push(await adapter.send(payload, p.target));
      }
      return results;
    };

    it('verifies a webhook the provider signed, and rejects a tampered body, a missing signature or another secret', async () => {
      const req = await p.userSendsText('Hallo');
      expect(adapter.verify(req, p.target.secrets)).toBe(true);
      const tampered = { ...req, rawBody: Buffer.concat([req.rawBody, Buffer.from(' ')]) };
      expect(adapter.verify(tampered, p.target.secrets)).toBe(false);
      expect(adapter.verify({ ...req, headers: {} }, p.target.secrets)).toBe(false);
      expect(adapter.verify(req, opts.withWrongSecret(p.target.secrets))).toBe(false);
    });

    it('parses an inbound text with the normalised sender address and a stable event id', async () => {
      const req = await p.userSendsText('Wie sind die Öffnungszeiten? 🙂');
      const m = onlyMessage(adapter.parse(req));
      expect(m.content).toEqual({ type: 'text', text: 'Wie sind die Öffnungszeiten? 🙂' });
      expect(m.address).toBe(adapter.normaliseAddress(p.userAddress));
      // Events name the sender they belong to, as the channel's settings do: intake routes by it.
      expect(m.channelRef).toBe(adapter.channelRef(p.target.settings));
      expect(adapter.parse(req)[0]?.providerEventId).toBe(m.providerEventId);
    });

    it('sends text and gets a provider id whose statuses parse back to the same id', async () => {
      const [result] = await send({ type: 'text', text: 'Guten Tag!' });
      expect(result?.ok).toBe(true);
      const id = result?.ok ? result.providerMessageId : '';
      const statusReq = await p.statusRequest(id, 'delivered');
      expect(adapter.verify(statusReq, p.target.secrets)).toBe(true);
      const statuses = adapter.parse(statusReq).filter((e) => e.kind === 'status');
      expect(statuses.some((s) => s.kind === 'status' && s.providerMessageId === id && s.status === 'delivered')).toBe(true);
    });

    it.each([2, 3, 5, 10, 14])('renders a menu of %i options into something the provider accepts', async (n) => {
      const options = Array.from({ length: n }, (_, i) => ({ id: `opt-${i + 1}`, title: `Thema Nummer ${i + 1} mit Titel` }));
      const results = await send({ type: 'menu', body: 'Wählen Sie ein Thema', options });
      expect(results.every((r) => r.ok)).toBe(true);
    });

    it('sends media by link, a template with parameters, and a reaction', async () => {
      expect((await send({ type: 'media', mediaType: 'document', link: p.mediaLink, caption: 'Infoblatt', filename: 'info.pdf' }))[0]?.ok).toBe(true);
      const body = Array.from({ length: p.template.bodyParameters }, (_, i) => ({ type: 'text' as const, text: `Wert ${i + 1}` }));
      expect((await send({ type: 'template', name: p.template.name, language: p.template.language, body }))[0]?.ok).toBe(true);
      const inbound = onlyMessage(adapter.parse(await p.userSendsText('Danke')));
      expect((await send({ type: 'reaction', targetProviderId: inbound.providerMessageId, emoji: '👍' }))[0]?.ok).toBe(true);
    });

    it('refuses a template send with the wrong parameter count as a final error', async () => {
      const [result] = await send({ type: 'template', name: p.template.name, language: p.template.language, body: [] });
      if (p.template.bodyParameters === 0) {
        expect(result?.ok).toBe(true);
        return;
      }
      expect(result?.ok).toBe(false);
      expect(result && !result.ok && result.error.retryable).toBe(false);
    });

    it('marks an inbound message read', async () => {
      const inbound = onlyMessage(adapter.parse(await p.userSendsText('Gelesen?')));
      const result = await adapter.markRead(inbound.providerMessageId, p.target);
      expect(result.ok).toBe(true);
    });

    it('maps a refused credential to a final ChannelError', async () => {
      const result = await adapter.send(adapter.render({ type: 'text', text: 'x' }, { to: adapter.normaliseAddress(p.userAddress), language: 'de' })[0], {
        ...p.target,
        secrets: opts.withWrongCredential(p.target.secrets),
      });
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.error.retryable).toBe(false);
    });

    it('reports an unreachable provider as retryable and certainly unsent', async () => {
      const result = await adapter.send(adapter.render({ type: 'text', text: 'x' }, { to: adapter.normaliseAddress(p.userAddress), language: 'de' })[0], p.unreachable);
      expect(result.ok ? undefined : result.error).toMatchObject({ code: 'network_unsent', retryable: true });
    });

    it('received everything it accepted, in order', async () => {
      const got = await p.received();
      expect(got.length).toBeGreaterThanOrEqual(8);
    });
  });
}
