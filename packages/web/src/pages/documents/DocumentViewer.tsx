import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useEffect, useState } from 'react';
import { type CdaView, contentUrl, type DocumentSummary, embeddedUrl, fetchCdaView } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { fill, formatLabel, sizeLabel } from './document-labels.ts';

const FRAME_STYLE = { width: '100%', height: '75vh', border: '1px solid var(--border-default-grey)' } as const;

/**
 * The document's content in the page. PDFs and images come from the content route (which only the
 * app may frame); plain text is shown as text. A CDA document is shown as the HTML the server
 * renders from its narrative (a whitelist renderer), and even so inside an iframe sandboxed with no
 * permission at all: no script runs, no form submits, nothing reaches the app's origin.
 */
export function DocumentViewer({ patientId, document }: { patientId: string; document: DocumentSummary }) {
  const { t, lang } = useI18n();
  const d = t.documents.details;
  const src = contentUrl(patientId, document.id);
  const frameTitle = fill(d.viewerFrameTitle, { title: document.title });
  return (
    <section className="fr-mb-4w" aria-labelledby="document-viewer-title">
      <h2 id="document-viewer-title" className="fr-h4">
        {d.viewer}
      </h2>
      {document.viewer === 'pdf' && <iframe src={src} title={frameTitle} style={FRAME_STYLE} />}
      {document.viewer === 'image' && <img src={src} alt={frameTitle} className="fr-responsive-img" />}
      {document.viewer === 'text' && <TextContent src={src} />}
      {document.viewer === 'cda' && <CdaContent patientId={patientId} documentId={document.id} title={frameTitle} />}
      {document.viewer === 'download' && <Alert severity="info" small description={d.noPreview} className="fr-mb-2w" />}
      <p className="fr-mt-2w">
        <a className="fr-link fr-link--download" href={contentUrl(patientId, document.id, true)} download>
          {d.download}
          <span className="fr-link__detail">
            {fill(d.downloadDetail, { format: formatLabel(t.documents, document.contentType), size: sizeLabel(t.documents, lang, document.size) })}
          </span>
        </a>
      </p>
    </section>
  );
}

function TextContent({ src }: { src: string }) {
  const t = useI18n().t;
  const [text, setText] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    fetch(src, { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.text() : Promise.reject(new Error(String(res.status)))))
      .then((body) => live && setText(body))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [src]);
  if (failed) return <Alert severity="error" small description={t.errors.generic} />;
  if (text === undefined) return <p role="status">{t.documents.details.loadingView}</p>;
  return (
    <pre className="fr-p-2w" style={{ whiteSpace: 'pre-wrap', background: 'var(--background-alt-grey)' }} tabIndex={0}>
      {text}
    </pre>
  );
}

function CdaContent({ patientId, documentId, title }: { patientId: string; documentId: string; title: string }) {
  const { t, lang } = useI18n();
  const [view, setView] = useState<CdaView | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    fetchCdaView(patientId, documentId)
      .then((found) => live && setView(found))
      .catch((caught: unknown) => live && setError(caught));
    return () => {
      live = false;
    };
  }, [patientId, documentId]);
  if (error !== undefined) return <Alert severity="error" small description={errorText(t, error)} />;
  if (view === undefined) return <p role="status">{t.documents.details.loadingView}</p>;
  // A level 1 CDA is a wrapper: its content is the file inside (the metadata panel has its header).
  const embedded = view.embedded;
  if (embedded?.viewer === 'pdf') return <iframe src={embeddedUrl(patientId, documentId)} title={title} style={FRAME_STYLE} />;
  if (embedded?.viewer === 'image') return <img src={embeddedUrl(patientId, documentId)} alt={title} className="fr-responsive-img" />;
  return <iframe sandbox="" srcDoc={cdaPage(view.html, lang)} title={title} style={FRAME_STYLE} />;
}

/** The rendered CDA as a page of its own, with a few readable styles (the frame inherits none). */
const cdaPage = (html: string, lang: string) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><style>
body { font-family: Marianne, Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: #161616; margin: 1rem 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; } h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; } h3 { font-size: 1.1rem; }
.cda-header dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
.cda-header dt { font-weight: 700; } .cda-header dd { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0; } caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; } th { background: #f6f6f6; }
</style></head><body>${html}</body></html>`;
