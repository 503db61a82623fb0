/**
 * The template registry against the WhatsApp fake's template API (providers.md §4.8) over loopback: sync, the
 * admin routes, workspace-file templates submitted for review, and the check the dispatcher runs before a template
 * send — so 132000/132001 never come back from the provider for a send of ours.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsAppFake } from '@parley/provider-fakes';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { storeInboundEvents } from '../channels/webhook.store.js';
import { applyWorkspace } from '../workspaces/index.js';
import { checkTemplateMessage, createTemplateService, type TemplateService } from './index.js';

const WABA = '880011223344556';
let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let templates: TemplateService;
let ws: string;
let channelId: string;
let dir: string;

const orderReady = {
  name: 'order_ready',
  language: 'de',
  category: 'UTILITY' as const,
  id: '991122334455667',
  components: [
    { type: 'header', format: 'image' },
    { type: 'body', text: 'Hallo {{1}}, deine Bestellung {{2}} ist fertig.', example: { body_text: [['Ana', '#1']] } },
    { type: 'buttons', buttons: [{ type: 'quick_reply', text: 'Stop' }, { type: 'url', text: 'Verfolgen', url: 'https://x.example/t/{{1}}' }] },
  ],
};

beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: '109876543210777',
    slug: 'tpl',
    fake: {
      wabaId: WABA,
      templateReviewDelayMs: 50,
      templates: [orderReady, { name: 'promo', language: 'de', category: 'MARKETING', status: 'PENDING', components: [{ type: 'body', text: 'Neu!' }] }],
    },
  });
  ({ h, fake } = wa);
  ws = h.deps.workspace.id;
  channelId = (await h.deps.channels.listChannels(ws)).find((c) => c.slug === 'tpl')!.id;
  templates = createTemplateService({ db: h.database.db, channels: h.deps.channels });
  dir = mkdtempSync(join(tmpdir(), 'parley-templates-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await wa?.close();
});

/**
 * A status change at the fake also sends a template status webhook, which the server applies from its job queue. Wait
 * until the fake has delivered it and no job is left, so a late webhook cannot change the registry under a later sync.
 */
const webhooksSettled = () =>
  eventually(async () => {
    if (fake.pendingDeliveries() > 0) {
      return false;
    }
    const [open] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from jobs where status in ('pending', 'running') and run_at <= now()`);
    return open?.n === 0;
  }, 10_000, 'template status webhooks applied');

const auditActions = async () =>
  query<{ action: string; objectId: string; outcome: string }>(h.database.db, sql`select action, object_id as "objectId", outcome from audit_log where workspace_id = ${ws} and object_type = 'whatsapp_template' order by seq`);

describe('template sync', () => {
  it('reads the business account’s templates into the registry with their variables, audited', async () => {
    const [summary] = await templates.syncTemplates(ws, { channelSlug: 'tpl', businessAccountId: WABA });
    expect(summary).toMatchObject({ channel: 'tpl', created: 2, updated: 0, removed: 0 });
    const list = await templates.listTemplateViews(ws, 'tpl');
    expect(list.map((t) => [t.name, t.status, t.category])).toEqual([['order_ready', 'APPROVED', 'UTILITY'], ['promo', 'PENDING', 'MARKETING']]);
    expect(list[0]?.variables).toEqual({
      header: { format: 'IMAGE', params: [], text: '' },
      body: { params: ['1', '2'], text: 'Hallo {{1}}, deine Bestellung {{2}} ist fertig.' },
      buttons: [{ index: 0, type: 'QUICK_REPLY', dynamic: false }, { index: 1, type: 'URL', dynamic: true }],
    });
    expect(await auditActions()).toEqual([
      { action: 'template.synced', objectId: 'tpl/order_ready/de', outcome: 'success' },
      { action: 'template.synced', objectId: 'tpl/promo/de', outcome: 'success' },
    ]);
  });

  it('a second sync changes nothing; a status change at the provider is recorded and audited', async () => {
    expect((await templates.syncTemplates(ws, { businessAccountId: WABA }))[0]).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    fake.setTemplateStatus(orderReady.id, 'PAUSED');
    expect((await templates.syncTemplates(ws, { businessAccountId: WABA }))[0]).toMatchObject({ updated: 1, unchanged: 1 });
    expect((await templates.listTemplateViews(ws)).find((t) => t.name === 'order_ready')?.status).toBe('PAUSED');
    expect((await auditActions()).at(-1)).toEqual({ action: 'template.status_changed', objectId: 'tpl/order_ready/de', outcome: 'success' });
    await webhooksSettled();
    fake.setTemplateStatus(orderReady.id, 'APPROVED');
    await webhooksSettled();
    expect((await templates.listTemplateViews(ws)).find((t) => t.name === 'order_ready')?.status).toBe('APPROVED');
  });

  it('a status webhook that arrives late does not leave a stale status: the refresh reads the provider (§1.9)', async () => {
    // The provider holds order_ready as APPROVED; a PAUSED event from earlier is delivered only now.
    expect((await templates.listTemplateViews(ws)).find((t) => t.name === 'order_ready')?.status).toBe('APPROVED');
    const late = { kind: 'template_status' as const, providerEventId: `template:${orderReady.id}:PAUSED:1700000000`, templateId: orderReady.id, name: 'order_ready', language: 'de', event: 'PAUSED', reason: null, raw: {} };
    await storeInboundEvents(h.database.db, [{ channel: { id: channelId, workspaceId: ws }, event: late }]);
    await webhooksSettled();
    expect((await templates.listTemplateViews(ws)).find((t) => t.name === 'order_ready')?.status).toBe('APPROVED');
    const trail = await query<{ action: string; actorId: string | null; after: { status?: string } }>(
      h.database.db,
      sql`select action, actor_id as "actorId", after from audit_log where workspace_id = ${ws} and object_id = 'tpl/order_ready/de' order by seq desc limit 2`,
    );
    // The event was applied at once (a pause must stop the next send), then corrected by what the provider holds.
    expect(trail.reverse().map((e) => [e.actorId, e.after.status])).toEqual([['provider', 'PAUSED'], ['template-refresh', 'APPROVED']]);
    // An id the registry does not hold changes nothing.
    expect(await templates.refreshTemplate(ws, channelId, '555000111222333')).toBe('unknown');
  });

  it('refuses a channel without a business account id, and an unknown channel', async () => {
    await expect(templates.syncTemplates(ws, { channelSlug: 'tpl' })).rejects.toMatchObject({ code: 'template.account_unknown' });
    await expect(templates.syncTemplates(ws, { channelSlug: 'nope', businessAccountId: WABA })).rejects.toMatchObject({ code: 'channel.not_found' });
  });

  it('through the admin API: sync and list, with validation and the admin token', async () => {
    const auth = { authorization: `Bearer ${h.adminToken}` };
    const sync = await h.app.inject({ method: 'POST', url: '/api/admin/templates/sync', headers: auth, payload: { channel: 'tpl', businessAccountId: WABA } });
    expect(sync.statusCode).toBe(200);
    expect(sync.json()).toMatchObject({ channels: [{ channel: 'tpl', unchanged: 2 }] });
    const list = await h.app.inject({ method: 'GET', url: '/api/admin/templates?channel=tpl', headers: auth });
    expect(list.json().templates).toHaveLength(2);
    const bad = await h.app.inject({ method: 'POST', url: '/api/admin/templates/sync', headers: auth, payload: { businessAccountId: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: '/api/admin/templates' })).statusCode).toBe(401);
    const noWaba = await h.app.inject({ method: 'POST', url: '/api/admin/templates/sync', headers: auth, payload: {} });
    expect(noWaba.json()).toMatchObject({ error: { code: 'template.account_unknown' } });
    expect(noWaba.statusCode).toBe(422);
  });
});

describe('workspace-file templates', () => {
  it('are stored as desired (NOT_SUBMITTED), submitted on sync --submit and approved after review, audited', async () => {
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(
      join(dir, 'templates', 'reminders.yaml'),
      `- name: appointment_reminder
  language: de
  category: utility
  body: { text: "Hallo {{1}}, Ihr Termin ist am {{2}}.", examples: [Ana, Montag] }
  buttons: [{ type: quick_reply, text: Absagen }]
`,
    );
    const applied = await applyWorkspace(h.database.db, ws, dir);
    expect(applied).toMatchObject({ ok: true, summary: { templates: { created: 1 } } });
    expect(await applyWorkspace(h.database.db, ws, dir)).toMatchObject({ ok: true, summary: { templates: { created: 0, unchanged: 1 } } });
    const desired = (await templates.listTemplateViews(ws)).find((t) => t.name === 'appointment_reminder');
    expect(desired).toMatchObject({ status: 'NOT_SUBMITTED', managedByWorkspace: true, source: 'workspace', providerId: null });

    const [summary] = await templates.syncTemplates(ws, { businessAccountId: WABA, submit: true });
    expect(summary).toMatchObject({ submitted: 1, refused: [] });
    await eventually(async () => {
      await templates.syncTemplates(ws, { businessAccountId: WABA });
      return (await templates.listTemplateViews(ws)).find((t) => t.name === 'appointment_reminder' && t.status === 'APPROVED');
    }, 5_000, 'the submitted template approved');
    const actions = (await auditActions()).filter((a) => a.objectId === 'tpl/appointment_reminder/de').map((a) => a.action);
    expect(actions.slice(0, 2)).toEqual(['template.desired_saved', 'template.submitted']);
    expect(actions).toContain('template.status_changed');
  });

  it('names the file and line of a bad template, and an unknown channel', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'parley-templates-bad-'));
    mkdirSync(join(bad, 'templates'));
    writeFileSync(join(bad, 'templates', 'a.yaml'), `- name: Bad Name\n  language: de\n  category: utility\n  body: { text: "Hi {{1}}" }\n`);
    const result = await applyWorkspace(h.database.db, ws, bad);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'templates/a.yaml', line: 1, path: '0.name' }),
      expect.objectContaining({ file: 'templates/a.yaml', path: '0.body.examples' }),
    ]));
    writeFileSync(join(bad, 'templates', 'a.yaml'), `- name: ok_name\n  language: de\n  category: utility\n  channel: missing\n  body: { text: "Hi" }\n`);
    expect(await applyWorkspace(h.database.db, ws, bad)).toMatchObject({ ok: false, problems: [{ file: 'templates/a.yaml', path: '0.channel' }] });
    // GDPR-14: an advertising template without a way to opt out is refused; a footer "Abmelden: STOP" is enough.
    writeFileSync(join(bad, 'templates', 'a.yaml'), `- name: news_de\n  language: de\n  category: marketing\n  channel: tpl\n  body: { text: "Neu: unser Ratgeber." }\n`);
    expect(await applyWorkspace(h.database.db, ws, bad)).toMatchObject({ ok: false, problems: [{ file: 'templates/a.yaml', path: '0.footer', message: expect.stringContaining('GDPR-14') }] });
    writeFileSync(join(bad, 'templates', 'a.yaml'), `- name: news_de\n  language: de\n  category: marketing\n  channel: tpl\n  body: { text: "Neu: unser Ratgeber." }\n  footer: "Abmelden: STOP"\n`);
    const accepted = await applyWorkspace(h.database.db, ws, bad);
    expect(accepted.ok ? [] : accepted.problems.filter((p) => p.path.startsWith('0.footer'))).toEqual([]);
    rmSync(bad, { recursive: true, force: true });
  });
});

describe('the dispatcher’s template check', () => {
  const content = (over: Record<string, unknown> = {}) => ({
    type: 'template',
    name: 'order_ready',
    language: 'de',
    header: [{ type: 'image', link: 'https://x.example/a.jpg' }],
    body: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#7781' }],
    buttons: [{ index: 1, subType: 'url', value: '7781' }],
    ...over,
  });

  it('passes a valid send and anything that is not a template', async () => {
    expect(await checkTemplateMessage(h.database.db, { channelId, content: content() })).toBeUndefined();
    expect(await checkTemplateMessage(h.database.db, { channelId, content: { type: 'text' } })).toBeUndefined();
  });

  it('fails a send with a missing parameter (would be 132000) and an unknown template (132001), finally', async () => {
    expect(await checkTemplateMessage(h.database.db, { channelId, content: content({ body: [{ type: 'text', text: 'Ana' }] }) })).toMatchObject({
      code: 'template.parameter_count',
      retryable: false,
      reason: 'body takes 2 parameter(s), got 1',
      errors: [{ component: 'body', expected: 2, actual: 1 }],
    });
    expect(await checkTemplateMessage(h.database.db, { channelId, content: content({ language: 'en' }) })).toMatchObject({ code: 'template.unknown', retryable: false });
    expect(await checkTemplateMessage(h.database.db, { channelId, content: content({ name: 'promo', body: [], header: [], buttons: [] }) })).toMatchObject({ code: 'template.not_approved' });
  });
});

describe('a template deleted at the provider', () => {
  it('is marked DELETED by the refresh its status webhook queues, audited', async () => {
    const promo = (await templates.listTemplateViews(ws)).find((t) => t.name === 'promo')!;
    const res = await fetch(`${fake.url}/v24.0/${WABA}/message_templates?name=promo`, { method: 'DELETE', headers: { authorization: 'Bearer token-tpl-123' } });
    expect(res.status).toBe(200);
    expect(await templates.refreshTemplate(ws, channelId, promo.providerId!)).toBe('removed');
    expect((await templates.listTemplateViews(ws)).find((t) => t.name === 'promo')?.status).toBe('DELETED');
    expect((await auditActions()).at(-1)).toEqual({ action: 'template.status_changed', objectId: 'tpl/promo/de', outcome: 'success' });
    expect(await templates.refreshTemplate(ws, channelId, promo.providerId!)).toBe('unchanged');
  });
});
