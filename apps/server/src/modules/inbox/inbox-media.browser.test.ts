/**
 * Media a contact sent, in the agent's conversation view in real Chromium: a WhatsApp user sends a photo, a voice
 * note and a PDF; the photo is shown (it really loads, under the page's Content-Security-Policy, from Parley's own
 * media route), the voice note gets a player and the PDF a download link to the same route. Eight days later WhatsApp
 * no longer keeps the files (received media live 7 days): the photo and the PDF say so in words. Screenshots land in
 * test-artifacts/inbox/.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { conversationOf, demoAgent, eventually, pngOf, rowOf, signInAgent } from './inbox-browser.fixtures.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n').toString('base64');
const DAY_MS = 24 * 3600 * 1000;

let demo: DemoInChromium;

const fake = () => demo.parley.demo!.fake;

/** The received media messages of a conversation, once all `count` are stored, in the order they came. */
async function receivedMedia(conversationId: string, count: number): Promise<Array<{ id: string; mediaType: string }>> {
  return eventually(async () => {
    const rows = await query<{ id: string; mediaType: string }>(
      demo.parley.deps.database.db,
      sql`select id, content->>'mediaType' as "mediaType" from messages where conversation_id = ${conversationId} and direction = 'in' and type = 'media' order by seq`,
    );
    return rows.length === count ? rows : undefined;
  }, `${count} media messages in ${conversationId}`);
}

const mediaPath = (conversationId: string, messageId: string) => `/api/inbox/conversations/${conversationId}/messages/${messageId}/media`;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the media route in media.e2e.test.ts.
describe.skipIf(isPostgresRun())('media in the conversation view (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('shows the photo, a player for the voice note and a download link for the PDF a contact sent; after 7 days the photo and the PDF say they are gone', async () => {
    const address = '491709990020';
    const name = 'Medien Kontakt';
    await fake().injectInbound({ from: address, profileName: name, type: 'text', text: { body: 'Mitarbeiter' } });
    const conversation = await conversationOf(demo, address, 'queued');
    await fake().injectInbound({ from: address, profileName: name, type: 'image', image: { data: pngOf(560, 360), mime_type: 'image/png', caption: 'Foto' } });
    await fake().injectInbound({ from: address, profileName: name, type: 'audio', audio: { data: Buffer.from('OggS voice').toString('base64'), mime_type: 'audio/ogg; codecs=opus', voice: true } });
    await fake().injectInbound({ from: address, profileName: name, type: 'document', document: { data: PDF, mime_type: 'application/pdf', filename: 'befund.pdf' } });
    const [image, voice, document] = await receivedMedia(conversation.id, 3);
    expect([image?.mediaType, voice?.mediaType, document?.mediaType]).toEqual(['image', 'audio', 'document']);

    const agent = await signInAgent(demo, demoAgent(demo), 'm');
    await rowOf(agent.page, name).click();

    // The photo loads from Parley's media route, fits the bubble (280 px wide at most, same aspect ratio) and opens
    // in a new tab; its caption stays as text.
    const photo = agent.page.locator('[data-testid="history-media"][data-media="image"]');
    const img = photo.locator('img');
    await img.waitFor({ timeout: 15_000 });
    await expect.poll(() => img.evaluate((el: unknown) => (el as { complete: boolean; naturalWidth: number }).complete && (el as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBe(560);
    const shown = await img.evaluate((el: unknown) => ({ width: (el as { clientWidth: number }).clientWidth, height: (el as { clientHeight: number }).clientHeight }));
    expect(shown).toEqual({ width: 280, height: 180 });
    expect((await photo.boundingBox())?.width).toBe(280);
    expect(await img.getAttribute('src')).toBe(mediaPath(conversation.id, image!.id));
    expect(await img.getAttribute('alt')).toBe('Foto');
    expect(await img.getAttribute('loading')).toBe('lazy');
    const open = photo.locator('a');
    expect(await open.getAttribute('href')).toBe(mediaPath(conversation.id, image!.id));
    expect(await open.getAttribute('target')).toBe('_blank');
    expect(await open.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await photo.locator('p.hist-text').last().textContent()).toBe('Foto');

    // The voice note gets a player that loads nothing until it is played.
    const player = agent.page.locator('[data-testid="history-media"][data-media="audio"] audio');
    expect(await player.getAttribute('src')).toBe(mediaPath(conversation.id, voice!.id));
    expect(await player.getAttribute('preload')).toBe('none');
    expect(await player.getAttribute('aria-label')).toBe('Sprachnachricht');

    // The PDF is a download link to the same route, named by its file name, and the route hands out the file.
    const link = agent.page.getByTestId('media-download');
    expect(await link.textContent()).toBe('befund.pdf');
    expect(await link.getAttribute('href')).toBe(mediaPath(conversation.id, document!.id));
    expect(await link.getAttribute('download')).toBe('befund.pdf');
    const fetched = await agent.page.evaluate(async (href: string) => {
      const response = await fetch(href);
      return { status: response.status, start: (await response.text()).slice(0, 5) };
    }, mediaPath(conversation.id, document!.id));
    expect(fetched).toEqual({ status: 200, start: '%PDF-' });
    // A click downloads it under its file name.
    const [download] = await Promise.all([agent.page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('befund.pdf');
    expect((await readFile((await download.path())!)).toString('latin1').slice(0, 5)).toBe('%PDF-');
    await agent.shot('1-media-shown');
    expect(agent.problems).toEqual([]);

    // Eight days on, WhatsApp no longer keeps the files. The route lets this browser keep a file 5 minutes; eight
    // days later that copy is long gone, so the reload goes without the browser's cache.
    fake().advanceClock(8 * DAY_MS);
    const cdp = await agent.context.newCDPSession(agent.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await agent.page.reload();
    const gone = agent.page.locator('[data-testid="history-media"][data-media="image"]').getByTestId('media-gone');
    await gone.waitFor({ timeout: 15_000 });
    expect(await gone.textContent()).toBe('Bild · Nicht mehr abrufbar – WhatsApp hält empfangene Medien 7 Tage bereit.');
    expect(await agent.page.locator('[data-testid="history-media"][data-media="image"] img').count()).toBe(0);
    const expired = await agent.page.evaluate(async (href: string) => {
      const response = await fetch(href);
      return { status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code };
    }, mediaPath(conversation.id, image!.id));
    expect(expired).toEqual({ status: 410, code: 'media.expired' });
    // The PDF says so when clicked, instead of a failed download in the browser's bar.
    const documentMedia = agent.page.locator('[data-testid="history-media"][data-media="document"]');
    await documentMedia.getByTestId('media-download').click();
    await expect.poll(() => documentMedia.getByTestId('media-gone').textContent(), { timeout: 10_000 }).toBe('Dokument · Nicht mehr abrufbar – WhatsApp hält empfangene Medien 7 Tage bereit.');
    await agent.shot('2-media-expired');

    // The browser logs the refused file (410) itself; nothing else went wrong, and nothing a contact sent ran.
    expect(agent.problems.filter((p) => !p.includes('status of 410'))).toEqual([]);
    expect(agent.dialogs).toEqual([]);
    await agent.context.close();
  }, 120_000);
});
