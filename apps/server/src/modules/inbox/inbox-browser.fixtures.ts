/**
 * Test kit of the inbox's browser journeys (issue #5 item 8): agents signed in to the demo in their own browser
 * contexts, what a page did wrong (console errors, script errors, dialogs), the contact's conversation by number,
 * and numbered screenshots in test-artifacts/inbox/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { query } from '../../platform/db.js';
import { artifacts, type DemoInChromium } from '../../test/browser.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { createUserService } from '../users/index.js';

/** Where the inbox journeys keep their screenshots. */
export const inboxShots = join(artifacts, '..', 'inbox');

export interface AgentPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught script errors and dialogs (an `alert` is a failed XSS test) seen on the page. */
  problems: string[];
  dialogs: string[];
  shot(name: string): Promise<void>;
}

/** A new staff account with a known password (the demo prints only its own two). */
export async function addAgent(demo: DemoInChromium, email: string, name: string): Promise<{ email: string; password: string }> {
  const { deps } = demo.parley;
  const users = createUserService({ db: deps.database.db, workspaceId: deps.workspace.id, keyedHash: (v) => deps.secretBox.keyedHash(v) });
  const password = `browser-test-${email.split('@')[0]}-password`;
  await users.createUser({ email, name, roles: ['agent'], password }, SYSTEM_AUDIT);
  return { email, password };
}

/** The demo's own agent account and the password it printed at start. */
export function demoAgent(demo: DemoInChromium): { email: string; password: string } {
  const agent = demo.parley.demo!.accounts.find((a) => a.role === 'agent')!;
  return { email: agent.email, password: agent.password! };
}

/** Signs `who` in, in a browser context of their own (German), and waits for the inbox the sign-in leads to. */
export function signInAgent(demo: DemoInChromium, who: { email: string; password: string }, prefix: string): Promise<AgentPage> {
  return signInStaff(demo, who, prefix, { landing: 'inbox', width: 1440, fullPage: false });
}

/**
 * Signs `who` in, in a browser context of their own (German), and waits for the page the sign-in leads to (the inbox
 * for agents, the user page for admins); screenshots are `<prefix>-<name>.png`.
 */
export async function signInStaff(
  demo: DemoInChromium,
  who: { email: string; password: string },
  prefix: string,
  opts: { landing: string; width: number; fullPage: boolean },
): Promise<AgentPage> {
  mkdirSync(inboxShots, { recursive: true });
  const context = await demo.browser.newContext({ locale: 'de-DE', viewport: { width: opts.width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${demo.parley.url!}/login`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId(opts.landing).waitFor({ timeout: 15_000 });
  return { context, page, problems, dialogs, shot: (name) => page.screenshot({ path: join(inboxShots, `${prefix}-${name}.png`), fullPage: opts.fullPage }).then(() => undefined) };
}

/** The conversation of the contact with this number, once the message path has stored it. */
export async function conversationOf(demo: DemoInChromium, address: string, state?: string): Promise<{ id: string; state: string; assigneeId: string | null }> {
  return eventually(async () => {
    const [row] = await query<{ id: string; state: string; assigneeId: string | null }>(
      demo.parley.deps.database.db,
      sql`select id, state, assigned_user_id as "assigneeId" from conversations where address = ${address} order by created_at desc limit 1`,
    );
    return row && (state === undefined || row.state === state) ? row : undefined;
  }, `the conversation of ${address}${state ? ` in state ${state}` : ''}`);
}

/** Waits until `probe` returns something (polling), or fails naming what did not happen. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > until) {
      expect.fail(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A row of the inbox list for this contact. */
export function rowOf(page: Page, name: string) {
  return page.getByTestId('conversation-row').filter({ hasText: name });
}

/**
 * A valid PNG of `width` × `height` pixels (diagonal stripes in Parley's blues), base64 — a photo a contact sends.
 * @example await fake.injectInbound({ from, type: 'image', image: { data: pngOf(560, 360), mime_type: 'image/png' } })
 */
export function pngOf(width: number, height: number): string {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0 (none), then RGB
    for (let x = 0; x < width; x += 1) {
      row.set(Math.floor((x + y) / 40) % 2 === 0 ? [0x3f, 0x51, 0xb5] : [0xdb, 0xe5, 0xff], 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(Buffer.concat(rows))), pngChunk('IEND', Buffer.alloc(0))]);
  return png.toString('base64');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
