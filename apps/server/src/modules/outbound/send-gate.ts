/**
 * The send gate (ARCHITECTURE §3 outbound step 1): ONE pure function that every outbound message — bot reply, agent
 * reply, API send, template, broadcast, reminder — passes at dispatch time. It answers allow, block (never sent,
 * never retried) or defer (quiet hours), always with a reason code that is stored on the message and audited
 * (HWG-07). No database, clock or env: the caller resolves the facts and passes them in.
 *
 * The checks, in order (the first that fails decides):
 *   1. the message resolves to exactly one purpose (GDPR-01);
 *   2. the contact is not restricted (Art. 18; only legally required notifications — a `legal_obligation` purpose —
 *      still reach a restricted contact, GDPR-21) and, for promotional purposes, not suppressed (GDPR-15);
 *   3. the purpose's lawful basis holds for this contact and channel: an active consent for (purpose, channel) where the
 *      basis is consent (GDPR-02/03, GDPR-10 pending is not active), or the contact's own request — a reply in a
 *      conversation the contact started — where the purpose rests on that;
 *   4. WhatsApp: free text only within 24 h of the contact's last inbound message, else an approved template (WA-02),
 *      whose category matches the purpose — promotional content only as a marketing template, a marketing template
 *      only for a promotional purpose (WA-03);
 *   5. every content item the message carries is approved and valid now (MLR-01);
 *   6. its audience class is open, or the contact is verified for it (HWG-01; no one is verified before HCP
 *      verification exists, so `hcp` and `rx-promo` content reaches no one);
 *   7. a business-initiated message inside the quiet hours waits until they end (defer, not block).
 */
import { needsConsent } from '@parley/contracts';

export type LawfulBasis = 'consent' | 'user_request' | 'contract' | 'legal_obligation' | 'vital_interest' | 'legitimate_interest';

export interface GatePurpose {
  id: string;
  basis: LawfulBasis;
  /** Advertising (UWG §7): needs express consent, is suppressed by an objection, goes out only as a marketing template. */
  promotional: boolean;
}

/** The contact's consent for one (purpose, channel), as derived from the ledger. */
export type ConsentState = 'granted' | 'pending' | 'denied' | 'withdrawn' | 'expired' | 'none';

export type AudienceClass = 'public' | 'patient-programme' | 'hcp' | 'rx-promo';

export interface GateContent {
  itemId: string;
  status: 'draft' | 'approved' | 'expired' | 'withdrawn';
  /** `YYYY-MM-DD`, inclusive. */
  validFrom?: string;
  validUntil?: string;
  audience: AudienceClass;
}

export interface SendGateInput {
  now: Date;
  /** The purpose the message resolved to; undefined when it resolved to none (or to more than one). */
  purpose: GatePurpose | undefined;
  message: {
    /** Free-form content (text, menu, media …) or an approved template. */
    form: 'free' | 'template';
    templateCategory?: 'marketing' | 'utility' | 'authentication';
    /** True unless the message answers the contact in a conversation the contact started (bot or agent reply). */
    businessInitiated: boolean;
    content: GateContent[];
  };
  channel: {
    /** WhatsApp: free-form only inside the customer-service window. */
    serviceWindowHours?: number;
  };
  contact: {
    consent: ConsentState;
    suppressed: boolean;
    restricted: boolean;
    /** Audience classes the contact is verified for (HCP verification comes later: none today). */
    verifiedFor: AudienceClass[];
    lastInboundAt: Date | null;
  };
  /** Business-initiated messages wait outside these hours (local time of `timeZone`), e.g. 21:00–08:00. */
  quietHours?: { start: string; end: string; timeZone: string };
}

export type BlockReason =
  | 'send.no_purpose'
  | 'send.restricted'
  | 'send.suppressed'
  | 'send.no_consent'
  | 'send.consent_pending'
  | 'send.consent_withdrawn'
  | 'send.not_user_initiated'
  | 'send.window_closed'
  | 'send.template_category_mismatch'
  | 'send.content_not_approved'
  | 'send.content_not_valid_now'
  | 'send.audience_not_verified';

export type SendDecision =
  | { outcome: 'allow'; reason: 'send.allowed' }
  | { outcome: 'block'; reason: BlockReason; detail?: string }
  | { outcome: 'defer'; reason: 'send.quiet_hours'; until: Date };

const OPEN_AUDIENCES: ReadonlySet<AudienceClass> = new Set(['public', 'patient-programme']);

export function decideSend(input: SendGateInput): SendDecision {
  const { purpose, message, contact, channel, now } = input;
  const block = (reason: BlockReason, detail?: string): SendDecision => ({ outcome: 'block', reason, ...(detail ? { detail } : {}) });

  if (!purpose) {
    return block('send.no_purpose');
  }
  if (contact.restricted && purpose.basis !== 'legal_obligation') {
    return block('send.restricted');
  }
  if (purpose.promotional && contact.suppressed) {
    return block('send.suppressed');
  }
  if (needsConsent(purpose)) {
    // Advertising always needs express consent (UWG §7(2) Nr. 2, GDPR-04), whatever basis was configured.
    switch (contact.consent) {
      case 'granted':
        break;
      case 'pending':
        return block('send.consent_pending');
      case 'withdrawn':
        return block('send.consent_withdrawn');
      default:
        return block('send.no_consent', contact.consent);
    }
  } else if (purpose.basis === 'user_request' && message.businessInitiated) {
    return block('send.not_user_initiated');
  }
  if (channel.serviceWindowHours !== undefined) {
    if (message.form === 'free') {
      const windowEnds = contact.lastInboundAt ? contact.lastInboundAt.getTime() + channel.serviceWindowHours * 3_600_000 : -Infinity;
      if (now.getTime() >= windowEnds) {
        return block('send.window_closed');
      }
    } else {
      const marketing = message.templateCategory === 'marketing';
      if (marketing !== purpose.promotional || message.templateCategory === undefined) {
        return block('send.template_category_mismatch', `${message.templateCategory ?? 'no'} template for a ${purpose.promotional ? 'promotional' : 'non-promotional'} purpose`);
      }
    }
  }
  const today = now.toISOString().slice(0, 10);
  for (const item of message.content) {
    if (item.status !== 'approved') {
      return block('send.content_not_approved', item.itemId);
    }
    if ((item.validFrom && item.validFrom > today) || (item.validUntil && item.validUntil < today)) {
      return block('send.content_not_valid_now', item.itemId);
    }
    if (!OPEN_AUDIENCES.has(item.audience) && !contact.verifiedFor.includes(item.audience)) {
      return block('send.audience_not_verified', `${item.itemId} (${item.audience})`);
    }
  }
  if (message.businessInitiated && input.quietHours) {
    const until = quietHoursEnd(now, input.quietHours);
    if (until) {
      return { outcome: 'defer', reason: 'send.quiet_hours', until };
    }
  }
  return { outcome: 'allow', reason: 'send.allowed' };
}

/** When the quiet hours around `now` end, or undefined when `now` is outside them. Handles windows over midnight. */
export function quietHoursEnd(now: Date, quiet: { start: string; end: string; timeZone: string }): Date | undefined {
  const minutes = (hhmm: string) => {
    const [h = 0, m = 0] = hhmm.split(':').map(Number);
    return h * 60 + m;
  };
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const local = localMinutes(now, quiet.timeZone);
  const inside = start <= end ? local >= start && local < end : local >= start || local < end;
  if (!inside) {
    return undefined;
  }
  const wait = (end - local + 24 * 60) % (24 * 60);
  // Whole minutes: the deferred message goes out at the first minute after the quiet hours.
  const atMinute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return new Date(atMinute.getTime() + wait * 60_000);
}

function localMinutes(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}
