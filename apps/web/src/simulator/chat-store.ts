import type { InboundContent } from './demo-api';
import { asArray, asNumber, asRecord, asString } from './json-read';

/** A message the simulated user sent, kept locally so it survives a reload (the fake lists only business messages). */
export type UserMessage = {
  localId: string;
  sentAt: number;
  content: InboundContent;
  state: 'sending' | 'sent' | 'failed';
  /** The wamid the fake assigned; business reactions and quotes refer to it. */
  waMessageId?: string;
  /**
   * The newest business message the phone showed when this was sent (null: none yet; absent: not known because the
   * list had not loaded). It places the message in the chat without comparing clocks.
   */
  afterBusinessId?: string | null;
};

/** Local state of one chat (one channel × one simulated user). */
export type ChatState = {
  messages: UserMessage[];
  /** Business messages created at or before this server time are hidden ("reset chat"). */
  hiddenUntil: number;
};

/** Who the simulated user is. */
export type Identity = { waId: string; name: string };

/** The part of the Storage API the store uses (sessionStorage in the app, a Map-backed fake in tests). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const prefix = 'parley.simulator';

/** Storage key of one chat. */
export function chatKey(phoneNumberId: string, waId: string): string {
  return `${prefix}.chat.${phoneNumberId}.${waId}`;
}

/**
 * Reads a chat. Messages still "sending" when the page was left are shown as failed, so the user can resend them.
 * Corrupt or foreign data yields an empty chat.
 */
export function loadChat(store: KeyValueStore | undefined, key: string): ChatState {
  const root = asRecord(readJson(store, key));
  const messages = asArray(root?.messages).flatMap((entry) => {
    const message = toUserMessage(entry);
    return message ? [message.state === 'sending' ? { ...message, state: 'failed' as const } : message] : [];
  });
  return { messages, hiddenUntil: asNumber(root?.hiddenUntil) ?? 0 };
}

/** Writes a chat; storage errors (quota, disabled storage) are ignored: the chat then lives only in memory. */
export function saveChat(store: KeyValueStore | undefined, key: string, chat: ChatState): void {
  writeJson(store, key, chat);
}

/** Reads the simulated user, or undefined when none was chosen yet in this tab. */
export function loadIdentity(store: KeyValueStore | undefined): Identity | undefined {
  const root = asRecord(readJson(store, `${prefix}.identity`));
  const waId = asString(root?.waId);
  return waId && isValidWaId(waId) ? { waId, name: asString(root?.name) ?? '' } : undefined;
}

/** Remembers the simulated user for this tab. */
export function saveIdentity(store: KeyValueStore | undefined, identity: Identity): void {
  writeJson(store, `${prefix}.identity`, identity);
}

/** Reads the chosen channel's phone number id. */
export function loadChannelId(store: KeyValueStore | undefined): string | undefined {
  return asString(readJson(store, `${prefix}.channel`));
}

/** Remembers the chosen channel's phone number id. */
export function saveChannelId(store: KeyValueStore | undefined, phoneNumberId: string): void {
  writeJson(store, `${prefix}.channel`, phoneNumberId);
}

/** A WhatsApp id is the international number in digits, without "+" (6–15 digits per E.164). */
export function isValidWaId(value: string): boolean {
  return /^\d{6,15}$/.test(value);
}

/** A locally unique message id; crypto.randomUUID is unavailable on plain-http origins other than localhost. */
export function createLocalId(now: number, random: () => number = Math.random): string {
  return `local-${now.toString(36)}-${Math.floor(random() * 2 ** 32).toString(36)}`;
}

function toUserMessage(entry: unknown): UserMessage | undefined {
  const message = asRecord(entry);
  const localId = asString(message?.localId);
  const sentAt = asNumber(message?.sentAt);
  const content = asRecord(message?.content);
  const state = asString(message?.state);
  if (!message || !localId || sentAt === undefined || !content || !isInboundContent(content)) {
    return undefined;
  }
  const waMessageId = asString(message.waMessageId);
  const afterBusinessId = message.afterBusinessId === null ? null : asString(message.afterBusinessId);
  return {
    localId,
    sentAt,
    content,
    state: state === 'sent' || state === 'sending' ? state : 'failed',
    ...(waMessageId ? { waMessageId } : {}),
    ...(afterBusinessId === undefined ? {} : { afterBusinessId }),
  };
}

function isInboundContent(content: Record<string, unknown>): content is InboundContent {
  switch (content.type) {
    case 'text':
      return typeof asRecord(content.text)?.body === 'string';
    case 'interactive': {
      const interactive = asRecord(content.interactive);
      const kind = asString(interactive?.type);
      const reply = kind === 'button_reply' || kind === 'list_reply' ? asRecord(interactive?.[kind]) : undefined;
      return typeof reply?.id === 'string' && typeof reply.title === 'string' && typeof asRecord(content.context)?.id === 'string';
    }
    case 'location': {
      const location = asRecord(content.location);
      return typeof location?.latitude === 'number' && typeof location.longitude === 'number';
    }
    default:
      return false;
  }
}

function readJson(store: KeyValueStore | undefined, key: string): unknown {
  try {
    const raw = store?.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(store: KeyValueStore | undefined, key: string, value: unknown): void {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: keep working in memory.
  }
}
