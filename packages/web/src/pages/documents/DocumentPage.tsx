import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { useEffect, useState } from 'react';
import { changeDocument, type DocumentSummary, fetchDocument } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { ApiError } from '../../api/http.ts';
import { PatientOnly } from '../../components/PatientOnly.tsx';
import { useI18n, useT } from '../../i18n/i18n.tsx';
import { ConfidentialityToggle } from './ConfidentialityToggle.tsx';
import { DocumentOrganiser } from './DocumentOrganiser.tsx';
import { DocumentViewer } from './DocumentViewer.tsx';
import { authorLabel, dateLabel, formatLabel, sizeLabel } from './document-labels.ts';
import { DOCUMENTS_PATH } from './list-filter.ts';
import { usePlaces, useSessionExpiry } from './use-documents.ts';

/** One document: what it is, its content, who sees it, and where the holder keeps it. */
export function DocumentPage({ documentId }: { documentId: string }) {
  const t = useT();
  const [title, setTitle] = useState<string | undefined>();
  return (
    <>
      <Breadcrumb
        className="fr-mt-0"
        homeLinkProps={{ href: '/' }}
        segments={[{ label: t.sections.documents, linkProps: { href: DOCUMENTS_PATH } }]}
        currentPageLabel={title ?? t.documents.details.metadata}
      />
      <PatientOnly title={title ?? t.sections.documents} intro="">
        {(patientId) => <Document patientId={patientId} documentId={documentId} onTitle={setTitle} />}
      </PatientOnly>
    </>
  );
}

function Document(props: { patientId: string; documentId: string; onTitle(title: string): void }) {
  const { t } = useI18n();
  const expired = useSessionExpiry();
  const { patientId, documentId, onTitle } = props;
  const [document, setDocument] = useState<DocumentSummary | undefined>();
  const [error, setError] = useState<unknown>();
  const places = usePlaces(patientId);

  useEffect(() => {
    let live = true;
    fetchDocument(patientId, documentId)
      .then(async (found) => {
        // Opening a document reads it: the "Nouveau" marker goes.
        const shown = found.unread ? await changeDocument(patientId, documentId, { read: true }) : found;
        if (live) setDocument(shown);
      })
      .catch((caught: unknown) => {
        if (!live) return;
        setError(caught);
        expired(caught);
      });
    return () => {
      live = false;
    };
  }, [patientId, documentId, expired]);

  useEffect(() => {
    if (document !== undefined) onTitle(document.title);
  }, [document, onTitle]);

  if (error !== undefined) {
    const text = error instanceof ApiError && error.status === 404 ? t.documents.notFound : errorText(t, error);
    return <Alert severity="error" small role="alert" description={text} />;
  }
  if (document === undefined) return <p role="status">{t.documents.loading}</p>;
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-lg-8">
        <DocumentViewer patientId={patientId} document={document} />
      </div>
      <div className="fr-col-12 fr-col-lg-4">
        <Metadata document={document} folderName={places.folders.find((f) => f.id === document.folderId)?.name} stayLabel={places.stays.find((s) => s.id === document.stayId)?.label} />
        <ConfidentialityToggle patientId={patientId} document={document} onChanged={setDocument} />
        <DocumentOrganiser patientId={patientId} document={document} folders={places.folders} stays={places.stays} onChanged={setDocument} />
      </div>
    </div>
  );
}

function Metadata({ document, folderName, stayLabel }: { document: DocumentSummary; folderName: string | undefined; stayLabel: string | undefined }) {
  const { t, lang } = useI18n();
  const d = t.documents;
  const rows: [string, string][] = [
    [d.details.type, document.type.display],
    [d.details.category, d.categories[document.category]],
    [d.details.author, authorLabel(d, document)],
    ...(document.organization === null ? [] : [[d.details.organization, document.organization] as [string, string]]),
    [d.details.date, dateLabel(lang, document.date)],
    [d.details.filedAt, dateLabel(lang, document.filedAt)],
    [d.details.format, `${formatLabel(d, document.contentType)} – ${sizeLabel(d, lang, document.size)}`],
    [d.details.folder, folderName ?? d.details.none],
    [d.details.stay, stayLabel ?? d.details.none],
  ];
  return (
    <section className="fr-mb-4w" aria-labelledby="document-metadata-title">
      <h2 id="document-metadata-title" className="fr-h4">
        {d.details.metadata}
      </h2>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term} className="fr-mb-1w">
            <dt className="fr-text--bold fr-mb-0">{term}</dt>
            <dd className="fr-ml-0">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
