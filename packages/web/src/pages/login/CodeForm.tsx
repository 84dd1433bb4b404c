import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { type FormEvent, useState } from 'react';

/** A one-time code field (6 digits) and its submit button. */
export function CodeForm(props: {
  id: string;
  label: string;
  hint?: string;
  submitLabel: string;
  busy: boolean;
  onSubmit(code: string): void;
}) {
  const [code, setCode] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    props.onSubmit(code);
  }
  return (
    <form onSubmit={submit} noValidate>
      <Input
        id={props.id}
        label={props.label}
        {...(props.hint === undefined ? {} : { hintText: props.hint })}
        nativeInputProps={{
          name: 'code',
          inputMode: 'numeric',
          autoComplete: 'one-time-code',
          pattern: '[0-9 ]*',
          maxLength: 7,
          required: true,
          value: code,
          onChange: (e) => setCode(e.target.value),
        }}
      />
      <Button type="submit" disabled={props.busy}>
        {props.submitLabel}
      </Button>
    </form>
  );
}
