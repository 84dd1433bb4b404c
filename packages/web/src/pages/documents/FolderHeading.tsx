import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { type DocumentFolder, deleteFolder, renameFolder } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { useT } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { fill } from './document-labels.ts';
import { DOCUMENTS_PATH } from './list-filter.ts';

/** Renaming and deleting the folder the list shows. Deleting it keeps its documents. */
export function FolderHeading(props: { patientId: string; folder: DocumentFolder | undefined; onChanged(): void }) {
  const t = useT();
  const f = t.documents.folders;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const { folder } = props;
  if (folder === undefined) return null;

  if (renaming) {
    return (
      <form
        className="fr-mb-3w"
        onSubmit={(event) => {
          event.preventDefault();
          renameFolder(props.patientId, folder.id, name.trim())
            .then(() => {
              setRenaming(false);
              props.onChanged();
            })
            .catch((caught: unknown) => setError(errorText(t, caught)));
        }}
      >
        <Input
          label={fill(f.renameLabel, { name: folder.name })}
          state={error === undefined ? 'default' : 'error'}
          stateRelatedMessage={error}
          nativeInputProps={{ value: name, maxLength: 100, required: true, autoFocus: true, onChange: (e) => setName(e.target.value) }}
        />
        <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
          <li>
            <Button type="submit">{f.save}</Button>
          </li>
          <li>
            <Button priority="secondary" onClick={() => setRenaming(false)}>
              {f.cancel}
            </Button>
          </li>
        </ul>
      </form>
    );
  }
  return (
    <div className="fr-mb-2w">
      <div className="fr-mb-1w">
        <Button
          priority="tertiary"
          iconId="fr-icon-edit-line"
          className="fr-mr-2w"
          onClick={() => {
            setName(folder.name);
            setError(undefined);
            setRenaming(true);
          }}
        >
          {f.rename}
        </Button>
        <ConfirmButton
          label={f.delete}
          question={fill(f.deleteConfirm, { name: folder.name })}
          onConfirm={() => {
            deleteFolder(props.patientId, folder.id)
              .then(() => {
                props.onChanged();
                navigate(DOCUMENTS_PATH);
              })
              .catch((caught: unknown) => setError(errorText(t, caught)));
          }}
        />
      </div>
      {error !== undefined && <Alert severity="error" small role="alert" description={error} />}
    </div>
  );
}
