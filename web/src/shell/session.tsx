import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, setCsrfToken } from './api.ts';
import { changeLanguage, hasStoredLanguage, isLanguage } from './i18n.ts';

export interface SessionUser {
  id: string;
  username: string;
  role: string;
  borrowerId: string | null;
  displayName: string;
  preferredLanguage: string;
}

interface SessionResponse {
  user: SessionUser;
  permissions: string[];
  csrfToken: string | null;
}

export interface Session {
  /** `undefined` while the first check runs, `null` when nobody is signed in. */
  user: (SessionUser & { permissions: string[] }) | null | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Called when the server says the session has ended. */
  forget(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Session['user']>(undefined);

  const adopt = useCallback((response: SessionResponse, fromLogin: boolean) => {
    setCsrfToken(response.csrfToken);
    setUser({ ...response.user, permissions: response.permissions });
    // The profile's language applies at login unless this device has a remembered choice.
    if (fromLogin && !hasStoredLanguage() && isLanguage(response.user.preferredLanguage)) void changeLanguage(response.user.preferredLanguage, false);
  }, []);

  useEffect(() => {
    api.get<SessionResponse>('/v1/auth/session').then(
      (response) => adopt(response, false),
      () => setUser(null),
    );
  }, [adopt]);

  const session = useMemo<Session>(() => ({
    user,
    login: async (username, password) => {
      adopt(await api.post<SessionResponse>('/v1/auth/login', { username, password }), true);
    },
    logout: async () => {
      try {
        await api.post('/v1/auth/logout');
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
      setCsrfToken(null);
      setUser(null);
    },
    forget: () => {
      setCsrfToken(null);
      setUser(null);
    },
  }), [user, adopt]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider');
  return session;
}

/** The signed-in user (screens render only inside the signed-in shell). */
export function useUser(): SessionUser & { permissions: string[] } {
  const { user } = useSession();
  if (!user) throw new Error('useUser needs a signed-in user');
  return user;
}
