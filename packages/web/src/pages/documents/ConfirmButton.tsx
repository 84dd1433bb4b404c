import { Button } from '@codegouvfr/react-dsfr/Button';
import { useState } from 'react';
import { useT } from '../../i18n/i18n.tsx';

/**
 * A destructive action asked twice, in the page rather than in a browser dialog: the first press
 * shows the question and its two answers, with focus on the question.
 */
export function ConfirmButton(props: { label: string; question: string; onConfirm(): void; disabled?: boolean }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button priority="tertiary" iconId="fr-icon-delete-line" disabled={props.disabled ?? false} onClick={() => setAsking(true)}>
        {props.label}
      </Button>
    );
  }
  return (
    <div className="fr-callout fr-my-2w" role="group" aria-label={props.label}>
      <p className="fr-callout__text fr-text--md" tabIndex={-1} ref={(el) => el?.focus()}>
        {props.question}
      </p>
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <Button
            iconId="fr-icon-delete-line"
            onClick={() => {
              setAsking(false);
              props.onConfirm();
            }}
          >
            {props.label}
          </Button>
        </li>
        <li>
          <Button priority="secondary" onClick={() => setAsking(false)}>
            {t.documents.folders.cancel}
          </Button>
        </li>
      </ul>
    </div>
  );
}
