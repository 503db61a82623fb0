import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n';
import { mediaLabelKey, mediaProblem, mediaUrl, toMediaView, type MediaOrigin } from './media-view';

const received: MediaOrigin = { conversationId: 'conv-1', messageId: 'msg-7', direction: 'in' };
const url = '/api/inbox/conversations/conv-1/messages/msg-7/media';
const media = (mediaType: string, more: Record<string, unknown> = {}) => ({ type: 'media', mediaType, mediaId: 'wamid-media-1', ...more });

describe('toMediaView', () => {
  it('shows what a contact sent from Parley’s own media route: pictures, players, a download link', () => {
    expect(toMediaView(media('image', { caption: 'Foto' }), received)).toEqual({ kind: 'image', url, sticker: false });
    expect(toMediaView(media('sticker'), received)).toEqual({ kind: 'image', url, sticker: true });
    expect(toMediaView(media('audio', { voice: true }), received)).toEqual({ kind: 'audio', url, voice: true });
    expect(toMediaView(media('audio'), received)).toEqual({ kind: 'audio', url, voice: false });
    expect(toMediaView(media('video'), received)).toEqual({ kind: 'video', url });
    expect(toMediaView(media('document', { filename: 'rechnung.pdf' }), received)).toEqual({ kind: 'document', url });
  });

  it('never loads media the bot or an agent sent, even by link: they are only named', () => {
    const link = { type: 'media', mediaType: 'image', link: 'https://cdn.example.org/flyer.png' };
    expect(toMediaView(link, { ...received, direction: 'out' })).toEqual({ kind: 'named' });
    expect(toMediaView(media('image'), { ...received, direction: 'out' })).toEqual({ kind: 'named' });
    expect(toMediaView({ ...link, mediaId: 'x' }, { ...received, direction: 'out' })).toEqual({ kind: 'named' });
  });

  it('names media it cannot fetch: no media id, no message to ask for, a type this app does not know', () => {
    expect(toMediaView({ type: 'media', mediaType: 'image' }, received)).toEqual({ kind: 'named' });
    expect(toMediaView(media('image', { mediaId: '' }), received)).toEqual({ kind: 'named' });
    expect(toMediaView(media('image'), undefined)).toEqual({ kind: 'named' });
    expect(toMediaView(media('hologram'), received)).toEqual({ kind: 'named' });
  });
});

describe('mediaUrl', () => {
  it('keeps ids inside their path segment', () => {
    expect(mediaUrl('a/b', 'c?d')).toBe('/api/inbox/conversations/a%2Fb/messages/c%3Fd/media');
  });
});

describe('media texts', () => {
  it('name each type and say why a received file is gone, in German and English', () => {
    const de = createTranslator('de');
    const en = createTranslator('en');
    expect(de(mediaLabelKey('image')!)).toBe('Bild');
    expect(de(mediaLabelKey('audio', true)!)).toBe('Sprachnachricht');
    expect(en(mediaLabelKey('audio', false)!)).toBe('Audio');
    expect(mediaLabelKey('hologram')).toBeUndefined();
    expect(de('inbox.hist.mediaGone')).toBe('Nicht mehr abrufbar – WhatsApp hält empfangene Medien 7 Tage bereit.');
    expect(en('inbox.hist.mediaGone')).toBe('No longer available – WhatsApp keeps received media for 7 days.');
  });
});

describe('mediaProblem', () => {
  it('says why a file did not load from the route’s status: expired, unknown, unplayable, or failing for now', () => {
    expect(mediaProblem(410)).toEqual({ key: 'inbox.hist.mediaGone', retry: false, download: false });
    expect(mediaProblem(404)).toEqual({ key: 'inbox.hist.mediaMissing', retry: false, download: false });
    // The route served it, yet the browser could not show it: a format it cannot play, offered as a download.
    expect(mediaProblem(200)).toEqual({ key: 'inbox.hist.mediaUnplayable', retry: false, download: true });
    for (const status of [502, 503, 500, 0]) {
      expect(mediaProblem(status)).toEqual({ key: 'inbox.hist.mediaUnavailable', retry: true, download: false });
    }
    const de = createTranslator('de');
    const en = createTranslator('en');
    expect(de(mediaProblem(502).key)).toBe('Gerade nicht abrufbar – der Anbieter antwortet nicht.');
    expect(en(mediaProblem(404).key)).toBe('Not found – the provider does not know this file.');
  });
});
