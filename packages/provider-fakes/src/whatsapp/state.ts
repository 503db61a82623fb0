import { digitsOf } from './phone.js';
import type { FakeEvent, FakePhoneNumber, FakeSentMessage, FakeUser } from './types.js';

/** 24-hour customer service window (providers.md §4.1). */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Mark-read and reactions only work on messages up to 30 days old (§2.7, §2.10). */
export const MESSAGE_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export interface PhoneNumberState {
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** Digits of the display number, as webhooks carry it (§1.4). */
  displayDigits: string;
  verifiedName: string;
  mps: number;
  webhookUrl: string | undefined;
  sandboxAllowList: Set<string> | undefined;
}

export interface UserState {
  waId: string;
  name: string | undefined;
  onWhatsApp: boolean;
  marketingOptOut: boolean;
  marketingCapped: boolean;
}

/** A user → business message the fake has delivered (targets for mark-read, reactions, context). */
export interface InboundRecord {
  id: string;
  phoneNumberId: string;
  from: string;
  type: string;
  at: number;
}

export type PricingCategory = 'service' | 'marketing' | 'utility' | 'authentication';

/** A business → user message with the bookkeeping the status lifecycle needs. */
export interface SentRecord {
  message: FakeSentMessage;
  graphVersion: string;
  category: PricingCategory;
  /** Whether the customer service window was open when the message was accepted. */
  windowOpen: boolean;
  /** The user read the message before it was delivered; `read` follows `delivered`. */
  readRequested: boolean;
  callbackData: string | undefined;
  /** `conversation.id` for ≤ v23 status webhooks. */
  conversationId: string;
}

export interface EventHub {
  emit(event: FakeEvent): void;
  on(listener: (e: FakeEvent) => void): () => void;
  clear(): void;
}

/** Synchronous fan-out of FakeEvents; a throwing listener never breaks the fake. */
export function createEventHub(): EventHub {
  const listeners = new Set<(e: FakeEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          console.error('whatsapp fake: event listener failed', err);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clear() {
      listeners.clear();
    },
  };
}

/** Mutable state of one fake: numbers, users, windows and the message ledgers. */
export interface FakeState {
  phones: Map<string, PhoneNumberState>;
  /** The configured number for an id, or undefined. */
  findPhone(phoneNumberId: string | undefined): PhoneNumberState | undefined;
  firstPhone(): PhoneNumberState;
  /** The user's state; unknown users are on WhatsApp and not opted out. */
  user(waId: string): UserState;
  updateUser(waId: string, patch: Partial<Omit<UserState, 'waId'>>): void;
  listUsers(): UserState[];
  openWindow(phoneNumberId: string, waId: string, at: number): void;
  isWindowOpen(phoneNumberId: string, waId: string, now: number): boolean;
  windowExpiresAt(phoneNumberId: string, waId: string): number | undefined;
  inbound: Map<string, InboundRecord>;
  sent: Map<string, SentRecord>;
  /** Queue of error codes the next sends fail with (forceError). */
  forcedErrors: number[];
  reset(): void;
}

export function createFakeState(phoneNumbers: FakePhoneNumber[], users: FakeUser[]): FakeState {
  const phones = new Map<string, PhoneNumberState>();
  for (const p of phoneNumbers) {
    phones.set(p.phoneNumberId, {
      phoneNumberId: p.phoneNumberId,
      displayPhoneNumber: p.displayPhoneNumber,
      displayDigits: digitsOf(p.displayPhoneNumber),
      verifiedName: p.verifiedName ?? 'Parley Fake Business',
      mps: p.mps ?? 80,
      webhookUrl: p.webhookUrl,
      sandboxAllowList: p.sandboxAllowList ? new Set(p.sandboxAllowList.map(digitsOf)) : undefined,
    });
  }
  const configuredUsers = (): Map<string, UserState> =>
    new Map(
      users.map((u) => [
        digitsOf(u.waId),
        {
          waId: digitsOf(u.waId),
          name: u.name,
          onWhatsApp: u.onWhatsApp ?? true,
          marketingOptOut: u.marketingOptOut ?? false,
          marketingCapped: u.marketingCapped ?? false,
        },
      ]),
    );
  let userStates = configuredUsers();
  const windows = new Map<string, number>();
  const windowKey = (phoneNumberId: string, waId: string): string => `${phoneNumberId}:${waId}`;

  const state: FakeState = {
    phones,
    findPhone(phoneNumberId) {
      return phoneNumberId === undefined ? undefined : phones.get(phoneNumberId);
    },
    firstPhone() {
      const first = phones.values().next();
      if (first.done === true) {
        throw new Error('whatsapp fake: no phone numbers configured');
      }
      return first.value;
    },
    user(waId) {
      return userStates.get(waId) ?? { waId, name: undefined, onWhatsApp: true, marketingOptOut: false, marketingCapped: false };
    },
    updateUser(waId, patch) {
      userStates.set(waId, { ...state.user(waId), ...patch, waId });
    },
    listUsers() {
      return [...userStates.values()];
    },
    openWindow(phoneNumberId, waId, at) {
      windows.set(windowKey(phoneNumberId, waId), at);
    },
    isWindowOpen(phoneNumberId, waId, now) {
      const last = windows.get(windowKey(phoneNumberId, waId));
      return last !== undefined && now - last < SERVICE_WINDOW_MS;
    },
    windowExpiresAt(phoneNumberId, waId) {
      const last = windows.get(windowKey(phoneNumberId, waId));
      return last === undefined ? undefined : last + SERVICE_WINDOW_MS;
    },
    inbound: new Map(),
    sent: new Map(),
    forcedErrors: [],
    reset() {
      userStates = configuredUsers();
      windows.clear();
      state.inbound.clear();
      state.sent.clear();
      state.forcedErrors.length = 0;
    },
  };
  return state;
}
