/**
 * The newcomer's first minute, in real Chromium (issue #2, deliverable 8): Parley in demo mode, the phone
 * simulator page, a message typed as a WhatsApp user, the bot's answer arriving through the real webhook path,
 * and its ticks turning to read. Screenshots land in test-artifacts/ for people to look at.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { type Parley, startParley } from '../../server.js';
import { isPostgresRun } from '../../test/db.js';

const root = new URL('../../../../../', import.meta.url).pathname;
const artifacts = join(root, 'test-artifacts', 'phone-simulator');
const CHROMIUM = '/usr/bin/chromium';
let dir: string;
let parley: Parley;
let browser: Browser;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the same path without a browser.
describe.skipIf(isPostgresRun())('phone simulator (Chromium)', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is needed for browser tests: apt-get install -y chromium (looked for ${CHROMIUM})`);
    }
    const build = spawnSync(process.execPath, [join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
    expect(build.status).toBe(0);
    mkdirSync(artifacts, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'parley-demo-'));
    parley = await startParley(loadConfig({ PARLEY_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PARLEY_DEMO: 'true' }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a user writes in the simulator, is greeted with the menu, pulls a topic, and the ticks turn to read', async () => {
    const page = await browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(parley.url!);
    await page.getByTestId('phone-composer-input').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, '1-empty.png') });

    await page.getByTestId('phone-composer-input').fill('Hallo Parley');
    await page.getByTestId('phone-send').click();
    await page.getByTestId('msg-out').filter({ hasText: 'Hallo Parley' }).waitFor({ timeout: 10_000 });
    // The demo workspace's main-menu flow: who writes, then the topics as a list.
    await page.getByTestId('msg-in').filter({ hasText: 'Aurelia Pharma' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('list-open').last().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, '2-greeting-and-menu.png') });

    await page.getByTestId('list-open').last().click();
    await page.getByTestId('list-row').filter({ hasText: 'Kontakt' }).click();
    // Pulled content: the approved item's text, verbatim.
    await page.getByTestId('msg-in').filter({ hasText: '030 23125 500' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="msg-in"][data-status="read"]').first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, '3-content-read.png') });

    // What the page showed is what Parley sent through the fake.
    const sent = parley.demo!.fake.sent({ to: '491701234567' });
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.some((m) => m.status === 'read')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
