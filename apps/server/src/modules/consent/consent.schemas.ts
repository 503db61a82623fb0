/**
 * Request bodies of consent recorded outside the chat, and the port through which a pending consent becomes a
 * double opt-in request (implemented by the double-opt-in module, which sits above conversations and outbound).
 */
import { LanguageCode } from '@parley/contracts';
import { z } from 'zod';
import type { AuditContext } from '../audit/index.js';
import type { StoredConsentEvent } from './consent.store.js';

const TextRef = z.object({ id: z.string().min(1), version: z.number().int().min(1), language: z.string().min(2).max(10) }).strict();

export const RecordConsentBody = z
  .object({
    /** A contact Parley knows; or, for a `pending` consent, `address` (and `channel`) for a number it may not know. */
    contactId: z.uuid().optional(),
    /** A phone number in international format; its contact, identity and conversation are created when new (GDPR-10). */
    address: z.string().trim().min(3).max(64).optional(),
    /** For a contact created from `address`: how to call them and the language of the request. */
    name: z.string().trim().min(1).max(200).optional(),
    language: LanguageCode.optional(),
    /** The channel's slug: consent is channel-scoped (GDPR-03); omit only for a withdrawal on every channel. */
    channel: z.string().min(1).max(100).optional(),
    purpose: z.string().min(1).max(100),
    decision: z.enum(['pending', 'granted', 'denied', 'withdrawn']),
    method: z.enum(['import', 'api', 'agent', 'web_form_doi']),
    /** The wording the person agreed to; required for `granted` and `pending`. */
    text: TextRef.optional(),
    /** What proves it: a form URL and version, a letter's reference, the agent's note … */
    evidence: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.contactId === undefined) === (body.address === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'give either "contactId" or "address" (with "channel")' });
    }
    if (body.address === undefined && (body.name !== undefined || body.language !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: '"name" and "language" describe a contact created from "address"' });
    }
    if (body.address !== undefined && body.decision !== 'pending') {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'an address without a contact id can only start a double opt-in: decision "pending"' });
    }
  });
export type RecordConsentBody = z.infer<typeof RecordConsentBody>;

/** Rows of an import file (`parley consent import`), checked row by row: a bad row never stops the others. */
export const ConsentImportBody = z
  .object({
    channel: z.string().min(1).max(100),
    purpose: z.string().min(1).max(100),
    /** The wording version; each row gets it in the row's language where the text has it. */
    text: z.object({ id: z.string().min(1), version: z.number().int().min(1) }).strict(),
    method: z.enum(['import', 'api']).default('import'),
    /** One id for every row of one file (GDPR-05 import-batch id); the CLI sends a large file in parts with one id. */
    batch: z.uuid().optional(),
    /** The file the rows come from (its name only), kept as evidence. */
    source: z.string().max(300).optional(),
    rows: z
      .array(z.object({ line: z.number().int().min(1), address: z.string().max(200), name: z.string().max(500).optional(), language: z.string().max(50).optional() }).strict())
      .min(1)
      .max(2000),
  })
  .strict();
export type ConsentImportBody = z.infer<typeof ConsentImportBody>;

/** What a double opt-in request did: asked (pending + request queued), or nothing because nothing was needed. */
export type DoubleOptInOutcome =
  | { outcome: 'requested'; event: StoredConsentEvent; contactId: string; conversationId: string; requestMessageId: string }
  | { outcome: 'already_granted' | 'already_pending'; contactId: string };

export type ConsentImportOutcome = DoubleOptInOutcome['outcome'] | 'suppressed' | 'expired' | 'invalid' | 'failed';

export interface ConsentImportReport {
  batch: string;
  counts: Record<ConsentImportOutcome, number>;
  /** One per row, in file order; `reason` for every row that was not requested. */
  rows: Array<{ line: number; outcome: ConsentImportOutcome; reason?: string; contactId?: string; eventId?: number }>;
}

/** The double opt-in use cases the consent routes hand `pending` consents and imports to. */
export interface DoubleOptInRequests {
  /** Records `pending` and queues the confirmation request in ONE transaction (GDPR-10/11), or refuses with nothing recorded. */
  requestConfirmation(workspaceId: string, body: RecordConsentBody, audit: AuditContext): Promise<DoubleOptInOutcome>;
  /** The same for every row of an import, each row in its own transaction; refuses the whole import for an unknown channel, purpose or text. */
  importConsents(workspaceId: string, body: ConsentImportBody, audit: AuditContext): Promise<ConsentImportReport>;
}
