import { describe, expect, it } from 'vitest';
import { chatKey, createLocalId, isValidWaId, loadChat, loadIdentity, saveChat, saveIdentity, type KeyValueStore } from './chat-store';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('chat store', () => {
  it('keeps a chat per channel and user across a reload', () => {
    const store = memoryStore();
    const key = chatKey('100000000000001', '491701234567');
    const chat = {
      hiddenUntil: 5,
      messages: [
        { localId: 'l1', sentAt: 1, content: { type: 'text' as const, text: { body: 'Hallo' } }, state: 'sent' as const, waMessageId: 'wamid.U1', afterBusinessId: null },
        { localId: 'l2', sentAt: 2, content: { type: 'text' as const, text: { body: 'Menü' } }, state: 'sent' as const, afterBusinessId: 'wamid.B1' },
      ],
    };
    saveChat(store, key, chat);
    expect(loadChat(store, key)).toEqual(chat);
    expect(loadChat(store, chatKey('100000000000001', '491709999999'))).toEqual({ messages: [], hiddenUntil: 0 });
  });

  it('shows a message that was still sending when the page was left as failed', () => {
    const store = memoryStore();
    saveChat(store, 'k', { hiddenUntil: 0, messages: [{ localId: 'l1', sentAt: 1, content: { type: 'text', text: { body: 'x' } }, state: 'sending' }] });
    expect(loadChat(store, 'k').messages[0]?.state).toBe('failed');
  });

  it('ignores corrupt or foreign data', () => {
    const store = memoryStore();
    store.setItem('k', '{not json');
    expect(loadChat(store, 'k')).toEqual({ messages: [], hiddenUntil: 0 });
    store.setItem('k', JSON.stringify({ messages: [{ localId: 'l1', sentAt: 1, content: { type: 'interactive' }, state: 'sent' }, 42] }));
    expect(loadChat(store, 'k').messages).toEqual([]);
    expect(loadChat(undefined, 'k')).toEqual({ messages: [], hiddenUntil: 0 });
  });

  it('remembers a valid identity only', () => {
    const store = memoryStore();
    expect(loadIdentity(store)).toBeUndefined();
    saveIdentity(store, { waId: '491701234567', name: 'Demo User' });
    expect(loadIdentity(store)).toEqual({ waId: '491701234567', name: 'Demo User' });
    saveIdentity(store, { waId: '+49 170', name: 'x' });
    expect(loadIdentity(store)).toBeUndefined();
  });

  it('validates wa_ids as 6 to 15 digits', () => {
    expect(isValidWaId('491701234567')).toBe(true);
    expect(isValidWaId('+491701234567')).toBe(false);
    expect(isValidWaId('12345')).toBe(false);
  });

  it('creates distinct local ids', () => {
    expect(createLocalId(1, () => 0.1)).not.toBe(createLocalId(1, () => 0.2));
  });
});
