import type { MouseEvent, ReactNode } from 'react';
import { hasRole } from './auth/auth-api';
import { useSession } from './auth/session';
import { languages, useLanguage, useT } from './i18n';
import { navigate, PATHS, usePath } from './router';

/** The top bar: the Parley name, the current section, the sections this person may use, the session and the language. */
export function AppHeader({ section }: { section: string }): ReactNode {
  const t = useT();
  const links = useNavLinks();
  // When the navigation already marks the current section, the heading would say it twice: screen readers only.
  const named = links.some((link) => link.current);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">
          P
        </span>
        <span className="brand__name">{t('app.name')}</span>
        <h1 className={named ? 'brand__section visually-hidden' : 'brand__section'}>{section}</h1>
      </div>
      <Navigation links={links} />
      <div className="header-tools">
        <SessionMenu />
        <LanguageSwitcher />
      </div>
    </header>
  );
}

type NavLink = { path: string; label: string; testId: string; current: boolean };

/** The sections this person may use; a section the person's roles do not allow is not offered at all. */
function useNavLinks(): NavLink[] {
  const t = useT();
  const { session } = useSession();
  const path = usePath();
  const user = session.status === 'signed-in' ? session.user : null;
  const links: Array<Omit<NavLink, 'current'>> = [{ path: PATHS.simulator, label: t('nav.simulator'), testId: 'nav-simulator' }];
  if (hasRole(user, 'admin', 'agent')) {
    links.push({ path: PATHS.inbox, label: t('nav.inbox'), testId: 'nav-inbox' });
  }
  if (hasRole(user, 'admin')) {
    links.push({ path: PATHS.users, label: t('nav.users'), testId: 'nav-users' });
    links.push({ path: PATHS.queues, label: t('nav.queues'), testId: 'nav-queues' });
  }
  if (hasRole(user, 'admin', 'compliance')) {
    links.push({ path: PATHS.privacy, label: t('nav.privacy'), testId: 'nav-privacy' });
  }
  return links.map((link) => ({ ...link, current: path === link.path || path.startsWith(`${link.path}/`) }));
}

/** Links to the sections. */
function Navigation({ links }: { links: NavLink[] }): ReactNode {
  const t = useT();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {links.map((link) => (
        <AppLink key={link.path} to={link.path} className="nav__link" current={link.current} testId={link.testId}>
          {link.label}
        </AppLink>
      ))}
    </nav>
  );
}

function SessionMenu(): ReactNode {
  const t = useT();
  const { session, signOut } = useSession();
  if (session.status === 'loading') {
    return null;
  }
  if (session.status === 'signed-out') {
    return (
      <AppLink to={PATHS.login} className="button button--quiet" testId="sign-in-link">
        {t('session.signIn')}
      </AppLink>
    );
  }
  return (
    <div className="session">
      <span className="session__who" data-testid="signed-in-as">
        {t('session.signedInAs', { name: session.user.name })}
      </span>
      <button
        type="button"
        className="button button--quiet"
        data-testid="sign-out"
        onClick={() => {
          void signOut().then(() => navigate(PATHS.login));
        }}
      >
        {t('session.signOut')}
      </button>
    </div>
  );
}

/** A link that changes the page without reloading it (the session, drafts and the simulator's chat stay). */
export function AppLink({ to, className, current, testId, children }: { to: string; className: string; current?: boolean; testId: string; children: ReactNode }): ReactNode {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} className={className} aria-current={current ? 'page' : undefined} data-testid={testId} onClick={onClick}>
      {children}
    </a>
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
