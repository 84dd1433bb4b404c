import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import { SettingsSubpage } from '../../components/SettingsSubpage.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { AccessHistoryTable } from './AccessHistoryTable.tsx';
import { type ActorFilter, ActorTypeFilter } from './ActorTypeFilter.tsx';
import { useAccessHistory } from './use-access-history.ts';

/** Paramètres → Historique des accès: every access to the patient's space, newest first. */
export function AccessHistoryPage() {
  const t = useT();
  return (
    <SettingsSubpage title={t.accessHistory.title} intro={t.accessHistory.lead}>
      {(patientId) => <AccessHistory patientId={patientId} />}
    </SettingsSubpage>
  );
}

function AccessHistory({ patientId }: { patientId: string }) {
  const t = useT();
  const h = t.accessHistory;
  const [filter, setFilter] = useState<ActorFilter>('all');
  const [focusSeq, setFocusSeq] = useState<number | undefined>();
  const { history, error, loadingMore, loadMore, retry } = useAccessHistory(patientId, filter === 'all' ? undefined : filter);

  function status(): string {
    if (history === undefined) return error === undefined ? h.loading : '';
    if (loadingMore) return h.loadingMore;
    const count = history.entries.length;
    if (count === 0) return filter === 'all' ? h.empty : h.emptyFiltered;
    return count === 1 ? h.shownOne : h.shownMany.replace('{count}', String(count));
  }

  return (
    <>
      <ActorTypeFilter
        value={filter}
        onChange={(next) => {
          setFocusSeq(undefined);
          setFilter(next);
        }}
      />
      <p role="status">{status()}</p>
      {error !== undefined && (
        <div className="fr-mb-3w">
          <Alert severity="error" small role="alert" description={errorText(t, error)} />
          {history === undefined && (
            <Button className="fr-mt-2w" priority="secondary" onClick={retry}>
              {h.retry}
            </Button>
          )}
        </div>
      )}
      {history !== undefined && history.entries.length > 0 && <AccessHistoryTable entries={history.entries} focusSeq={focusSeq} />}
      {history?.nextBefore != null && (
        <Button
          priority="secondary"
          onClick={() => {
            if (!loadingMore) void loadMore().then(setFocusSeq);
          }}
        >
          {h.showMore}
        </Button>
      )}
    </>
  );
}
