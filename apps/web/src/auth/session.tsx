import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSessionEnded } from './api-client';
import { fetchSession, signOut as requestSignOut, type SessionUser } from './auth-api';

/** Who uses the app: still asking, nobody (`ended`: a session ran out or was ended elsewhere), or a signed-in user. */
export type SessionState = { status: 'loading' } | { status: 'signed-out'; ended: boolean } | { status: 'signed-in'; user: SessionUser };

type SessionValue = {
  session: SessionState;
  /** After a successful sign-in. */
  signedIn: (user: SessionUser) => void;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<SessionValue>({ session: { status: 'loading' }, signedIn: () => undefined, signOut: async () => undefined });

/**
 * Holds the session for the tree below: asks the server once at start, and switches to "signed out, session ended"
 * when any API call answers 401 — the pages then show the sign-in form in place, and their drafts stay (drafts.ts).
 */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchSession(controller.signal)
      .then((user) => setSession(user ? { status: 'signed-in', user } : { status: 'signed-out', ended: false }))
      .catch(() => {
        if (!controller.signal.aborted) {
          setSession({ status: 'signed-out', ended: false });
        }
      });
    const stop = onSessionEnded(() => setSession({ status: 'signed-out', ended: true }));
    return () => {
      controller.abort();
      stop();
    };
  }, []);

  const signedIn = useCallback((user: SessionUser) => setSession({ status: 'signed-in', user }), []);
  const signOut = useCallback(async () => {
    await requestSignOut();
    setSession({ status: 'signed-out', ended: false });
  }, []);
  const value = useMemo(() => ({ session, signedIn, signOut }), [session, signedIn, signOut]);
  return createElement(SessionContext.Provider, { value }, children);
}

/** The session and what can be done with it. */
export function useSession(): SessionValue {
  return useContext(SessionContext);
}

/** The signed-in user, or null. */
export function useCurrentUser(): SessionUser | null {
  const { session } = useSession();
  return session.status === 'signed-in' ? session.user : null;
}
