import { asArray, asNumber, asRecord, asString } from './json-read';

/** A WhatsApp channel the demo exposes (its phone number at the fake Cloud API). */
export type DemoChannel = {
  slug: string;
  name: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
};

/** The simulated WhatsApp user the server suggests. */
export type DemoUser = { waId: string; name: string };

/** `GET /api/demo/config`. `demo: false` means the simulator is switched off on this server. */
export type DemoConfig = { demo: boolean; channels: DemoChannel[]; user?: DemoUser };

/** Delivery state the fake Cloud API reports for a business message. */
export type SentStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** One message the business sent through the fake (its `body` is the exact Graph API send request). */
export type FakeSentMessage = {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  body: Record<string, unknown>;
  status: string;
  statuses: Array<{ status: string; at: number; errorCode?: number }>;
  errorCode?: number;
  createdAt: number;
};

/** What the simulated user sends: the payload of `POST /api/demo/whatsapp/inbound` minus sender fields. */
export type InboundContent =
  | { type: 'text'; text: { body: string } }
  | { type: 'interactive'; context: ReplyContext; interactive: ButtonReply | ListReply }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string } };

/** Which business message a tapped button or list row answers. */
export type ReplyContext = { from: string; id: string };
type ButtonReply = { type: 'button_reply'; button_reply: { id: string; title: string } };
type ListReply = { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } };

/** Full body of `POST /api/demo/whatsapp/inbound`. */
export type InboundRequest = InboundContent & { phoneNumberId: string; from: string; profileName: string };

/** Kinds of Server-Sent Events the demo event stream emits. */
export type DemoEventType = 'sent' | 'status' | 'inbound' | 'webhook';

const base = '/api/demo';

/**
 * Loads the demo configuration; throws on network or HTTP errors so the caller can offer a retry.
 * @example const config = await fetchDemoConfig(); if (!config.demo) { showNotice(); }
 */
export async function fetchDemoConfig(signal?: AbortSignal): Promise<DemoConfig> {
  const response = await fetch(`${base}/config`, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`demo config: HTTP ${response.status}`);
  }
  return parseDemoConfig(await response.json());
}

/** Lists what the business sent to `to` on one number, oldest first. */
export async function fetchSentMessages(phoneNumberId: string, to: string, signal?: AbortSignal): Promise<FakeSentMessage[]> {
  const query = new URLSearchParams({ phoneNumberId, to });
  const response = await fetch(`${base}/whatsapp/sent?${query.toString()}`, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`sent messages: HTTP ${response.status}`);
  }
  return parseSentMessages(await response.json());
}

/** Lets the simulated user send a message; resolves to the wamid the fake assigned to it. */
export async function postInbound(request: InboundRequest): Promise<string | undefined> {
  const response = await postJson(`${base}/whatsapp/inbound`, request);
  return asString(asRecord(await response.json())?.id);
}

/** Tells the fake that the simulated user has read a business message (the ticks turn blue). */
export async function postRead(id: string): Promise<void> {
  await postJson(`${base}/whatsapp/read`, { id });
}

/** The URL of the demo's Server-Sent Events stream. */
export const demoEventsUrl = `${base}/whatsapp/events`;

async function postJson(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response;
}

/** Validates the config response; anything malformed counts as "not in demo mode". */
export function parseDemoConfig(json: unknown): DemoConfig {
  const root = asRecord(json);
  if (!root || root.demo !== true) {
    return { demo: false, channels: [] };
  }
  const channels = asArray(root.channels).flatMap((entry) => {
    const channel = asRecord(entry);
    const slug = asString(channel?.slug);
    const phoneNumberId = asString(channel?.phoneNumberId);
    if (!channel || !slug || !phoneNumberId) {
      return [];
    }
    const name = asString(channel.name) ?? slug;
    return [{ slug, name, phoneNumberId, displayPhoneNumber: asString(channel.displayPhoneNumber) ?? '' }];
  });
  const user = asRecord(root.user);
  const waId = asString(user?.waId);
  return { demo: true, channels, ...(waId ? { user: { waId, name: asString(user?.name) ?? '' } } : {}) };
}

/** Validates `GET …/sent`; entries without an id are dropped, everything else is kept as sent. */
export function parseSentMessages(json: unknown): FakeSentMessage[] {
  return asArray(asRecord(json)?.messages).flatMap((entry) => {
    const message = asRecord(entry);
    const id = asString(message?.id);
    if (!message || !id) {
      return [];
    }
    const body = asRecord(message.body) ?? {};
    const errorCode = asNumber(message.errorCode);
    return [
      {
        id,
        phoneNumberId: asString(message.phoneNumberId) ?? '',
        to: asString(message.to) ?? '',
        type: asString(message.type) ?? asString(body.type) ?? 'unknown',
        body,
        status: asString(message.status) ?? 'accepted',
        statuses: asArray(message.statuses).flatMap((raw) => {
          const status = asRecord(raw);
          const name = asString(status?.status);
          if (!name) {
            return [];
          }
          const code = asNumber(status?.errorCode);
          return [{ status: name, at: asNumber(status?.at) ?? 0, ...(code === undefined ? {} : { errorCode: code }) }];
        }),
        ...(errorCode === undefined ? {} : { errorCode }),
        createdAt: asNumber(message.createdAt) ?? 0,
      },
    ];
  });
}

/** Reads the `type` of one SSE `data:` line; undefined for anything unparseable. */
export function parseDemoEventType(data: string): DemoEventType | undefined {
  try {
    const type = asString(asRecord(JSON.parse(data))?.type);
    return type === 'sent' || type === 'status' || type === 'inbound' || type === 'webhook' ? type : undefined;
  } catch {
    return undefined;
  }
}
