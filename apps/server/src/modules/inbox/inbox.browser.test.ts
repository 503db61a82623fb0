/**
 * The agents' inbox in real Chromium (issue #5 item 8 a, b): a WhatsApp user asks for a person in the phone
 * simulator, the conversation appears queued in the demo agent's inbox without a reload, the agent takes it and
 * replies, the reply reaches the fake and its ticks turn to read, the agent returns it to the bot and the bot answers
 * again; two agents take one conversation at the same moment and exactly one gets it. Screenshots of every step land
 * in test-artifacts/inbox/.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { type DemoInChromium, startDemoInChromium } from '../../test/browser.js';
import { isPostgresRun } from '../../test/db.js';
import { DEMO_USER } from '../demo/demo.service.js';
import { addAgent, conversationOf, demoAgent, eventually, inboxShots, rowOf, signInAgent } from './inbox-browser.fixtures.js';

let demo: DemoInChromium;

// Demo mode runs on the embedded database by design; the PostgreSQL run covers the inbox API in its http.db tests.
describe.skipIf(isPostgresRun())('the inbox (Chromium)', () => {
  beforeAll(async () => {
    demo = await startDemoInChromium();
  }, 120_000);
  afterAll(async () => demo?.close());

  it('a user asks for a person; the agent sees it queued without a reload, takes it, replies; the ticks turn to read; back to the bot, the bot answers again', async () => {
    const agent = await signInAgent(demo, demoAgent(demo), 'a');
    await agent.shot('1-inbox');

    // The user, on the fake WhatsApp (the phone simulator), asks for a person.
    const phoneContext = await demo.browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const phone = await phoneContext.newPage();
    await phone.goto(demo.parley.url!);
    await phone.getByTestId('phone-composer-input').fill('Mitarbeiter');
    await phone.getByTestId('phone-send').click();
    await phone.getByTestId('msg-in').filter({ hasText: 'Service-Team' }).waitFor({ timeout: 15_000 });
    await phone.screenshot({ path: join(inboxShots, 'a-2-phone-asks-for-a-person.png') });

    // It appears in the agent's inbox as waiting — no reload of the page.
    const row = rowOf(agent.page, DEMO_USER.name);
    await row.and(agent.page.locator('[data-state="queued"]')).waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('owner-chip').textContent()).toBe('Wartet');
    expect(await row.getByTestId('row-unread').textContent()).toContain('1');
    await agent.shot('3-queued-in-inbox');

    // The agent opens and takes it; the composer says the window is open before anything is typed.
    await row.click();
    const head = agent.page.getByTestId('conversation-head');
    await head.getByTestId('action-take').click();
    await agent.page.locator('[data-testid="conversation-head"][data-state="agent"]').waitFor();
    expect(await head.getByTestId('owner-chip').textContent()).toBe('Bei Ihnen');
    await agent.page.locator('[data-testid="composer-window"][data-open="true"]').waitFor();
    await agent.page.getByTestId('history-event').filter({ hasText: 'hat das Gespräch übernommen' }).waitFor();
    await agent.shot('4-taken');

    // The reply goes out through the fake and reaches the phone; its ticks turn to read in the inbox.
    const reply = 'Guten Tag, hier ist das Service-Team. Wie kann ich helfen?';
    await agent.page.getByTestId('composer-input').fill(reply);
    await agent.page.getByTestId('composer-send').click();
    const bubble = agent.page.locator('[data-testid="history-msg"][data-sender="agent"]').filter({ hasText: reply });
    await bubble.waitFor();
    // The composer empties once the send's answer is back — the bubble may come first, through the live feed.
    await expect.poll(() => agent.page.getByTestId('composer-input').inputValue(), { timeout: 10_000 }).toBe('');
    await eventually(() => demo.parley.demo!.fake.sent({ to: DEMO_USER.waId }).find((m) => JSON.stringify(m.body).includes('hier ist das Service-Team')), 'the reply at the fake');
    await phone.bringToFront();
    await phone.getByTestId('msg-in').filter({ hasText: reply }).waitFor({ timeout: 15_000 });
    await bubble.and(agent.page.locator('[data-status="read"]')).waitFor({ timeout: 20_000 });
    expect(await bubble.getByTestId('msg-tick').getAttribute('data-state')).toBe('read');
    await phone.screenshot({ path: join(inboxShots, 'a-5-phone-reads-the-reply.png') });
    await agent.shot('6-reply-read');

    // Back to the bot: the next message is the bot's to answer again.
    await head.getByTestId('action-return').click();
    await agent.page.locator('[data-testid="conversation-head"][data-state="bot"]').waitFor();
    await agent.page.locator('[data-testid="history-event"][data-event="conversation.returned_to_bot"]').waitFor();
    await agent.shot('7-returned-to-bot');
    const botAnswers = agent.page.locator('[data-testid="history-msg"][data-sender="bot"]');
    const before = await botAnswers.count();
    const phoneAnswers = await phone.getByTestId('msg-in').count();
    await phone.getByTestId('phone-composer-input').fill('Menü');
    await phone.getByTestId('phone-send').click();
    await eventually(async () => ((await botAnswers.count()) > before ? true : undefined), 'the bot’s answer in the inbox');
    await eventually(async () => ((await phone.getByTestId('msg-in').count()) > phoneAnswers ? true : undefined), 'the bot’s answer on the phone');
    expect(await conversationOf(demo, DEMO_USER.waId)).toMatchObject({ state: 'bot', assigneeId: null });
    await agent.shot('8-bot-answers-again');

    expect(agent.problems).toEqual([]);
    expect(agent.dialogs).toEqual([]);
    await phoneContext.close();
    await agent.context.close();
  }, 120_000);

  it('two agents take the same conversation at the same moment: one gets it, the other sees who did', async () => {
    const anna = await addAgent(demo, 'anna.schmidt@example.org', 'Anna Schmidt');
    const [first, second] = [await signInAgent(demo, demoAgent(demo), 'b-demo-agent'), await signInAgent(demo, anna, 'b-anna')];
    const address = '491709990001';
    await demo.parley.demo!.fake.injectInbound({ from: address, profileName: 'Zwei Agenten', type: 'text', text: { body: 'Mitarbeiter' } });
    const conversation = await conversationOf(demo, address, 'queued');

    for (const agent of [first, second]) {
      await rowOf(agent.page, 'Zwei Agenten').click();
      await agent.page.getByTestId('action-take').waitFor();
    }
    await Promise.all([first.shot('1-before-take'), second.shot('1-before-take')]);
    // Both takes reach the server together: each page's request is held until the other page has sent its own. Without
    // that, the first answer could reach the slower page over the live feed before its click, and the button would be
    // gone — a real user's race too, but not the one this test means (two requests for one conversation).
    let release!: () => void;
    const bothSent = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    for (const agent of [first, second]) {
      await agent.page.route(`**/api/inbox/conversations/${conversation.id}/take`, async (route) => {
        if (++sent === 2) {
          release();
        }
        await bothSent;
        await route.continue();
      });
    }
    const clickTake = (page: typeof first.page) =>
      page.getByTestId('action-take').evaluate((button: unknown) => {
        (button as { click(): void }).click();
        return true;
      }, undefined, { timeout: 2_000 });
    expect(await Promise.all([clickTake(first.page), clickTake(second.page)])).toEqual([true, true]);
    await bothSent;

    const taken = await conversationOf(demo, address, 'agent');
    expect(taken.id).toBe(conversation.id);
    const winnerIsAnna = taken.assigneeId === (await userIdOf('anna.schmidt@example.org'));
    const [winner, loser, winnerName] = winnerIsAnna ? [second, first, 'Anna Schmidt'] : [first, second, 'Demo Agent'];

    await winner.page.locator('[data-testid="conversation-head"] [data-testid="owner-chip"]').filter({ hasText: 'Bei Ihnen' }).waitFor();
    expect(await winner.page.getByTestId('action-refusal').count()).toBe(0);
    const refusal = loser.page.getByTestId('action-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(`${winnerName} hat dieses Gespräch bereits übernommen.`);
    // The loser's view shows the real owner, and offers nothing it may not do now.
    await loser.page.locator('[data-testid="conversation-head"] [data-testid="owner-chip"]').filter({ hasText: `Bei ${winnerName}` }).waitFor();
    expect(await loser.page.getByTestId('action-take').count()).toBe(0);
    expect(await loser.page.getByTestId('action-resolve').count()).toBe(0);
    await loser.page.getByTestId('composer-cannot').filter({ hasText: winnerName }).waitFor();
    await Promise.all([winner.shot('2-won'), loser.shot('2-lost')]);

    // The browser logs the refused request (409) itself; nothing else went wrong on either page.
    expect(winner.problems).toEqual([]);
    expect(loser.problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    await Promise.all([first.context.close(), second.context.close()]);
  }, 90_000);
});

async function userIdOf(email: string): Promise<string> {
  const [row] = await query<{ id: string }>(demo.parley.deps.database.db, sql`select id from users where email = ${email}`);
  return row!.id;
}
