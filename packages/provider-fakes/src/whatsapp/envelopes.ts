import { isRecord } from './http.js';
import type { PhoneNumberState } from './state.js';

/** One `changes[]` item (providers.md §1.3); `time` marks fields whose entry carries `entry[].time`. */
export interface WebhookChange {
  field: string;
  value: Record<string, unknown>;
  time?: number;
}

/** `value.metadata` of the messages / user_preferences fields (§1.4): display number as digits. */
export function metadataOf(phone: PhoneNumberState): Record<string, string> {
  return { display_phone_number: phone.displayDigits, phone_number_id: phone.phoneNumberId };
}

/** `messages` value carrying one inbound message and its sender contact (§1.4, §1.5). */
export function inboundValue(phone: PhoneNumberState, contact: Record<string, unknown>, message: Record<string, unknown>): Record<string, unknown> {
  return { messaging_product: 'whatsapp', metadata: metadataOf(phone), contacts: [contact], messages: [message] };
}

/** `messages` value carrying one status update (§1.6). */
export function statusValue(phone: PhoneNumberState, status: Record<string, unknown>): Record<string, unknown> {
  return { messaging_product: 'whatsapp', metadata: metadataOf(phone), statuses: [status] };
}

/** `user_preferences` value (§1.9); its timestamp is a number, unlike messages/statuses. */
export function userPreferencesValue(phone: PhoneNumberState, waId: string, value: 'stop' | 'resume', nowMs: number): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    metadata: metadataOf(phone),
    contacts: [{ wa_id: waId }],
    user_preferences: [
      {
        wa_id: waId,
        category: 'marketing_messages',
        value,
        detail: value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages',
        timestamp: Math.floor(nowMs / 1000),
      },
    ],
  };
}

const MERGEABLE_ARRAYS = ['messages', 'statuses', 'errors'] as const;

/** Which array a `messages` value carries, so batches only merge like with like. */
function mergeKind(change: WebhookChange): string | undefined {
  if (change.field !== 'messages') {
    return undefined;
  }
  const metadata = change.value.metadata;
  const pnid = isRecord(metadata) ? String(metadata.phone_number_id) : '';
  const kind = MERGEABLE_ARRAYS.find((key) => Array.isArray(change.value[key]));
  return kind === undefined ? undefined : `${pnid}:${kind}`;
}

function concatArrays(target: Record<string, unknown>, source: Record<string, unknown>, key: string): void {
  const from = source[key];
  if (!Array.isArray(from)) {
    return;
  }
  const into = Array.isArray(target[key]) ? (target[key] as unknown[]) : [];
  target[key] = [...into, ...(from as unknown[])];
}

/**
 * Builds the §1.3 envelope for a batch of changes. Batches are how Meta aggregates (§1.2): messages
 * for the same number are merged into one `value` (several `messages[]` / `statuses[]` items, with
 * `contacts[]` de-duplicated); other fields become extra `changes[]`; fields with `time` (template
 * status updates) get their own `entry[]` carrying `time`.
 */
export function buildEnvelope(wabaId: string, changes: WebhookChange[]): Record<string, unknown> {
  const merged: WebhookChange[] = [];
  const byKind = new Map<string, WebhookChange>();
  for (const change of changes) {
    const kind = mergeKind(change);
    const existing = kind === undefined ? undefined : byKind.get(kind);
    if (existing === undefined) {
      const copy: WebhookChange = { ...change, value: { ...change.value } };
      merged.push(copy);
      if (kind !== undefined) {
        byKind.set(kind, copy);
      }
      continue;
    }
    for (const key of MERGEABLE_ARRAYS) {
      concatArrays(existing.value, change.value, key);
    }
    if (Array.isArray(change.value.contacts)) {
      const known = Array.isArray(existing.value.contacts) ? (existing.value.contacts as unknown[]) : [];
      const ids = new Set(known.map((c) => JSON.stringify(c)));
      const fresh = (change.value.contacts as unknown[]).filter((c) => !ids.has(JSON.stringify(c)));
      existing.value.contacts = [...known, ...fresh];
    }
  }
  const entries: Array<Record<string, unknown>> = [];
  const plain = merged.filter((c) => c.time === undefined);
  if (plain.length > 0) {
    entries.push({ id: wabaId, changes: plain.map((c) => ({ field: c.field, value: c.value })) });
  }
  for (const change of merged.filter((c) => c.time !== undefined)) {
    entries.push({ id: wabaId, time: change.time, changes: [{ field: change.field, value: change.value }] });
  }
  return { object: 'whatsapp_business_account', entry: entries };
}
