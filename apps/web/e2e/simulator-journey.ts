// Browser journey for the phone simulator against the demo API mock (not the real server): every message type,
// replies via buttons and lists, ticks up to "read", failures, polling when the event stream is down, reload, reset,
// demo mode off, and no Content-Security-Policy violations. Needs Debian's chromium (`apt-get install -y chromium`).
//
//   npm run -w @parley/web build && npm run -w @parley/web e2e:journey
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startDemoApiMock } from './demo-api-mock.js';

const artifacts = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'web');
const timeout = 5_000;

const mock = await startDemoApiMock();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const problems: string[] = [];

try {
  await mkdir(artifacts, { recursive: true });
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(mock.url);

  await step('German by default, business name in the header', async () => {
    await page.getByTestId('phone-business-name').waitFor({ timeout });
    assert.equal(await page.getByTestId('phone-business-name').textContent(), 'Parley Demo');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  });

  await step('a sent text appears at once, the answer arrives and is marked read', async () => {
    await send(page, 'Hallo');
    await page.getByTestId('msg-out').filter({ hasText: 'Hallo' }).waitFor({ timeout });
    const answer = page.getByTestId('msg-in').last();
    await answer.locator('a[href="https://example.org/hilfe"][rel~="noopener"]').waitFor({ timeout });
    assert.match((await answer.textContent()) ?? '', /<b>kein HTML<\/b>/);
    await waitForStatus(page, 'read');
  });

  await step('a reply button sends a button_reply', async () => {
    await page.getByTestId('phone-chip').first().click();
    await page.getByTestId('reply-button').filter({ hasText: 'Termine' }).click();
    await page.getByTestId('msg-out').filter({ hasText: 'Termine' }).waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'Du hast „Termine“ gewählt.' }).waitFor({ timeout });
  });

  await step('a list opens a sheet and a row sends a list_reply', async () => {
    await send(page, 'Liste');
    await page.getByTestId('list-open').last().click();
    await page.getByTestId('list-row').filter({ hasText: 'Öffnungszeiten' }).click();
    await page.getByTestId('msg-in').filter({ hasText: 'Du hast „Öffnungszeiten“ gewählt.' }).waitFor({ timeout });
  });

  await step('failures show the code and reason', async () => {
    await send(page, 'Fehler');
    const failed = page.locator('[data-testid="msg-in"][data-status="failed"]').first();
    await failed.waitFor({ timeout });
    assert.match((await failed.textContent()) ?? '', /Fehler 131047: außerhalb des 24-Stunden-Fensters/);
  });

  await step('media, template, location, contacts, reaction and unknown types render', async () => {
    for (const word of ['Bild', 'Dokument', 'Vorlage', 'Ort', 'Kontakt', 'Neu', 'Danke']) {
      await send(page, word);
    }
    await page.locator('[data-kind="media"] img[src^="data:image/png"]').waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'info.pdf' }).waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'appointment_reminder' }).filter({ hasText: 'Anna' }).waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'Praxis Mitte' }).waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'Service-Team' }).waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'Nachricht vom Typ „order“' }).waitFor({ timeout });
    await page.getByTestId('msg-out').filter({ hasText: 'Danke' }).locator('.bubble__reaction', { hasText: '👍' }).waitFor({ timeout });
    await page.screenshot({ path: join(artifacts, 'simulator-de.png') });
  });

  await step('a location can be sent from the menu', async () => {
    await page.getByTestId('phone-more').click();
    await page.getByTestId('phone-send-location').click();
    await page.getByTestId('location-send').click();
    await page.getByTestId('msg-out').filter({ hasText: 'Alexanderplatz' }).waitFor({ timeout });
    await page.getByTestId('msg-in').filter({ hasText: 'Danke für deinen Standort.' }).waitFor({ timeout });
  });

  await step('the flow panel starts a flow version and shows its run and attributes', async () => {
    await page.getByTestId('run-state-no-run').waitFor({ timeout });
    await page.getByTestId('flow-select').selectOption('brochure-request');
    await page.getByTestId('flow-start').click();
    await page.getByTestId('msg-in').filter({ hasText: 'Wie lautet Ihr Vor- und Nachname?' }).waitFor({ timeout });
    await page.locator('[data-testid="run-node"][data-node-id="ask_name"][data-node-type="ask"]').waitFor({ timeout });
    assert.equal(await page.getByTestId('run-waiting').getAttribute('data-value'), 'input');
    await send(page, 'Ada Lovelace');
    const name = page.locator('[data-testid="run-attribute"][data-key="name"]');
    await name.waitFor({ timeout });
    assert.equal(await name.locator('td').textContent(), '"Ada Lovelace"');
    await page.screenshot({ path: join(artifacts, 'simulator-flow-panel.png') });
  });

  await step('a reload keeps the chat', async () => {
    const before = await page.getByTestId('msg-out').count();
    await page.reload();
    await page.getByTestId('msg-out').first().waitFor({ timeout });
    assert.equal(await page.getByTestId('msg-out').count(), before);
  });

  await step('without the event stream it polls', async () => {
    await fetch(`${mock.url}/_mock/settings`, { method: 'POST', body: JSON.stringify({ events: false }) });
    await page.reload();
    await page.locator('.phone__banner').waitFor({ timeout });
    await send(page, 'Mitarbeiter');
    await page.getByTestId('msg-in').filter({ hasText: 'Ein Mitarbeiter meldet sich gleich.' }).waitFor({ timeout });
    await fetch(`${mock.url}/_mock/settings`, { method: 'POST', body: JSON.stringify({ events: true }) });
  });

  await step('English switch, reset and another user', async () => {
    await page.getByTestId('language-en').click();
    assert.equal(await page.getByTestId('phone-send').getAttribute('aria-label'), 'Send');
    await page.screenshot({ path: join(artifacts, 'simulator-en.png'), fullPage: true });
    await page.getByTestId('chat-reset').click();
    assert.equal(await page.getByTestId('msg-out').count(), 0);
    assert.equal(await page.getByTestId('msg-in').count(), 0);
    await send(page, 'Hi');
    await page.getByTestId('msg-in').first().waitFor({ timeout });
    await page.getByLabel('WhatsApp number (wa_id, digits only)').fill('491709999999');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Say hello, or tap a suggestion below.').waitFor({ timeout });
  });

  await step('several channels offer a picker', async () => {
    await fetch(`${mock.url}/_mock/settings`, { method: 'POST', body: JSON.stringify({ twoChannels: true }) });
    await page.reload();
    await page.getByLabel('Channel').selectOption('100000000000002');
    await page.getByTestId('phone-business-name').filter({ hasText: 'Hotel Demo' }).waitFor({ timeout });
    await send(page, 'Menu');
    await page.getByTestId('reply-button').first().waitFor({ timeout });
    await fetch(`${mock.url}/_mock/settings`, { method: 'POST', body: JSON.stringify({ twoChannels: false }) });
  });

  await step('demo mode off shows a notice', async () => {
    await fetch(`${mock.url}/_mock/settings`, { method: 'POST', body: JSON.stringify({ demo: false }) });
    await page.reload();
    await page.getByTestId('demo-off').waitFor({ timeout });
    await fetch(`${mock.url}/_mock/settings`, { method: 'POST', body: JSON.stringify({ demo: true }) });
  });

  // The stream being switched off on purpose logs a failed request; anything else (CSP, React) is a problem.
  const unexpected = problems.filter((text) => !text.includes('503'));
  assert.deepEqual(unexpected, [], 'console errors or CSP violations');
  console.log(`journey passed; screenshots in ${artifacts}`);
} finally {
  await browser.close();
  await mock.close();
}

async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await run();
    console.log(`✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`✗ ${name}`);
    throw error;
  }
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('phone-composer-input').fill(text);
  await page.getByTestId('phone-composer-input').press('Enter');
}

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(`[data-testid="msg-in"][data-status="${status}"]`).first().waitFor({ timeout });
}
