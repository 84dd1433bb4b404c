import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useEffect, useRef } from 'react';
import type { DocumentSummary } from '../../api/documents.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { authorLabel, dateLabel } from './document-labels.ts';
import { documentHref } from './list-filter.ts';

/**
 * The documents, newest first: title (with "Nouveau" until opened), category, author and
 * organisation, date. `focusId` names the first document of a page just loaded: focus moves there.
 */
export function DocumentTable({ documents, focusId }: { documents: DocumentSummary[]; focusId: string | undefined }) {
  const { t, lang } = useI18n();
  const d = t.documents;
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (focusId !== undefined) body.current?.querySelector<HTMLElement>(`[data-document-id="${CSS.escape(focusId)}"] a`)?.focus();
  }, [focusId]);

  return (
    <div ref={body}>
      <DataTable caption={d.caption} columns={[d.columns.document, d.columns.category, d.columns.author, d.columns.date]}>
        {documents.map((document) => (
          <tr key={document.id} data-document-id={document.id} data-unread={document.unread}>
            <td className="fr-cell--multiline">
              <Link href={documentHref(document.id)}>
                {document.unread ? <strong>{document.title}</strong> : document.title}
                {document.unread && <span className="fr-sr-only"> ({d.unreadHint})</span>}
              </Link>
              <span className="fr-text--xs fr-mb-0 fr-hint-text">{document.type.display}</span>
              {(document.unread || document.pinned || document.masked) && (
                <ul className="fr-badges-group fr-mt-1v">
                  {document.unread && (
                    <li>
                      <Badge severity="new" small as="span">
                        {d.unread}
                      </Badge>
                    </li>
                  )}
                  {document.pinned && (
                    <li>
                      <Badge small as="span">
                        {d.pinnedBadge}
                      </Badge>
                    </li>
                  )}
                  {document.masked && (
                    <li>
                      <Badge severity="warning" small as="span">
                        {d.maskedBadge}
                      </Badge>
                    </li>
                  )}
                </ul>
              )}
            </td>
            <td className="fr-cell--multiline">{d.categories[document.category]}</td>
            <td className="fr-cell--multiline">
              {authorLabel(d, document)}
              {document.organization !== null && document.author?.kind !== 'organization' && (
                <span className="fr-text--sm fr-mb-0 fr-hint-text">{document.organization}</span>
              )}
            </td>
            <td>
              <time dateTime={document.date}>{dateLabel(lang, document.date)}</time>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
