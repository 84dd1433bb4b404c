import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { createStay, deleteStay, type HospitalStay } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { dayLabel, fill } from './document-labels.ts';

/** The holder's hospital stays: add one, delete one (its documents stay). Documents are linked from their page. */
export function StaysPanel(props: { patientId: string; stays: HospitalStay[]; onChanged(): void }) {
  const { t, lang } = useI18n();
  const s = t.documents.stays;
  const [label, setLabel] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [error, setError] = useState<string | undefined>();

  const period = (stay: HospitalStay) =>
    stay.end === null
      ? fill(s.since, { start: dayLabel(lang, stay.start) })
      : fill(s.period, { start: dayLabel(lang, stay.start), end: dayLabel(lang, stay.end) });

  return (
    <Accordion label={s.title}>
      {props.stays.length === 0 ? (
        <p>{s.none}</p>
      ) : (
        <ul className="fr-raw-list fr-mb-3w">
          {props.stays.map((stay) => (
            <li key={stay.id} className="fr-mb-1w">
              <strong>{stay.label}</strong>
              <br />
              <span className="fr-text--sm">{period(stay)}</span>
              <ConfirmButton
                label={s.delete}
                question={fill(s.deleteConfirm, { label: stay.label })}
                onConfirm={() => {
                  deleteStay(props.patientId, stay.id)
                    .then(props.onChanged)
                    .catch((caught: unknown) => setError(errorText(t, caught)));
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setError(undefined);
          createStay(props.patientId, { label: label.trim(), start, end: end === '' ? null : end })
            .then(() => {
              setLabel('');
              setStart('');
              setEnd('');
              props.onChanged();
            })
            .catch((caught: unknown) => setError(errorText(t, caught)));
        }}
      >
        <h3 className="fr-h6">{s.add}</h3>
        <Input
          label={s.label}
          hintText={s.labelHint}
          nativeInputProps={{ value: label, maxLength: 200, required: true, onChange: (e) => setLabel(e.target.value) }}
        />
        <Input label={s.start} nativeInputProps={{ type: 'date', value: start, required: true, onChange: (e) => setStart(e.target.value) }} />
        <Input label={s.end} nativeInputProps={{ type: 'date', value: end, min: start, onChange: (e) => setEnd(e.target.value) }} />
        {error !== undefined && <Alert className="fr-mb-2w" severity="error" small role="alert" description={error} />}
        <Button type="submit" priority="secondary" size="small">
          {s.create}
        </Button>
      </form>
    </Accordion>
  );
}
