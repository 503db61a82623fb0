/**
 * What the agent's composer may offer now (issue #5 item 4): the WhatsApp window, who may send, the purposes an agent
 * may send for and the approved templates of the channel that fit them — and the pickers: the approved library and
 * the canned answers.
 */
import type { CannedAnswerView, ComposerState, LibraryEntry, PickerQuery } from '@parley/contracts';
import type { Db } from '../../platform/db.js';
import type { RuntimeLoader } from '../flows/index.js';
import type { InboxActor } from '../inbox/index.js';
import { serviceWindowHours } from '../outbound/index.js';
import { listTemplates } from '../templates/index.js';
import { agentPurposes, composerState, purposesForCategory, toComposerPurpose } from './composer.policy.js';
import { listCanned, listLibrary } from './library.js';
import { findVisibleFacts } from './reply.service.js';
import { describeTemplate } from './template-form.js';

export interface ComposerServiceDeps {
  db: Db;
  runtimes: RuntimeLoader;
  /** The clock for the window (tests fix it). */
  now?: () => Date;
}

export interface ComposerService {
  /** Throws `conversation.not_found` (also for a restricted contact an agent may not see). */
  getComposer(workspaceId: string, conversationId: string, actor: InboxActor): Promise<ComposerState>;
  listLibrary(workspaceId: string, q: PickerQuery): Promise<LibraryEntry[]>;
  listCanned(workspaceId: string, q: PickerQuery): Promise<CannedAnswerView[]>;
}

/** @example const composer = createComposerService({ db, runtimes }); await composer.getComposer(ws, id, actor); */
export function createComposerService(deps: ComposerServiceDeps): ComposerService {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async getComposer(workspaceId, conversationId, actor) {
      const facts = await findVisibleFacts(db, workspaceId, conversationId, actor);
      const runtime = await deps.runtimes.get(workspaceId);
      const purposes = agentPurposes(runtime.settings);
      const templates = (await listTemplates(db, workspaceId, facts.channelId))
        .filter((t) => t.status === 'APPROVED')
        .flatMap((t) => {
          const fits = purposesForCategory(t.category, purposes);
          return fits.length > 0 ? [describeTemplate(t, fits)] : [];
        });
      return composerState({
        facts,
        actor,
        now: now(),
        windowHours: serviceWindowHours(facts.channelKind),
        language: facts.language ?? runtime.defaultLanguage,
        templates,
        purposes: purposes.map(toComposerPurpose),
      });
    },

    async listLibrary(workspaceId, q) {
      const runtime = await deps.runtimes.get(workspaceId);
      return listLibrary(runtime, q.q, q.lang ?? runtime.defaultLanguage, now());
    },

    async listCanned(workspaceId, q) {
      const runtime = await deps.runtimes.get(workspaceId);
      return listCanned(runtime.settings.cannedAnswers ?? [], q.q, q.lang ?? runtime.defaultLanguage);
    },
  };
}
