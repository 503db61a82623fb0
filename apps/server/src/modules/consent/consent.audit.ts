/** Consent events as audit entries (AUD-01): ids, purpose, channel, decision, method — no addresses or texts (AUD-07). */
import type { AuditEntryInput } from '../audit/index.js';
import type { StoredConsentEvent } from './consent.store.js';

export function consentAuditEntries(events: StoredConsentEvent[]): AuditEntryInput[] {
  return events.map((e) => ({
    workspaceId: e.workspaceId,
    actor: { kind: e.actor.kind === 'contact' ? 'contact' : 'system', ...(e.actor.kind === 'contact' ? { id: e.contactId } : {}) },
    action: `consent.${e.decision}`,
    object: { type: 'consent_event', id: String(e.id) },
    after: { contact: e.contactId, purpose: e.purpose, channel: e.channelId, decision: e.decision, method: e.method, ...(e.text ? { text: `${e.text.slug}@${e.text.version}/${e.text.language}`, textHash: e.text.hash } : {}) },
  }));
}
