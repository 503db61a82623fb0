/**
 * The simulator's flow panel in real Chromium (issue #3, item 9): the run state beside the chat follows the main-menu
 * flow a greeting starts; a flow version picked in the panel starts through the normal message path, its question
 * arrives in the phone, and the answer shows up as an attribute. Screenshots land in test-artifacts/phone-simulator/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';

let demo: DemoInChromium;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the same path without a browser.
describe.skipIf(isPostgresRun())('simulator flow panel (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('shows the main-menu run after a greeting, starts brochure-request v1 from the picker, and lists the answer as an attribute', async () => {
    const page = await demo.browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(demo.parley.url!);
    await page.getByTestId('run-state-empty').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'flow-1-no-conversation.png') });

    // A greeting starts the live main-menu flow; the panel follows it without a reload.
    await page.getByTestId('phone-composer-input').fill('Hallo Parley');
    await page.getByTestId('phone-send').click();
    await page.getByTestId('list-open').last().waitFor({ timeout: 15_000 });
    const flow = page.getByTestId('run-flow');
    await page.locator('[data-testid="run-flow"][data-flow-id="main-menu"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('run-node').getAttribute('data-node-id'), { timeout: 10_000 }).not.toBe('');
    expect(await page.getByTestId('run-language').textContent()).toBe('de');
    await page.screenshot({ path: join(artifacts, 'flow-2-main-menu-run.png') });

    // The picker lists brochure-request with its live version; starting it sends its first question to the phone.
    await page.getByTestId('flow-select').selectOption('brochure-request');
    const versions = await page.getByTestId('flow-version-select').locator('option').allTextContents();
    expect(versions).toContain('v1 · veröffentlicht · live');
    await page.getByTestId('flow-version-select').selectOption('1');
    await page.getByTestId('flow-start').click();
    await page.getByTestId('flow-started').waitFor({ timeout: 10_000 });
    await page.getByTestId('msg-in').filter({ hasText: 'Wie lautet Ihr Vor- und Nachname?' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="run-flow"][data-flow-id="brochure-request"][data-flow-version="1"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="run-node"][data-node-id="ask_name"][data-node-type="ask"]').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('run-waiting').getAttribute('data-value')).toBe('input');
    expect(await page.getByTestId('run-status').getAttribute('data-value')).toBe('active');
    expect(await flow.textContent()).toContain('brochure-request v1');
    await page.screenshot({ path: join(artifacts, 'flow-3-brochure-asks-name.png') });

    // The answer is saved as the flow's `name` attribute and the run moves on to the next question.
    await page.getByTestId('phone-composer-input').fill('Erika Mustermann');
    await page.getByTestId('phone-send').click();
    const attribute = page.locator('[data-testid="run-attribute"][data-key="name"]');
    await attribute.waitFor({ timeout: 15_000 });
    expect(await attribute.locator('td').textContent()).toBe('"Erika Mustermann"');
    await page.getByTestId('msg-in').filter({ hasText: 'Danke, Erika Mustermann.' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="run-node"][data-node-id="ask_street"]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(artifacts, 'flow-4-attribute-saved.png') });

    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
