import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useT, type MessageKey } from '../i18n';
import { PinIcon, PlusIcon, SendIcon } from './icons';

type Props = { onSendText: (text: string) => void; onOpenLocation: () => void };

const chips: readonly MessageKey[] = ['chip.menu', 'chip.help', 'chip.agent'];
// WhatsApp's limit for a text body (providers.md §2.2).
const maxLength = 4096;

/** Quick chips, the "more" menu, the text field (Enter sends, Shift+Enter breaks the line) and the send button. */
export function Composer({ onSendText, onOpenLocation }: Props): ReactNode {
  const t = useT();
  const inputId = useId();
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);

  const submit = (): void => {
    const body = text.trim();
    if (body === '') {
      return;
    }
    onSendText(body);
    setText('');
    input.current?.focus();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <div className="chips" role="group" aria-label={t('composer.chips')}>
        {chips.map((key) => (
          <button key={key} type="button" className="chip" data-testid="phone-chip" onClick={() => onSendText(t(key))}>
            {t(key)}
          </button>
        ))}
      </div>
      <div className="composer__row">
        <MoreMenu onOpenLocation={onOpenLocation} />
        <label className="visually-hidden" htmlFor={inputId}>
          {t('composer.label')}
        </label>
        <textarea
          id={inputId}
          ref={input}
          className="composer__input"
          data-testid="phone-composer-input"
          rows={1}
          maxLength={maxLength}
          placeholder={t('composer.placeholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="composer__send" data-testid="phone-send" aria-label={t('composer.send')} disabled={text.trim() === ''}>
          <SendIcon />
        </button>
      </div>
    </form>
  );
}

function MoreMenu({ onOpenLocation }: { onOpenLocation: () => void }): ReactNode {
  const t = useT();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const firstItem = useRef<HTMLButtonElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) {
      firstItem.current?.focus();
    }
  }, [open]);

  const close = (): void => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    // Focus leaving the menu (Tab, a click elsewhere) closes it, like a native menu.
    <div
      className="more"
      onBlur={(event) => {
        if (open && !event.currentTarget.contains(event.relatedTarget)) {
          setOpen(false);
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="icon-button"
        aria-label={t('composer.more')}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="phone-more"
        onClick={() => setOpen(!open)}
      >
        <PlusIcon />
      </button>
      {open ? (
        <div id={menuId} className="more__menu" role="menu" onKeyDown={(event) => (event.key === 'Escape' ? close() : undefined)}>
          <button
            ref={firstItem}
            type="button"
            role="menuitem"
            className="more__item"
            data-testid="phone-send-location"
            onClick={() => {
              setOpen(false);
              onOpenLocation();
            }}
          >
            <PinIcon /> {t('location.open')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
