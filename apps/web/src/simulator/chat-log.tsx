import { useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useT } from '../i18n';
import { BusinessBubble, type BusinessActions } from './business-bubble';
import type { BusinessMessageView } from './message-view';
import type { Timeline, TimelineItem } from './timeline';
import { useAutoRead } from './use-auto-read';
import { usePageFocus } from './use-page-focus';
import { useVisibleIds } from './use-visible-ids';
import { UserBubble } from './user-bubble';

type Props = BusinessActions & { timeline: Timeline; senderName: string; onRetry: (localId: string) => void };

// How close to the bottom (px) still counts as "following the conversation".
const followSlack = 80;

/** The scrollable chat: announces new messages to screen readers, follows new ones, and marks seen ones as read. */
export function ChatLog({ timeline, senderName, onRetry, onReply, onOpenList }: Props): ReactNode {
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [visibleIds, register] = useVisibleIds(scroller);
  const focused = usePageFocus();
  const businessMessages = useMemo(
    () => timeline.items.flatMap((item): BusinessMessageView[] => (item.kind === 'in' ? [item.message] : [])),
    [timeline.items],
  );
  useAutoRead(businessMessages, visibleIds, focused);

  const last = timeline.items.at(-1);
  useLayoutEffect(() => {
    const element = scroller.current;
    // Follow the conversation unless the user scrolled up to read; always show what they just sent.
    if (element && (following.current || last?.kind === 'out')) {
      element.scrollTop = element.scrollHeight;
      following.current = true;
    }
  }, [timeline.items.length, last]);

  const onScroll = (): void => {
    const element = scroller.current;
    if (element) {
      following.current = element.scrollHeight - element.scrollTop - element.clientHeight < followSlack;
    }
  };

  return (
    // Only new messages are announced (aria-relevant), not every tick that changes; tabIndex lets keyboards scroll.
    <div
      className="chat"
      ref={scroller}
      onScroll={onScroll}
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={t('chat.label')}
      tabIndex={0}
      data-testid="chat-log"
    >
      {timeline.items.length === 0 ? <p className="chat__empty">{t('chat.empty')}</p> : null}
      <ol className="chat__list">
        {timeline.items.map((item) => (
          <ChatItem key={item.key} item={item} timeline={timeline} senderName={senderName} register={register} {...{ onRetry, onReply, onOpenList }} />
        ))}
      </ol>
    </div>
  );
}

function ChatItem({
  item,
  timeline,
  senderName,
  register,
  onRetry,
  onReply,
  onOpenList,
}: Omit<Props, 'timeline'> & { item: TimelineItem; timeline: Timeline; register: ReturnType<typeof useVisibleIds>[1] }): ReactNode {
  if (item.kind === 'out') {
    const { message } = item;
    const quoteId = message.content.type === 'interactive' ? message.content.context.id : undefined;
    return (
      <UserBubble
        message={message}
        quote={quoteId === undefined ? undefined : timeline.snippets.get(quoteId)}
        reaction={message.waMessageId === undefined ? undefined : timeline.reactions.get(message.waMessageId)}
        onRetry={onRetry}
      />
    );
  }
  const { message } = item;
  return (
    <BusinessBubble
      message={message}
      senderName={senderName}
      quote={message.replyToId === undefined ? undefined : timeline.snippets.get(message.replyToId)}
      reaction={timeline.reactions.get(message.id)}
      register={register}
      onReply={onReply}
      onOpenList={onOpenList}
    />
  );
}
