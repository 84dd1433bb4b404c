import { isValidRpps } from '@carnet/shared/identifiers/rpps';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useEffect, useRef, useState } from 'react';
import { CARE_ROLES, type CareRole } from '../../api/care-team.ts';
import { useT } from '../../i18n/i18n.tsx';

export type RppsChoice = 'block' | CareRole;

/**
 * Blocks a professional, or gives them a role, by the RPPS number the patient reads on their card
 * or prescription. The number's Luhn key is checked here; the server checks it again and looks it
 * up in the directory. `onSubmit` says whether the change was made, refused (focus goes back to
 * the field), or waits for a confirmation; `cleared` changes when a confirmed change was made.
 */
export function AddByRppsForm(props: {
  error: string | undefined;
  cleared: number;
  onSubmit(rpps: string, choice: RppsChoice): Promise<'done' | 'refused' | 'confirming'>;
}) {
  const c = useT().careTeam;
  const [rpps, setRpps] = useState('');
  const [choice, setChoice] = useState<RppsChoice>('block');
  const [invalid, setInvalid] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  // A refusal from the server is about the number too: it shows under the field.
  const message = invalid ?? props.error;

  useEffect(() => setRpps(''), [props.cleared]);

  function check(value: string): string | undefined {
    if (value === '') return c.rppsMissing;
    if (!/^\d{11}$/.test(value)) return c.rppsFormat;
    return isValidRpps(value) ? undefined : c.rppsKey;
  }

  return (
    <form
      noValidate
      aria-labelledby="care-team-by-rpps-title"
      onSubmit={(event) => {
        event.preventDefault();
        // Spaces are how the number is often written: "10003 456786".
        const value = rpps.replace(/\s+/g, '');
        const problem = check(value);
        setInvalid(problem);
        if (problem !== undefined) {
          input.current?.focus();
          return;
        }
        void props.onSubmit(value, choice).then((outcome) => {
          if (outcome === 'done') setRpps('');
          if (outcome === 'refused') input.current?.focus();
        });
      }}
    >
      <h2 id="care-team-by-rpps-title" className="fr-h4">
        {c.byRppsTitle}
      </h2>
      <p>{c.byRppsLead}</p>
      <Input
        label={c.rppsLabel}
        hintText={c.rppsHint}
        state={message === undefined ? 'default' : 'error'}
        stateRelatedMessage={message}
        nativeInputProps={{
          ref: input,
          value: rpps,
          inputMode: 'numeric',
          autoComplete: 'off',
          maxLength: 14,
          onChange: (event) => {
            setRpps(event.target.value);
            setInvalid(undefined);
          },
        }}
      />
      <RadioButtons
        legend={c.actionLegend}
        name="care-team-rpps-choice"
        options={[
          { label: c.actionBlock, nativeInputProps: { checked: choice === 'block', onChange: () => setChoice('block') } },
          ...CARE_ROLES.map((role) => ({
            label: c.actionRoles[role],
            hintText: c.roleHelp[role],
            nativeInputProps: { checked: choice === role, onChange: () => setChoice(role) },
          })),
        ]}
      />
      <Button type="submit">
        {c.submitByRpps}
      </Button>
    </form>
  );
}
