import { describe, expect, it } from 'vitest';
import type { UserMessage } from './chat-store';
import type { BusinessContent, BusinessMessageView } from './message-view';
import { buildTimeline, summarizeUserContent } from './timeline';

function user(localId: string, sentAt: number, body: string, waMessageId?: string, afterBusinessId?: string | null): UserMessage {
  return {
    localId,
    sentAt,
    content: { type: 'text', text: { body } },
    state: 'sent',
    ...(waMessageId ? { waMessageId } : {}),
    ...(afterBusinessId === undefined ? {} : { afterBusinessId }),
  };
}

function business(id: string, createdAt: number, content: BusinessContent): BusinessMessageView {
  return { id, createdAt, tick: { state: 'delivered' }, content };
}

describe('buildTimeline', () => {
  it('places a user message after the business message that was newest when it was sent, whatever the clocks say', () => {
    // The fake's clock was moved a day ahead: its times are all later than the browser's.
    const day = 86_400_000;
    const timeline = buildTimeline(
      [user('l1', 100, 'Hallo', undefined, null), user('l2', 300, 'Menü', 'wamid.U2', 'wamid.B1'), user('l3', 400, 'Danke', undefined, 'wamid.B2')],
      [business('wamid.B1', day + 150, { kind: 'text', text: 'Willkommen' }), business('wamid.B2', day + 350, { kind: 'text', text: 'Menü …' })],
      0,
    );
    expect(timeline.items.map((item) => item.key)).toEqual(['l1', 'wamid.B1', 'l2', 'wamid.B2', 'l3']);
  });

  it('never reorders the user\'s own messages, even with a stale anchor', () => {
    const timeline = buildTimeline(
      [user('l1', 100, 'a', undefined, 'wamid.B2'), user('l2', 200, 'b', undefined, 'wamid.B1')],
      [business('wamid.B1', 50, { kind: 'text', text: '1' }), business('wamid.B2', 60, { kind: 'text', text: '2' })],
      0,
    );
    expect(timeline.items.map((item) => item.key)).toEqual(['wamid.B1', 'wamid.B2', 'l1', 'l2']);
  });

  it('falls back to time when the anchor is unknown, user first on equal times', () => {
    const timeline = buildTimeline(
      [user('l1', 100, 'Hallo', 'wamid.U1'), user('l2', 300, 'Menü')],
      [business('wamid.B1', 100, { kind: 'text', text: 'Willkommen' }), business('wamid.B2', 200, { kind: 'text', text: 'Wie kann ich helfen?' })],
      0,
    );
    expect(timeline.items.map((item) => item.key)).toEqual(['l1', 'wamid.B1', 'wamid.B2', 'l2']);
    expect(timeline.snippets.get('wamid.U1')).toBe('Hallo');
    expect(timeline.snippets.get('wamid.B2')).toBe('Wie kann ich helfen?');
  });

  it('hides business messages up to the reset time', () => {
    const timeline = buildTimeline([], [business('wamid.B1', 100, { kind: 'text', text: 'alt' }), business('wamid.B2', 200, { kind: 'text', text: 'neu' })], 100);
    expect(timeline.items.map((item) => item.key)).toEqual(['wamid.B2']);
  });

  it('folds a reaction into its target; the latest wins and an empty emoji removes it', () => {
    const first = buildTimeline(
      [user('l1', 100, 'Danke', 'wamid.U1')],
      [business('wamid.R1', 200, { kind: 'reaction', targetId: 'wamid.U1', emoji: '👍' }), business('wamid.R2', 300, { kind: 'reaction', targetId: 'wamid.U1', emoji: '❤️' })],
      0,
    );
    expect(first.items.map((item) => item.key)).toEqual(['l1']);
    expect(first.reactions.get('wamid.U1')).toBe('❤️');

    const removed = buildTimeline(
      [user('l1', 100, 'Danke', 'wamid.U1')],
      [business('wamid.R1', 200, { kind: 'reaction', targetId: 'wamid.U1', emoji: '👍' }), business('wamid.R2', 300, { kind: 'reaction', targetId: 'wamid.U1', emoji: '' })],
      0,
    );
    expect(removed.reactions.has('wamid.U1')).toBe(false);
  });

  it('keeps a reaction to a message not in view as a bubble of its own', () => {
    const timeline = buildTimeline([], [business('wamid.R1', 200, { kind: 'reaction', targetId: 'wamid.gone', emoji: '👍' })], 0);
    expect(timeline.items.map((item) => item.key)).toEqual(['wamid.R1']);
  });
});

describe('summarizeUserContent', () => {
  it('shows the title of a tapped reply and the place of a location', () => {
    expect(
      summarizeUserContent({
        type: 'interactive',
        context: { from: '4930', id: 'wamid.B1' },
        interactive: { type: 'list_reply', list_reply: { id: 'faq', title: 'FAQ' } },
      }),
    ).toBe('FAQ');
    expect(summarizeUserContent({ type: 'location', location: { latitude: 52.5, longitude: 13.4, name: 'Praxis' } })).toBe('📍 Praxis (52.50000, 13.40000)');
  });
});
