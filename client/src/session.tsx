import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '@pingxuan/shared';
import { api, ApiError, asApiError } from './api';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me }
  | { status: 'error'; error: ApiError };

type Session = {
  state: SessionState;
  me: Me | null;
  /** After a sign-in the server answers with the user; keep it without asking again. */
  setMe: (me: Me) => void;
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

/** Asks the server who is signed in: 401 means nobody, anything else failing is shown with a retry. */
async function loadSession(): Promise<SessionState> {
  try {
    return { status: 'signed-in', me: await api.get<Me>('/auth/me') };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return { status: 'signed-out' };
    return { status: 'error', error: asApiError(err) };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    const next = await loadSession();
    setState(next);
    return next.status === 'signed-in' ? next.me : null;
  }, []);

  useEffect(() => {
    let live = true;
    void loadSession().then((next) => {
      if (live) setState(next);
    });
    return () => {
      live = false;
    };
  }, []);

  const setMe = useCallback((me: Me) => setState({ status: 'signed-in', me }), []);

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } catch (err) {
      // Already signed out (401) is fine; anything else is shown by the caller.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setState({ status: 'signed-out' });
  }, []);

  const value = useMemo<Session>(
    () => ({ state, me: state.status === 'signed-in' ? state.me : null, setMe, refresh, signOut }),
    [state, setMe, refresh, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
