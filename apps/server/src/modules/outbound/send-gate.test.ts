/**
 * The send gate, table-driven (issue #4 item 6): one row per rule and its edge, each naming the requirement it
 * implements (GDPR-01/02/03/04/10/13/15, WA-02/03, MLR-01, HWG-01).
 */
import { describe, expect, it } from 'vitest';
import { decideSend, type GatePurpose, quietHoursEnd, type SendGateInput } from './send-gate.js';

const now = new Date('2026-11-23T10:00:00Z'); // 11:00 in Berlin
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const service: GatePurpose = { id: 'service', basis: 'user_request', promotional: false };
const reminders: GatePurpose = { id: 'psp-reminders', basis: 'consent', promotional: false };
const newsletter: GatePurpose = { id: 'newsletter', basis: 'consent', promotional: true };
const misconfigured: GatePurpose = { id: 'promo-li', basis: 'legitimate_interest', promotional: true };
const recall: GatePurpose = { id: 'safety-notice', basis: 'legal_obligation', promotional: false };
const approved = { itemId: 'lagerung', status: 'approved' as const, audience: 'public' as const };

function input(over: { purpose?: GatePurpose | undefined; message?: Partial<SendGateInput['message']>; contact?: Partial<SendGateInput['contact']>; window?: boolean; quiet?: boolean; at?: Date }): SendGateInput {
  return {
    now: over.at ?? now,
    purpose: 'purpose' in over ? over.purpose : service,
    message: { form: 'free', businessInitiated: false, content: [], ...over.message },
    channel: over.window === false ? {} : { serviceWindowHours: 24 },
    contact: { consent: 'none', suppressed: false, restricted: false, verifiedFor: [], lastInboundAt: hoursAgo(1), ...over.contact },
    ...(over.quiet ? { quietHours: { start: '21:00', end: '08:00', timeZone: 'Europe/Berlin' } } : {}),
  };
}

describe('send gate', () => {
  it.each([
    ['GDPR-01 a message without a purpose is blocked', input({ purpose: undefined }), 'block', 'send.no_purpose'],
    ['a bot reply in the contact’s own conversation, inside the window', input({}), 'allow', 'send.allowed'],
    ['Art. 18 a restricted contact gets nothing, not even a reply', input({ contact: { restricted: true } }), 'block', 'send.restricted'],
    ['GDPR-21 a restricted contact still gets a legally required notification', input({ purpose: recall, message: { businessInitiated: true }, contact: { restricted: true } }), 'allow', 'send.allowed'],
    ['GDPR-21 restriction blocks consented promotion too', input({ purpose: newsletter, contact: { restricted: true, consent: 'granted' } }), 'block', 'send.restricted'],
    ['GDPR-15 an objection suppresses promotional purposes', input({ purpose: newsletter, contact: { suppressed: true, consent: 'granted' } }), 'block', 'send.suppressed'],
    ['GDPR-15 an objection does not stop answering the contact', input({ contact: { suppressed: true } }), 'allow', 'send.allowed'],
    ['GDPR-02 consent purpose with active consent', input({ purpose: reminders, message: { businessInitiated: true }, contact: { consent: 'granted' } }), 'allow', 'send.allowed'],
    ['GDPR-02 consent purpose without consent', input({ purpose: reminders, message: { businessInitiated: true } }), 'block', 'send.no_consent'],
    ['GDPR-02/13 withdrawn after scheduling, before dispatch', input({ purpose: reminders, message: { businessInitiated: true }, contact: { consent: 'withdrawn' } }), 'block', 'send.consent_withdrawn'],
    ['GDPR-10 pending double opt-in is not consent', input({ purpose: newsletter, message: { businessInitiated: true }, contact: { consent: 'pending' } }), 'block', 'send.consent_pending'],
    ['GDPR-12 an expired consent is not consent', input({ purpose: reminders, message: { businessInitiated: true }, contact: { consent: 'expired' } }), 'block', 'send.no_consent'],
    ['GDPR-02 denied', input({ purpose: reminders, contact: { consent: 'denied' } }), 'block', 'send.no_consent'],
    ['GDPR-04 advertising needs consent even when configured on another basis', input({ purpose: misconfigured, message: { businessInitiated: true } }), 'block', 'send.no_consent'],
    ['a user-request purpose cannot start a conversation', input({ message: { businessInitiated: true } }), 'block', 'send.not_user_initiated'],
    ['WA-02 free text 23 h after the last inbound message', input({ contact: { lastInboundAt: hoursAgo(23) } }), 'allow', 'send.allowed'],
    ['WA-02 free text 24 h after the last inbound message', input({ contact: { lastInboundAt: hoursAgo(24) } }), 'block', 'send.window_closed'],
    ['WA-02 free text to a contact who never wrote', input({ purpose: reminders, message: { businessInitiated: true }, contact: { consent: 'granted', lastInboundAt: null } }), 'block', 'send.window_closed'],
    ['WA-02 a channel without a window (web chat) has no window rule', input({ window: false, contact: { lastInboundAt: hoursAgo(100) } }), 'allow', 'send.allowed'],
    ['WA-02 a utility template outside the window', input({ purpose: reminders, message: { form: 'template', templateCategory: 'utility', businessInitiated: true }, contact: { consent: 'granted', lastInboundAt: hoursAgo(72) } }), 'allow', 'send.allowed'],
    ['WA-03 a marketing template for a non-promotional purpose', input({ purpose: reminders, message: { form: 'template', templateCategory: 'marketing', businessInitiated: true }, contact: { consent: 'granted' } }), 'block', 'send.template_category_mismatch'],
    ['WA-03 promotional content in a utility template', input({ purpose: newsletter, message: { form: 'template', templateCategory: 'utility', businessInitiated: true }, contact: { consent: 'granted' } }), 'block', 'send.template_category_mismatch'],
    ['WA-03 a marketing template with marketing consent', input({ purpose: newsletter, message: { form: 'template', templateCategory: 'marketing', businessInitiated: true }, contact: { consent: 'granted' } }), 'allow', 'send.allowed'],
    ['MLR-01 approved content valid today', input({ message: { content: [{ ...approved, validFrom: '2026-11-23', validUntil: '2026-11-23' }] } }), 'allow', 'send.allowed'],
    ['MLR-01 a draft', input({ message: { content: [{ ...approved, status: 'draft' }] } }), 'block', 'send.content_not_approved'],
    ['MLR-01 withdrawn after the reply was queued', input({ message: { content: [{ ...approved, status: 'withdrawn' }] } }), 'block', 'send.content_not_approved'],
    ['MLR-01 not valid yet', input({ message: { content: [{ ...approved, validFrom: '2026-11-24' }] } }), 'block', 'send.content_not_valid_now'],
    ['MLR-01 no longer valid', input({ message: { content: [{ ...approved, validUntil: '2026-11-22' }] } }), 'block', 'send.content_not_valid_now'],
    ['HWG-01 hcp content to an unverified contact', input({ message: { content: [{ ...approved, audience: 'hcp' }] } }), 'block', 'send.audience_not_verified'],
    ['HWG-01 rx-promo content to an unverified contact', input({ message: { content: [{ ...approved, audience: 'rx-promo' }] } }), 'block', 'send.audience_not_verified'],
    ['HWG-01 hcp content to a verified HCP', input({ message: { content: [{ ...approved, audience: 'hcp' }] }, contact: { verifiedFor: ['hcp'] } }), 'allow', 'send.allowed'],
    ['HWG-01 patient-programme content is open', input({ message: { content: [{ ...approved, audience: 'patient-programme' }] } }), 'allow', 'send.allowed'],
    ['quiet hours do not hold back a reply', input({ quiet: true, at: new Date('2026-11-23T22:30:00Z') }), 'allow', 'send.allowed'],
  ] as const)('%s', (_name, gateInput, outcome, reason) => {
    expect(decideSend(gateInput)).toMatchObject({ outcome, reason });
  });

  it('defers a business-initiated message in the quiet hours until they end (Berlin time, over midnight)', () => {
    const late = input({ purpose: reminders, quiet: true, message: { form: 'template', templateCategory: 'utility', businessInitiated: true }, contact: { consent: 'granted' }, at: new Date('2026-11-23T22:30:00Z') });
    expect(decideSend(late)).toEqual({ outcome: 'defer', reason: 'send.quiet_hours', until: new Date('2026-11-24T07:00:00Z') });
    const day = { ...late, now: new Date('2026-11-23T10:00:00Z') };
    expect(decideSend(day)).toEqual({ outcome: 'allow', reason: 'send.allowed' });
  });

  it('blocks before it defers: a message that may never go is not kept waiting', () => {
    const late = input({ purpose: reminders, quiet: true, message: { businessInitiated: true }, at: new Date('2026-11-23T22:30:00Z') });
    expect(decideSend(late)).toMatchObject({ outcome: 'block', reason: 'send.no_consent' });
  });

  it.each([
    ['21:00', '08:00', '2026-07-01T19:59:00Z', '2026-07-02T06:00:00Z'], // 21:59 CEST
    ['21:00', '08:00', '2026-07-01T18:59:00Z', undefined], // 20:59 CEST
    ['21:00', '08:00', '2026-07-01T19:00:00Z', '2026-07-02T06:00:00Z'],
    ['21:00', '08:00', '2026-07-02T05:59:30Z', '2026-07-02T06:00:00Z'],
    ['12:00', '14:00', '2026-11-23T11:30:00Z', '2026-11-23T13:00:00Z'],
    ['12:00', '14:00', '2026-11-23T13:00:00Z', undefined],
  ])('quiet hours %s–%s at %s end at %s (Europe/Berlin)', (start, end, at, expected) => {
    const until = quietHoursEnd(new Date(at), { start, end, timeZone: 'Europe/Berlin' });
    expect(until?.toISOString()).toBe(expected === undefined ? undefined : new Date(expected).toISOString());
  });
});
