import { useId, type FormEvent, type ReactNode } from 'react';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import type { ComposerTemplate } from './composer-api';
import type { SendMutation } from './composer-queries';
import type { ConversationSummary } from './inbox-api';
import { fillPreview, missingInputs, templateInputs, toTemplateParams, type TemplateValues } from './template-values';

type Draft = { template: string; values: TemplateValues };

const keyOf = (template: Pick<ComposerTemplate, 'name' | 'language'>) => `${template.name}|${template.language}`;

/**
 * Outside the window: only approved templates. The agent picks one, fills in its variables in a form, sees the
 * message as the contact will read it, and sends it.
 */
export function TemplatePicker({ row, templates, send }: { row: ConversationSummary; templates: ComposerTemplate[]; send: SendMutation }): ReactNode {
  const t = useT();
  const ids = { select: useId(), preview: useId() };
  const [draft, setDraft, clearDraft] = useDraft<Draft>(`inbox.template.${row.id}`, { template: templates.length === 1 && templates[0] ? keyOf(templates[0]) : '', values: {} });
  const chosen = templates.find((candidate) => keyOf(candidate) === draft.template);
  const missing = chosen ? missingInputs(chosen, draft.values) : [];

  if (templates.length === 0) {
    return (
      <p className="composer-box__note" data-testid="templates-none">
        {t('ic.templates.none')}
      </p>
    );
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!chosen || missing.length > 0) {
      return;
    }
    send.mutate({ kind: 'template', name: chosen.name, language: chosen.language, params: toTemplateParams(chosen, draft.values) }, { onSuccess: clearDraft });
  };
  return (
    <form className="template-form" onSubmit={onSubmit} data-testid="template-form">
      <p className="template-form__title">{t('ic.templates.title')}</p>
      <div className="field">
        <label htmlFor={ids.select}>{t('ic.templates.choose')}</label>
        <select id={ids.select} value={draft.template} data-testid="template-select" onChange={(e) => setDraft({ template: e.target.value, values: {} })}>
          <option value="">{t('inbox.transfer.choose')}</option>
          {templates.map((template) => (
            <option key={keyOf(template)} value={keyOf(template)}>
              {`${template.name} · ${t('ic.templates.category', { category: template.category, language: template.language })}`}
            </option>
          ))}
        </select>
      </div>
      {chosen ? (
        <>
          {templateInputs(chosen).map((input) => (
            <TemplateInputField key={input.id} id={input.id} placeholder={input.placeholder} value={draft.values[input.id] ?? ''} onChange={(value) => setDraft({ ...draft, values: { ...draft.values, [input.id]: value } })} />
          ))}
          <div className="template-form__preview">
            <p id={ids.preview} className="template-form__preview-label">
              {t('ic.templates.preview')}
            </p>
            <p className="hist-text" aria-labelledby={ids.preview} data-testid="template-preview">
              {fillPreview(chosen, draft.values)}
            </p>
          </div>
          {missing.length > 0 ? <p className="field__hint">{t('ic.templates.missing')}</p> : null}
        </>
      ) : null}
      <div className="reply__bar">
        <span />
        <button type="submit" className="button" disabled={!chosen || missing.length > 0 || send.isPending} data-testid="template-send">
          {send.isPending ? t('ic.sending') : t('ic.templates.send')}
        </button>
      </div>
    </form>
  );
}

function TemplateInputField({ id, placeholder, value, onChange }: { id: string; placeholder: string; value: string; onChange: (value: string) => void }): ReactNode {
  const t = useT();
  const inputId = useId();
  return (
    <div className="field">
      <label htmlFor={inputId}>{t('ic.templates.variable', { variable: placeholder })}</label>
      <input id={inputId} value={value} maxLength={2000} data-testid={`template-field-${id}`} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
