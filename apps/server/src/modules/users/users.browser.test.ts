/**
 * Signing in and user administration in real Chromium (issue #5 item 1): the demo admin signs in with the password
 * printed at start, adds a user, keeps a half-typed form across an ended session, signs out; a wrong password shows
 * the generic error. Screenshots land in test-artifacts/users/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { query } from '../../platform/db.js';
import { signInStaff } from '../inbox/inbox-browser.fixtures.js';

let demo: DemoInChromium;
const shots = join(artifacts, '..', 'users');

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the same routes in auth.http.db.test.ts.
describe.skipIf(isPostgresRun())('signing in and managing users (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
    mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => demo?.close());

  it('the demo admin signs in, adds a user, keeps a draft across an ended session, and signs out', async () => {
    const admin = demo.parley.demo!.accounts.find((a) => a.role === 'admin')!;
    expect(admin.password).toMatch(/^.{20}$/);
    const page = await demo.browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.parley.url!}/login`);
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password!);
    await page.screenshot({ path: join(shots, '1-login.png') });
    await page.getByTestId('login-submit').click();

    // Admins land on the user administration, which lists the two demo accounts.
    await page.getByTestId('users-table').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Demo Admin');
    expect(await page.getByTestId('user-row').count()).toBe(2);
    await page.getByTestId('nav-users').waitFor();

    await page.getByTestId('add-user-email').fill('redaktion@example.org');
    await page.getByTestId('add-user-name').fill('Rita Redaktion');
    await page.getByTestId('add-user-roles-agent').uncheck();
    await page.getByTestId('add-user-roles-editor').check();
    await page.getByTestId('add-user-submit').click();
    await page.getByTestId('new-user-password').waitFor();
    expect(await page.locator('[data-testid="new-user-password"] code').textContent()).toMatch(/^.{20}$/);
    const row = page.locator('[data-testid="user-row"][data-email="redaktion@example.org"]');
    expect(await row.getByTestId('user-roles').textContent()).toBe('Redaktion');
    await page.screenshot({ path: join(shots, '2-user-added.png') });

    // The session ends on the server while the admin is typing: the next action brings the sign-in form, and after
    // signing in again the half-typed form is still there.
    await page.getByTestId('add-user-email').fill('halb@example.org');
    await demo.parley.deps.database.db.execute(sql`delete from sessions`);
    await row.getByTestId('disable-user').click();
    await page.getByTestId('session-ended').waitFor();
    await page.screenshot({ path: join(shots, '3-session-ended.png') });
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password!);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('users-table').waitFor();
    expect(await page.getByTestId('add-user-email').inputValue()).toBe('halb@example.org');

    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('sign-in-link').waitFor();
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    // Signed out on the server too: the session is gone.
    const [left] = await query<{ n: number }>(demo.parley.deps.database.db, sql`select count(*)::int as n from sessions`);
    expect(left!.n).toBe(0);
    await page.screenshot({ path: join(shots, '4-signed-out.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('SEC-07 the admin sees where the agent is signed in and ends it; their own other browser too, keeping this one', async () => {
    const accounts = demo.parley.demo!.accounts;
    const admin = accounts.find((a) => a.role === 'admin')!;
    const agent = accounts.find((a) => a.role === 'agent')!;
    const signIn = (who: { email: string; password?: string }, landing: string) =>
      signInStaff(demo, { email: who.email, password: who.password! }, 'sessions', { landing, width: 1280, fullPage: false });
    const agentBrowser = await signIn(agent, 'inbox');
    const adminBrowser = await signIn(admin, 'users-table');
    const secondAdminBrowser = await signIn(admin, 'users-table');
    const { page } = adminBrowser;

    const agentRow = page.locator(`[data-testid="user-row"][data-email="${agent.email}"]`);
    await agentRow.getByTestId('sessions-toggle').click();
    const panel = page.getByTestId('user-sessions');
    await panel.getByTestId('user-session').first().waitFor();
    expect(await panel.getByTestId('user-session').count()).toBe(1);
    expect(await panel.getByTestId('user-session').textContent()).toMatch(/^Angemeldet .+ · zuletzt aktiv .+ · .+/);
    await page.screenshot({ path: join(shots, '6-agent-sessions.png') });
    expect(await panel.getByTestId('end-sessions').textContent()).toBe('Alle Sitzungen beenden');
    await panel.getByTestId('end-sessions').click();
    await panel.getByTestId('sessions-ended').waitFor();
    expect(await panel.getByTestId('sessions-ended').textContent()).toBe('1 Sitzung(en) beendet.');
    expect(await panel.textContent()).toContain('Nirgends angemeldet.');
    // The agent's browser is signed out on its next request.
    await agentBrowser.page.reload();
    await agentBrowser.page.getByTestId('login-form').waitFor({ timeout: 15_000 });
    await agentRow.getByTestId('sessions-toggle').click();

    // The admin's own account: two browsers; "sign out everywhere else" keeps this one.
    const ownRow = page.locator(`[data-testid="user-row"][data-email="${admin.email}"]`);
    await ownRow.getByTestId('sessions-toggle').click();
    const own = page.getByTestId('user-sessions');
    await own.getByTestId('user-session').nth(1).waitFor();
    expect(await own.getByTestId('user-session').filter({ hasText: 'dieser Browser' }).count()).toBe(1);
    expect(await own.getByTestId('end-sessions').textContent()).toBe('Überall sonst abmelden');
    await own.getByTestId('end-sessions').click();
    await own.getByTestId('sessions-ended').waitFor();
    await expect.poll(() => own.getByTestId('user-session').count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: join(shots, '7-own-sessions.png') });
    await secondAdminBrowser.page.reload();
    await secondAdminBrowser.page.getByTestId('login-form').waitFor({ timeout: 15_000 });
    await page.reload();
    await page.getByTestId('users-table').waitFor({ timeout: 15_000 });
    const actions = await query<{ action: string }>(demo.parley.deps.database.db, sql`select action from audit_log where action = 'user.sessions_ended'`);
    expect(actions).toHaveLength(2);
    for (const b of [agentBrowser, adminBrowser, secondAdminBrowser]) {
      await b.context.close();
    }
  }, 90_000);

  it('a wrong password shows the generic error, in German and English', async () => {
    const page = await demo.browser.newPage({ locale: 'de-DE' });
    await page.goto(`${demo.parley.url!}/login`);
    await page.getByTestId('login-email').fill('admin@demo.parley.local');
    await page.getByTestId('login-password').fill('falsches-passwort');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toBe('E-Mail oder Passwort falsch.');
    await page.getByTestId('login-email').fill('niemand@example.org');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').filter({ hasText: 'E-Mail oder Passwort falsch.' }).waitFor();
    await page.getByTestId('language-en').click();
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').filter({ hasText: 'Wrong e-mail or password.' }).waitFor();
    await page.screenshot({ path: join(shots, '5-wrong-password.png') });
    // Nobody is signed in, and the simulator still needs no sign-in.
    await page.goto(demo.parley.url!);
    await page.getByTestId('phone-composer-input').waitFor({ timeout: 15_000 });
    await page.close();
  }, 60_000);
});
