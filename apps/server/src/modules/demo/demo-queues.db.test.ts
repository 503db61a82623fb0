/**
 * Demo mode staffs the demo workspace's queues with the demo agent, so a conversation handed over in the phone
 * simulator shows up in the agent's queue; an operator's own membership choice is kept.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { createQueueService } from '../inbox/index.js';
import { createUserService, ensureDemoAccounts } from '../users/index.js';
import { applyWorkspace } from '../workspaces/index.js';
import { staffDemoQueues } from './demo.service.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  expect(await applyWorkspace(h.database.db, h.deps.workspace.id, demo)).toMatchObject({ ok: true });
});
afterAll(async () => h.close());

describe('demo queues', () => {
  it('puts the demo agent into every queue nobody staffs, and keeps a queue an operator staffed', async () => {
    const users = createUserService({ db: h.database.db, workspaceId: h.deps.workspace.id, keyedHash: (v) => h.deps.secretBox.keyedHash(v) });
    await ensureDemoAccounts(users);
    const admin = (await users.listUsers()).find((u) => u.roles.includes('admin'))!;
    await createQueueService({ db: h.database.db }).setMembers(h.deps.workspace.id, 'hcp-service', [admin.id], { actor: { kind: 'system' } });
    await staffDemoQueues(h.deps, users);
    await staffDemoQueues(h.deps, users); // a second start changes nothing
    const members = await query<{ queue: string; email: string }>(
      h.database.db,
      sql`select m.queue, u.email from queue_members m join users u on u.id = m.user_id where m.workspace_id = ${h.deps.workspace.id} order by m.queue, u.email`,
    );
    expect(members).toEqual([
      { queue: 'hcp-service', email: 'admin@demo.parley.local' },
      { queue: 'patient-service', email: 'agent@demo.parley.local' },
    ]);
  });
});
