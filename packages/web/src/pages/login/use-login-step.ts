import { useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { afterLogin } from '../../session/login-return.ts';
import { useSession } from '../../session/session.tsx';

/** Runs one step of a login (a code, an enrolment); when it completes the login, lands the user. */
export function useLoginStep() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function run<T>(path: string, body?: unknown): Promise<T | undefined> {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api<T>(path, { method: 'POST', ...(body === undefined ? {} : { body }) });
      if ((res as { stage?: string } | undefined)?.stage === 'full') {
        const me = await refresh();
        navigate(me === null ? '/connexion' : afterLogin(me.kind));
      }
      setBusy(false);
      return res;
    } catch (caught) {
      setError(errorText(t, caught));
      setBusy(false);
      // The login ended on the server (too many codes, expiry): the page must show it.
      await refresh().catch(() => undefined);
      return undefined;
    }
  }

  return { busy, error, run };
}
