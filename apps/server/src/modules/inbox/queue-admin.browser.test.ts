/**
 * Staffing the inbox's queues in real Chromium (docs/inbox.md "Queues"): the demo admin opens the queue page from
 * the navigation, takes the demo agent out of a queue (the page warns that nobody will be assigned from it), saves,
 * and the server has the new membership, also after a reload; puts the agent back; a refused save shows the reason
 * and keeps the choice. The demo agent is not offered the page and is refused at its URL. Screenshots land in
 * test-artifacts/inbox/ (`q-…`).
 */
import { sql } from 'drizzle-orm';
import type { InboxQueue } from '@parley/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { addAgent, type AgentPage, demoAgent, signInAgent, signInStaff } from './inbox-browser.fixtures.js';

let demo: DemoInChromium;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the membership API in its http.db tests.
describe.skipIf(isPostgresRun())('the queue page (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('the admin takes the demo agent out of a queue and puts them back; the server keeps it, and so does the page after a reload', async () => {
    const admin = await signInAdmin('q-a');
    const agentId = await userIdOf(demoAgent(demo).email);
    expect(await membersOf(admin, 'hcp-service')).toEqual([agentId]);

    await admin.page.getByTestId('nav-queues').click();
    await admin.page.getByTestId('queues-page').waitFor();
    expect(await admin.page.title()).toBe('Warteschlangen und Mitglieder · Parley');
    const hcp = queueCard(admin, 'hcp-service');
    const agentBox = hcp.getByLabel('Demo Agent', { exact: true });
    expect(await agentBox.isChecked()).toBe(true);
    expect(await hcp.getByRole('group', { name: 'Mitglieder – Fachkreise-Service' }).count()).toBe(1);
    expect(await hcp.getByTestId('queue-sla').textContent()).toBe('SLA 60 Min.');
    expect(await hcp.getByTestId('queue-waiting').textContent()).toBe('0 wartend');
    expect(await hcp.getByTestId('queue-save').isDisabled()).toBe(true);
    expect(await hcp.getByTestId('queue-no-members').count()).toBe(0);
    await admin.shot('1-queues');

    // Unchecking is only a choice until saved: the page says what would change and warns about an empty queue.
    await agentBox.uncheck();
    expect(await hcp.getByTestId('queue-state').textContent()).toBe('Noch nicht gespeichert: 0 hinzugefügt, 1 entfernt.');
    expect(await hcp.getByTestId('queue-no-members').textContent()).toContain('Aus dieser Warteschlange wird niemandem ein Gespräch zugewiesen.');
    expect(await hcp.getByTestId('queue-save').isEnabled()).toBe(true);
    // Another queue's unsaved choice stays while this one is saved.
    const patient = queueCard(admin, 'patient-service');
    await patient.getByLabel('Demo Admin', { exact: true }).check();
    expect(await membersOf(admin, 'hcp-service')).toEqual([agentId]);
    await admin.shot('2-unsaved');

    await hcp.getByTestId('queue-save').click();
    await hcp.getByTestId('queue-state').filter({ hasText: 'Gespeichert.' }).waitFor();
    expect(await membersOf(admin, 'hcp-service')).toEqual([]);
    expect(await hcp.getByTestId('queue-save').isDisabled()).toBe(true);
    expect(await patient.getByLabel('Demo Admin', { exact: true }).isChecked()).toBe(true);
    expect(await patient.getByTestId('queue-state').textContent()).toBe('Noch nicht gespeichert: 1 hinzugefügt, 0 entfernt.');
    expect(await membersOf(admin, 'patient-service')).toEqual([agentId]);
    await admin.shot('3-saved');

    // After a reload the page shows what the server has (an unsaved choice does not survive a reload).
    await admin.page.reload();
    await admin.page.getByTestId('queues-page').waitFor();
    await hcp.getByTestId('queue-no-members').waitFor();
    expect(await agentBox.isChecked()).toBe(false);
    expect(await patient.getByLabel('Demo Admin', { exact: true }).isChecked()).toBe(false);
    await admin.shot('4-after-reload');

    await agentBox.check();
    await hcp.getByTestId('queue-save').click();
    await hcp.getByTestId('queue-state').filter({ hasText: 'Gespeichert.' }).waitFor();
    expect(await membersOf(admin, 'hcp-service')).toEqual([agentId]);
    expect(await hcp.getByTestId('queue-no-members').count()).toBe(0);
    const [audit] = await query<{ n: number }>(demo.parley.deps.database.db, sql`select count(*)::int as n from audit_log where action = 'queue.members_changed' and object_id = 'hcp-service' and actor_kind = 'user'`);
    expect(audit!.n).toBe(2);
    await admin.shot('5-agent-back');

    expect(admin.problems).toEqual([]);
    expect(admin.dialogs).toEqual([]);
    await admin.context.close();
  }, 90_000);

  it('a save the server refuses says why, in German, and keeps the choice', async () => {
    await addAgent(demo, 'bernd.keller@example.org', 'Bernd Keller');
    const admin = await signInAdmin('q-b');
    await admin.page.goto(`${demo.parley.url!}/admin/queues`);
    const patient = queueCard(admin, 'patient-service');
    await patient.getByLabel('Bernd Keller', { exact: true }).check();
    // Bernd is disabled while the page is open: the server refuses him as a member.
    await demo.parley.deps.database.db.execute(sql`update users set disabled_at = now() where email = 'bernd.keller@example.org'`);
    await patient.getByTestId('queue-save').click();
    const error = patient.getByTestId('queue-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Mitglied werden können nur aktive Service-Agents und Administratoren; nicht: Bernd Keller.');
    expect(await patient.getByLabel('Bernd Keller', { exact: true }).isChecked()).toBe(true);
    expect(await patient.getByTestId('queue-save').isEnabled()).toBe(true);
    expect(await membersOf(admin, 'patient-service')).toEqual([await userIdOf(demoAgent(demo).email)]);
    await admin.shot('1-refused');

    // The browser logs the refused request (409) itself; nothing else went wrong.
    expect(admin.problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    await admin.context.close();
  }, 60_000);

  it('the demo agent is not offered the queue page, and its URL says it is for admins', async () => {
    const agent = await signInAgent(demo, demoAgent(demo), 'q-c-agent');
    await agent.page.getByTestId('nav-inbox').waitFor();
    expect(await agent.page.getByTestId('nav-queues').count()).toBe(0);
    expect(await agent.page.getByTestId('nav-users').count()).toBe(0);
    await agent.page.goto(`${demo.parley.url!}/admin/queues`);
    await agent.page.getByTestId('forbidden').waitFor();
    expect(await agent.page.getByTestId('queues-page').count()).toBe(0);
    expect(await agent.page.getByTestId('nav-queues').count()).toBe(0);
    await agent.shot('1-forbidden');
    expect(agent.problems).toEqual([]);
    await agent.context.close();
  }, 60_000);
});

/** The demo admin, signed in in a German browser context of their own; sign-in leads admins to the user page. */
function signInAdmin(prefix: string): Promise<AgentPage> {
  const account = demo.parley.demo!.accounts.find((a) => a.role === 'admin')!;
  return signInStaff(demo, { email: account.email, password: account.password! }, prefix, { landing: 'users-page', width: 1280, fullPage: true });
}

function queueCard(who: AgentPage, queue: string) {
  return who.page.locator(`[data-testid="queue"][data-queue="${queue}"]`);
}

/** A queue's members as the API answers them, asked with the page's own session. */
async function membersOf(who: AgentPage, queue: string): Promise<string[]> {
  const res = await who.page.request.get(`${demo.parley.url!}/api/inbox/queues`);
  expect(res.status()).toBe(200);
  const { queues } = (await res.json()) as { queues: InboxQueue[] };
  return queues.find((q) => q.id === queue)!.members.map((m) => m.id);
}

async function userIdOf(email: string): Promise<string> {
  const [row] = await query<{ id: string }>(demo.parley.deps.database.db, sql`select id from users where email = ${email}`);
  return row!.id;
}
