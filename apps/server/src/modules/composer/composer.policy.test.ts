/**
 * The composer's rules (pure): who may reply, which purposes an agent sends for and which templates fit them, the
 * WhatsApp window said before the agent types (WA-02), and the pickers over the approved library (MLR-01, HWG-01).
 */
import { ContentItem } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { agentPurposes, type ComposerFacts, composerState, purposesForCategory, sendRefusal, serviceWindow } from './composer.policy.js';
import { listCanned, listLibrary } from './library.js';
import { describeTemplate } from './template-form.js';

const template = { name: 't', language: 'de', category: 'UTILITY', status: 'APPROVED', parameterFormat: 'POSITIONAL' as const, components: [], variables: { body: { params: [], text: 'Hallo' }, buttons: [] } };

const NOW = new Date('2026-11-23T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const facts: ComposerFacts = { id: 'c1', state: 'agent', assigneeId: 'anna', channelKind: 'whatsapp', lastInboundAt: hoursAgo(1), restricted: false };
const anna = { userId: 'anna', admin: false };
const state = (over: Partial<ComposerFacts>, actor: { userId: string | undefined; admin: boolean } = anna, templates = 0) =>
  composerState({ facts: { ...facts, ...over }, actor, now: NOW, windowHours: 24, language: 'de', templates: Array.from({ length: templates }, () => describeTemplate(template, ['service'])), purposes: [] });

describe('who may reply', () => {
  it('the agent who has the conversation, or an admin; nobody while the bot or a queue has it', () => {
    expect(sendRefusal(facts, anna)).toBeUndefined();
    expect(sendRefusal(facts, { userId: 'ben', admin: false })).toBe('conversation.not_owner');
    expect(sendRefusal(facts, { userId: 'ada', admin: true })).toBeUndefined();
    expect(sendRefusal(facts, { userId: undefined, admin: true })).toBeUndefined();
    for (const s of ['bot', 'queued', 'resolved'] as const) {
      expect(sendRefusal({ ...facts, state: s }, anna)).toBe('conversation.wrong_state');
    }
  });
});

describe('purposes and templates', () => {
  it('GDPR-01 agents send for service and the non-promotional purposes, never advertising or the opt-in confirmation', () => {
    const purposes = agentPurposes({ purposes: [{ id: 'psp-reminders', basis: 'consent', promotional: false }, { id: 'newsletter', basis: 'consent', promotional: true }] });
    expect(purposes.map((p) => p.id)).toEqual(['service', 'psp-reminders']);
  });

  it('WA-03 utility templates fit them; marketing and authentication templates are not offered', () => {
    const purposes = agentPurposes({});
    expect(purposesForCategory('UTILITY', purposes)).toEqual(['service']);
    expect(purposesForCategory('MARKETING', purposes)).toEqual([]);
    expect(purposesForCategory('AUTHENTICATION', purposes)).toEqual([]);
  });
});

describe('what the composer offers (WA-02, said before the agent types)', () => {
  it('inside the 24-hour window: free text, and when it closes', () => {
    expect(serviceWindow(hoursAgo(1), 24, NOW)).toEqual({ open: true, closesAt: '2026-11-24T11:00:00.000Z' });
    expect(state({})).toMatchObject({ canSend: true, ownedByMe: true, freeText: true, notices: [] });
  });

  it('after 24 hours only templates: send.window_closed, and template.none_available without any', () => {
    expect(serviceWindow(hoursAgo(24), 24, NOW).open).toBe(false);
    expect(state({ lastInboundAt: hoursAgo(30) }, anna, 1)).toMatchObject({ canSend: true, freeText: false, notices: ['send.window_closed'] });
    expect(state({ lastInboundAt: hoursAgo(30) }).notices).toEqual(['send.window_closed', 'template.none_available']);
    expect(state({ lastInboundAt: null }).window).toEqual({ open: false, closesAt: null });
  });

  it('channels without a window are always open', () => {
    expect(serviceWindow(null, undefined, NOW)).toEqual({ open: true, closesAt: null });
  });

  it('another agent sees why they cannot send; a restricted contact gets nothing free (GDPR-21)', () => {
    expect(state({}, { userId: 'ben', admin: false })).toMatchObject({ canSend: false, ownedByMe: false, freeText: false, notices: ['conversation.not_owner'] });
    expect(state({ state: 'queued', assigneeId: null })).toMatchObject({ canSend: false, notices: ['conversation.wrong_state'] });
    expect(state({ restricted: true }, { userId: 'ada', admin: true })).toMatchObject({ canSend: true, freeText: false, notices: ['send.restricted'] });
  });
});

const item = (id: string, over: Record<string, unknown> = {}) =>
  ContentItem.parse({ id, topic: 'materialien', status: 'approved', title: { de: `Titel ${id}`, en: `Title ${id}` }, body: { de: `Text über ${id} mit Übelkeit`, en: `Text about ${id}` }, ...over });

describe('the pickers', () => {
  const items = new Map([
    ['beipackzettel', item('beipackzettel', { keywords: { de: ['Packungsbeilage'] } })],
    ['hcp-studie', item('hcp-studie', { audience: 'hcp' })],
    ['alt', item('alt', { validUntil: '2026-01-01' })],
    ['entwurf', item('entwurf', { status: 'draft' })],
  ]);
  const topics = new Map([['materialien', { id: 'materialien', title: { de: 'Materialien' } }]]);

  it('MLR-01/HWG-01 only approved items valid now, for an open audience; searched in any language, accents folded', () => {
    expect(listLibrary({ items, topics }, undefined, 'de', NOW).map((e) => e.id)).toEqual(['beipackzettel']);
    expect(listLibrary({ items, topics }, 'packungsbeilage', 'de', NOW)[0]).toMatchObject({ id: 'beipackzettel', title: 'Titel beipackzettel', topic: { id: 'materialien', title: 'Materialien' }, audience: 'public' });
    expect(listLibrary({ items, topics }, 'UEBELKEIT', 'en', NOW)[0]?.snippet).toBe('Text about beipackzettel');
    expect(listLibrary({ items, topics }, 'nichts davon', 'de', NOW)).toEqual([]);
  });

  it('canned answers in the language asked for, searched by title and text', () => {
    const answers = [{ id: 'greeting', title: { de: 'Begrüßung', en: 'Greeting' }, text: { de: 'Guten Tag', en: 'Hello' } }];
    expect(listCanned(answers, 'guten', 'en')).toEqual([{ id: 'greeting', title: 'Greeting', text: 'Hello' }]);
    expect(listCanned(answers, 'BEGRÜSSUNG', 'en')).toEqual([{ id: 'greeting', title: 'Greeting', text: 'Hello' }]);
    expect(listCanned(answers, undefined, 'fr')).toEqual([{ id: 'greeting', title: 'Begrüßung', text: 'Guten Tag' }]);
  });
});
