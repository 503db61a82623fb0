import { useEffect, type ReactNode } from 'react';
import { AppHeader } from './app-header';
import { useLanguage, useT } from './i18n';
import { SimulatorScreen } from './simulator/simulator-screen';

/** The web app shell. For now its only screen is the phone simulator. */
export function App(): ReactNode {
  const t = useT();
  const { language } = useLanguage();

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t('app.section')} · ${t('app.name')}`;
  }, [language, t]);

  return (
    <>
      <AppHeader />
      <main className="app-main">
        <SimulatorScreen />
      </main>
    </>
  );
}
