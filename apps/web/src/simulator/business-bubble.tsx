import { useEffect, useRef, type ReactNode } from 'react';
import { useLanguage, useT } from '../i18n';
import { BusinessContentView } from './business-content';
import { formatTime } from './format-time';
import { ListIcon } from './icons';
import type { BusinessMessageView, ReplyOption } from './message-view';
import { RichText } from './rich-text';
import { FailureNote, TickBadge } from './tick-badge';
import type { RegisterVisible } from './use-visible-ids';

/** What the user can do with a business message. */
export type BusinessActions = {
  onReply: (message: BusinessMessageView, option: ReplyOption) => void;
  onOpenList: (message: BusinessMessageView) => void;
};

type Props = BusinessActions & {
  message: BusinessMessageView;
  senderName: string;
  quote?: string;
  reaction?: string;
  register: RegisterVisible;
};

/** A message from the business (left side) with its ticks, quote, reaction and tappable actions. */
export function BusinessBubble({ message, senderName, quote, reaction, register, onReply, onOpenList }: Props): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => (ref.current ? register(message.id, ref.current) : undefined), [message.id, register]);

  return (
    <li ref={ref} className="msg msg--in" data-testid="msg-in" data-status={message.tick.state} data-kind={message.content.kind}>
      <div className="bubble bubble--in">
        <span className="visually-hidden">{senderName}: </span>
        {quote !== undefined ? <Quote text={quote} /> : null}
        <BusinessContentView content={message.content} />
        <span className="bubble__meta">
          <time dateTime={new Date(message.createdAt).toISOString()}>{formatTime(message.createdAt, language)}</time>
          <TickBadge tick={message.tick} />
        </span>
        <FailureNote tick={message.tick} />
        {reaction ? (
          <span className="bubble__reaction" role="img" aria-label={`${t('msg.reaction')}: ${reaction}`}>
            {reaction}
          </span>
        ) : null}
      </div>
      <ActionRow message={message} onReply={onReply} onOpenList={onOpenList} />
    </li>
  );
}

/** The quoted message a reply refers to. */
export function Quote({ text }: { text: string }): ReactNode {
  const t = useT();
  return (
    <span className="bubble__quote">
      <span className="visually-hidden">{t('msg.replyTo')}: </span>
      <RichText text={text} />
    </span>
  );
}

function ActionRow({ message, onReply, onOpenList }: BusinessActions & { message: BusinessMessageView }): ReactNode {
  const { content } = message;
  switch (content.kind) {
    case 'buttons':
      return (
        <div className="actions">
          {content.buttons.map((option) => (
            <button key={option.id} type="button" className="action" data-testid="reply-button" onClick={() => onReply(message, option)}>
              {option.title}
            </button>
          ))}
        </div>
      );
    case 'list':
      return (
        <div className="actions">
          <button type="button" className="action" data-testid="list-open" aria-haspopup="dialog" onClick={() => onOpenList(message)}>
            <ListIcon /> {content.buttonLabel}
          </button>
        </div>
      );
    case 'cta-url':
      return (
        <div className="actions">
          <a className="action" href={content.url} target="_blank" rel="noopener noreferrer">
            {content.label}
          </a>
        </div>
      );
    default:
      return null;
  }
}
