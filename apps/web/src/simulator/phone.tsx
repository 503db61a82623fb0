import { useState, type ReactNode } from 'react';
import { useT } from '../i18n';
import { ChatLog } from './chat-log';
import { Composer } from './composer';
import type { DemoChannel, InboundContent } from './demo-api';
import { toButtonReply, toListReply, toTextContent } from './inbound-content';
import { ListSheet } from './list-sheet';
import { LocationSheet } from './location-sheet';
import type { BusinessMessageView } from './message-view';
import type { Timeline } from './timeline';
import type { FeedConnection } from './use-sent-messages';

type Props = {
  channel: DemoChannel;
  timeline: Timeline;
  connection: FeedConnection;
  onSend: (content: InboundContent) => void;
  onRetry: (localId: string) => void;
};

type OpenSheet = { kind: 'list'; message: BusinessMessageView } | { kind: 'location' } | undefined;

/** The phone: business header, chat, composer, and the sheets for list messages and sharing a location. */
export function Phone({ channel, timeline, connection, onSend, onRetry }: Props): ReactNode {
  const t = useT();
  const [sheet, setSheet] = useState<OpenSheet>(undefined);
  const close = (): void => setSheet(undefined);
  const listContent = sheet?.kind === 'list' && sheet.message.content.kind === 'list' ? sheet.message.content : undefined;

  return (
    <section className="phone" aria-label={t('phone.label')} data-testid="phone">
      <div className="phone__screen">
        <PhoneHeader channel={channel} />
        {connection === 'polling' ? (
          <p className="phone__banner" role="status">
            {t('chat.offline')}
          </p>
        ) : null}
        <ChatLog
          timeline={timeline}
          senderName={channel.name}
          onRetry={onRetry}
          onReply={(message, option) => onSend(toButtonReply(channel, message.id, option))}
          onOpenList={(message) => setSheet({ kind: 'list', message })}
        />
        <Composer onSendText={(text) => onSend(toTextContent(text))} onOpenLocation={() => setSheet({ kind: 'location' })} />
        {sheet?.kind === 'list' && listContent ? (
          <ListSheet
            title={listContent.buttonLabel}
            sections={listContent.sections}
            onClose={close}
            onPick={(row) => {
              onSend(toListReply(channel, sheet.message.id, row));
              close();
            }}
          />
        ) : null}
        {sheet?.kind === 'location' ? <LocationSheet onSend={onSend} onClose={close} /> : null}
      </div>
    </section>
  );
}

function PhoneHeader({ channel }: { channel: DemoChannel }): ReactNode {
  const t = useT();
  const initials = channel.name
    .split(/\s+/)
    .map((word) => word.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <header className="phone__header">
      <span className="avatar" aria-hidden="true">
        {initials || 'P'}
      </span>
      <div className="phone__title">
        <h2 className="phone__name" data-testid="phone-business-name">
          {channel.name}
        </h2>
        <span className="phone__number">
          {channel.displayPhoneNumber ? `+${channel.displayPhoneNumber.replace(/^\+/, '')}` : ''}
          <span className="visually-hidden"> · {t('phone.business')}</span>
        </span>
      </div>
    </header>
  );
}
