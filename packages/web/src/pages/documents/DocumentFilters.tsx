import { SideMenu, type SideMenuProps } from '@codegouvfr/react-dsfr/SideMenu';
import { DOCUMENT_CATEGORIES, type DocumentCategory, type DocumentFolder, type HospitalStay } from '../../api/documents.ts';
import { useT } from '../../i18n/i18n.tsx';
import { NewFolderForm } from './NewFolderForm.tsx';
import { StaysPanel } from './StaysPanel.tsx';
import { fill } from './document-labels.ts';
import { type ListFilter, listHref } from './list-filter.ts';

/**
 * The ways to narrow the list: every document, the pinned ones, a category (with how many it
 * holds), a folder, a hospital stay. A search in progress is kept across category changes.
 */
export function DocumentFilters(props: {
  filter: ListFilter;
  counts: Record<DocumentCategory, number> | undefined;
  folders: DocumentFolder[];
  stays: HospitalStay[];
  patientId: string;
  onPlacesChanged(): void;
}) {
  const t = useT();
  const d = t.documents;
  const { filter, counts } = props;
  const search = filter.q === undefined ? {} : { q: filter.q };
  const only = (f: ListFilter) => Object.keys(f).filter((k) => k !== 'q').length;
  const withCount = (label: string, count: number | undefined) => (count === undefined ? label : fill(d.withCount, { label, count }));
  const total = counts === undefined ? undefined : Object.values(counts).reduce((a, b) => a + b, 0);

  const items: SideMenuProps.Item[] = [
    { text: withCount(d.all, total), linkProps: { href: listHref(search) }, isActive: only(filter) === 0 },
    { text: d.pinned, linkProps: { href: listHref({ ...search, pinned: true }) }, isActive: filter.pinned === true },
    {
      text: d.categoriesTitle,
      expandedByDefault: true,
      isActive: filter.category !== undefined,
      items: DOCUMENT_CATEGORIES.map((category) => ({
        text: withCount(d.categories[category], counts?.[category]),
        linkProps: { href: listHref({ ...search, category }) },
        isActive: filter.category === category,
      })),
    },
  ];

  return (
    <>
      <SideMenu title={d.filtersTitle} burgerMenuButtonText={d.filtersTitle} items={items} className="fr-mb-3w" />
      {/* Folders and stays come after the first render: a menu of their own each, with no
          collapsed group that the design system's script would have to open. */}
      {props.folders.length > 0 && (
        <SideMenu
          title={d.folders.title}
          burgerMenuButtonText={d.folders.title}
          className="fr-mb-3w"
          items={props.folders.map((folder) => ({
            text: withCount(folder.name, folder.documentCount),
            linkProps: { href: listHref({ folder: folder.id }) },
            isActive: filter.folder === folder.id,
          }))}
        />
      )}
      {props.stays.length > 0 && (
        <SideMenu
          title={d.stays.title}
          burgerMenuButtonText={d.stays.title}
          className="fr-mb-3w"
          items={props.stays.map((stay) => ({
            text: withCount(stay.label, stay.documentCount),
            linkProps: { href: listHref({ stay: stay.id }) },
            isActive: filter.stay === stay.id,
          }))}
        />
      )}
      <NewFolderForm patientId={props.patientId} onCreated={props.onPlacesChanged} />
      <StaysPanel patientId={props.patientId} stays={props.stays} onChanged={props.onPlacesChanged} />
    </>
  );
}
