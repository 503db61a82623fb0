/**
 * The newcomer's first minute, in real Chromium (issue #2, deliverable 8): Parley in demo mode, the phone
 * simulator page, a message typed as a WhatsApp user, the bot's answer arriving through the real webhook path,
 * and its ticks turning to read. Screenshots land in test-artifacts/ for people to look at.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';

let demo: DemoInChromium;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the same path without a browser.
describe.skipIf(isPostgresRun())('phone simulator (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('a user writes in the simulator, is greeted with the menu, pulls a topic, and the ticks turn to read', async () => {
    const page = await demo.browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(demo.parley.url!);
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
    const sent = demo.parley.demo!.fake.sent({ to: '491701234567' });
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.some((m) => m.status === 'read')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
