import type { ReactNode } from 'react';
import { useLanguage, useT, type MessageKey, type Translate } from '../i18n';
import { toDelivery } from './delivery';
import { DeliveryProblem, DeliveryTick } from './delivery-badge';
import { formatMessageTime } from './format';
import type { HistoryItem, OwnershipEvent } from './history-model';
import { MessageContent } from './message-content';

type Names = { people: Readonly<Record<string, string>>; queueName: (id: string) => string };

/**
 * One entry of the history: a bubble (contact left, bot and agents right), a system event line, or a note.
 * `conversationId` lets a bubble show the media the contact sent (they are fetched per conversation and message).
 */
export function HistoryEntry({ item, names, conversationId }: { item: HistoryItem; names: Names; conversationId: string }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const time = formatMessageTime(item.message.createdAt, language);
  if (item.kind === 'event') {
    return (
      <li className="hist-event" data-testid="history-event" data-event={item.event.event}>
        <span>{describeEvent(item.event, names, t)}</span>
        <time dateTime={item.message.createdAt}>{time}</time>
      </li>
    );
  }
  if (item.kind === 'note') {
    return (
      <li className="hist-note" data-testid="history-note">
        <p className="hist-note__head">
          <span>{t('inbox.hist.note')}</span>
          <span>
            {item.authorName ?? ''} · <time dateTime={item.message.createdAt}>{time}</time>
          </span>
        </p>
        <p className="hist-text">{item.text}</p>
      </li>
    );
  }
  const { message, sender } = item;
  const inbound = sender.kind === 'contact';
  const delivery = inbound ? undefined : toDelivery(message);
  const who = sender.kind === 'agent' ? (sender.name ?? t('inbox.someone')) : sender.kind === 'bot' ? t('inbox.sender.bot') : sender.kind === 'api' ? t('inbox.sender.api') : undefined;
  return (
    <li className={`hist-msg hist-msg--${inbound ? 'in' : 'out'}${sender.kind === 'bot' ? ' hist-msg--bot' : ''}`} data-testid="history-msg" data-direction={message.direction} data-sender={sender.kind} data-status={message.status} data-seq={message.seq}>
      <div className="hist-bubble">
        {who ? <p className="hist-sender">{who}</p> : null}
        <MessageContent content={message.content} origin={{ conversationId, messageId: message.id, direction: message.direction }} templateText={message.templateText} />
        <p className="hist-meta">
          <time dateTime={message.createdAt}>{time}</time>
          {delivery ? <DeliveryTick delivery={delivery} /> : null}
        </p>
        {delivery ? <DeliveryProblem delivery={delivery} /> : null}
      </div>
    </li>
  );
}

/** A system event in words: "Anna took the conversation", "Handed over to the queue Patient service (…)". */
export function describeEvent(event: OwnershipEvent, names: Names, t: Translate): string {
  const person = (id: string | null) => (id ? (names.people[id] ?? t('inbox.someone')) : t('inbox.someone'));
  const by = event.by.kind === 'contact' ? t('inbox.by.contact') : event.by.kind === 'user' ? person(event.by.id) : event.by.id ? person(event.by.id) : t('inbox.by.system');
  const queue = event.queue ? names.queueName(event.queue) : '';
  const reason = event.reason && isReason(event.reason) ? ` (${t(`inbox.reason.${event.reason}`)})` : '';
  switch (event.event) {
    case 'conversation.queued':
      return t('inbox.event.conversation.queued', { queue }) + reason;
    case 'conversation.taken':
    case 'conversation.resolved':
    case 'conversation.returned_to_bot':
      return t(`inbox.event.${event.event}` as MessageKey, { by }) + reason;
    case 'conversation.assigned':
      return t('inbox.event.conversation.assigned', { by: event.reason === 'least_load' ? t('inbox.by.system') : by, assignee: person(event.assigneeId) }) + reason;
    case 'conversation.transferred':
      return t('inbox.event.conversation.transferred', { by, target: event.state === 'agent' ? person(event.assigneeId) : queue }) + reason;
    default:
      return t('inbox.event.unknown', { event: event.event });
  }
}

const REASONS = ['command', 'flow', 'escalated', 'least_load', 'contact_wrote'] as const;

function isReason(reason: string): reason is (typeof REASONS)[number] {
  return (REASONS as readonly string[]).includes(reason);
}
