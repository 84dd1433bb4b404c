import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useEffect, useRef } from 'react';

/** A form's error, announced by screen readers (role="alert") and brought into view. */
export function FormError({ message }: { message: string | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message !== undefined) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [message]);
  if (message === undefined) return null;
  return (
    <div ref={ref} className="fr-mb-3w">
      <Alert severity="error" small role="alert" description={message} />
    </div>
  );
}
