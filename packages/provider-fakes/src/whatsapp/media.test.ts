import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRecord } from './http.js';
import { errorOf, graph, inboundOf, messageIdOf, PNID, send, startReceiver, startTestFake, statusesOf, TOKEN, USER, waitFor, type Receiver } from './test-support.js';
import type { WhatsAppFake } from './types.js';

let receiver: Receiver;
let fake: WhatsAppFake;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

beforeEach(async () => {
  receiver = await startReceiver();
  fake = await startTestFake({}, receiver.url);
});
afterEach(async () => {
  await fake.close();
  await receiver.close();
});

async function upload(bytes: Buffer, type: string, fields: Record<string, string> = { messaging_product: 'whatsapp' }): Promise<{ status: number; json: Record<string, unknown> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    form.append(key, value);
  }
  form.append('type', type);
  form.append('file', new Blob([bytes], { type }), 'receipt.png');
  const res = await fetch(`${fake.url}/v24.0/${PNID}/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
  const parsed: unknown = await res.json();
  return { status: res.status, json: isRecord(parsed) ? parsed : {} };
}

const download = (url: string, token: string | null = TOKEN): Promise<Response> =>
  fetch(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe('media API (providers.md §3)', () => {
  it('uploads, retrieves a URL, and downloads the bytes with the bearer token', async () => {
    const up = await upload(PNG, 'image/png');
    expect(up.status).toBe(200);
    const id = String(up.json.id);
    expect(id).toMatch(/^\d{16}$/);
    const meta = await graph(fake, `/v24.0/${id}`);
    expect(meta.json).toEqual({
      messaging_product: 'whatsapp',
      url: expect.stringContaining('/whatsapp_business/attachments/?mid='),
      mime_type: 'image/png',
      sha256: createHash('sha256').update(PNG).digest('base64'),
      file_size: PNG.length,
      id,
    });
    const ok = await download(String(meta.json.url));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(PNG);
    expect((await download(String(meta.json.url), null)).status).toBe(401);
  });

  it('expires download URLs after 5 minutes of fake time; a fresh lookup works again', async () => {
    const id = String((await upload(PNG, 'image/png')).json.id);
    const url = String((await graph(fake, `/v24.0/${id}`)).json.url);
    fake.advanceClock(4 * 60 * 1000);
    expect((await download(url)).status).toBe(200);
    fake.advanceClock(61 * 1000);
    expect((await download(url)).status).toBe(404);
    const fresh = String((await graph(fake, `/v24.0/${id}`)).json.url);
    expect((await download(fresh)).status).toBe(200);
    expect((await download(`${url.replace(/hash=[^&]+/, 'hash=forged')}`)).status).toBe(404);
  });

  it('deletes media; lookups and downloads then fail', async () => {
    const id = String((await upload(PNG, 'image/png')).json.id);
    const url = String((await graph(fake, `/v24.0/${id}`)).json.url);
    expect((await graph(fake, `/v24.0/${id}`, { method: 'DELETE' })).json).toEqual({ success: true });
    expect(errorOf(await graph(fake, `/v24.0/${id}`)).code).toBe(100);
    expect((await download(url)).status).toBe(404);
  });

  it('checks phone_number_id ownership, required fields and supported types', async () => {
    const id = String((await upload(PNG, 'image/png')).json.id);
    expect(errorOf(await graph(fake, `/v24.0/${id}?phone_number_id=1`)).code).toBe(100);
    expect((await graph(fake, `/v24.0/${id}?phone_number_id=${PNID}`)).status).toBe(200);
    expect(errorOf(await upload(PNG, 'image/png', {})).code).toBe(100);
    const gif = await upload(PNG, 'image/gif');
    expect(gif.status).toBe(400);
    expect(String(errorOf(gif).message)).toContain('Param file must be a file with one of the following types');
  });

  it('delivers an image sent by uploaded id and fails an unknown or mismatched id with 131053', async () => {
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'hola' } });
    const id = String((await upload(PNG, 'image/png')).json.id);
    const good = messageIdOf(await send(fake, { to: USER, type: 'image', image: { id, caption: 'Tu recibo' } }));
    const unknown = messageIdOf(await send(fake, { to: USER, type: 'image', image: { id: '123' } }));
    const asVideo = messageIdOf(await send(fake, { to: USER, type: 'video', video: { id } }));
    await waitFor(() => statusesOf(receiver, good).length === 2 && statusesOf(receiver, unknown).length === 1 && statusesOf(receiver, asVideo).length === 1, 3000, 'statuses');
    expect(statusesOf(receiver, unknown)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
    expect(statusesOf(receiver, asVideo)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
  });

  it('registers inbound media bytes and puts a downloadable id/url/sha256 in the webhook (§1.5)', async () => {
    const bytes = Buffer.from('OggS fake voice note');
    await fake.injectInbound({ from: USER, type: 'audio', audio: { data: bytes.toString('base64'), mime_type: 'audio/ogg; codecs=opus', voice: true } });
    await waitFor(() => inboundOf(receiver).length === 1, 3000, 'inbound');
    const audio = inboundOf(receiver)[0]?.audio;
    if (!isRecord(audio)) {
      throw new Error('no audio body');
    }
    expect(audio).toEqual({
      id: expect.stringMatching(/^\d+$/),
      mime_type: 'audio/ogg; codecs=opus',
      sha256: createHash('sha256').update(bytes).digest('base64'),
      voice: true,
      url: expect.stringContaining('/whatsapp_business/attachments/'),
    });
    const res = await download(String(audio.url));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    const meta = await graph(fake, `/v24.0/${String(audio.id)}`);
    expect(meta.json.file_size).toBe(bytes.length);
  });
});
