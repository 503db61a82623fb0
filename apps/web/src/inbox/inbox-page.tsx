import type { ReactNode } from 'react';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import { Composer } from './composer';
import { ContactPanel } from './contact-panel';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import type { ListFilters } from './inbox-api';
import { ListFiltersBar } from './list-filters';
import { LiveBadge } from './live-badge';
import { LiveUpdatesProvider } from './live-updates';

/** The filters an agent starts with: who is waiting for a person. */
const START: ListFilters = { view: 'unassigned', sort: 'recent' };

/**
 * The agents' inbox: the conversation list on the left, the open conversation with its composer in the middle, the
 * contact on the right. The filters are a draft (they survive a sign-in in between); the open conversation is in
 * the address. Updates arrive without reloads (live-updates.ts).
 */
export function InboxPage({ conversationId }: { conversationId: string | null }): ReactNode {
  const t = useT();
  const [filters, setFilters] = useDraft<ListFilters>('inbox.filters', START);
  return (
    <LiveUpdatesProvider>
      <div className={`inbox${conversationId ? ' inbox--open' : ''}`} data-testid="inbox">
        <section className="inbox__list" aria-label={t('inbox.list.label')}>
          <div className="inbox__list-head">
            <h2 className="inbox__title">{t('inbox.title')}</h2>
            <LiveBadge />
          </div>
          <ListFiltersBar filters={filters} onChange={setFilters} />
          <ConversationList filters={filters} selectedId={conversationId} />
        </section>
        <section className="inbox__conversation" aria-label={t('inbox.conv.history')}>
          {conversationId ? (
            <ConversationView key={conversationId} id={conversationId} composer={(row) => <Composer row={row} />} />
          ) : (
            <p className="inbox__placeholder">{t('inbox.conv.none')}</p>
          )}
        </section>
        {conversationId ? <ContactPanel key={conversationId} conversationId={conversationId} /> : null}
      </div>
    </LiveUpdatesProvider>
  );
}
