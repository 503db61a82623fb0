import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrderService, startOrderService } from './order-service.js';

let clock = Date.parse('2026-11-23T10:00:00Z');
let service: OrderService;
beforeAll(async () => {
  service = await startOrderService({ port: 0, now: () => clock });
});
afterAll(async () => service.close());

const post = (body: unknown) => fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('demo order service', () => {
  it('takes a brochure order and reports its status as time passes', async () => {
    const res = await post({ type: 'brochure', name: 'Erika Muster', street: 'Hauptstr. 1', postcode: '10115' });
    expect(res.status).toBe(201);
    const { orderId } = (await res.json()) as { orderId: string };
    expect(orderId).toMatch(/^LU-\d{6}$/);
    const status = async () => (await (await fetch(`${service.url}/orders/${orderId}`)).json()) as { status: string; expectedDelivery: string | null };
    expect(await status()).toMatchObject({ status: 'received', expectedDelivery: '2026-11-26' });
    clock += 2 * 60_000;
    expect((await status()).status).toBe('shipped');
    clock += 10 * 60_000;
    expect(await status()).toMatchObject({ status: 'delivered', expectedDelivery: null });
  });

  it('answers 400 for an order without a valid postcode and 404 for an unknown order', async () => {
    expect((await post({ name: 'X', postcode: '123' })).status).toBe(400);
    expect((await post('not an object')).status).toBe(400);
    expect((await fetch(`${service.url}/orders/LU-000001`)).status).toBe(404);
  });
});
