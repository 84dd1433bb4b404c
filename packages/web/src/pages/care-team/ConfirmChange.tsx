import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/i18n.tsx';

/** A change to confirm before it is made: blocking a professional, withdrawing their consent. */
export interface PendingChange {
  kind: 'block' | 'withdraw';
  rpps: string;
  /** The professional as the question names them. */
  name: string;
}

const modal = createModal({ id: 'care-team-confirm', isOpenedByDefault: false });

/**
 * The question and its consequence in a DSFR modal dialog, opened each time `pending` is a new
 * change: focus is kept inside it; Escape, "Fermer" and "Annuler" leave everything as it was.
 * When it closes, focus goes back to where it was when it opened (the design system would give it
 * to its own hidden control button).
 */
export function ConfirmChange({ pending, onConfirm }: { pending: PendingChange | undefined; onConfirm(change: PendingChange): void }) {
  const c = useT().careTeam;
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (pending === undefined) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    modal.open();
  }, [pending]);

  useEffect(() => {
    const dialog = document.getElementById(modal.id);
    const giveFocusBack = () => {
      // After the dialog's own focus handling, which runs on the same event.
      setTimeout(() => {
        if (opener.current?.isConnected === true) opener.current.focus();
      });
    };
    dialog?.addEventListener('dsfr.conceal', giveFocusBack);
    return () => dialog?.removeEventListener('dsfr.conceal', giveFocusBack);
  }, []);

  const block = pending?.kind !== 'withdraw';
  const name = pending?.name ?? '';
  return (
    <modal.Component
      title={(block ? c.blockQuestion : c.withdrawQuestion).replace('{name}', name)}
      titleAs="h2"
      iconId={block ? 'fr-icon-lock-line' : 'fr-icon-close-circle-line'}
      buttons={[
        { children: c.cancel, priority: 'secondary' },
        {
          children: block ? c.confirmBlock : c.confirmWithdraw,
          onClick: () => {
            if (pending !== undefined) onConfirm(pending);
          },
        },
      ]}
    >
      <p>{sentence((block ? c.blockConsequence : c.withdrawConsequence).replaceAll('{name}', name))}</p>
    </modal.Component>
  );
}

/** The name may open the sentence ("le professionnel de numéro RPPS…"). */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
