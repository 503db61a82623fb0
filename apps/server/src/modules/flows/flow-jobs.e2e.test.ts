/**
 * The runner's effects end to end (issue #3 item 3) over real loopback HTTP: a `call` node reaches the example
 * order service through the SSRF guard as a job on the conversation's ordering key and its answer drives the
 * flow; a call to an address the guard refuses, a timeout and garbage take the error branch (never a stuck
 * conversation); a `wait` node's timer comes due through the job table; a stale timer changes nothing; and
 * subscriptions are stored per contact and topic.
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrderService, startOrderService } from '../../../../../examples/demo/order-service/order-service.js';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { freePort } from '../../test/net.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { applyWorkspace } from '../workspaces/index.js';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let orders: OrderService;
let garbage: Server;
let dir: string;

const texts = (to: string) =>
  fake.sent({ to }).map((m) => {
    const body = m.body as { text?: { body: string }; interactive?: { body: { text: string } } };
    return body.text?.body ?? body.interactive?.body.text ?? '';
  });

function flowFiles(orderUrl: string, garbageUrl: string, closedUrl: string): Record<string, string> {
  const lookup = (id: string, keyword: string, url: string, timeoutMs = 2000) => `
id: ${id}
version: 1
name: ${id}
defaultLanguage: en
languages: [en]
triggers:
  - type: keyword
    keywords: { en: ["${keyword}"] }
start: ask
nodes:
  ask:
    type: ask
    text: { en: "Order number?" }
    input: { kind: code, pattern: '^LU-\\d{6}$' }
    saveAs: orderId
    next: lookup
  lookup:
    type: call
    method: GET
    url: ${url}/orders/{{orderId}}
    timeoutMs: ${timeoutMs}
    map: { orderStatus: status }
    saveStatusAs: httpStatus
    next: found
    onError: failed
  found:
    type: end
    text: { en: "Status of {{orderId}}: {{orderStatus}}" }
  failed:
    type: end
    text: { en: "Lookup failed ({{httpStatus}})" }
`;
  return {
    'flows/track.yaml': lookup('track', 'TRACK', orderUrl),
    'flows/track-internal.yaml': lookup('track-internal', 'INTERNAL', closedUrl),
    'flows/track-garbage.yaml': lookup('track-garbage', 'GARBAGE', garbageUrl),
    'flows/track-slow.yaml': lookup('track-slow', 'SLOW', `${garbageUrl}/slow`, 300),
    'flows/remind.yaml': `
id: remind
version: 1
name: remind
defaultLanguage: en
languages: [en]
triggers:
  - type: keyword
    keywords: { en: ["REMIND"] }
start: sub
nodes:
  sub: { type: subscribe, topic: news, next: ok }
  ok: { type: say, text: { en: "I will remind you in a moment." }, next: pause }
  pause: { type: wait, delaySeconds: 1, next: remind }
  remind: { type: end, text: { en: "Reminder: take your dose." } }
`,
    'flows/stop-news.yaml': `
id: stop-news
version: 1
name: stop-news
defaultLanguage: en
languages: [en]
triggers:
  - type: keyword
    keywords: { en: ["NO NEWS"] }
start: unsub
nodes:
  unsub: { type: unsubscribe, topic: news, next: bye }
  bye: { type: end, text: { en: "No more news." } }
`,
    'flows/remind-consented.yaml': `
id: remind-consented
version: 1
name: remind-consented
purpose: reminders
defaultLanguage: en
languages: [en]
triggers:
  - type: keyword
    keywords: { en: ["REMIND ME"] }
start: ok
nodes:
  ok: { type: say, text: { en: "Noted." }, next: pause }
  pause: { type: wait, delaySeconds: 1, next: remind }
  remind: { type: end, text: { en: "Your reminder." } }
`,
    'workspace.yaml': `
purposes:
  - { id: reminders, basis: consent }
`,
    'content/topics.yaml': `
- id: news
  title: { en: "News", de: "Neuigkeiten" }
`,
  };
}

beforeAll(async () => {
  orders = await startOrderService({ port: 0 });
  garbage = createServer((req, res) => {
    if (req.url?.startsWith('/slow')) {
      setTimeout(() => res.end('{}'), 3_000);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
  });
  await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
  const garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
  const closedUrl = `http://127.0.0.1:${await freePort()}`;
  // Only the two test services are allowed past the SSRF guard; closedUrl is loopback and not allowed.
  wa = await createWhatsAppHarness({ phoneNumberId: '109876543210555', slug: 'flows', env: { FLOW_HTTP_ALLOW_PRIVATE: `${new URL(orders.url).host},${new URL(garbageUrl).host}` } });
  ({ h, fake } = wa);
  dir = mkdtempSync(join(tmpdir(), 'parley-flow-jobs-'));
  for (const [file, text] of Object.entries(flowFiles(orders.url, garbageUrl, closedUrl))) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  expect(await applyWorkspace(h.database.db, h.deps.workspace.id, dir)).toMatchObject({ ok: true });
});
afterAll(async () => {
  await wa?.close();
  await orders?.close();
  await new Promise<void>((r) => (garbage ? garbage.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

async function converse(from: string, text: string, expectCount: number): Promise<string[]> {
  await fake.injectInbound({ from, type: 'text', text: { body: text } });
  return eventually(() => (texts(from).length >= expectCount ? texts(from) : undefined), 10_000, `${expectCount} replies to ${from}`);
}

describe('HTTP calls of flows', () => {
  it('looks up an order at the service and answers with the mapped status', async () => {
    const created = await fetch(`${orders.url}/orders`, { method: 'POST', body: JSON.stringify({ type: 'brochure', name: 'Eva', postcode: '10115' }) });
    const { orderId } = (await created.json()) as { orderId: string };
    const from = '491711000001';
    await converse(from, 'TRACK', 1);
    const replies = await converse(from, orderId, 2);
    expect(replies[1]).toBe(`Status of ${orderId}: received`);
  });

  it('takes the error branch for a 404 and keeps the status code', async () => {
    const from = '491711000002';
    await converse(from, 'TRACK', 1);
    expect((await converse(from, 'LU-999999', 2))[1]).toBe('Lookup failed (404)');
  });

  it('refuses a loopback address that config does not allow: the error branch, and the conversation goes on', async () => {
    const from = '491711000003';
    await converse(from, 'INTERNAL', 1);
    expect((await converse(from, 'LU-123456', 2))[1]).toBe('Lookup failed ()');
    // Not stuck: the next keyword starts the next flow.
    expect((await converse(from, 'TRACK', 3))[2]).toBe('Order number?');
  });

  it('takes the error branch for garbage and for a timeout', async () => {
    const a = '491711000004';
    await converse(a, 'GARBAGE', 1);
    expect((await converse(a, 'LU-123456', 2))[1]).toBe('Lookup failed (200)');
    const b = '491711000005';
    await converse(b, 'SLOW', 1);
    const started = Date.now();
    expect((await converse(b, 'LU-123456', 2))[1]).toBe('Lookup failed ()');
    expect(Date.now() - started).toBeLessThan(2_900); // the 300 ms timeout, not the service's 3 s
  });

  it('holds the next message of the conversation until the call has answered (order kept)', async () => {
    const from = '491711000006';
    await converse(from, 'SLOW', 1);
    await fake.injectInbound({ from, type: 'text', text: { body: 'LU-123456' } });
    await fake.injectInbound({ from, type: 'text', text: { body: 'TRACK' } });
    const replies = await eventually(() => (texts(from).length >= 3 ? texts(from) : undefined), 10_000, 'three replies');
    expect(replies.slice(1, 3)).toEqual(['Lookup failed ()', 'Order number?']);
  });
});

describe('timers and subscriptions', () => {
  it('a wait node wakes the run through the job table and subscribes the contact', async () => {
    const from = '491711000007';
    const replies = await converse(from, 'REMIND', 1);
    expect(replies).toEqual(['I will remind you in a moment.']);
    const [job] = await query<{ runAt: Date; orderingKey: string | null }>(h.database.db, sql`select run_at as "runAt", ordering_key as "orderingKey" from jobs where queue = 'flow.resume' and payload->>'kind' = 'timer' order by id desc limit 1`);
    expect(job?.orderingKey).toBeNull(); // a long wait must not hold back the conversation's messages
    const later = await eventually(() => (texts(from).length >= 2 ? texts(from) : undefined), 10_000, 'the reminder');
    expect(later[1]).toBe('Reminder: take your dose.');
    const subs = await query<{ topic: string; status: string }>(
      h.database.db,
      sql`select s.topic_slug as topic, s.status from topic_subscriptions s join contact_identities i on i.contact_id = s.contact_id where i.address = ${from}`,
    );
    expect(subs).toEqual([{ topic: 'news', status: 'active' }]);
    await converse(from, 'NO NEWS', 3);
    const after = await query<{ status: string; endedAt: Date | null }>(
      h.database.db,
      sql`select s.status, s.ended_at as "endedAt" from topic_subscriptions s join contact_identities i on i.contact_id = s.contact_id where i.address = ${from}`,
    );
    expect(after).toHaveLength(1);
    expect(after[0]?.status).toBe('ended');
    expect(after[0]?.endedAt).not.toBeNull();
  });

  it('a timer of a run the contact left behind changes nothing', async () => {
    const from = '491711000008';
    await converse(from, 'REMIND', 1);
    // The contact starts another flow before the reminder: the old timer is stale.
    await converse(from, 'TRACK', 2);
    // The stale timer still comes due (and is done without effect); wait for that, not for a fixed time.
    const timer = await eventually(async () => {
      const [row] = await query<{ status: string }>(
        h.database.db,
        sql`select j.status from jobs j join conversations c on c.id = (j.payload->>'conversationId')::uuid where c.address = ${from} and j.payload->>'kind' = 'timer'`,
      );
      return row?.status === 'done' ? row : undefined;
    }, 10_000, 'the stale timer done');
    expect(timer.status).toBe('done');
    expect(texts(from)).toEqual(['I will remind you in a moment.', 'Order number?']);
  });

  it('GDPR-01/02 what a flow sends on its own after a wait carries the flow\'s purpose: without consent it is blocked', async () => {
    const from = '491711000009';
    expect(await converse(from, 'REMIND ME', 1)).toEqual(['Noted.']);
    const messages = await eventually(async () => {
      const rows = await query<{ purpose: string; status: string; gateReason: string | null; text: string }>(
        h.database.db,
        sql`select m.purpose, m.status, m.gate_reason as "gateReason", m.content->>'text' as text from messages m join conversations c on c.id = m.conversation_id
            where c.address = ${from} and m.direction = 'out' order by m.created_at`,
      );
      return rows.length === 2 && rows[1]!.gateReason !== null ? rows : undefined;
    }, 10_000, 'the reminder decided');
    expect(messages).toEqual([
      { purpose: 'service', status: expect.any(String), gateReason: 'send.allowed', text: 'Noted.' },
      { purpose: 'reminders', status: 'blocked', gateReason: 'send.no_consent', text: 'Your reminder.' },
    ]);
    expect(texts(from)).toEqual(['Noted.']);
  });
});
