import { Select } from '@codegouvfr/react-dsfr/Select';
import type { ActorType } from '../../api/access-history.ts';
import { useT } from '../../i18n/i18n.tsx';

export type ActorFilter = 'all' | Exclude<ActorType, 'system'>;

const FILTERS: readonly ActorFilter[] = ['all', 'patient', 'professional', 'operator', 'app', 'software'];

/** Which kind of actor's accesses to list; the list below reloads as soon as it changes. */
export function ActorTypeFilter({ value, onChange }: { value: ActorFilter; onChange(value: ActorFilter): void }) {
  const t = useT();
  return (
    <Select
      label={t.accessHistory.filterLabel}
      className="fr-col-12 fr-col-md-6"
      nativeSelectProps={{
        value,
        onChange: (event) => onChange(event.target.value as ActorFilter),
      }}
    >
      {FILTERS.map((filter) => (
        <option key={filter} value={filter}>
          {t.accessHistory.filters[filter]}
        </option>
      ))}
    </Select>
  );
}
