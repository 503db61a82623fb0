/**
 * The composer and safe rendering in real Chromium (issue #5 items 4, 7, 8 c): outside the 24-hour window the
 * composer offers only approved templates (and a free text sent just after the window closed is blocked with the
 * gate's reason, nothing leaves); an ended session keeps the draft; what a WhatsApp user sent — script and
 * image-onerror payloads in their messages and profile name — shows as text, no dialog fires, under the web app's
 * Content-Security-Policy; an editor is not offered the inbox. Screenshots land in test-artifacts/inbox/.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { DEMO_CHANNEL_SLUG } from '../demo/demo.service.js';
import { createTemplateService } from '../templates/index.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { createUserService } from '../users/index.js';
import { conversationOf, demoAgent, eventually, rowOf, signInAgent } from './inbox-browser.fixtures.js';

/** The fake's default WhatsApp Business Account (the demo channel does not name one). */
const WABA = '880011223344556';

let demo: DemoInChromium;

const db = () => demo.parley.deps.database.db;
const fake = () => demo.parley.demo!.fake;

/** A contact on the fake asks for a person; their conversation waits in the queue. */
async function contactAsksForPerson(address: string, profileName: string, ...more: string[]): Promise<string> {
  await fake().injectInbound({ from: address, profileName, type: 'text', text: { body: 'Mitarbeiter' } });
  const { id } = await conversationOf(demo, address, 'queued');
  for (const body of more) {
    await fake().injectInbound({ from: address, profileName, type: 'text', text: { body } });
  }
  await eventually(async () => {
    const [row] = await query<{ n: number }>(db(), sql`select count(*)::int as n from messages where conversation_id = ${id} and direction = 'in'`);
    return row!.n === more.length + 1 ? true : undefined;
  }, `${more.length + 1} messages from ${address}`);
  return id;
}

/** An approved utility template on the fake, synced into Parley's registry (the demo ships none). */
async function approvedTemplate(): Promise<void> {
  const { deps } = demo.parley;
  const channel = (await deps.channels.listChannels(deps.workspace.id)).find((c) => c.slug === DEMO_CHANNEL_SLUG)!;
  const { secrets } = await deps.channels.getById(channel.id);
  const res = await fetch(`${fake().url}/v24.0/${WABA}/message_templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${(secrets as { accessToken: string }).accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'appointment_reminder',
      language: 'de',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.', example: { body_text: [['Ana', 'Montag']] } }],
    }),
  });
  expect(res.status).toBe(200);
  const templates = createTemplateService({ db: db(), channels: deps.channels });
  await eventually(async () => {
    await templates.syncTemplates(deps.workspace.id, { channelSlug: DEMO_CHANNEL_SLUG, businessAccountId: WABA });
    const [row] = await query<{ status: string }>(db(), sql`select status from whatsapp_templates where name = 'appointment_reminder'`);
    return row?.status === 'APPROVED' ? true : undefined;
  }, 'the approved template in the registry');
}

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the composer in reply.e2e.test.ts.
describe.skipIf(isPostgresRun())('the composer and safe rendering (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
    await approvedTemplate();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('WA-02 outside the 24-hour window the composer offers only templates; free text sent as the window closed is blocked with the reason, nothing leaves', async () => {
    const address = '491709990002';
    const id = await contactAsksForPerson(address, 'Fenster Zu');
    const agent = await signInAgent(demo, demoAgent(demo), 'c');
    await rowOf(agent.page, 'Fenster Zu').click();
    await agent.page.getByTestId('action-take').click();
    await agent.page.locator('[data-testid="composer-window"][data-open="true"]').waitFor();
    await agent.page.getByTestId('composer-input').fill('Sind Sie noch da?');
    await agent.shot('1-window-open');

    // The day passes while the agent looks away: the contact last wrote 25 hours ago.
    await demo.parley.deps.database.db.execute(sql`update conversations set last_inbound_at = now() - interval '25 hours' where id = ${id}`);
    const sentBefore = fake().sent({ to: address }).length;
    await agent.page.getByTestId('composer-send').click();
    const error = agent.page.locator('[data-testid="composer-error"][data-code="send.window_closed"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('Nicht gesendet: Das 24-Stunden-Fenster ist geschlossen');
    expect(await error.textContent()).toContain('Es wurde nichts gesendet.');
    await agent.shot('2-free-text-blocked');
    expect(fake().sent({ to: address })).toHaveLength(sentBefore);

    // Now the composer says so before anything is typed, and offers only the approved templates.
    const closed = agent.page.locator('[data-testid="composer-window"][data-open="false"]');
    await closed.waitFor();
    expect(await closed.textContent()).toContain('Das 24-Stunden-Fenster ist geschlossen: Fenster Zu hat vor 1 T. 0 Std. zuletzt geschrieben');
    expect(await agent.page.getByTestId('composer-input').count()).toBe(0);
    expect(await agent.page.getByTestId('content-open').count()).toBe(0);
    expect(await agent.page.getByTestId('canned-open').count()).toBe(0);
    const options = await agent.page.getByTestId('template-select').locator('option').allTextContents();
    expect(options.slice(1)).toEqual(['appointment_reminder · utility · de']);
    await agent.shot('3-only-templates');

    // The template's form: its variables, a preview as the contact will read it, and the send.
    await agent.page.getByTestId('template-select').selectOption('appointment_reminder|de');
    await agent.page.getByTestId('template-field-body.1').fill('Eva');
    expect(await agent.page.getByTestId('template-send').isDisabled()).toBe(true);
    await agent.page.getByTestId('template-field-body.2').fill('Montag, 9:00 Uhr');
    expect(await agent.page.getByTestId('template-preview').textContent()).toBe('Hallo Eva, Ihr Termin ist am Montag, 9:00 Uhr.');
    await agent.shot('4-template-form');
    await agent.page.getByTestId('template-send').click();
    await agent.page.getByTestId('composer-sent').waitFor();
    const atFake = await eventually(() => fake().sent({ to: address }).find((m) => m.type === 'template'), 'the template at the fake');
    expect(JSON.stringify(atFake.body)).toContain('Montag, 9:00 Uhr');
    const sentTemplate = agent.page.locator('[data-testid="history-msg"][data-sender="agent"]').filter({ hasText: 'appointment_reminder' });
    await sentTemplate.waitFor();
    // The history shows what the contact read, not only the template's name.
    expect(await sentTemplate.getByTestId('template-text').textContent()).toContain('Montag, 9:00 Uhr');
    await agent.shot('5-template-sent');
    expect(agent.problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
    await agent.context.close();
  }, 90_000);

  it('an ended session brings the sign-in form, and the half-written reply is still there afterwards', async () => {
    const address = '491709990004';
    await contactAsksForPerson(address, 'Sitzung Ende');
    const agent = await signInAgent(demo, demoAgent(demo), 'd');
    await rowOf(agent.page, 'Sitzung Ende').click();
    await agent.page.getByTestId('action-take').click();
    await agent.page.getByTestId('composer-input').fill('Einen Moment, ich sehe nach');
    await demo.parley.deps.database.db.execute(sql`delete from sessions`);
    // The send meets the ended session — unless a background request of the page met it first and the sign-in form
    // already replaced the composer (under load that happens): either way the form must come, and nothing is sent.
    const ended = agent.page.getByTestId('session-ended');
    await agent.page
      .getByTestId('composer-send')
      .click({ timeout: 5_000 })
      .catch(async (err: unknown) => {
        if (!(await ended.isVisible())) {
          throw err;
        }
      });
    await ended.waitFor();
    await agent.shot('1-session-ended');
    expect(fake().sent({ to: address }).some((m) => JSON.stringify(m.body).includes('ich sehe nach'))).toBe(false);

    const { email, password } = demoAgent(demo);
    await agent.page.getByTestId('login-email').fill(email);
    await agent.page.getByTestId('login-password').fill(password);
    await agent.page.getByTestId('login-submit').click();
    await agent.page.getByTestId('composer-input').waitFor();
    expect(await agent.page.getByTestId('composer-input').inputValue()).toBe('Einen Moment, ich sehe nach');
    await agent.shot('2-draft-kept');
    await agent.context.close();
  }, 60_000);

  it('what a WhatsApp user sent is shown as text: script and onerror payloads stay text, no dialog, no script runs', async () => {
    const name = '<img src=x onerror="window.__xss=1;alert(3)">';
    const payloads = ['<script>alert(1)</script>', '<img src=x onerror="window.__xss=1;alert(2)">'];
    await contactAsksForPerson('491709990003', name, ...payloads);
    const agent = await signInAgent(demo, demoAgent(demo), 'x');
    const response = await agent.page.goto(`${demo.parley.url!}/inbox`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");

    const row = rowOf(agent.page, '<img src=x');
    await row.waitFor();
    expect(await row.locator('.inbox-row__name').textContent()).toBe(name);
    expect(await row.locator('.inbox-row__preview').textContent()).toBe(payloads[1]);
    await row.click();
    for (const payload of payloads) {
      const bubble = agent.page.locator('[data-testid="history-msg"][data-direction="in"]').filter({ hasText: payload });
      expect(await bubble.locator('.hist-text').textContent()).toBe(payload);
    }
    expect(await agent.page.getByTestId('conversation-name').textContent()).toBe(name);
    await agent.page.getByTestId('contact-name').filter({ hasText: name }).waitFor();
    // Searching for the payload finds it, still as text.
    await agent.page.getByTestId('view-all').click();
    await agent.page.getByTestId('filter-search').fill('<script>');
    await agent.page.locator('[data-testid="conversation-list"][data-count="1"]').waitFor();
    await agent.shot('1-payloads-as-text');

    expect(agent.dialogs).toEqual([]);
    expect(await agent.page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await agent.page.locator('img[src="x"]').count()).toBe(0);
    expect(await agent.page.locator('script:not([src])').count()).toBe(0);
    expect(agent.problems).toEqual([]);
    await agent.context.close();
  }, 60_000);

  it('an editor is not offered the inbox, and is refused it when they go there anyway', async () => {
    const users = createUserService({ db: db(), workspaceId: demo.parley.deps.workspace.id, keyedHash: (v) => demo.parley.deps.secretBox.keyedHash(v) });
    await users.createUser({ email: 'rita@example.org', name: 'Rita Redaktion', roles: ['editor'], password: 'browser-test-editor-password' }, SYSTEM_AUDIT);
    const context = await demo.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${demo.parley.url!}/login`);
    await page.getByTestId('login-email').fill('rita@example.org');
    await page.getByTestId('login-password').fill('browser-test-editor-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('nav-inbox').count()).toBe(0);
    await page.goto(`${demo.parley.url!}/inbox`);
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('inbox').count()).toBe(0);
    await context.close();
  }, 60_000);
});
