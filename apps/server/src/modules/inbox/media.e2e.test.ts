/**
 * Received files in the inbox (issue #5 item 4: the whole history, media included) against the WhatsApp fake's media
 * API (providers.md §3.2) over loopback: an agent opens the image a contact sent and gets its bytes under its own
 * type; a document comes as a download of unknown type; a message without a file, another conversation's message
 * and a file the provider no longer keeps each get a clear problem answer.
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { createStaffKit, type StaffKit, type StaffSession } from '../users/users.fixtures.js';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let kit: StaffKit;
let agent: StaffSession;
let editor: StaffSession;

// A 1×1 PNG and a tiny PDF: real bytes, compared byte for byte.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  wa = await createWhatsAppHarness({ phoneNumberId: '109876543210666', slug: 'media' });
  ({ h, fake } = wa);
  kit = createStaffKit(h.deps, h.app);
  agent = await kit.auth.createSession((await kit.createStaff(['agent'])).user.id);
  editor = await kit.auth.createSession((await kit.createStaff(['editor'])).user.id);
}, 60_000);
afterAll(async () => wa?.close());

/** The stored inbound message of this type from this contact, once the webhook has been processed. */
const received = (from: string, type: string) =>
  eventually(async () => {
    const [row] = await query<{ id: string; conversationId: string }>(
      h.database.db,
      sql`select m.id, m.conversation_id as "conversationId" from messages m join conversations c on c.id = m.conversation_id
          where c.address = ${from} and m.direction = 'in' and m.content->>'type' = ${type} order by m.seq desc limit 1`,
    );
    return row;
  }, 10_000, `the ${type} message`);
const open = (who: StaffSession, conversationId: string, messageId: string) => kit.injectAs(who, { method: 'GET', url: `/api/inbox/conversations/${conversationId}/messages/${messageId}/media` });

describe('received media in the inbox', () => {
  it('streams an image under its own type, inline, not sniffable and not scriptable', async () => {
    const from = '491760000101';
    await fake.injectInbound({ from, type: 'image', image: { data: PNG.toString('base64'), mime_type: 'image/png', caption: 'Rötung am Arm' } });
    const msg = await received(from, 'media');
    const res = await open(agent, msg.conversationId, msg.id);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PNG)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': 'inline',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=300',
    });
    // Agents and admins work in the inbox; an editor does not see contacts' files.
    expect((await open(editor, msg.conversationId, msg.id)).statusCode).toBe(403);
  });

  it('serves a document as a download of unknown type, with its file name', async () => {
    const from = '491760000102';
    await fake.injectInbound({ from, type: 'document', document: { data: PDF.toString('base64'), mime_type: 'application/pdf', filename: 'Befund März.pdf' } });
    const msg = await received(from, 'media');
    const res = await open(agent, msg.conversationId, msg.id);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Befund M_rz.pdf"; filename*=UTF-8''Befund%20M%C3%A4rz.pdf`);
  });

  it('answers 404 for a message without a file or of another conversation, 400 for ids that are not ids', async () => {
    const from = '491760000103';
    await fake.injectInbound({ from, type: 'text', text: { body: 'Hallo' } });
    const text = await received(from, 'text');
    const none = await open(agent, text.conversationId, text.id);
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'media.not_found' } });
    const image = await received('491760000101', 'media');
    expect((await open(agent, text.conversationId, image.id)).json()).toMatchObject({ error: { code: 'media.not_found' } });
    expect((await open(agent, text.conversationId, 'nope')).statusCode).toBe(400);
  });

  it('says the file is gone once WhatsApp no longer keeps it (7 days), and nothing else changes', async () => {
    const from = '491760000104';
    await fake.injectInbound({ from, type: 'audio', audio: { data: Buffer.from('OggS-voice').toString('base64'), mime_type: 'audio/ogg; codecs=opus', voice: true } });
    const msg = await received(from, 'media');
    const fresh = await open(agent, msg.conversationId, msg.id);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['content-type']).toBe('audio/ogg; codecs=opus');
    fake.advanceClock(8 * 24 * 3600 * 1000);
    const gone = await open(agent, msg.conversationId, msg.id);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: { code: 'media.expired', message: expect.stringContaining('7 days') } });
  });
});
