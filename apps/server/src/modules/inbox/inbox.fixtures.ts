/**
 * Test kit of the inbox: a harness with the demo workspace applied (queues, business hours, flows) and a WhatsApp
 * channel, inbound messages processed on the spot through the real message path (no workers), staff with their own
 * names and sessions, and requests as them.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { query } from '../../platform/db.js';
import { claimJobs, deferJob } from '../../platform/jobs.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import type { InboundEvent } from '../channels/index.js';
import { INBOUND_QUEUE, storeInboundEvents } from '../channels/webhook.store.js';
import { createInboundBatchProcessor } from '../conversations/index.js';
import { createStaffKit, type StaffKit, type StaffSession } from '../users/users.fixtures.js';
import type { Role } from '../users/index.js';
import { applyWorkspace } from '../workspaces/index.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;

export interface Person {
  id: string;
  name: string;
  session: StaffSession;
}

export interface InboxKit {
  h: Harness;
  staff: StaffKit;
  workspaceId: string;
  channelId: string;
  /** A new staff member with this name and these roles, signed in. */
  person(name: string, roles?: Role[]): Promise<Person>;
  /** A request as `who` (cookie + CSRF header); JSON body for POST/PUT. */
  as(who: Person, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** Stores the contact's messages and processes them through the message path, as the worker would. */
  say(from: string, ...texts: string[]): Promise<void>;
  conversationOf(address: string): Promise<{ id: string; state: string; queue: string | null; assigneeId: string | null }>;
  /** Texts of the bot's outbound messages to `address`, in order. */
  repliesTo(address: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function createInboxKit(env: Record<string, string> = {}): Promise<InboxKit> {
  const h = await createHarness(env);
  const workspaceId = h.deps.workspace.id;
  const applied = await applyWorkspace(h.database.db, workspaceId, demo);
  if (!applied.ok) {
    throw new Error(`the demo workspace does not apply: ${JSON.stringify(applied)}`);
  }
  const channel = await h.deps.channels.createChannel(workspaceId, { kind: 'whatsapp', slug: `inbox-${randomBytes(3).toString('hex')}`, phoneNumberId: '5550001', accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678' });
  const staff = createStaffKit(h.deps, h.app);
  const process = createInboundBatchProcessor({ database: h.database, channels: h.deps.channels, runtimes: h.deps.runtimes, logger: h.deps.logger, onEnqueued: () => undefined });
  let seq = 0;
  return {
    h,
    staff,
    workspaceId,
    channelId: channel.id,
    async person(name, roles = ['agent']) {
      const { user } = await staff.users.createUser({ email: `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@example.org`, name, roles, password: `pw-${randomBytes(9).toString('base64url')}` }, SYSTEM_AUDIT);
      return { id: user.id, name, session: await staff.auth.createSession(user.id) };
    },
    as(who, method, url, payload) {
      return staff.injectAs(who.session, { method, url, ...(method === 'GET' ? {} : { payload: (payload ?? {}) as Record<string, unknown> }) });
    },
    async say(from, ...texts) {
      for (const text of texts) {
        const id = `wamid.inbox.${++seq}.${randomBytes(3).toString('hex')}`;
        const event: InboundEvent = { kind: 'message', providerEventId: id, providerMessageId: id, address: from, profileName: `Kontakt ${from.slice(-4)}`, timestamp: new Date(), content: { type: 'text', text }, raw: {} };
        await storeInboundEvents(h.database.db, [{ channel: { id: channel.id, workspaceId }, event }]);
      }
      for (;;) {
        const jobs = await claimJobs(h.database.db, { queues: [INBOUND_QUEUE], limit: 100, workerId: 'inbox-test', leaseSeconds: 30 });
        if (jobs.length === 0) {
          return;
        }
        for (const [id, outcome] of await process(jobs)) {
          if (outcome.kind === 'defer') {
            await deferJob(h.database.db, id, outcome.runAt);
          }
        }
      }
    },
    async conversationOf(address) {
      const [row] = await query<{ id: string; state: string; queue: string | null; assigneeId: string | null }>(
        h.database.db,
        sql`select id, state, queue, assigned_user_id as "assigneeId" from conversations where channel_id = ${channel.id} and address = ${address}`,
      );
      if (!row) {
        throw new Error(`no conversation with ${address}`);
      }
      return row;
    },
    async repliesTo(address) {
      const rows = await query<{ text: string }>(
        h.database.db,
        sql`select coalesce(m.content->>'text', m.content->>'body', '') as text from messages m join conversations c on c.id = m.conversation_id
            where c.channel_id = ${channel.id} and c.address = ${address} and m.direction = 'out' order by m.seq`,
      );
      return rows.map((r) => r.text);
    },
    close: () => h.close(),
  };
}
