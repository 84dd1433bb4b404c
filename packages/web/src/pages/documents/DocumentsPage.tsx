import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { SearchBar } from '@codegouvfr/react-dsfr/SearchBar';
import { useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import type { DocumentFolder, HospitalStay } from '../../api/documents.ts';
import { PatientOnly } from '../../components/PatientOnly.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/fr.ts';
import { Link, navigate, useSearch } from '../../router.tsx';
import { DocumentFilters } from './DocumentFilters.tsx';
import { DocumentTable } from './DocumentTable.tsx';
import { FolderHeading } from './FolderHeading.tsx';
import { fill } from './document-labels.ts';
import { ADD_DOCUMENT_PATH, filterOf, type ListFilter, listHref } from './list-filter.ts';
import { useDocumentList, usePlaces } from './use-documents.ts';

/** Documents: the holder's documents by category, folder or stay, newest first, and a search. */
export function DocumentsPage() {
  const t = useT();
  return (
    <PatientOnly title={t.sections.documents} intro={t.sectionIntro.documents}>
      {(patientId) => <Documents patientId={patientId} />}
    </PatientOnly>
  );
}

function Documents({ patientId }: { patientId: string }) {
  const t = useT();
  const d = t.documents;
  const filter = filterOf(useSearch());
  const places = usePlaces(patientId);
  const { list, error, loadingMore, loadMore, reload } = useDocumentList(patientId, filter);
  const [focusId, setFocusId] = useState<string | undefined>();

  function status(): string {
    if (list === undefined) return error === undefined ? d.loading : '';
    if (loadingMore) return d.loadingMore;
    const count = list.documents.length;
    if (count === 0) return isFiltered(filter) ? d.emptyFiltered : d.empty;
    return count === 1 ? d.shownOne : fill(d.shownMany, { count });
  }

  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-md-4 fr-col-lg-3">
        <DocumentFilters
          filter={filter}
          counts={list?.counts}
          folders={places.folders}
          stays={places.stays}
          patientId={patientId}
          onPlacesChanged={places.reload}
        />
      </div>
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-9">
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-mb-2w">
          <div className="fr-col-12 fr-col-lg-8">
            <SearchBar
              key={filter.q ?? ''}
              label={d.search}
              defaultValue={filter.q ?? ''}
              allowEmptySearch
              onButtonClick={(text) => navigate(listHref({ ...filter, q: text.trim() || undefined }))}
            />
          </div>
          <div className="fr-col-12 fr-col-lg-4">
            <Link className="fr-btn fr-btn--icon-left fr-icon-add-line" href={ADD_DOCUMENT_PATH}>
              {d.add}
            </Link>
          </div>
        </div>
        <h2 className="fr-h4">{listTitle(d, filter, places.folders, places.stays)}</h2>
        {filter.folder !== undefined && (
          <FolderHeading
            patientId={patientId}
            folder={places.folders.find((f) => f.id === filter.folder)}
            onChanged={places.reload}
          />
        )}
        {filter.q !== undefined && (
          <p>
            <Link href={listHref({ ...filter, q: undefined })}>{d.clearSearch}</Link>
          </p>
        )}
        <p role="status">{status()}</p>
        {error !== undefined && (
          <div className="fr-mb-3w">
            <Alert severity="error" small role="alert" description={errorText(t, error)} />
            {list === undefined && (
              <Button className="fr-mt-2w" priority="secondary" onClick={reload}>
                {d.retry}
              </Button>
            )}
          </div>
        )}
        {list !== undefined && list.documents.length > 0 && <DocumentTable documents={list.documents} focusId={focusId} />}
        {list?.next != null && (
          <Button
            priority="secondary"
            onClick={() => {
              if (!loadingMore) void loadMore().then(setFocusId);
            }}
          >
            {d.showMore}
          </Button>
        )}
      </div>
    </div>
  );
}

const isFiltered = (filter: ListFilter) => Object.keys(filter).length > 0;

/** The heading of the list: what it shows (a category, a folder, a stay, the pinned ones, a search). */
function listTitle(d: Messages['documents'], filter: ListFilter, folders: DocumentFolder[], stays: HospitalStay[]): string {
  if (filter.q !== undefined) return fill(d.searchResultsFor, { q: filter.q });
  if (filter.folder !== undefined) return folders.find((f) => f.id === filter.folder)?.name ?? d.folders.title;
  if (filter.stay !== undefined) return stays.find((s) => s.id === filter.stay)?.label ?? d.stays.title;
  if (filter.pinned) return d.pinned;
  if (filter.category !== undefined) return d.categories[filter.category];
  return d.all;
}
