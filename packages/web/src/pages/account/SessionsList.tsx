import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { describeDevice } from './device.ts';

interface SessionItem {
  id: string;
  current: boolean;
  stage: 'full' | 'second-factor';
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
}

/** The account's live sessions (ASVS 5.0 7.5.2), each but this one with a button to end it. */
export function SessionsList() {
  const { t, lang } = useI18n();
  const [sessions, setSessions] = useState<SessionItem[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [ended, setEnded] = useState(false);
  const format = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

  const load = useCallback(async () => {
    try {
      const { sessions: list } = await api<{ sessions: SessionItem[] }>('/api/sessions');
      // This device first, then the others, newest first (as the server lists them).
      setSessions([...list.filter((s) => s.current), ...list.filter((s) => !s.current)]);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  async function end(id: string) {
    setError(undefined);
    setEnded(false);
    try {
      await api(`/api/sessions/${id}`, { method: 'DELETE' });
      setEnded(true);
      await load();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  return (
    <section className="fr-mt-6w" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t.account.sessionsTitle}</h2>
      <p>{t.account.sessionsLead}</p>
      <FormError message={error} />
      {ended && <Alert severity="success" small role="status" description={t.account.sessionEnded} className="fr-mb-3w" />}
      {sessions !== undefined && (
        <DataTable
          caption={t.account.sessionsTitle}
          columns={[t.account.device, t.account.openedAt, t.account.lastSeenAt, t.account.action]}
        >
          {sessions.map((session) => {
            const opened = format.format(new Date(session.createdAt));
            return (
              <tr key={session.id} data-session-id={session.id}>
                <td>
                  {describeDevice(session.userAgent, t.account.on) ?? t.account.unknownDevice}
                  {session.stage === 'second-factor' && (
                    <p className="fr-badge fr-badge--warning fr-badge--sm fr-mt-1w">{t.account.pending}</p>
                  )}
                </td>
                <td>{opened}</td>
                <td>{format.format(new Date(session.lastSeenAt))}</td>
                <td>
                  {session.current ? (
                    <p className="fr-badge fr-badge--info fr-badge--sm">{t.account.thisSession}</p>
                  ) : (
                    <Button
                      size="small"
                      priority="secondary"
                      onClick={() => void end(session.id)}
                      nativeButtonProps={{ 'aria-label': `${t.account.endSessionOf} ${opened}` }}
                    >
                      {t.account.endSession}
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
