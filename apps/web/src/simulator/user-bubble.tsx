import type { ReactNode } from 'react';
import { useLanguage, useT } from '../i18n';
import type { UserMessage } from './chat-store';
import { Quote } from './business-bubble';
import { formatTime } from './format-time';
import { CheckIcon, ClockIcon } from './icons';
import { RichText } from './rich-text';
import { summarizeUserContent } from './timeline';

type Props = { message: UserMessage; quote?: string; reaction?: string; onRetry: (localId: string) => void };

/** A message the simulated user sent (right side): shown at once, with a retry when it did not go through. */
export function UserBubble({ message, quote, reaction, onRetry }: Props): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  return (
    <li className="msg msg--out" data-testid="msg-out" data-state={message.state}>
      <div className="bubble bubble--out">
        <span className="visually-hidden">{t('chat.you')}: </span>
        {quote !== undefined ? <Quote text={quote} /> : null}
        <RichText text={summarizeUserContent(message.content)} />
        <span className="bubble__meta">
          <time dateTime={new Date(message.sentAt).toISOString()}>{formatTime(message.sentAt, language)}</time>
          {message.state === 'sending' ? (
            <span className="tick tick--accepted" title={t('out.sending')}>
              <ClockIcon />
              <span className="visually-hidden">{t('out.sending')}</span>
            </span>
          ) : null}
          {message.state === 'sent' ? (
            <span className="tick tick--sent">
              <CheckIcon />
            </span>
          ) : null}
        </span>
        {reaction ? (
          <span className="bubble__reaction" role="img" aria-label={`${t('msg.reaction')}: ${reaction}`}>
            {reaction}
          </span>
        ) : null}
      </div>
      {message.state === 'failed' ? (
        <div className="msg__failed" role="alert">
          {t('out.failed')}{' '}
          <button type="button" className="link-button" onClick={() => onRetry(message.localId)}>
            {t('out.retry')}
          </button>
        </div>
      ) : null}
    </li>
  );
}
