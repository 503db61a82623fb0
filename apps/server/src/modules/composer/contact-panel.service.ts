/**
 * The contact panel of the inbox (issue #5 item 4; ARCHITECTURE §6): who the agent is talking to — name, identities
 * per channel kind, language, what the bot stored in this conversation's run, consent per purpose and channel as the
 * ledger says it now (the same rule the send gate reads: the latest event for that channel or for every channel,
 * a stale `pending` counting as expired), topic subscriptions, and whether the contact is restricted or suppressed.
 * A restricted contact is hidden from agents (GDPR-20): `conversation.not_found`.
 */
import { type ContactConsent, type ContactPanel, DEFAULT_PENDING_CONSENT_DAYS, needsConsent, purposesOf } from '@parley/contracts';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { consentHistory, consentStateDetails } from '../consent/index.js';
import type { RuntimeLoader } from '../flows/index.js';
import type { InboxActor } from '../inbox/index.js';
import { hashAddress, type KeyedHash, suppressedHashes } from '../privacy/index.js';
import { type ChannelRow, findContact, listContactChannels, listIdentities, listSubscriptions } from './composer.store.js';
import { findVisibleFacts } from './reply.service.js';

export interface ContactPanelService {
  /** Throws `conversation.not_found`. */
  getContactPanel(workspaceId: string, conversationId: string, actor: InboxActor): Promise<ContactPanel>;
}

/** @example const panel = await createContactPanelService({ db, runtimes, keyedHash }).getContactPanel(ws, id, actor); */
export function createContactPanelService(deps: { db: Db; runtimes: RuntimeLoader; keyedHash: KeyedHash }): ContactPanelService {
  const { db } = deps;
  return {
    async getContactPanel(workspaceId, conversationId, actor) {
      const facts = await findVisibleFacts(db, workspaceId, conversationId, actor);
      const contact = await findContact(db, workspaceId, facts.contactId);
      if (!contact) {
        throw new AppError('conversation.not_found', `There is no conversation ${conversationId}.`); // erased a moment ago
      }
      const settings = (await deps.runtimes.get(workspaceId)).settings;
      const [identities, channels, subscriptions, ledger] = await Promise.all([
        listIdentities(db, workspaceId, contact.id),
        listContactChannels(db, workspaceId, contact.id),
        listSubscriptions(db, workspaceId, contact.id),
        consentHistory(db, workspaceId, contact.id),
      ]);
      // Every purpose that needs consent, and any the ledger names (one since removed from workspace.yaml too); every
      // channel the contact writes on, and any a consent event names.
      const purposes = purposesOf(settings);
      const purposeIds = [...new Set([...[...purposes.values()].filter(needsConsent).map((p) => p.id), ...ledger.map((e) => e.purpose)])];
      const channelById = new Map<string, ChannelRow>(channels.map((c) => [c.id, c]));
      for (const e of ledger) {
        if (e.channelId && !channelById.has(e.channelId)) {
          channelById.set(e.channelId, { id: e.channelId, kind: e.channelKind, name: e.channelName });
        }
      }
      const pairs = purposeIds.flatMap((purpose) => [...channelById.values()].map((channel) => ({ purpose, channel })));
      const details = await consentStateDetails(
        db,
        workspaceId,
        pairs.map((p) => ({ contactId: contact.id, purpose: p.purpose, channelId: p.channel.id })),
        { pendingDays: settings.doubleOptIn?.expiresAfterDays ?? DEFAULT_PENDING_CONSENT_DAYS },
      );
      const consents = pairs.map(({ purpose, channel }): ContactConsent => {
        const d = details.get(`${contact.id}|${purpose}|${channel.id}`) ?? { state: 'none', at: null, method: null };
        return { purpose, basis: purposes.get(purpose)?.basis ?? null, channel, state: d.state, at: d.at, method: d.method };
      });
      const hashes = [...new Set([facts.address, ...identities.map((i) => i.address)])].map((a) => hashAddress(deps.keyedHash, a));
      return {
        contact,
        identities,
        attributes: facts.flowState?.attributes ?? {},
        consents,
        subscriptions,
        flags: { restricted: facts.restricted, suppressed: (await suppressedHashes(db, workspaceId, hashes)).size > 0 },
      };
    },
  };
}
