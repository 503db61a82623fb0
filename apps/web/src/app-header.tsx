import type { ReactNode } from 'react';
import { languages, useLanguage, useT } from './i18n';

/** The top bar: the Parley name, the current section and the language switcher. */
export function AppHeader(): ReactNode {
  const t = useT();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">
          P
        </span>
        <span className="brand__name">{t('app.name')}</span>
        <h1 className="brand__section">{t('app.section')}</h1>
      </div>
      <LanguageSwitcher />
    </header>
  );
}

function LanguageSwitcher(): ReactNode {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  return (
    <div className="language" role="group" aria-label={t('language.label')}>
      {languages.map((candidate) => (
        <button
          key={candidate}
          type="button"
          lang={candidate}
          className="language__option"
          aria-pressed={candidate === language}
          data-testid={`language-${candidate}`}
          onClick={() => setLanguage(candidate)}
        >
          {t(`language.${candidate}`)}
        </button>
      ))}
    </div>
  );
}
