import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, forgetCsrfToken } from '../api/http.ts';

export type AccountKind = 'patient' | 'professional' | 'operator';
export type SecondFactor = 'totp' | 'email';

/** GET /api/me: who is logged in. Identity only, never health data. */
export interface Me {
  stage: 'full' | 'second-factor';
  kind: AccountKind;
  methods?: SecondFactor[];
  accountId?: string;
  displayName?: string;
  email?: string;
  sessionId?: string;
  authMethods?: string[];
  patientId?: string;
  professional?: { rpps: string; professionCode: string; specialtyCode: string | null; organizationId: string | null };
}

interface SessionState {
  /** undefined while loading; null when nobody is logged in. */
  me: Me | null | undefined;
  refresh(): Promise<Me | null>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** Where each kind of account logs in, and where it lands afterwards. */
export const LOGIN_PATH: Record<AccountKind, string> = {
  patient: '/connexion',
  professional: '/pro/connexion',
  operator: '/operateur/connexion',
};
export const landingPath = (kind: AccountKind) => (kind === 'patient' ? '/' : '/compte');

/** Professionals and operators open no patient's space: the app does not offer them its pages. */
export const showsPatientSpace = (me: Me | null | undefined) => !(me?.stage === 'full' && me.kind !== 'patient');

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      const current = await api<Me>('/api/me');
      setMe(current);
      return current;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      forgetCsrfToken();
      setMe(null);
      return null;
    }
  }, []);
  const logout = useCallback(async () => {
    try {
      await api('/api/logout', { method: 'POST' });
    } finally {
      forgetCsrfToken();
      setMe(null);
    }
  }, []);
  useEffect(() => {
    void refresh().catch(() => setMe(null));
  }, [refresh]);
  const value = useMemo(() => ({ me, refresh, logout }), [me, refresh, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession must be used inside <SessionProvider>.');
  return session;
}
