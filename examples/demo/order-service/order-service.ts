/**
 * The demo's fictional order service (brochure orders and order status), called by the demo flows
 * `brochure-request.yaml` and `order-status.yaml` through their `call` nodes. In memory, loopback only.
 *
 *   POST /orders        { type, items?, name, street, postcode } → 201 { orderId: "LU-123456" }
 *   GET  /orders/:id    → 200 { orderId, status, expectedDelivery } | 404 { error }
 *
 * Status moves with time so the demo has something to show: received → shipped (after 1 min) → delivered (after
 * 5 min). `expectedDelivery` is always present (null once delivered), as the flows' response mapping expects.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface OrderService {
  url: string;
  close(): Promise<void>;
}

interface Order {
  orderId: string;
  createdAt: number;
  name: string;
  postcode: string;
}

export async function startOrderService(opts: { port?: number; host?: string; now?: () => number } = {}): Promise<OrderService> {
  const now = opts.now ?? Date.now;
  const orders = new Map<string, Order>();
  let next = 100_000 + Math.floor(now() % 800_000);

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/orders') {
      void readJson(req).then((body) => {
        const name = typeof body?.name === 'string' ? body.name.trim() : '';
        const postcode = typeof body?.postcode === 'string' ? body.postcode : '';
        if (!name || !/^\d{5}$/.test(postcode)) {
          send(400, { error: 'name and a five-digit postcode are required' });
          return;
        }
        const orderId = `LU-${String(next++).padStart(6, '0')}`;
        orders.set(orderId, { orderId, createdAt: now(), name, postcode });
        send(201, { orderId });
      });
      return;
    }
    const match = /^\/orders\/(LU-\d{6})$/.exec(url.pathname);
    if (req.method === 'GET' && match?.[1]) {
      const order = orders.get(match[1]);
      if (!order) {
        send(404, { error: `no order ${match[1]}` });
        return;
      }
      const age = now() - order.createdAt;
      const status = age >= 5 * 60_000 ? 'delivered' : age >= 60_000 ? 'shipped' : 'received';
      const expectedDelivery = status === 'delivered' ? null : new Date(order.createdAt + 3 * 86_400_000).toISOString().slice(0, 10);
      send(200, { orderId: order.orderId, status, expectedDelivery });
      return;
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE: the caller decides what that means
    server.listen(opts.port ?? 4599, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
