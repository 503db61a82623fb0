/**
 * The template refresh queue: a status webhook (providers.md §1.9) applies its event at once — a paused template
 * stops before the next send — and queues a refresh that reads the template from the provider. Webhooks may come
 * late or out of order; the refresh leaves the registry at what the provider holds now.
 */
import { type EnqueueInput } from '../../platform/jobs.js';
import type { JobHandler } from '../../platform/job-runner.js';
import type { Logger } from '../../platform/logger.js';
import type { TemplateService } from './templates.service.js';

export const TEMPLATE_REFRESH_QUEUE = 'templates.refresh';

/** A refresh per status event (a second delivery of the same event queues nothing), one template at a time. */
export function templateRefreshJob(input: { workspaceId: string; channelId: string; templateId: string; eventId: string }): EnqueueInput {
  return {
    queue: TEMPLATE_REFRESH_QUEUE,
    workspaceId: input.workspaceId,
    payload: { channelId: input.channelId, templateId: input.templateId },
    orderingKey: `template:${input.channelId}:${input.templateId}`,
    idempotencyKey: `${input.channelId}:${input.eventId}`,
    maxAttempts: 8,
  };
}

export function createTemplateRefreshJobHandler(deps: { templates: TemplateService; logger: Logger }): JobHandler {
  return async (job) => {
    const { channelId, templateId } = job.payload as { channelId?: unknown; templateId?: unknown };
    if (typeof channelId !== 'string' || typeof templateId !== 'string' || !job.workspaceId) {
      return { kind: 'fail', error: 'a template refresh needs a workspace, a channel and a template id' };
    }
    try {
      const outcome = await deps.templates.refreshTemplate(job.workspaceId, channelId, templateId);
      deps.logger.debug({ channelId, templateId, outcome }, 'template refreshed');
      return { kind: 'done' };
    } catch (err) {
      return { kind: 'retry', error: err instanceof Error ? err.message : String(err) };
    }
  };
}
