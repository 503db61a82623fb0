import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import type { AgentMessage } from './composer-api';
import type { SendMutation } from './composer-queries';
import type { ConversationSummary } from './inbox-api';
import { PickerPanel } from './picker-panel';
import { describeRefusal } from './refusal';

/**
 * Free text inside the window, plus approved content and canned answers. The text is a draft: a refused send, or a
 * session that ends while typing, keeps it; only a send that went through clears it.
 */
export function ReplyBox({ row, language, send }: { row: ConversationSummary; language: string; send: SendMutation }): ReactNode {
  const t = useT();
  const inputId = useId();
  const [text, setText, clearText] = useDraft(`inbox.reply.${row.id}`, '');
  const [picker, setPicker] = useState<'content' | 'canned' | null>(null);

  const submit = (message: AgentMessage, after?: () => void) => {
    send.mutate(message, {
      onSuccess: () => {
        after?.();
        setPicker(null);
      },
    });
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (text.trim()) {
      submit({ kind: 'text', text: text.trim() }, clearText);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line (as in every chat tool).
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  };

  return (
    <form className="reply" onSubmit={onSubmit} data-testid="reply-form">
      {picker ? <PickerPanel kind={picker} language={language} busy={send.isPending} onSend={(message) => submit(message)} onClose={() => setPicker(null)} /> : null}
      <label className="visually-hidden" htmlFor={inputId}>
        {t('ic.text.label', { name: row.contact.name ?? `+${row.contact.address}` })}
      </label>
      <textarea id={inputId} className="reply__input" rows={3} maxLength={4096} placeholder={t('ic.text.placeholder')} value={text} data-testid="composer-input" onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      <div className="reply__bar">
        <div className="reply__tools">
          <button type="button" className="button button--quiet" aria-pressed={picker === 'content'} data-testid="content-open" onClick={() => setPicker(picker === 'content' ? null : 'content')}>
            {t('ic.content.open')}
          </button>
          <button type="button" className="button button--quiet" aria-pressed={picker === 'canned'} data-testid="canned-open" onClick={() => setPicker(picker === 'canned' ? null : 'canned')}>
            {t('ic.canned.open')}
          </button>
        </div>
        <button type="submit" className="button" disabled={send.isPending || !text.trim()} data-testid="composer-send">
          {send.isPending ? t('ic.sending') : t('ic.send')}
        </button>
      </div>
    </form>
  );
}

/**
 * What became of the last send: sent (the ticks tell the rest), or why it was refused — the gate's reason in words,
 * and that nothing left. It stays while the composer changes (a window that closed brings the templates).
 */
export function SendOutcome({ send }: { send: SendMutation }): ReactNode {
  const t = useT();
  const { error } = send;
  if (send.isSuccess) {
    return (
      <p className="composer-box__note" role="status" data-testid="composer-sent">
        {t('ic.sent')}
      </p>
    );
  }
  if (send.isPending || !error) {
    return null;
  }
  if (error instanceof ApiError && error.status === 401) {
    return null;
  }
  const fieldErrors = error instanceof ApiError && Array.isArray(error.details?.errors) ? (error.details.errors as Array<{ message?: unknown }>) : [];
  return (
    <div className="inline-notice inline-notice--error composer-error" role="alert" data-testid="composer-error" data-code={error instanceof ApiError ? error.code : undefined}>
      <p>{describeRefusal(error, t)}</p>
      {fieldErrors.length > 0 ? (
        <ul>
          {fieldErrors.map((e, index) => (
            <li key={index}>{typeof e.message === 'string' ? e.message : ''}</li>
          ))}
        </ul>
      ) : null}
      <p>{t('ic.nothingLeft')}</p>
    </div>
  );
}
