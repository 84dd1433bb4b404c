import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useState } from 'react';
import { DOCUMENT_CATEGORIES, type DocumentCategory, type DocumentChange, type DocumentSummary } from '../../api/documents.ts';
import { useT } from '../../i18n/i18n.tsx';

/** The title and category of a document the holder added. */
export function RenameForm(props: { document: DocumentSummary; busy: boolean; onSubmit(change: DocumentChange): void; onCancel(): void }) {
  const t = useT();
  const a = t.documents.actions;
  const [title, setTitle] = useState(props.document.title);
  const [category, setCategory] = useState<DocumentCategory>(props.document.category);
  return (
    <form
      className="fr-mb-2w"
      onSubmit={(event) => {
        event.preventDefault();
        if (title.trim() !== '') props.onSubmit({ title: title.trim(), category });
      }}
    >
      <Input
        label={a.titleLabel}
        nativeInputProps={{ value: title, maxLength: 200, required: true, autoFocus: true, onChange: (e) => setTitle(e.target.value) }}
      />
      <Select
        label={a.categoryLabel}
        nativeSelectProps={{ value: category, onChange: (e) => setCategory(e.target.value as DocumentCategory) }}
      >
        {DOCUMENT_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {t.documents.categories[c]}
          </option>
        ))}
      </Select>
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <Button type="submit" disabled={props.busy}>
            {a.save}
          </Button>
        </li>
        <li>
          <Button priority="secondary" onClick={props.onCancel}>
            {a.cancel}
          </Button>
        </li>
      </ul>
    </form>
  );
}
