/**
 * The simulator's flow panel (issue #3 item 9): list the stored flow versions (drafts included), start one in the
 * simulated user's conversation — through the same path as everything else: a job on the conversation's ordering
 * key whose replies go out through the outbox — and show the run state beside the chat. Demo mode only: without
 * logins (issue #5) these routes must not exist on a reachable server.
 */
import { FlowRunState } from '@parley/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { enqueueJobs } from '../../platform/jobs.js';
import { AppError, parseInput } from '../../platform/errors.js';
import { conversationOrderingKey } from '../channels/index.js';
import { FLOW_QUEUE, type FlowJobPayload } from '../flows/index.js';
import { findConversation, findFlowVersion, listFlowVersions } from './simulator.store.js';

const Who = z.object({ phoneNumberId: z.string().regex(/^\d{1,30}$/), waId: z.string().regex(/^\d{6,20}$/) });
const RunBody = Who.extend({ flowId: z.string().min(1).max(200), version: z.number().int().min(1) });

export async function simulatorRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const workspaceId = deps.workspace.id;
  app.addHook('onRequest', async () => {
    if (!deps.config.demo) {
      throw new AppError('demo.unavailable', 'Demo mode is off on this server.');
    }
  });

  app.get('/api/demo/simulator/flows', { config: { access: 'demo' } }, async () => {
    const rows = await listFlowVersions(deps.database.db, workspaceId);
    const live = new Map<string, number>();
    for (const r of rows) {
      if (r.status === 'published' && r.version > (live.get(r.flowId) ?? 0)) {
        live.set(r.flowId, r.version);
      }
    }
    const flows = new Map<string, { id: string; name: string; versions: Array<{ version: number; status: string; live: boolean }> }>();
    for (const r of rows) {
      const flow = flows.get(r.flowId) ?? { id: r.flowId, name: r.name, versions: [] };
      flow.versions.push({ version: r.version, status: r.status, live: live.get(r.flowId) === r.version });
      flows.set(r.flowId, flow);
    }
    return { flows: [...flows.values()] };
  });

  app.post('/api/demo/simulator/run', { config: { access: 'demo' } }, async (req, reply) => {
    const body = parseInput(RunBody, req.body);
    const conversation = await findConversation(deps.database.db, workspaceId, body.phoneNumberId, body.waId);
    if (!conversation) {
      throw new AppError('simulator.no_conversation', 'This user has not written yet: send a message from the phone first.');
    }
    if (!(await findFlowVersion(deps.database.db, workspaceId, body.flowId, body.version))) {
      throw new AppError('flow.not_found', `There is no flow "${body.flowId}" with version ${body.version}.`);
    }
    const payload: FlowJobPayload = { kind: 'start', conversationId: conversation.id, flowId: body.flowId, version: body.version };
    await enqueueJobs(deps.database.db, [{ queue: FLOW_QUEUE, workspaceId, orderingKey: conversationOrderingKey(conversation.channelId, conversation.address), payload }]);
    deps.wakeWorkers();
    return reply.code(202).send({ conversationId: conversation.id });
  });

  app.get('/api/demo/simulator/state', { config: { access: 'demo' } }, async (req) => {
    const who = parseInput(Who, req.query);
    const conversation = await findConversation(deps.database.db, workspaceId, who.phoneNumberId, who.waId);
    if (!conversation) {
      return { conversation: null };
    }
    const state = FlowRunState.safeParse(conversation.flowState);
    let run = null;
    if (state.success) {
      const s = state.data;
      const flow = await findFlowVersion(deps.database.db, workspaceId, s.flowId, s.flowVersion);
      const nodes = (flow?.definition.nodes ?? {}) as Record<string, { type?: string }>;
      run = {
        flowId: s.flowId,
        flowVersion: s.flowVersion,
        flowName: typeof flow?.definition.name === 'string' ? flow.definition.name : null,
        status: s.status,
        nodeId: s.nodeId,
        nodeType: s.nodeId !== null ? (nodes[s.nodeId]?.type ?? null) : null,
        waiting: s.waiting,
        attributes: s.attributes,
      };
    }
    return { conversation: { id: conversation.id, ownership: conversation.ownership, language: state.success ? state.data.language : conversation.language, run } };
  });
}

