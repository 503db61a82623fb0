/**
 * Access requests in the web app (GDPR-17), in real Chromium: a compliance officer signs in and lands on the
 * access requests, logs a request that came in by letter, cannot answer it before verifying who asked, verifies,
 * downloads the export (the request is then answered and leaves the open list); an overdue request is marked, and
 * an extension past the first month is refused in words. Screenshots land in test-artifacts/inbox/privacy-*.png.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { eventually, signInStaff } from '../inbox/inbox-browser.fixtures.js';
import { createUserService } from '../users/index.js';
import { openAccessRequest } from './index.js';

let demo: DemoInChromium;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the same API in requests.http.db.test.ts.
describe.skipIf(isPostgresRun())('access requests in the web app (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('GDPR-17 a compliance officer logs, verifies and answers a request; overdue is marked; a late extension is refused in words', async () => {
    const { deps } = demo.parley;
    const password = 'browser-test-compliance-password';
    await createUserService({ db: deps.database.db, workspaceId: deps.workspace.id, keyedHash: (v) => deps.secretBox.keyedHash(v) }).createUser(
      { email: 'dsb@example.org', name: 'Dana Datenschutz', roles: ['compliance'], password },
      SYSTEM_AUDIT,
    );
    // A contact who wrote to the demo, and an old request that is overdue by now.
    await demo.parley.demo!.fake.injectInbound({ from: '491709990040', profileName: 'Auskunft Kontakt', type: 'text', text: { body: 'Hallo' } });
    const contactId = await eventually(
      async () => (await query<{ id: string }>(deps.database.db, sql`select contact_id as id from contact_identities where address = '491709990040'`))[0]?.id,
      'the contact',
    );
    const old = await openAccessRequest({ db: deps.database.db, workspaceId: deps.workspace.id }, contactId, { audit: SYSTEM_AUDIT, receivedAt: new Date(Date.now() - 40 * 86_400_000) });

    const officer = await signInStaff(demo, { email: 'dsb@example.org', password }, 'privacy', { landing: 'privacy-page', width: 1280, fullPage: true });
    const { page } = officer;
    expect(await page.getByTestId('nav-privacy').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    const overdueRow = page.locator(`[data-testid="privacy-row"][data-id="${old.id}"]`);
    await overdueRow.waitFor();
    expect(await overdueRow.getAttribute('data-overdue')).toBe('true');
    expect(await overdueRow.getByTestId('privacy-deadline').textContent()).toMatch(/seit \d+ Tag\(en\) überfällig/);

    // A number nobody has is refused in words, and the form keeps what was typed.
    await page.getByTestId('privacy-open-contact').fill('+49 170 9990049');
    await page.getByTestId('privacy-open-submit').click();
    await page.getByTestId('privacy-error').waitFor();
    expect(await page.getByTestId('privacy-error').textContent()).toBe('Es gibt keinen Kontakt mit dieser ID oder Telefonnummer.');
    expect(await page.getByTestId('privacy-open-contact').inputValue()).toBe('+49 170 9990049');

    // A request that came in by letter two days ago, logged by phone number.
    await page.getByTestId('privacy-open-contact').fill('+49 170 9990040');
    await page.getByTestId('privacy-open-received').fill(new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 16));
    await page.getByTestId('privacy-open-submit').click();
    const fresh = page.locator('[data-testid="privacy-row"][data-status="open"][data-overdue="false"]');
    await fresh.waitFor();
    expect(await fresh.getByTestId('privacy-status').textContent()).toBe('Identität nicht geprüft');
    expect(await fresh.getByTestId('privacy-deadline').textContent()).toMatch(/noch 2[6-9] Tag\(e\)/);
    expect(await fresh.getByTestId('privacy-answer').count()).toBe(0);
    await officer.shot('1-logged');

    await fresh.getByTestId('privacy-method').selectOption('id_document');
    await fresh.getByTestId('privacy-verify').click();
    const verified = page.locator('[data-testid="privacy-row"][data-status="verified"]');
    await verified.waitFor();
    const id = (await verified.getAttribute('data-id'))!;
    const [download] = await Promise.all([page.waitForEvent('download'), verified.getByTestId('privacy-answer').click()]);
    expect(download.suggestedFilename()).toBe(`auskunft-${id.slice(0, 8)}.html`);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(contactId);
    await page.getByTestId('privacy-notice').waitFor();
    expect(await page.locator(`[data-testid="privacy-row"][data-id="${id}"]`).count()).toBe(0);
    const [answered] = await query<{ status: string; method: string }>(deps.database.db, sql`select status, verification_method as method from privacy_requests where id = ${id}`);
    expect(answered).toEqual({ status: 'done', method: 'id_document' });
    await officer.shot('2-answered');

    // The overdue one is past its first month: an extension is refused, with the reason shown.
    await overdueRow.getByTestId('privacy-extend-open').click();
    await overdueRow.getByTestId('privacy-reason').fill('Daten aus mehreren Systemen');
    await overdueRow.getByTestId('privacy-form-submit').click();
    await page.getByTestId('privacy-error').waitFor();
    expect(await page.getByTestId('privacy-error').textContent()).toBe('Eine Verlängerung muss innerhalb des ersten Monats nach Eingang entschieden und der Person mitgeteilt werden.');
    await officer.shot('3-extension-refused');

    // Answered requests are listed on request.
    await page.getByTestId('privacy-all').check();
    await page.locator(`[data-testid="privacy-row"][data-id="${id}"][data-status="done"]`).waitFor();
    expect(officer.problems.filter((p) => !p.includes('status of 409') && !p.includes('status of 404'))).toEqual([]);
    await officer.context.close();
  }, 120_000);
});
