import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, setCsrfToken } from '../api/client.ts';
import type { Session, SessionUser } from '../api/types.ts';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; unreachable: boolean }
  | { status: 'signed-in'; user: SessionUser };

type SessionApi = {
  state: SessionState;
  /** Throws ApiError so the log-in page can tell a refusal, a code to enter and the rate limit apart. */
  login: (username: string, password: string, totpCode?: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** Reads the session again (after enrolling a second factor, which lifts its limit). */
  refresh: () => Promise<void>;
};

const SessionContext = createContext<SessionApi | null>(null);

type SessionProviderProps = { children: ReactNode };

export function SessionProvider({ children }: SessionProviderProps) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', user: session.user });
    return session.user;
  }, []);

  useEffect(() => {
    let live = true;
    api.me().then(
      (session) => {
        if (live) accept(session);
      },
      (error: unknown) => {
        if (!live) return;
        setCsrfToken(null);
        const unreachable = !(error instanceof ApiError) || error.status >= 500;
        setState({ status: 'signed-out', unreachable });
      },
    );
    return () => {
      live = false;
    };
  }, [accept]);

  const login = useCallback(
    async (username: string, password: string, totpCode?: string) =>
      accept(await api.login(username, password, totpCode)),
    [accept],
  );

  const refresh = useCallback(async () => {
    accept(await api.me());
  }, [accept]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setCsrfToken(null);
      setState({ status: 'signed-out', unreachable: false });
    }
  }, []);

  return (
    <SessionContext.Provider value={{ state, login, logout, refresh }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside SessionProvider');
  return value;
}
