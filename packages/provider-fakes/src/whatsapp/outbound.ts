import { randomBytes } from 'node:crypto';
import { deliverForPhone, type FakeContext } from './context.js';
import { statusValue } from './envelopes.js';
import { toWebhookError } from './errors.js';
import { createWamid } from './ids.js';
import { mimeFitsKind } from './media.js';
import type { MediaRef } from './media-refs.js';
import type { SendRequest } from './messages.js';
import { MESSAGE_MAX_AGE_MS, SERVICE_WINDOW_MS, type PhoneNumberState, type PricingCategory, type SentRecord } from './state.js';
import type { StoredTemplate } from './templates.js';
import type { FakeMessageStatus, FakeSentMessage } from './types.js';

/** An accepted send, ready to enter the status lifecycle. */
export interface AcceptedSend {
  phone: PhoneNumberState;
  request: SendRequest;
  waId: string;
  body: Record<string, unknown>;
  graphVersion: string;
  template: StoredTemplate | undefined;
  mediaRefs: MediaRef[];
}

export interface Outbound {
  /** Records the message, emits `sent`, and schedules its status webhooks. */
  accept(send: AcceptedSend): FakeSentMessage;
  /** The user reads a message: `read` now if delivered, else right after `delivered`. */
  markRead(messageId: string): void;
  /** Stops every scheduled status of earlier messages. */
  reset(): void;
}

interface Failure {
  code: number;
  details?: string;
}

const LINK_FETCH_TIMEOUT_MS = 3000;

/** Deep copy handed to callers so they cannot mutate the ledger. */
export function snapshotMessage(message: FakeSentMessage): FakeSentMessage {
  return structuredClone(message);
}

/**
 * The outbound status lifecycle (providers.md §1.6, §2.9, §7.1): 200 means accepted; policy failures
 * (131026, 131047, 131050, 131009, 131053) arrive later as a `failed` status; otherwise `sent` →
 * `delivered` → `read`, where `read` is never emitted before `delivered`.
 */
export function createOutbound(ctx: FakeContext): Outbound {
  let epoch = 0;
  const { statusDelays, autoRead } = ctx.options;

  const later = (delayMs: number, task: () => void): void => {
    const myEpoch = epoch;
    ctx.clock.schedule(delayMs, () => {
      if (myEpoch === epoch) {
        task();
      }
    });
  };

  const emit = (record: SentRecord, status: FakeMessageStatus, failure?: Failure): void => {
    const now = ctx.clock.now();
    const { message } = record;
    message.status = status;
    message.statuses.push(failure === undefined ? { status, at: now } : { status, at: now, errorCode: failure.code });
    if (failure !== undefined) {
      message.errorCode = failure.code;
    }
    const phone = ctx.state.findPhone(message.phoneNumberId);
    if (phone !== undefined) {
      const value = statusValue(phone, statusObject(record, status, now, failure));
      deliverForPhone(ctx, phone, `${phone.phoneNumberId}:${message.to}`, { field: 'messages', value });
    }
    ctx.events.emit({
      type: 'status',
      at: now,
      data: { direction: 'outbound', id: message.id, phoneNumberId: message.phoneNumberId, to: message.to, status, ...(failure ? { errorCode: failure.code } : {}) },
    });
  };

  const onDelivered = (record: SentRecord): void => {
    emit(record, 'delivered');
    if (record.readRequested) {
      emit(record, 'read');
    } else if (autoRead !== false) {
      later(autoRead, () => {
        if (record.message.status === 'delivered') {
          emit(record, 'read');
        }
      });
    }
  };

  const run = async (record: SentRecord, policyFailure: Failure | undefined, refs: MediaRef[]): Promise<void> => {
    const myEpoch = epoch;
    const failure = policyFailure ?? (await mediaFailure(ctx, refs));
    if (myEpoch !== epoch) {
      return;
    }
    const elapsed = ctx.clock.now() - record.message.createdAt;
    if (failure !== undefined) {
      // `failed` is terminal and replaces the success sequence (§1.6).
      later(statusDelays.sent - elapsed, () => emit(record, 'failed', failure));
      return;
    }
    later(statusDelays.sent - elapsed, () => emit(record, 'sent'));
    later(Math.max(statusDelays.sent, statusDelays.delivered) - elapsed, () => onDelivered(record));
  };

  return {
    accept(send) {
      const now = ctx.clock.now();
      const { phone, request, waId, template } = send;
      const category: PricingCategory = template === undefined ? 'service' : categoryOf(template);
      const message: FakeSentMessage = {
        id: createWamid(waId),
        phoneNumberId: phone.phoneNumberId,
        to: waId,
        type: request.type,
        body: structuredClone(send.body),
        status: 'accepted',
        statuses: [{ status: 'accepted', at: now }],
        createdAt: now,
      };
      const record: SentRecord = {
        message,
        graphVersion: send.graphVersion,
        category,
        windowOpen: ctx.state.isWindowOpen(phone.phoneNumberId, waId, now),
        readRequested: false,
        callbackData: request.callbackData,
        conversationId: randomBytes(16).toString('hex'),
      };
      ctx.state.sent.set(message.id, record);
      ctx.events.emit({ type: 'sent', at: now, data: { message: snapshotMessage(message) } });
      void run(record, policyFailure(ctx, record, request, template), send.mediaRefs);
      return snapshotMessage(message);
    },
    markRead(messageId) {
      const record = ctx.state.sent.get(messageId);
      if (record === undefined) {
        throw new Error(`whatsapp fake: unknown outbound message ${messageId}`);
      }
      const { status } = record.message;
      if (status === 'delivered') {
        emit(record, 'read');
      } else if (status === 'accepted' || status === 'sent') {
        record.readRequested = true;
      }
    },
    reset() {
      epoch += 1;
    },
  };
}

function categoryOf(template: StoredTemplate): PricingCategory {
  switch (template.category) {
    case 'MARKETING':
      return 'marketing';
    case 'UTILITY':
      return 'utility';
    case 'AUTHENTICATION':
      return 'authentication';
    default: {
      const never: never = template.category;
      return never;
    }
  }
}

/** Failures decided from state at acceptance time (§4.1, §4.7, §2.7). */
function policyFailure(ctx: FakeContext, record: SentRecord, request: SendRequest, template: StoredTemplate | undefined): Failure | undefined {
  const { message } = record;
  const user = ctx.state.user(message.to);
  if (!user.onWhatsApp) {
    return { code: 131026 };
  }
  // §4.1: outside the window only templates go out; reactions are not gated.
  if (template === undefined && request.type !== 'reaction' && !record.windowOpen) {
    return { code: 131047 };
  }
  if (template?.category === 'MARKETING' && user.marketingOptOut) {
    return { code: 131050 };
  }
  if (template?.category === 'MARKETING' && user.marketingCapped) {
    return { code: 131049 };
  }
  if (request.reactionTarget !== undefined && !isReactable(ctx, message, request.reactionTarget)) {
    return { code: 131009, details: 'The reaction target message is unknown, older than 30 days, or itself a reaction.' };
  }
  return undefined;
}

/** §2.7: a reaction needs a message of this chat, ≤ 30 days old, that is not itself a reaction. */
function isReactable(ctx: FakeContext, message: FakeSentMessage, targetId: string): boolean {
  const now = ctx.clock.now();
  const inbound = ctx.state.inbound.get(targetId);
  if (inbound !== undefined) {
    return inbound.phoneNumberId === message.phoneNumberId && inbound.from === message.to && inbound.type !== 'reaction' && now - inbound.at <= MESSAGE_MAX_AGE_MS;
  }
  const outbound = ctx.state.sent.get(targetId)?.message;
  return (
    outbound !== undefined &&
    outbound.phoneNumberId === message.phoneNumberId &&
    outbound.to === message.to &&
    outbound.type !== 'reaction' &&
    now - outbound.createdAt <= MESSAGE_MAX_AGE_MS
  );
}

/**
 * 131053 when media cannot be used (§2.3, §7.1): unknown/expired media ids, a MIME type the message
 * type does not allow (§3.3), or a `link` that is not on 127.0.0.1/localhost or does not answer 200
 * (the fake never leaves loopback).
 */
async function mediaFailure(ctx: FakeContext, refs: MediaRef[]): Promise<Failure | undefined> {
  for (const ref of refs) {
    if (ref.id !== undefined) {
      const record = ctx.media.get(ref.id, ctx.clock.now());
      if (record === undefined) {
        return { code: 131053, details: `Media ${ref.id} does not exist or has expired.` };
      }
      if (!mimeFitsKind(record.mimeType, ref.kind)) {
        return { code: 131053, details: `Media type ${record.mimeType} is not supported for ${ref.kind} messages.` };
      }
      continue;
    }
    if (ref.link !== undefined && !(await linkAnswers200(ref.link, ctx.options.assumeReachableHosts))) {
      return { code: 131053, details: `Unable to download the media from ${ref.link}.` };
    }
  }
  return undefined;
}

async function linkAnswers200(link: string, assumeReachable: ReadonlySet<string>): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  if (assumeReachable.has(url.hostname.toLowerCase())) {
    return true;
  }
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    return false;
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(LINK_FETCH_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function majorVersion(version: string): number {
  return Number(/^v(\d+)/.exec(version)?.[1] ?? '0');
}

/** One `statuses[]` item (§1.6). */
function statusObject(record: SentRecord, status: FakeMessageStatus, now: number, failure: Failure | undefined): Record<string, unknown> {
  const { message } = record;
  const item: Record<string, unknown> = {
    id: message.id,
    status,
    timestamp: String(Math.floor(now / 1000)),
    recipient_id: message.to,
  };
  // Parley relies on this echo (§1.6).
  if (record.callbackData !== undefined) {
    item.biz_opaque_callback_data = record.callbackData;
  }
  if (status === 'sent' || status === 'delivered') {
    // §1.6: conversation only up to v23; expiration_timestamp only on `sent`.
    if (majorVersion(record.graphVersion) <= 23) {
      item.conversation = {
        id: record.conversationId,
        ...(status === 'sent' ? { expiration_timestamp: String(Math.floor((now + SERVICE_WINDOW_MS) / 1000)) } : {}),
        origin: { type: record.category },
      };
    }
    item.pricing = pricingOf(record);
  }
  if (failure !== undefined) {
    item.errors = [toWebhookError(failure.code, failure.details)];
  }
  return item;
}

/** §4.2 per-message pricing: service messages and utility templates inside an open window are free. */
function pricingOf(record: SentRecord): Record<string, unknown> {
  const free = record.category === 'service' || (record.category === 'utility' && record.windowOpen);
  return { billable: !free, pricing_model: 'PMP', type: free ? 'free_customer_service' : 'regular', category: record.category };
}
