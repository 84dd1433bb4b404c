import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { createFolder } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { useT } from '../../i18n/i18n.tsx';
import { fill } from './document-labels.ts';

/** Creates a folder of the holder's own; the list of folders above then shows it. */
export function NewFolderForm({ patientId, onCreated }: { patientId: string; onCreated(): void }) {
  const t = useT();
  const f = t.documents.folders;
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  return (
    <Accordion label={f.newTitle}>
      <form
        className="fr-mb-1w"
        onSubmit={(event) => {
          event.preventDefault();
          if (busy || name.trim() === '') return;
          setBusy(true);
          setError(undefined);
          createFolder(patientId, name.trim())
            .then((folder) => {
              setName('');
              setDone(fill(f.created, { name: folder.name }));
              onCreated();
            })
            .catch((caught: unknown) => setError(errorText(t, caught)))
            .finally(() => setBusy(false));
        }}
      >
        <Input
          label={f.newLabel}
          state={error === undefined ? 'default' : 'error'}
          stateRelatedMessage={error}
          nativeInputProps={{ value: name, maxLength: 100, onChange: (e) => setName(e.target.value), required: true }}
        />
        <Button type="submit" priority="secondary" size="small" iconId="fr-icon-folder-2-line" disabled={busy}>
          {f.create}
        </Button>
        <p role="status" className="fr-text--sm fr-mt-1w">
          {done}
        </p>
      </form>
    </Accordion>
  );
}
