import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLanguage, useT } from '../i18n';
import { getConversation, type ConversationDetail, type HistoryMessage } from './inbox-api';
import { useQueues } from './inbox-queries';
import { queueName } from './list-filters';
import { HistoryEntry } from './history-item';
import { toHistoryItems } from './history-model';

/** How close to the end (px) counts as "reading the latest": new messages then scroll into view. */
const STICK_PX = 120;

/**
 * The whole history of a conversation: the latest messages at once, older ones on request. It follows new
 * messages while the agent is at the end, and stays put while they read further up.
 */
export function History({ detail }: { detail: ConversationDetail }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const queues = useQueues().data;
  const [older, setOlder] = useState<{ messages: HistoryMessage[]; hasMore: boolean; people: Record<string, string> }>({ messages: [], hasMore: detail.hasMore, people: {} });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const messages = useMemo(() => {
    const first = detail.messages[0]?.seq ?? Number.POSITIVE_INFINITY;
    return [...older.messages.filter((m) => m.seq < first), ...detail.messages];
  }, [older.messages, detail.messages]);
  const people = useMemo(() => ({ ...older.people, ...detail.people }), [older.people, detail.people]);
  const items = useMemo(() => toHistoryItems(messages, detail.conversation, people), [messages, detail.conversation, people]);
  const names = useMemo(
    () => ({ people, queueName: (id: string) => queueName(queues?.find((q) => q.id === id), language, id) }),
    [people, queues, language],
  );
  const lastSeq = messages.at(-1)?.seq;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stick.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [lastSeq]);

  // A picture or video grows its bubble once it has loaded, after the view was put at the end: keep it there while
  // the agent reads the latest. `load` does not bubble, so listen in the capture phase.
  useEffect(() => {
    const element = scroller.current;
    if (!element) {
      return;
    }
    const keepAtEnd = () => {
      if (stick.current) {
        element.scrollTop = element.scrollHeight;
      }
    };
    element.addEventListener('load', keepAtEnd, true);
    element.addEventListener('loadedmetadata', keepAtEnd, true);
    return () => {
      element.removeEventListener('load', keepAtEnd, true);
      element.removeEventListener('loadedmetadata', keepAtEnd, true);
    };
  }, []);

  const loadOlder = async () => {
    const before = messages[0]?.seq;
    if (before === undefined) {
      return;
    }
    setLoadingOlder(true);
    try {
      const page = await getConversation(detail.conversation.id, { before, limit: 500 });
      setOlder((current) => ({ messages: [...page.messages, ...current.messages], hasMore: page.hasMore, people: { ...current.people, ...page.people } }));
    } finally {
      setLoadingOlder(false);
    }
  };
  const hasMore = older.messages.length > 0 ? older.hasMore : detail.hasMore;

  return (
    <div
      ref={scroller}
      className="hist"
      tabIndex={0}
      aria-label={t('inbox.conv.history')}
      data-testid="history"
      onScroll={(event) => {
        const element = event.currentTarget;
        stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
      }}
    >
      {hasMore ? (
        <button type="button" className="button button--quiet hist-older" disabled={loadingOlder} onClick={() => void loadOlder()}>
          {loadingOlder ? t('state.loading') : t('inbox.conv.loadOlder')}
        </button>
      ) : null}
      <ol className="hist-list">
        {items.map((item) => (
          <HistoryEntry key={item.message.id} item={item} names={names} conversationId={detail.conversation.id} />
        ))}
      </ol>
    </div>
  );
}
