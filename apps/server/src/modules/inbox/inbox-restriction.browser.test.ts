/**
 * GDPR-20 in an open inbox, in real Chromium: an agent has a contact's conversation open when an admin restricts the
 * processing of that contact's data. Without a reload, the conversation leaves the agent's list and the open view
 * says it is not available; the history is gone from the page. When the restriction is lifted, the conversation
 * comes back to the list. Screenshots land in test-artifacts/inbox/r-*.png.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { liftRestriction, restrictContact } from '../privacy/index.js';
import { conversationOf, demoAgent, rowOf, signInAgent } from './inbox-browser.fixtures.js';

let demo: DemoInChromium;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the feed in realtime.e2e.test.ts.
describe.skipIf(isPostgresRun())('a restriction reaches the open inbox (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('GDPR-20 the conversation leaves the agent’s list and open view at once, and comes back when lifted', async () => {
    const address = '491709990030';
    const name = 'Eingeschränkt Kontakt';
    await demo.parley.demo!.fake.injectInbound({ from: address, profileName: name, type: 'text', text: { body: 'Mitarbeiter' } });
    const conversation = await conversationOf(demo, address, 'queued');
    const [contact] = await query<{ id: string }>(demo.parley.deps.database.db, sql`select contact_id as id from conversations where id = ${conversation.id}`);
    const { deps } = demo.parley;
    const rights = { db: deps.database.db, workspaceId: deps.workspace.id, keyedHash: (v: string) => deps.secretBox.keyedHash(v) };

    const agent = await signInAgent(demo, demoAgent(demo), 'r');
    await rowOf(agent.page, name).click();
    await agent.page.getByTestId('conversation-name').filter({ hasText: name }).waitFor({ timeout: 10_000 });
    await agent.page.getByText('Mitarbeiter', { exact: true }).first().waitFor();
    await agent.shot('1-open');
    const unassigned = agent.page.getByTestId('view-unassigned');
    const waitingBadge = async () => (await unassigned.locator('.inbox-tab__count').count()) === 0 ? '0' : await unassigned.locator('.inbox-tab__count').textContent();
    const waitingBefore = Number(await waitingBadge());
    expect(waitingBefore).toBeGreaterThanOrEqual(1);

    await restrictContact(rights, contact!.id, { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
    const unavailable = agent.page.getByTestId('conversation-unavailable');
    await unavailable.waitFor({ timeout: 10_000 });
    expect(await unavailable.textContent()).toBe('Dieses Gespräch ist nicht (mehr) verfügbar: Es existiert nicht, oder die Verarbeitung der Daten des Kontakts ist eingeschränkt.');
    await expect.poll(() => rowOf(agent.page, name).count(), { timeout: 10_000 }).toBe(0);
    // Nothing of the conversation is left on the page: not its name, not its history.
    expect(await agent.page.getByTestId('conversation-name').count()).toBe(0);
    expect(await agent.page.getByText('Mitarbeiter', { exact: true }).count()).toBe(0);
    // The counts agree with the list: the restricted conversation no longer counts for the agent; the contact panel
    // shows nothing of it and no error either.
    await expect.poll(async () => Number((await waitingBadge()) || 0), { timeout: 10_000 }).toBe(waitingBefore - 1);
    expect(await agent.page.getByTestId('contact-panel').getByRole('alert').count()).toBe(0);
    await agent.shot('2-restricted');

    await liftRestriction(rights, contact!.id, { audit: SYSTEM_AUDIT, reason: 'Accuracy confirmed' });
    await rowOf(agent.page, name).waitFor({ timeout: 10_000 });
    await agent.shot('3-lifted');

    // The browser logs the refused reload (404) itself; nothing else went wrong.
    expect(agent.problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
    expect(agent.dialogs).toEqual([]);
    await agent.context.close();
  }, 120_000);
});
