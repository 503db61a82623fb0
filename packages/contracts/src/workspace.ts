/**
 * Workspace settings (`workspace.yaml` of a workspace directory): the global commands every flow understands in
 * every language (ARCHITECTURE §5), where MENU and START lead, the queue a hand-off goes to, and the runner's own
 * texts where an organisation wants its own words. Everything is optional; omitted parts keep Parley's defaults.
 */
import { z } from 'zod';
import { FlowId, LanguageCode, LocalizedText, TimeZone } from './flows.js';
import { BusinessHours, CannedAnswer, QueueDefinition } from './inbox.js';

/** A command word needs a letter or digit: punctuation is ignored when words are compared, so "?" would match "👍". */
const Word = z.string().trim().min(1).max(60).regex(/[\p{L}\p{N}]/u, 'a command word needs at least one letter or digit (punctuation and emoji are ignored when comparing)');
const Words = z.record(LanguageCode, z.array(Word).min(1).max(20));

export const GlobalCommand = z.enum(['menu', 'help', 'agent', 'start', 'stop']);
export type GlobalCommand = z.infer<typeof GlobalCommand>;

/** The runner's own texts an organisation may reword (per language; the others keep Parley's wording). */
export const RunnerTextKey = z.enum(['handoff', 'handoffClosed', 'talkToPerson', 'help', 'noAnswer', 'didYouMean', 'onlyText', 'topicPrompt', 'choose', 'more', 'stopped', 'started']);
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
    /** The organisation as contacts know it: the sender named in confirmation requests (GDPR-11, GDPR-14). */
    organisation: z.string().trim().min(1).max(200).optional(),
    /** The language of a contact Parley knows nothing about yet. */
    defaultLanguage: LanguageCode.optional(),
    /** Words per command and language; a command given here replaces its default words (all languages). */
    commands: z.partialRecord(GlobalCommand, Words).optional(),
    /** The flow MENU and START open (default: the flow with the `new_conversation` trigger). */
    menuFlow: FlowId.optional(),
    /** The queue AGENT/MITARBEITER and an escalated question hand over to (default `patient-service`). */
    handoffQueue: z.string().min(1).max(200).optional(),
    /** The inbox's queues (docs/inbox.md); hand-offs name them. Without any, hand-offs still queue by name. */
    queues: z
      .array(QueueDefinition)
      .max(100)
      .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'queue ids must be unique')
      .optional(),
    /** When people answer (docs/inbox.md); without it the inbox counts as always staffed. */
    businessHours: BusinessHours.optional(),
    texts: z.partialRecord(RunnerTextKey, LocalizedText).optional(),
    /** The service team's stock phrases for the inbox's composer (docs/inbox.md); sent as free text. */
    cannedAnswers: z
      .array(CannedAnswer)
      .max(500)
      .refine((as) => new Set(as.map((a) => a.id)).size === as.length, 'canned answer ids must be unique')
      .optional(),
    /** Purposes besides `service` (which may be redefined here, e.g. with a retention). */
    purposes: z.array(Purpose).max(200).optional(),
    /** Business-initiated messages wait outside these hours (local time), e.g. { start: "21:00", end: "08:00" }. */
    quietHours: z
      .object({ start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), timeZone: TimeZone.default('Europe/Berlin') })
      .strict()
      .optional(),
    /**
     * Double opt-in (GDPR-10/11/12): how an address that arrived by import, API or web form confirms on its channel.
     * `whatsappTemplate` names the approved UTILITY template that carries the request outside the 24-hour window.
     */
    doubleOptIn: z
      .object({
        /** After this many days an unconfirmed `pending` counts as expired and is closed by the nightly sweep. */
        expiresAfterDays: z.number().int().min(1).max(90).default(7),
        confirmWords: Words.optional(),
        declineWords: Words.optional(),
        whatsappTemplate: z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(15) }).strict().optional(),
      })
      .strict()
      .optional(),
    /**
     * Retention per data class (GDPR-22): how long after the contact's last activity data is kept, and whether a
     * statutory duty keeps it (restricted) through an erasure request. Classes left out keep Parley's defaults.
     */
    retention: z.partialRecord(z.enum(['profile', 'messages', 'conversationState', 'consent']), z.object({ days: z.number().int().min(1).max(36500), duty: z.boolean().default(false) }).strict()).optional(),
  })
  .strict();
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/** How long a pending double opt-in stays pending when the workspace does not say (GDPR-12). */
export const DEFAULT_PENDING_CONSENT_DAYS = 7;

/**
 * The purpose of a double opt-in confirmation request (GDPR-11): no advertising, sent because the organisation must
 * prove the consent it is asking for. Present in every workspace, like `service`.
 */
export const CONFIRMATION_PURPOSE: Purpose = { id: 'consent-confirmation', basis: 'legitimate_interest', promotional: false };

/** Parley's default words for the global commands. */
export const DEFAULT_COMMAND_WORDS: Record<GlobalCommand, Record<string, string[]>> = {
  menu: { de: ['MENÜ', 'MENUE', 'HAUPTMENÜ'], en: ['MENU', 'MAIN MENU'] },
  help: { de: ['HILFE'], en: ['HELP'] },
  agent: { de: ['MITARBEITER', 'MITARBEITERIN', 'MENSCH'], en: ['AGENT', 'HUMAN', 'PERSON'] },
  start: { de: ['START'], en: ['START'] },
  /** Opt-out anywhere (GDPR-13, WA-04, SMS-01). */
  stop: { de: ['STOP', 'STOPP', 'ABMELDEN', 'ABBESTELLEN'], en: ['STOP', 'UNSUBSCRIBE', 'OPT OUT'] },
};


/** Stored settings as the runtime reads them: a value that no longer parses (an older Parley) means the defaults. */
export function storedSettings(raw: unknown): WorkspaceSettings {
  const parsed = WorkspaceSettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

/** Every purpose of a workspace by id, `service` included (a workspace may redefine it). */
export function purposesOf(settings: WorkspaceSettings): Map<string, Purpose> {
  return new Map<string, Purpose>([[SERVICE_PURPOSE.id, SERVICE_PURPOSE], [CONFIRMATION_PURPOSE.id, CONFIRMATION_PURPOSE], ...(settings.purposes ?? []).map((p): [string, Purpose] => [p.id, p])]);
}

/** Whether sending for a purpose needs the contact's consent: its basis is consent, or it advertises (UWG §7(2)). */
export function needsConsent(purpose: Pick<Purpose, 'basis' | 'promotional'>): boolean {
  return purpose.basis === 'consent' || purpose.promotional;
}

/** The ids of a workspace's advertising purposes (withdrawn by WhatsApp's marketing opt-out, WA-04). */
export function promotionalPurposes(settings: WorkspaceSettings): string[] {
  return (settings.purposes ?? []).filter((p) => p.promotional).map((p) => p.id);
}
