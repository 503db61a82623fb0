import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import { useAddNote } from './composer-queries';
import { describeRefusal } from './refusal';

/** An internal note for the team: yellow, labelled, stored in the history and never sent to the contact. */
export function NoteBox({ conversationId }: { conversationId: string }): ReactNode {
  const t = useT();
  const inputId = useId();
  const hintId = useId();
  const [text, setText, clearText] = useDraft(`inbox.note.${conversationId}`, '');
  const [saved, setSaved] = useState(false);
  const add = useAddNote(conversationId);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!text.trim()) {
      return;
    }
    setSaved(false);
    add.mutate(text.trim(), {
      onSuccess: () => {
        clearText();
        setSaved(true);
      },
    });
  };
  return (
    <form className="note-form" onSubmit={onSubmit} data-testid="note-form">
      <label htmlFor={inputId} className="note-form__label">
        {t('ic.note.label')}
      </label>
      <p id={hintId} className="note-form__hint">
        {t('ic.note.hint')}
      </p>
      <textarea
        id={inputId}
        className="reply__input note-form__input"
        rows={3}
        maxLength={4096}
        placeholder={t('ic.note.placeholder')}
        aria-describedby={hintId}
        value={text}
        data-testid="note-input"
        onChange={(e) => {
          setSaved(false);
          setText(e.target.value);
        }}
      />
      <div className="reply__bar">
        <span role="status" className="note-form__saved">
          {saved ? t('ic.note.saved') : ''}
        </span>
        <button type="submit" className="button" disabled={add.isPending || !text.trim()} data-testid="note-save">
          {t('ic.note.save')}
        </button>
      </div>
      {add.error ? (
        <p className="inline-notice inline-notice--error" role="alert">
          {describeRefusal(add.error, t)}
        </p>
      ) : null}
    </form>
  );
}
