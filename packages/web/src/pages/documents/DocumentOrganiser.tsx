import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useState } from 'react';
import {
  changeDocument,
  deleteDocument,
  type DocumentChange,
  type DocumentFolder,
  type DocumentSummary,
  type HospitalStay,
} from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { useT } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { RenameForm } from './RenameForm.tsx';
import { fill } from './document-labels.ts';
import { DOCUMENTS_PATH } from './list-filter.ts';

/**
 * Where the holder keeps the document (folder, stay, pin, read mark), and for a document they
 * added, its title, category and deletion. A professional's document keeps its author's title.
 */
export function DocumentOrganiser(props: {
  patientId: string;
  document: DocumentSummary;
  folders: DocumentFolder[];
  stays: HospitalStay[];
  onChanged(document: DocumentSummary): void;
}) {
  const t = useT();
  const a = t.documents.actions;
  const { document, patientId } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [renaming, setRenaming] = useState(false);

  function apply(change: DocumentChange) {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    changeDocument(patientId, document.id, change)
      .then((changed) => {
        props.onChanged(changed);
        setMessage(a.saved);
        setRenaming(false);
      })
      .catch((caught: unknown) => setError(errorText(t, caught)))
      .finally(() => setBusy(false));
  }

  return (
    <section className="fr-mb-4w" aria-labelledby="document-actions-title">
      <h2 id="document-actions-title" className="fr-h4">
        {a.title}
      </h2>
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <Button priority="secondary" disabled={busy} onClick={() => apply({ pinned: !document.pinned })}>
            {document.pinned ? a.unpin : a.pin}
          </Button>
        </li>
        <li>
          <Button priority="tertiary" disabled={busy || document.unread} onClick={() => apply({ read: false })}>
            {a.markUnread}
          </Button>
        </li>
      </ul>
      <Select
        label={a.moveLabel}
        disabled={busy}
        nativeSelectProps={{
          value: document.folderId ?? '',
          onChange: (event) => apply({ folderId: event.target.value === '' ? null : event.target.value }),
        }}
      >
        <option value="">{a.noFolder}</option>
        {props.folders.map((folder) => (
          <option key={folder.id} value={folder.id}>
            {folder.name}
          </option>
        ))}
      </Select>
      <Select
        label={a.stayLabel}
        disabled={busy}
        nativeSelectProps={{
          value: document.stayId ?? '',
          onChange: (event) => apply({ stayId: event.target.value === '' ? null : event.target.value }),
        }}
      >
        <option value="">{a.noStay}</option>
        {props.stays.map((stay) => (
          <option key={stay.id} value={stay.id}>
            {stay.label}
          </option>
        ))}
      </Select>
      {document.addedByPatient ? (
        <>
          {renaming ? (
            <RenameForm document={document} busy={busy} onSubmit={apply} onCancel={() => setRenaming(false)} />
          ) : (
            <Button priority="tertiary" iconId="fr-icon-edit-line" className="fr-mr-2w" onClick={() => setRenaming(true)}>
              {a.rename}
            </Button>
          )}
          <ConfirmButton
            label={a.delete}
            question={fill(a.deleteConfirm, { title: document.title })}
            disabled={busy}
            onConfirm={() => {
              deleteDocument(patientId, document.id)
                .then(() => navigate(DOCUMENTS_PATH))
                .catch((caught: unknown) => setError(errorText(t, caught)));
            }}
          />
        </>
      ) : (
        <p className="fr-text--sm">{a.onlyOwn}</p>
      )}
      <p role="status" className="fr-text--sm">
        {message}
      </p>
      {error !== undefined && <Alert severity="error" small role="alert" description={error} />}
    </section>
  );
}
