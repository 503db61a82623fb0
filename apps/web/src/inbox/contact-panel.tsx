import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useLanguage, useT, type MessageKey } from '../i18n';
import { getContactPanel, type ContactPanelData } from './composer-api';
import { inboxKeys } from './inbox-queries';
import { useLiveUpdates } from './live-updates';

/**
 * Who the agent is talking to: name, channels and numbers, language, what the bot stored (attributes), the
 * consent state per purpose and channel, and topic subscriptions. Everything is shown as text.
 */
export function ContactPanel({ conversationId }: { conversationId: string }): ReactNode {
  const t = useT();
  const live = useLiveUpdates();
  const panel = useQuery({
    queryKey: inboxKeys.contact(conversationId),
    queryFn: ({ signal }) => getContactPanel(conversationId, signal),
    refetchInterval: live.countsIntervalMs,
  });
  return (
    <aside className="inbox__contact contact" aria-label={t('ic.contact.title')} data-testid="contact-panel">
      <h2 className="contact__title">{t('ic.contact.title')}</h2>
      {panel.error && !panel.data && panel.error instanceof ApiError && panel.error.status === 404 ? null : panel.error && !panel.data ? (
        // (404: the conversation is not available to this person; the conversation view says so.)
        <p className="field__error" role="alert">
          {t('ic.contact.error', { message: panel.error instanceof ApiError ? panel.error.message : String(panel.error) })}
        </p>
      ) : !panel.data ? (
        <p role="status">{t('state.loading')}</p>
      ) : (
        <ContactDetails data={panel.data} />
      )}
    </aside>
  );
}

function ContactDetails({ data }: { data: ContactPanelData }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const date = (iso: string | null) => (iso ? new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso)) : '');
  const attributes = Object.entries(data.attributes);
  return (
    <>
      <p className="contact__name" data-testid="contact-name">
        {data.contact.name ?? data.identities[0]?.profileName ?? `+${data.identities[0]?.address ?? ''}`}
      </p>
      {data.flags.restricted ? <p className="contact__flag">{t('ic.contact.restricted')}</p> : null}
      <Section title={t('ic.contact.identities')}>
        <ul className="contact__list">
          {data.identities.map((identity) => (
            <li key={`${identity.kind}:${identity.address}`}>
              <span className="contact__key">{identity.kind}</span> +{identity.address}
              {identity.profileName ? ` · ${identity.profileName}` : ''}
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t('ic.contact.language')}>
        <p className="contact__value">{data.contact.language ?? t('ic.contact.unknown')}</p>
      </Section>
      <Section title={t('ic.contact.consent')}>
        {data.consents.length === 0 ? (
          <p className="contact__value">{t('ic.contact.none')}</p>
        ) : (
          <ul className="contact__list" data-testid="contact-consents">
            {data.consents.map((consent) => (
              <li key={`${consent.purpose}:${consent.channel.id}`} data-purpose={consent.purpose} data-state={consent.state}>
                <span className="contact__key">{consent.purpose}</span>{' '}
                <span className={`consent consent--${consent.state}`}>{t(`ic.consent.${consent.state}` as MessageKey)}</span>
                {consent.at ? <span className="contact__muted">{` · ${t('ic.contact.since', { date: date(consent.at) })}${consent.method ? ` (${consent.method})` : ''}`}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('ic.contact.subscriptions')}>
        {data.subscriptions.length === 0 ? (
          <p className="contact__value">{t('ic.contact.none')}</p>
        ) : (
          <ul className="contact__list">
            {data.subscriptions.map((s) => (
              <li key={s.topic}>
                <span className="contact__key">{s.title?.[language] ?? s.title?.de ?? s.topic}</span> {s.status}
                {s.subscribedAt ? <span className="contact__muted">{` · ${t('ic.contact.since', { date: date(s.subscribedAt) })}`}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('ic.contact.attributes')}>
        {attributes.length === 0 ? (
          <p className="contact__value">{t('ic.contact.none')}</p>
        ) : (
          <dl className="contact__attributes">
            {attributes.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }): ReactNode {
  return (
    <section className="contact__section">
      <h3 className="contact__heading">{title}</h3>
      {children}
    </section>
  );
}
