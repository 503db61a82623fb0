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

export const GlobalCommand = z.enum(['menu', 'help', 'agent', 'start', 'stop']);
export type GlobalCommand = z.infer<typeof GlobalCommand>;

/** The runner's own texts an organisation may reword (per language; the others keep Parley's wording). */
export const RunnerTextKey = z.enum(['handoff', 'help', 'noAnswer', 'didYouMean', 'onlyText', 'topicPrompt', 'choose', 'more', 'stopped', 'started']);
export type RunnerTextKey = z.infer<typeof RunnerTextKey>;

/**
 * A purpose outbound messages resolve to (GDPR-01), with its lawful basis. `service` — answering the contact in a
 * conversation the contact started — exists in every workspace; others (reminders, newsletters) are configured.
 */
export const Purpose = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9:_-]{0,99}$/, 'purpose ids are lower-case slugs, e.g. psp-reminders or topic:studien'),
    basis: z.enum(['consent', 'user_request', 'contract', 'legal_obligation', 'vital_interest', 'legitimate_interest']),
    /** Advertising (UWG §7): needs express consent; outside the WhatsApp window only as a marketing template. */
    promotional: z.boolean().default(false),
    description: LocalizedText.optional(),
    /** How long messages of this purpose are kept (GDPR storage limitation). */
    retentionDays: z.number().int().min(1).max(36500).optional(),
  })
  .strict();
export type Purpose = z.infer<typeof Purpose>;

/**
 * A consent text (consent/<id>.yaml, GDPR-05/08): the exact wording shown for one purpose, per language. A stored
 * version is immutable: changed wording is a new version, and the ledger names the version each decision saw.
 */
export const ConsentTextFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'consent text ids are lower-case slugs'),
    version: z.number().int().min(1),
    /** One purpose per text: one decision per purpose (GDPR-07). */
    purpose: z.string().min(1).max(100),
    /** Who processes what, for which purpose, how to withdraw — in every language the workspace speaks. */
    text: LocalizedText,
  })
  .strict();
export type ConsentTextFile = z.infer<typeof ConsentTextFile>;

/** The purpose of replies in a conversation the contact started; present in every workspace. */
export const SERVICE_PURPOSE: Purpose = { id: 'service', basis: 'user_request', promotional: false };

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
    /** Purposes besides `service` (which may be redefined here, e.g. with a retention). */
    purposes: z.array(Purpose).max(200).optional(),
    /** Business-initiated messages wait outside these hours (local time), e.g. { start: "21:00", end: "08:00" }. */
    quietHours: z
      .object({ start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), timeZone: z.string().min(1).refine(isTimeZone, 'unknown time zone (use an IANA name such as Europe/Berlin)').default('Europe/Berlin') })
      .strict()
      .optional(),
  })
  .strict();
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/** Parley's default words for the global commands. */
export const DEFAULT_COMMAND_WORDS: Record<GlobalCommand, Record<string, string[]>> = {
  menu: { de: ['MENÜ', 'MENUE', 'HAUPTMENÜ'], en: ['MENU', 'MAIN MENU'] },
  help: { de: ['HILFE'], en: ['HELP'] },
  agent: { de: ['MITARBEITER', 'MITARBEITERIN', 'MENSCH'], en: ['AGENT', 'HUMAN', 'PERSON'] },
  start: { de: ['START'], en: ['START'] },
  /** Opt-out anywhere (GDPR-13, WA-04, SMS-01). */
  stop: { de: ['STOP', 'STOPP', 'ABMELDEN', 'ABBESTELLEN'], en: ['STOP', 'UNSUBSCRIBE', 'OPT OUT'] },
};

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Stored settings as the runtime reads them: a value that no longer parses (an older Parley) means the defaults. */
export function storedSettings(raw: unknown): WorkspaceSettings {
  const parsed = WorkspaceSettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

/** Every purpose of a workspace by id, `service` included (a workspace may redefine it). */
export function purposesOf(settings: WorkspaceSettings): Map<string, Purpose> {
  return new Map<string, Purpose>([[SERVICE_PURPOSE.id, SERVICE_PURPOSE], ...(settings.purposes ?? []).map((p): [string, Purpose] => [p.id, p])]);
}

/** Whether sending for a purpose needs the contact's consent: its basis is consent, or it advertises (UWG §7(2)). */
export function needsConsent(purpose: Pick<Purpose, 'basis' | 'promotional'>): boolean {
  return purpose.basis === 'consent' || purpose.promotional;
}

/** The ids of a workspace's advertising purposes (withdrawn by WhatsApp's marketing opt-out, WA-04). */
export function promotionalPurposes(settings: WorkspaceSettings): string[] {
  return (settings.purposes ?? []).filter((p) => p.promotional).map((p) => p.id);
}
