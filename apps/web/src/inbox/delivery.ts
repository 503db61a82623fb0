/**
 * What the history shows under an outbound message: a tick for its delivery state, and — when it did not reach the
 * contact — why, in words: the send gate's reason (never sent) or the provider's error code (sent, then failed).
 */
import type { MessageKey } from '../i18n';

/** The tick states the inbox draws: a clock, ✓, ✓✓, blue ✓✓, red "!", a struck-through "not sent", a moon. */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'blocked' | 'deferred';

export type Delivery = {
  state: DeliveryState;
  /** The provider's error code of a failed message (WhatsApp: `131047` …). */
  errorCode?: string;
  /** The sentence that explains a failure or a refusal. */
  reasonKey?: MessageKey;
  /** The raw gate reason, shown when no sentence knows it. */
  gateReason?: string;
};

const WHATSAPP_CODES = new Set([
  '131047', '131026', '131049', '131050', '131051', '131052', '131053', '131056', '130429', '131048', '131000', '131016', '131021', '131030', '131031', '131042',
  '132000', '132001', '132005', '132007', '132012', '132015', '132016', '133010', '368', '190',
]);

const GATE_REASONS = new Set([
  'send.no_purpose', 'send.restricted', 'send.suppressed', 'send.no_consent', 'send.consent_pending', 'send.consent_withdrawn', 'send.not_user_initiated',
  'send.window_closed', 'send.template_category_mismatch', 'send.content_not_approved', 'send.content_not_valid_now', 'send.audience_not_verified', 'send.quiet_hours',
]);

/**
 * The delivery of an outbound message from its stored status, send-gate reason and error code.
 * @example toDelivery({ status: 'failed', errorCode: '131047', gateReason: null }) // { state: 'failed', errorCode: '131047', reasonKey: 'wa.131047' }
 */
export function toDelivery(message: { status: string; errorCode: string | null; gateReason: string | null }): Delivery {
  switch (message.status) {
    case 'sent':
    case 'delivered':
    case 'read':
      return { state: message.status };
    case 'played':
      return { state: 'read' };
    case 'failed':
      return { state: 'failed', ...(message.errorCode ? { errorCode: message.errorCode } : {}), reasonKey: failureReasonKey(message.errorCode) };
    case 'blocked':
      return { state: 'blocked', reasonKey: gateReasonKey(message.gateReason), ...(message.gateReason ? { gateReason: message.gateReason } : {}) };
    default:
      // queued, sending, accepted, and anything newer than this app: not confirmed yet.
      return message.gateReason === 'send.quiet_hours' ? { state: 'deferred', reasonKey: 'gate.send.quiet_hours' } : { state: 'queued' };
  }
}

/** The sentence for a provider error code (unknown codes: "delivery failed"). */
export function failureReasonKey(code: string | null | undefined): MessageKey {
  return code && WHATSAPP_CODES.has(code) ? (`wa.${code}` as MessageKey) : 'wa.generic';
}

/** The sentence for a send-gate reason (`send.window_closed` …); unknown reasons get the generic one. */
export function gateReasonKey(reason: string | null | undefined): MessageKey {
  return reason && GATE_REASONS.has(reason) ? (`gate.${reason}` as MessageKey) : 'gate.unknown';
}

/** Whether a code is one of the send gate's (an error of a refused send carries it as its code). */
export function isGateReason(code: string): boolean {
  return GATE_REASONS.has(code);
}
