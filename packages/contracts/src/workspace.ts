/**
 * Workspace settings (`workspace.yaml` of a workspace directory): the global commands every flow understands in
 * every language (ARCHITECTURE §5), where MENU and START lead, the queue a hand-off goes to, and the runner's own
 * texts where an organisation wants its own words. Everything is optional; omitted parts keep Parley's defaults.
 */
import { z } from 'zod';
import { FlowId, LanguageCode, LocalizedText } from './flows.js';

/** A command word needs a letter or digit: punctuation is ignored when words are compared, so "?" would match "👍". */
const Word = z.string().trim().min(1).max(60).regex(/[\p{L}\p{N}]/u, 'a command word needs at least one letter or digit (punctuation and emoji are ignored when comparing)');
const Words = z.record(LanguageCode, z.array(Word).min(1).max(20));

export const GlobalCommand = z.enum(['menu', 'help', 'agent', 'start']);
export type GlobalCommand = z.infer<typeof GlobalCommand>;

/** The runner's own texts an organisation may reword (per language; the others keep Parley's wording). */
export const RunnerTextKey = z.enum(['handoff', 'help', 'noAnswer', 'didYouMean', 'onlyText', 'topicPrompt', 'choose', 'more']);
export type RunnerTextKey = z.infer<typeof RunnerTextKey>;

export const WorkspaceSettings = z
  .object({
    /** The language of a contact Parley knows nothing about yet. */
    defaultLanguage: LanguageCode.optional(),
    /** Words per command and language; a command given here replaces its default words (all languages). */
    commands: z.partialRecord(GlobalCommand, Words).optional(),
    /** The flow MENU and START open (default: the flow with the `new_conversation` trigger). */
    menuFlow: FlowId.optional(),
    /** The queue AGENT/MITARBEITER and an escalated question hand over to (default `patient-service`). */
    handoffQueue: z.string().min(1).max(200).optional(),
    texts: z.partialRecord(RunnerTextKey, LocalizedText).optional(),
  })
  .strict();
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/** Parley's default words for the global commands. */
export const DEFAULT_COMMAND_WORDS: Record<GlobalCommand, Record<string, string[]>> = {
  menu: { de: ['MENÜ', 'MENUE', 'HAUPTMENÜ'], en: ['MENU', 'MAIN MENU'] },
  help: { de: ['HILFE'], en: ['HELP'] },
  agent: { de: ['MITARBEITER', 'MITARBEITERIN', 'MENSCH'], en: ['AGENT', 'HUMAN', 'PERSON'] },
  start: { de: ['START'], en: ['START'] },
};
