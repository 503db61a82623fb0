/**
 * Tables of data-subject rights (issue #4 item 9; GDPR-15, GDPR-17, GDPR-20..23): the suppression list that survives
 * erasure, restrictions (Art. 18), legal holds and the data-subject request cases. Part of schema.ts (re-exported
 * there). No foreign keys to contacts: each of these outlives the contact's erasure by design.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';

/**
 * Addresses that must not be re-enabled by an import (GDPR-15): only a keyed hash of the normalised address
 * (HMAC-SHA256 under a key derived from PARLEY_SECRET_KEY), never the address itself.
 */
export const suppressions = pgTable(
  'suppressions',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    addressHash: text('address_hash').notNull(),
    /** objection | erasure */
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('suppressions_address_key').on(t.workspaceId, t.addressHash)],
);

/**
 * A contact's restriction of processing (Art. 18, GDPR-20/21): asked for by the person (`request`), or left by an
 * erasure where data is under a retention duty (`retention`, until the duty ends; the sweep then deletes it).
 * A restricted contact gets no outbound message except legally required notifications.
 */
export const contactRestrictions = pgTable(
  'contact_restrictions',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** request | retention */
    basis: text('basis').notNull(),
    reason: text('reason'),
    /** The data classes kept under the restriction (retention) — all of the contact's data for a request. */
    dataClasses: jsonb('data_classes').notNull().default([]).$type<string[]>(),
    /** When the retention duty ends (retention); null for a request, which lasts until lifted. */
    until: timestamp('until', { withTimezone: true }),
    createdAt: createdAt(),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
  },
  (t) => [index('contact_restrictions_contact_idx').on(t.workspaceId, t.contactId)],
);

/**
 * A legal hold (GDPR-23: litigation, authority request, PV case) on a contact's records: overrides deletion while
 * active. Setting and lifting each take two different authorised people (request, then approval).
 */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    reason: text('reason').notNull(),
    /** A case number, an authority's letter … */
    reference: text('reference'),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    liftReason: text('lift_reason'),
    liftRequestedBy: text('lift_requested_by'),
    liftRequestedAt: timestamp('lift_requested_at', { withTimezone: true }),
    liftedBy: text('lifted_by'),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
  },
  (t) => [index('legal_holds_contact_idx').on(t.workspaceId, t.contactId)],
);

/**
 * Data-subject requests as cases (GDPR-17): received when, due when (one month), done when, with the outcome per
 * data class (counts, never content). An erasure case outlives the data it erased. An access request is a case
 * before it is answered: `open` → `verified` (the requester's identity checked, before any disclosure) → `done` when
 * the export went out, or `refused`; the deadline can be extended by up to two months, with the reasons told to the
 * requester within the first month (Art. 12(3)).
 */
export const privacyRequests = pgTable(
  'privacy_requests',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** access | erasure | restriction | objection */
    kind: text('kind').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** open | verified | done | refused | partial (kept under a duty or hold) | held */
    status: text('status').notNull(),
    /** How and by whom the requester's identity was checked (GDPR-17), before anything is disclosed. */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedBy: text('verified_by'),
    verificationMethod: text('verification_method'),
    /** Months added to the one-month deadline (at most 2, Art. 12(3)), why, and when the requester was told. */
    extensionMonths: integer('extension_months').notNull().default(0),
    extensionReason: text('extension_reason'),
    extensionNotifiedAt: timestamp('extension_notified_at', { withTimezone: true }),
    /** Why a request was refused (identity not established, manifestly unfounded — Art. 12(5)). */
    refusalReason: text('refusal_reason'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    outcome: jsonb('outcome').notNull().default({}).$type<Record<string, unknown>>(),
    requestedBy: text('requested_by').notNull(),
  },
  (t) => [index('privacy_requests_contact_idx').on(t.workspaceId, t.contactId)],
);
