import { useId, type ReactNode } from 'react';
import { useT, type MessageKey } from '../i18n';
import type { Identity } from './chat-store';
import type { DemoChannel, SentStatus } from './demo-api';
import { IdentityForm } from './identity-form';
import { TickBadge } from './tick-badge';

type Props = {
  channels: DemoChannel[];
  channel: DemoChannel;
  identity: Identity;
  onSelectChannel: (phoneNumberId: string) => void;
  onChangeIdentity: (identity: Identity) => void;
  onReset: () => void;
};

const legend: ReadonlyArray<{ state: SentStatus; key: MessageKey }> = [
  { state: 'accepted', key: 'tick.accepted' },
  { state: 'sent', key: 'tick.sent' },
  { state: 'delivered', key: 'tick.delivered' },
  { state: 'read', key: 'tick.read' },
];

/** Explains the simulator and holds its settings: channel, simulated user, reset. */
export function SidePanel({ channels, channel, identity, onSelectChannel, onChangeIdentity, onReset }: Props): ReactNode {
  const t = useT();
  const headingId = useId();
  const channelId = useId();
  const resetHintId = useId();
  return (
    <aside className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('panel.title')}</h2>
      <p className="panel__intro">{t('panel.intro')}</p>
      <p>{t('panel.details')}</p>

      <h3>{t('panel.legend')}</h3>
      <ul className="legend">
        {legend.map(({ state, key }) => (
          <li key={state}>
            <span aria-hidden="true">
              <TickBadge tick={{ state }} />
            </span>{' '}
            {t(key)}
          </li>
        ))}
        <li>
          <span className="tick tick--failed">
            <span className="tick__bang" aria-hidden="true">
              !
            </span>
          </span>{' '}
          {t('tick.failed')}
        </li>
      </ul>

      {channels.length > 1 ? (
        <div className="field">
          <label htmlFor={channelId}>{t('panel.channel')}</label>
          <select id={channelId} value={channel.phoneNumberId} onChange={(event) => onSelectChannel(event.target.value)}>
            {channels.map((candidate) => (
              <option key={candidate.phoneNumberId} value={candidate.phoneNumberId}>
                {candidate.name} (+{candidate.displayPhoneNumber})
              </option>
            ))}
          </select>
        </div>
      ) : null}

      <h3>{t('panel.identity')}</h3>
      <IdentityForm key={`${identity.waId}:${identity.name}`} identity={identity} onChange={onChangeIdentity} />

      <div className="panel__reset">
        <button type="button" className="button button--quiet" aria-describedby={resetHintId} data-testid="chat-reset" onClick={onReset}>
          {t('panel.reset')}
        </button>
        <p id={resetHintId} className="field__hint">
          {t('panel.resetHint')}
        </p>
      </div>
    </aside>
  );
}
