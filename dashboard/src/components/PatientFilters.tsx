// Filters of the patient table: categories (several), stage and status.
import { memo } from 'react';
import type { PatientFilter } from '../domain/patients.js';
import {
  PATIENT_CATEGORIES,
  PATIENT_STATUSES,
  type PatientStatus,
  STAGES,
  type Stage,
} from '../domain/vocabulary.js';
import { useI18n } from '../i18n/i18n.js';

export const PatientFilters = memo(function PatientFilters({
  filter,
  onChange,
}: {
  filter: PatientFilter;
  onChange(filter: PatientFilter): void;
}) {
  const { t } = useI18n();
  const selected = new Set(filter.categories);
  return (
    <div className="patient-filters">
      <fieldset className="category-filter">
        <legend>{t.disaster.filterCategory}</legend>
        {PATIENT_CATEGORIES.map((category) => (
          <label key={category} className={`chip-toggle cat-${category}`}>
            <input
              type="checkbox"
              name="category"
              value={category}
              checked={selected.has(category)}
              onChange={(event) =>
                onChange({
                  ...filter,
                  categories: event.target.checked
                    ? [...filter.categories, category]
                    : filter.categories.filter((other) => other !== category),
                })
              }
            />
            {t.categories[category]}
          </label>
        ))}
      </fieldset>
      <label>
        {t.disaster.filterStage}
        <select
          name="stage"
          value={filter.stage}
          onChange={(event) => onChange({ ...filter, stage: event.target.value as Stage | 'all' })}
        >
          <option value="all">{t.app.all}</option>
          {STAGES.map((stage) => (
            <option key={stage} value={stage}>
              {t.stages[stage]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.disaster.filterStatus}
        <select
          name="status"
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value as PatientStatus | 'all' })}
        >
          <option value="all">{t.app.all}</option>
          {PATIENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t.patientStatuses[status]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => onChange({ categories: [], stage: 'all', status: 'all' })}>
        {t.disaster.clearFilters}
      </button>
    </div>
  );
});
