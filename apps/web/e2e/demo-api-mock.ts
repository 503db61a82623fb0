// A stand-in for the Parley server's demo API (`/api/demo/...`), so the phone simulator can be developed and tried in
// a browser before the server side exists. It serves `apps/web/dist` under the strict Content-Security-Policy the
// server will send, and answers with a tiny scripted "bot" that produces every message type the simulator renders.
// It is a test double of the HTTP contract only: no webhook path, no real fake Cloud API behind it.
//
//   npm run -w @parley/web build && npm run -w @parley/web mock      # http://localhost:5174
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';

type Sent = {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  body: Record<string, unknown>;
  status: string;
  statuses: Array<{ status: string; at: number; errorCode?: number }>;
  errorCode?: number;
  createdAt: number;
};

const channel = { slug: 'demo-whatsapp', name: 'Parley Demo', phoneNumberId: '100000000000001', displayPhoneNumber: '4930123456789' };
const second = { slug: 'demo-hotel', name: 'Hotel Demo', phoneNumberId: '100000000000002', displayPhoneNumber: '4940987654321' };
const dist = normalize(join(import.meta.dirname, '..', 'dist'));
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";
const settings = { demo: true, events: true, twoChannels: false };
const sent: Sent[] = [];
const listeners = new Set<ServerResponse>();
const readRequested = new Set<string>();
let counter = 0;

/** Starts the mock on `port` (0 = any free port) and resolves to its base URL. */
export async function startDemoApiMock(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error(error);
      send(response, 500, { error: 'mock failed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise((resolve) => {
        for (const listener of listeners) {
          listener.end();
        }
        server.close(() => resolve());
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://mock');
  const route = `${request.method ?? 'GET'} ${url.pathname}`;
  switch (route) {
    case 'GET /api/demo/config':
      return send(response, 200, settings.demo ? { demo: true, channels: settings.twoChannels ? [channel, second] : [channel], user: { waId: '491701234567', name: 'Demo User' } } : { demo: false, channels: [] });
    case 'GET /api/demo/whatsapp/sent': {
      const messages = sent.filter((message) => message.phoneNumberId === url.searchParams.get('phoneNumberId') && message.to === url.searchParams.get('to'));
      return send(response, 200, { messages });
    }
    case 'POST /api/demo/whatsapp/inbound': {
      const body = (await readJson(request)) as Record<string, unknown>;
      const id = nextId('U');
      emit('inbound', { id });
      setTimeout(() => reply(body, id), 150);
      return send(response, 200, { id });
    }
    case 'POST /api/demo/whatsapp/read': {
      const { id } = (await readJson(request)) as { id?: string };
      const message = sent.find((candidate) => candidate.id === id);
      if (!message) {
        return send(response, 404, { error: { message: `unknown message id ${String(id)}` } });
      }
      // Like the real fake: "read" never comes before "delivered"; an early read is applied once delivered.
      if (message.status === 'delivered') {
        setStatus(message, 'read');
      } else if (message.status === 'accepted' || message.status === 'sent') {
        readRequested.add(message.id);
      }
      return send(response, 200, { ok: true });
    }
    case 'GET /api/demo/simulator/flows':
      return send(response, 200, { flows: mockFlows });
    case 'GET /api/demo/simulator/state': {
      const key = `${url.searchParams.get('phoneNumberId') ?? ''}:${url.searchParams.get('waId') ?? ''}`;
      return send(response, 200, { conversation: conversations.get(key) ?? null });
    }
    case 'POST /api/demo/simulator/run':
      return startRun((await readJson(request)) as Record<string, unknown>, response);
    case 'GET /api/demo/whatsapp/events':
      return openEvents(response);
    case 'POST /_mock/settings':
      Object.assign(settings, await readJson(request));
      return send(response, 200, settings);
    case 'POST /_mock/clear':
      sent.length = 0;
      conversations.clear();
      return send(response, 200, {});
    default:
      return serveStatic(url.pathname, response);
  }
}

// The simulator endpoints: a flow list and one scripted flow run ("brochure-request" asks for a name), enough to
// try the flow panel. Every other flow starts and ends at once.
type MockRun = { flowId: string; flowVersion: number; flowName: string | null; status: string; nodeId: string | null; nodeType: string | null; waiting: string | null; attributes: Record<string, unknown> };
type MockConversation = { id: string; ownership: string; language: string | null; run: MockRun | null };
const mockFlows = [
  { id: 'brochure-request', name: 'Broschüre bestellen / Order a brochure', versions: [{ version: 1, status: 'published', live: true }] },
  { id: 'main-menu', name: 'Hauptmenü / Main menu', versions: [{ version: 2, status: 'draft', live: false }, { version: 1, status: 'published', live: true }] },
];
const conversations = new Map<string, MockConversation>();

function startRun(body: Record<string, unknown>, response: ServerResponse): void {
  const phoneNumberId = String(body.phoneNumberId);
  const to = String(body.waId);
  const conversation = conversations.get(`${phoneNumberId}:${to}`);
  if (!conversation) {
    return send(response, 404, { error: { code: 'simulator.no_conversation', message: 'This user has not written yet.', requestId: 'mock-1' } });
  }
  const flow = mockFlows.find((candidate) => candidate.id === body.flowId && candidate.versions.some((v) => v.version === body.version));
  if (!flow) {
    return send(response, 404, { error: { code: 'flow.not_found', message: `No flow ${String(body.flowId)} v${String(body.version)}.`, requestId: 'mock-2' } });
  }
  const asking = flow.id === 'brochure-request';
  conversation.run = {
    flowId: flow.id,
    flowVersion: Number(body.version),
    flowName: flow.name,
    status: asking ? 'active' : 'ended',
    nodeId: asking ? 'ask_name' : null,
    nodeType: asking ? 'ask' : null,
    waiting: asking ? 'input' : null,
    attributes: { channel: 'whatsapp', note: 'Ein sehr langer Wert, damit die Tabelle zeigt, wie sie lange Werte kürzt und im Tooltip ganz zeigt.' },
  };
  send(response, 202, { conversationId: conversation.id });
  if (asking) {
    businessSend(phoneNumberId, to, 'text', { text: { body: 'Wie lautet Ihr Vor- und Nachname?' } });
  }
}

/** The scripted bot: one keyword per message type the simulator must render. */
function reply(inbound: Record<string, unknown>, inboundId: string): void {
  const phoneNumberId = String(inbound.phoneNumberId);
  const to = String(inbound.from);
  const out = (type: string, payload: Record<string, unknown>, failWith?: number): void => businessSend(phoneNumberId, to, type, payload, failWith);
  const key = `${phoneNumberId}:${to}`;
  const conversation = conversations.get(key) ?? { id: `conv-${conversations.size + 1}`, ownership: 'bot', language: 'de', run: null };
  conversations.set(key, conversation);
  const run = conversation.run;
  if (run?.nodeId === 'ask_name' && inbound.type === 'text') {
    run.attributes.name = String((inbound.text as { body?: string } | undefined)?.body ?? '');
    Object.assign(run, { nodeId: 'ask_street' });
    return out('text', { text: { body: `Danke, ${String(run.attributes.name)}. Wie lauten Straße und Hausnummer?` } });
  }
  const interactive = inbound.interactive as { type: string; button_reply?: { title: string }; list_reply?: { title: string } } | undefined;
  if (interactive) {
    const title = interactive.button_reply?.title ?? interactive.list_reply?.title ?? '?';
    return out('text', { text: { body: `Du hast „${title}“ gewählt.` } });
  }
  if (inbound.type === 'location') {
    return out('text', { text: { body: 'Danke für deinen Standort.' } });
  }
  const text = String((inbound.text as { body?: string } | undefined)?.body ?? '').toLowerCase();
  switch (text) {
    case 'menü':
    case 'menu':
      return out('interactive', {
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Hauptmenü' },
          body: { text: 'Wobei kann ich helfen?' },
          footer: { text: 'Parley Demo' },
          action: { buttons: [{ type: 'reply', reply: { id: 'appointments', title: 'Termine' } }, { type: 'reply', reply: { id: 'faq', title: 'Fragen' } }] },
        },
      });
    case 'hilfe':
    case 'help':
    case 'liste':
      return out('interactive', {
        interactive: {
          type: 'list',
          body: { text: 'Wähle ein Thema.' },
          action: {
            button: 'Themen',
            sections: [
              { title: 'Service', rows: [{ id: 'hours', title: 'Öffnungszeiten', description: 'Mo–Fr 8–18 Uhr' }, { id: 'address', title: 'Adresse' }] },
              { title: 'Kontakt', rows: [{ id: 'agent', title: 'Mitarbeiter' }] },
            ],
          },
        },
      });
    case 'bild':
      return out('image', { image: { link: `data:image/png;base64,${tinyPng}`, caption: 'Ein Bild' } });
    case 'dokument':
      return out('document', { document: { link: 'https://files.example.com/info.pdf', filename: 'info.pdf', caption: 'Infoblatt' } });
    case 'vorlage':
      return out('template', {
        template: { name: 'appointment_reminder', language: { code: 'de' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }, { type: 'text', text: 'Dienstag, 10:00' }] }] },
      });
    case 'ort':
      return out('location', { location: { latitude: '52.520008', longitude: '13.404954', name: 'Praxis Mitte', address: 'Alexanderplatz 1, Berlin' } });
    case 'kontakt':
      return out('contacts', { contacts: [{ name: { formatted_name: 'Service-Team' }, phones: [{ phone: '+4930111222', type: 'WORK' }] }] });
    case 'danke':
      return out('reaction', { reaction: { message_id: inboundId, emoji: '👍' } });
    case 'fehler':
      return out('text', { text: { body: 'Diese Nachricht kommt nie an.' } }, 131047);
    case 'weg':
      return out('text', { text: { body: 'Unzustellbar.' } }, 131026);
    case 'neu':
      return out('order', { order: { catalog_id: '1' } });
    case 'mitarbeiter':
    case 'agent':
      return out('text', { text: { body: 'Ein Mitarbeiter meldet sich gleich.' }, context: { message_id: inboundId } });
    default:
      return out('text', { text: { body: `Hallo! Schreib „Menü“. Mehr unter https://example.org/hilfe. <b>kein HTML</b>` }, context: { message_id: inboundId } });
  }
}

function businessSend(phoneNumberId: string, to: string, type: string, payload: Record<string, unknown>, failWith?: number): void {
  const now = Date.now();
  const message: Sent = {
    id: nextId('B'),
    phoneNumberId,
    to,
    type,
    body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, type, ...payload },
    status: 'accepted',
    statuses: [{ status: 'accepted', at: now }],
    createdAt: now,
  };
  sent.push(message);
  emit('sent', { id: message.id });
  setTimeout(() => {
    if (failWith !== undefined) {
      message.errorCode = failWith;
      setStatus(message, 'failed', failWith);
      return;
    }
    setStatus(message, 'sent');
    setTimeout(() => {
      setStatus(message, 'delivered');
      if (readRequested.delete(message.id)) {
        setStatus(message, 'read');
      }
    }, 250);
  }, 250);
}

function setStatus(message: Sent, status: string, errorCode?: number): void {
  message.status = status;
  message.statuses.push({ status, at: Date.now(), ...(errorCode === undefined ? {} : { errorCode }) });
  emit('status', { id: message.id, status });
}

function openEvents(response: ServerResponse): void {
  if (!settings.events) {
    send(response, 503, { error: 'events off' });
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write(': connected\n\n');
  listeners.add(response);
  response.on('close', () => listeners.delete(response));
}

function emit(type: string, data: Record<string, unknown>): void {
  const line = `data: ${JSON.stringify({ type, at: Date.now(), data })}\n\n`;
  for (const listener of listeners) {
    listener.write(line);
  }
}

async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
  const file = normalize(join(dist, pathname === '/' ? 'index.html' : pathname));
  const inside = file.startsWith(dist) ? file : join(dist, 'index.html');
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  try {
    const content = await readFile(inside);
    response.writeHead(200, { 'content-type': types[extname(inside)] ?? 'application/octet-stream', 'content-security-policy': csp });
    response.end(content);
  } catch {
    const index = await readFile(join(dist, 'index.html'));
    response.writeHead(200, { 'content-type': types['.html'] ?? 'text/html', 'content-security-policy': csp });
    response.end(index);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
}

function nextId(kind: string): string {
  counter += 1;
  return `wamid.MOCK${kind}${counter.toString().padStart(6, '0')}`;
}

// 1×1 PNG, enough to check that data: images render under the CSP.
const tinyPng = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 5174);
  const { url } = await startDemoApiMock(port);
  console.log(`Demo API mock with the built web app on ${url}`);
}
