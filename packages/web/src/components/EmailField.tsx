import { Input } from '@codegouvfr/react-dsfr/Input';
import { useI18n } from '../i18n/i18n.tsx';

/** The login identifier, as every sign-in form asks for it (the browser fills it as the username). */
export function EmailField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <Input
      label={t.auth.email}
      hintText={t.auth.emailHint}
      nativeInputProps={{
        type: 'email',
        name: 'email',
        autoComplete: 'username',
        required: true,
        value,
        onChange: (e) => onChange(e.target.value),
      }}
    />
  );
}
