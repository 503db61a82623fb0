import { afterEach, describe, expect, it } from 'vitest';
import { createBucketSet } from './buckets.js';
import { errorOf, PNID, send, sendText, startTestFake, USER } from './test-support.js';
import type { WhatsAppFake } from './types.js';

describe('createBucketSet', () => {
  it('starts full, empties, and refills continuously up to capacity', () => {
    const buckets = createBucketSet(() => ({ capacity: 2, refillPerSecond: 0.5 }));
    expect(buckets.canTake('k', 0)).toBe(true);
    buckets.take('k', 0);
    buckets.take('k', 0);
    expect(buckets.canTake('k', 0)).toBe(false);
    expect(buckets.canTake('k', 1999)).toBe(false);
    expect(buckets.canTake('k', 2000)).toBe(true);
    expect(buckets.canTake('other', 0)).toBe(true);
    buckets.take('k', 2000);
    expect(buckets.canTake('k', 100_000)).toBe(true);
    buckets.take('k', 100_000);
    buckets.take('k', 100_000);
    expect(buckets.canTake('k', 100_000)).toBe(false);
  });
});

describe('rate limits over HTTP', () => {
  let fake: WhatsAppFake;
  afterEach(async () => {
    await fake.close();
  });

  it('answers 130429 when a number exceeds its messages per second (§4.4)', async () => {
    fake = await startTestFake({ phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: '15550001111', mps: 3 }], now: () => 1_000_000 });
    const recipients = ['5215500000001', '5215500000002', '5215500000003', '5215500000004'];
    const results = [];
    for (const to of recipients) {
      results.push(await send(fake, { to, type: 'text', text: { body: 'x' } }));
    }
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 400]);
    expect(errorOf(results[3] ?? { status: 0, json: {} })).toMatchObject({
      code: 130429,
      message: '(#130429) Rate limit hit',
      error_data: { details: 'Message failed to send because there were too many messages sent from this phone number in a short period of time' },
    });
    fake.advanceClock(1000);
    expect((await send(fake, { to: '5215500000005', type: 'text', text: { body: 'x' } })).status).toBe(200);
  });

  it('answers 131056 when one user gets more than the pair burst, without affecting other users (§4.5)', async () => {
    fake = await startTestFake({ pairLimit: { burst: 2, refillPerSecond: 1 / 6 }, now: () => 5_000_000 });
    expect((await sendText(fake)).status).toBe(200);
    expect((await sendText(fake)).status).toBe(200);
    const limited = await sendText(fake);
    expect(limited.status).toBe(400);
    expect(errorOf(limited).code).toBe(131056);
    expect((await send(fake, { to: '5215599990000', type: 'text', text: { body: 'other user' } })).status).toBe(200);
    fake.advanceClock(5_000);
    expect(errorOf(await sendText(fake)).code).toBe(131056);
    fake.advanceClock(1_000);
    expect((await sendText(fake)).status).toBe(200);
    expect(fake.sent({ to: USER })).toHaveLength(3);
  });

  it('uses the documented defaults: 45 burst per pair', async () => {
    fake = await startTestFake({ now: () => 9_000_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 46; i += 1) {
      statuses.push((await sendText(fake, `m${i}`)).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(45);
    expect(statuses.at(-1)).toBe(400);
  });

  it('forgets buckets on reset', async () => {
    fake = await startTestFake({ pairLimit: { burst: 1, refillPerSecond: 0 }, now: () => 1 });
    expect((await sendText(fake)).status).toBe(200);
    expect((await sendText(fake)).status).toBe(400);
    fake.reset();
    expect((await sendText(fake)).status).toBe(200);
  });
});
