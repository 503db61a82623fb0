import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { AppHeader } from './app-header';
import { UsersPage } from './admin/users-page';
import { hasRole, type Role, type SessionUser } from './auth/auth-api';
import { LoginPage } from './auth/login-page';
import { useSession } from './auth/session';
import { useLanguage, useT, type MessageKey } from './i18n';
import { inboxRoute, navigate, PATHS, usePath } from './router';
import { SimulatorScreen } from './simulator/simulator-screen';

// The inbox (and its query, virtual-list and realtime code) loads only for the people who open it.
const InboxPage = lazy(() => import('./inbox/inbox-page').then((module) => ({ default: module.InboxPage })));
// The queue page shares the inbox's queries, so it loads the same way.
const QueuesPage = lazy(() => import('./admin/queues-page').then((module) => ({ default: module.QueuesPage })));
// The data protection team's page (GDPR-17): loaded only for them.
const PrivacyPage = lazy(() => import('./admin/privacy-page').then((module) => ({ default: module.PrivacyPage })));

/**
 * The web app shell. The phone simulator needs no sign-in (it is the demo's public front); the staff pages do, and
 * show the sign-in form in their place when the session is missing or has ended — their drafts survive it.
 */
export function App(): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const path = usePath();
  const section: MessageKey =
    path === PATHS.login
      ? 'login.title'
      : path === PATHS.users
        ? 'users.title'
        : path === PATHS.queues
          ? 'queues.title'
          : path === PATHS.privacy
            ? 'privacy.title'
            : inboxRoute(path)
              ? 'inbox.title'
              : 'app.section';

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t(section)} · ${t('app.name')}`;
  }, [language, t, section]);

  return (
    <>
      <AppHeader section={t(section)} />
      <main className="app-main">
        <Page path={path} />
      </main>
    </>
  );
}

function Page({ path }: { path: string }): ReactNode {
  const { session } = useSession();
  if (path === PATHS.login) {
    if (session.status === 'signed-in') {
      return <SignedInRedirect user={session.user} />;
    }
    return session.status === 'loading' ? <Loading /> : <LoginPage ended={session.ended} />;
  }
  if (path === PATHS.users) {
    return (
      <StaffOnly allowed={['admin']} forbiddenText="forbidden.text">
        <UsersPage />
      </StaffOnly>
    );
  }
  if (path === PATHS.queues) {
    return (
      <StaffOnly allowed={['admin']} forbiddenText="forbidden.text">
        <Suspense fallback={<Loading />}>
          <QueuesPage />
        </Suspense>
      </StaffOnly>
    );
  }
  if (path === PATHS.privacy) {
    return (
      <StaffOnly allowed={['admin', 'compliance']} forbiddenText="forbidden.text">
        <Suspense fallback={<Loading />}>
          <PrivacyPage />
        </Suspense>
      </StaffOnly>
    );
  }
  const inbox = inboxRoute(path);
  if (inbox) {
    return (
      <StaffOnly allowed={['admin', 'agent']} forbiddenText="inbox.forbidden">
        <Suspense fallback={<Loading />}>
          <InboxPage conversationId={inbox.conversationId} />
        </Suspense>
      </StaffOnly>
    );
  }
  return <SimulatorScreen />;
}

/**
 * A staff page: the sign-in form in its place while nobody is signed in (or the session ended: the page's drafts
 * stay), a plain refusal for a role that may not use it.
 */
function StaffOnly({ allowed, forbiddenText, children }: { allowed: Role[]; forbiddenText: MessageKey; children: ReactNode }): ReactNode {
  const t = useT();
  const { session } = useSession();
  if (session.status === 'loading') {
    return <Loading />;
  }
  if (session.status === 'signed-out') {
    return <LoginPage ended={session.ended} />;
  }
  if (!hasRole(session.user, ...allowed)) {
    return (
      <div className="notice" data-testid="forbidden">
        <h2>{t('forbidden.title')}</h2>
        <p>{t(forbiddenText, { roles: session.user.roles.map((role) => t(`role.${role}`)).join(', ') })}</p>
      </div>
    );
  }
  return children;
}

/**
 * After signing in on the sign-in page: admins to the user administration, agents to the inbox, the compliance role
 * to the access requests, everyone else to the start.
 */
function SignedInRedirect({ user }: { user: SessionUser }): ReactNode {
  const to = hasRole(user, 'admin') ? PATHS.users : hasRole(user, 'agent') ? PATHS.inbox : hasRole(user, 'compliance') ? PATHS.privacy : PATHS.simulator;
  useEffect(() => navigate(to), [to]);
  return <Loading />;
}

function Loading(): ReactNode {
  const t = useT();
  return (
    <p className="notice" role="status">
      {t('state.loading')}
    </p>
  );
}
