import type { ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useDraft } from '../drafts';
import { useT, type Translate } from '../i18n';
import type { ComposerState } from './composer-api';
import { useComposerState, useSendMessage } from './composer-queries';
import { formatDuration } from './format';
import type { ConversationSummary } from './inbox-api';
import { NoteBox } from './note-box';
import { ReplyBox, SendOutcome } from './reply-box';
import { TemplatePicker } from './template-picker';
import { useNow } from './use-now';

type Mode = 'reply' | 'note';

/**
 * The composer under a conversation. It says what may be sent BEFORE anything is typed: inside WhatsApp's 24-hour
 * window free text (and approved content, canned answers); outside it only approved templates, with a form for
 * their variables; nothing at all while the conversation is not yours. Internal notes are a separate, visibly
 * different tab and never leave Parley. Every draft survives an ended session (drafts.ts).
 */
export function Composer({ row }: { row: ConversationSummary }): ReactNode {
  const t = useT();
  const [mode, setMode] = useDraft<Mode>(`inbox.mode.${row.id}`, 'reply');
  const state = useComposerState(row);
  return (
    <section className={`composer-box composer-box--${mode}`} data-testid="composer" data-mode={mode} data-free-text={state.data ? String(state.data.canSend && state.data.freeText) : undefined}>
      <div className="composer-box__tabs" role="tablist" aria-label={t('ic.mode.label')}>
        {(['reply', 'note'] as const).map((candidate) => (
          <button key={candidate} type="button" role="tab" aria-selected={mode === candidate} className="composer-tab" data-testid={`composer-mode-${candidate}`} onClick={() => setMode(candidate)}>
            {t(candidate === 'reply' ? 'ic.mode.reply' : 'ic.mode.note')}
          </button>
        ))}
      </div>
      {mode === 'note' ? (
        <NoteBox conversationId={row.id} />
      ) : state.error && !state.data ? (
        <p className="inline-notice inline-notice--error" role="alert">
          {t('ic.picker.error', { message: state.error instanceof ApiError ? state.error.message : String(state.error) })}
        </p>
      ) : !state.data ? (
        <p className="composer-box__note" role="status">
          {t('state.loading')}
        </p>
      ) : (
        <ReplyArea row={row} state={state.data} />
      )}
    </section>
  );
}

function ReplyArea({ row, state }: { row: ConversationSummary; state: ComposerState }): ReactNode {
  const t = useT();
  const send = useSendMessage(row.id);
  if (!state.canSend) {
    return (
      <p className="composer-box__note" data-testid="composer-cannot" role="status">
        {cannotSendText(row, state, t)}
      </p>
    );
  }
  return (
    <>
      <WindowBanner row={row} state={state} />
      {state.freeText ? <ReplyBox row={row} language={state.language} send={send} /> : <TemplatePicker row={row} templates={state.templates} send={send} />}
      <SendOutcome send={send} />
    </>
  );
}

/** The 24-hour window in words, shown before the agent types: how long it stays open, or that only templates may go. */
function WindowBanner({ row, state }: { row: ConversationSummary; state: ComposerState }): ReactNode {
  const t = useT();
  const now = useNow(30_000);
  const name = row.contact.name ?? `+${row.contact.address}`;
  let text: string;
  if (state.window.open) {
    const left = state.window.closesAt ? (Date.parse(state.window.closesAt) - now) / 1000 : null;
    text = left === null ? t('ic.window.none') : t('ic.window.open', { time: formatDuration(Math.max(0, left), t) });
  } else if (row.lastInboundAt) {
    text = t('ic.window.closed', { name, ago: formatDuration((now - Date.parse(row.lastInboundAt)) / 1000, t) });
  } else {
    text = t('ic.window.never');
  }
  return (
    <p className={`composer-window composer-window--${state.window.open ? 'open' : 'closed'}`} role="status" data-testid="composer-window" data-open={String(state.window.open)}>
      {text}
    </p>
  );
}

function cannotSendText(row: ConversationSummary, state: ComposerState, t: Translate): string {
  if (state.notices.includes('send.restricted')) {
    return t('ic.blocked', { reason: t('gate.send.restricted') });
  }
  if (state.notices.includes('conversation.not_owner')) {
    return t('ic.notYours', { name: row.assignee?.name ?? t('inbox.someone') });
  }
  return row.state === 'resolved' ? t('ic.resolvedHint') : t('ic.takeFirst');
}
