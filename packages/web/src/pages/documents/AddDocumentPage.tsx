import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { useState } from 'react';
import { DOCUMENT_CATEGORIES, type DocumentCategory, PATIENT_UPLOAD_TYPES, uploadDocument } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { PatientOnly } from '../../components/PatientOnly.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { documentHref, DOCUMENTS_PATH } from './list-filter.ts';
import { usePlaces } from './use-documents.ts';

/** "Ajouter un document": a file of the holder's, with a title and a category, into their space. */
export function AddDocumentPage() {
  const t = useT();
  const u = t.documents.upload;
  return (
    <>
      <Breadcrumb
        className="fr-mt-0"
        homeLinkProps={{ href: '/' }}
        segments={[{ label: t.sections.documents, linkProps: { href: DOCUMENTS_PATH } }]}
        currentPageLabel={u.title}
      />
      <PatientOnly title={u.title} intro={u.lead}>
        {(patientId) => <AddDocumentForm patientId={patientId} />}
      </PatientOnly>
    </>
  );
}

type Field = 'file' | 'title' | 'category';

function AddDocumentForm({ patientId }: { patientId: string }) {
  const t = useT();
  const u = t.documents.upload;
  const { folders } = usePlaces(patientId);
  const [file, setFile] = useState<File | undefined>();
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<DocumentCategory | ''>('');
  const [folderId, setFolderId] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);

  function submit() {
    const found: Partial<Record<Field, string>> = {};
    if (file === undefined) found.file = u.missingFile;
    if (title.trim() === '') found.title = u.missingTitle;
    if (category === '') found.category = u.missingCategory;
    setProblems(found);
    setError(undefined);
    if (file === undefined || category === '' || Object.keys(found).length > 0) return;
    setSending(true);
    uploadDocument(patientId, { file, title: title.trim(), category, folderId: folderId === '' ? undefined : folderId })
      .then((added) => navigate(documentHref(added.id)))
      .catch((caught: unknown) => setError(errorText(t, caught)))
      .finally(() => setSending(false));
  }

  const state = (field: Field) =>
    problems[field] === undefined ? {} : { state: 'error' as const, stateRelatedMessage: problems[field] };

  return (
    <form
      className="fr-col-12 fr-col-md-8"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!sending) submit();
      }}
    >
      {error !== undefined && <Alert className="fr-mb-3w" severity="error" small role="alert" description={error} />}
      <Upload
        className="fr-mb-3w"
        label={u.file}
        hint={u.fileHint}
        {...state('file')}
        nativeInputProps={{
          accept: [...PATIENT_UPLOAD_TYPES, '.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff', '.txt', '.rtf'].join(','),
          onChange: (event) => {
            const chosen = event.target.files?.[0];
            setFile(chosen);
            // The file's name, without its extension, is a good first title.
            if (chosen !== undefined && title === '') setTitle(chosen.name.replace(/\.[^.]+$/, '').slice(0, 200));
          },
        }}
      />
      <Input
        label={u.titleLabel}
        hintText={u.titleHint}
        {...state('title')}
        nativeInputProps={{ value: title, maxLength: 200, onChange: (e) => setTitle(e.target.value) }}
      />
      <Select
        label={u.category}
        {...state('category')}
        nativeSelectProps={{ value: category, onChange: (e) => setCategory(e.target.value as DocumentCategory | '') }}
      >
        <option value="" disabled>
          {u.chooseCategory}
        </option>
        {DOCUMENT_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {t.documents.categories[c]}
          </option>
        ))}
      </Select>
      {folders.length > 0 && (
        <Select label={u.folder} nativeSelectProps={{ value: folderId, onChange: (e) => setFolderId(e.target.value) }}>
          <option value="">{u.noFolder}</option>
          {folders.map((folder) => (
            <option key={folder.id} value={folder.id}>
              {folder.name}
            </option>
          ))}
        </Select>
      )}
      <Button type="submit" iconId="fr-icon-upload-2-line" disabled={sending}>
        {sending ? u.sending : u.submit}
      </Button>
    </form>
  );
}
