/**
 * What is audited today (AUD-01) and that it fails closed (AUD-06): `apply`, channel creation and workspace
 * exports write their entries in the transaction of the change; the admin API attributes them to its caller.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { applyWorkspace, exportWorkspace } from '../workspaces/index.js';
import { listChainPage } from './audit.store.js';
import { verifyAudit } from './audit.service.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const chain = () => listChainPage(h.database.db, h.deps.workspace.id, 0, 10_000);

describe('AUD-01: what the trail records today', () => {
  it('apply writes one entry per changed object, none for unchanged ones, attributed to the CLI user', async () => {
    const before = (await chain()).length;
    const cli = { actor: { kind: 'cli' as const, id: 'alice' }, source: { channel: 'cli' } };
    const result = await applyWorkspace(h.database.db, h.deps.workspace.id, demo, cli);
    if (!result.ok) {
      throw new Error('demo does not apply');
    }
    const entries = (await chain()).slice(before);
    const s = result.summary;
    const changed = (c: Record<string, number>) => (c.created ?? 0) + (c.updated ?? 0) + (c.new_version ?? 0);
    expect(entries).toHaveLength((s.settings === 'updated' ? 1 : 0) + changed(s.topics) + changed(s.items) + changed(s.flows) + changed(s.consentTexts ?? {}));
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['workspace_settings.updated', 'topic.created', 'content_version.created', 'flow_version.published', 'consent_text.created']));
    expect(entries.every((e) => e.actorKind === 'cli' && e.actorId === 'alice' && e.sourceChannel === 'cli')).toBe(true);
    expect(entries.find((e) => e.action === 'flow_version.published')).toMatchObject({ objectType: 'flow', objectVersion: expect.any(String), after: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    const again = await applyWorkspace(h.database.db, h.deps.workspace.id, demo, cli);
    expect(again.ok).toBe(true);
    expect((await chain()).length).toBe(before + entries.length);
  });

  it('AUD-07: channel creation through the admin API is attributed to it and keeps the secrets out of the trail', async () => {
    const secrets = { accessToken: 'tok-SECRET-1234', appSecret: 'app-SECRET-5678', verifyToken: 'ver-SECRET-9012' };
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/admin/channels',
      headers: { authorization: `Bearer ${h.adminToken}`, 'user-agent': 'audit-test' },
      payload: { kind: 'whatsapp', slug: 'audited', phoneNumberId: '5550001', ...secrets },
    });
    expect(res.statusCode).toBe(201);
    const created = (await chain()).find((e) => e.action === 'channel.created');
    expect(created).toMatchObject({ actorKind: 'api', actorId: 'admin-token', sourceUserAgent: 'audit-test', sourceChannel: 'admin-api', objectType: 'channel', after: { slug: 'audited', secretsSet: ['accessToken', 'appSecret', 'verifyToken'] } });
    const [raw] = await query<{ text: string }>(h.database.db, sql`select string_agg(audit_log::text, ' ') as text from audit_log`);
    expect(raw?.text).not.toMatch(/SECRET/);
  });

  it('a workspace export leaves an entry naming what left (counts and a hash of the files)', async () => {
    const exported = await exportWorkspace(h.database.db, h.deps.workspace.id, { actor: { kind: 'cli', id: 'bob' } });
    const last = (await chain()).at(-1);
    expect(last).toMatchObject({ action: 'workspace.exported', actorId: 'bob', after: { counts: exported.counts, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  it('the admin API verifies and exports the trail; the export itself is audited (AUD-04, AUD-08)', async () => {
    const auth = { authorization: `Bearer ${h.adminToken}` };
    const verify = await h.app.inject({ method: 'GET', url: '/api/admin/audit/verify', headers: auth });
    expect(verify.json()).toMatchObject({ ok: true, chains: [{ slug: 'default' }] });
    const bad = await h.app.inject({ method: 'GET', url: '/api/admin/audit/export?format=xml', headers: auth });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'validation.failed']);
    const unknown = await h.app.inject({ method: 'GET', url: '/api/admin/audit/verify?workspace=nope', headers: auth });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'audit.workspace_not_found']);
    const res = await h.app.inject({ method: 'GET', url: '/api/admin/audit/export?format=jsonl&action=channel.', headers: auth });
    expect(res.json()).toMatchObject({ format: 'jsonl', count: 1, verification: { ok: true } });
    expect((await chain()).at(-1)).toMatchObject({ action: 'audit.exported', actorKind: 'api', sourceChannel: 'admin-api' });
  });
});

describe('AUD-06: fail closed', () => {
  it('when the audit insert fails, apply changes nothing', async () => {
    const db = h.database.db;
    const topics = async () => (await query<{ n: number }>(db, sql`select count(*)::int as n from topics`))[0]?.n;
    const entries = (await chain()).length;
    const topicsBefore = await topics();
    await db.execute(sql`create function parley_test_fail_audit() returns trigger language plpgsql as $$ begin raise exception 'audit store unavailable'; end $$`);
    await db.execute(sql`create trigger audit_log_test_fail before insert on audit_log for each row execute function parley_test_fail_audit()`);
    try {
      await db.execute(sql`update workspaces set settings = '{}'::jsonb where id = ${h.deps.workspace.id}`);
      await expect(applyWorkspace(db, h.deps.workspace.id, demo)).rejects.toThrow();
      await expect(exportWorkspace(db, h.deps.workspace.id)).rejects.toThrow();
    } finally {
      await db.execute(sql`drop trigger audit_log_test_fail on audit_log`);
      await db.execute(sql`drop function parley_test_fail_audit()`);
    }
    const [ws] = await query<{ settings: Record<string, unknown> }>(db, sql`select settings from workspaces where id = ${h.deps.workspace.id}`);
    expect(ws?.settings).toEqual({});
    expect(await topics()).toBe(topicsBefore);
    expect((await chain()).length).toBe(entries);
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
