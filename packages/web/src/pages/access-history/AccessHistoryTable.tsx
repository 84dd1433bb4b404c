import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useEffect, useRef } from 'react';
import { DataTable } from '../../components/DataTable.tsx';
import type { AccessEntry } from '../../api/access-history.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { actionLabel, actorLabel, onBehalfOfLabel, purposeLabel } from './entry-labels.ts';

/**
 * The entries, newest first. `focusSeq` names the first entry of a page just loaded: focus moves
 * there, so that keyboard and screen reader users carry on reading where the new entries begin.
 */
export function AccessHistoryTable({ entries, focusSeq }: { entries: AccessEntry[]; focusSeq: number | undefined }) {
  const { t, lang } = useI18n();
  const h = t.accessHistory;
  const focusRow = useRef<HTMLTableRowElement>(null);
  // French time, wherever the browser is: Carnet's users and their carers live by it.
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Paris' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'Europe/Paris' });

  useEffect(() => {
    if (focusSeq !== undefined) focusRow.current?.focus();
  }, [focusSeq]);

  return (
    <DataTable caption={h.caption} columns={[h.columns.when, h.columns.who, h.columns.what, h.columns.why, h.columns.outcome]}>
      {entries.map((entry) => (
        <tr
          key={entry.seq}
          data-seq={entry.seq}
          data-actor-type={entry.actor.type}
          {...(entry.seq === focusSeq ? { ref: focusRow, tabIndex: -1 } : {})}
        >
          <td>
            <time dateTime={entry.occurredAt}>
              {date.format(new Date(entry.occurredAt))}
              <br />
              {time.format(new Date(entry.occurredAt))}
            </time>
          </td>
          <td>
            {actorLabel(h, entry.actor)}
            {entry.actor.organization !== undefined && (
              <span className="fr-text--sm fr-mb-0 fr-hint-text">{entry.actor.organization}</span>
            )}
            {entry.onBehalfOf !== null && (
              <span className="fr-text--sm fr-mb-0 fr-hint-text">{onBehalfOfLabel(h, entry.onBehalfOf)}</span>
            )}
          </td>
          <td>{actionLabel(h, entry.action)}</td>
          <td>{purposeLabel(h, entry.purpose)}</td>
          <td>
            <Badge severity={entry.outcome === 'permit' ? 'success' : 'error'} small as="span">
              {h.outcomes[entry.outcome]}
            </Badge>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
