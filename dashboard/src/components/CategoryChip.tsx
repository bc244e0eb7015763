import type { PatientCategory } from '../domain/vocabulary.js';
import { useI18n } from '../i18n/i18n.js';

/** Renders a category in its colour with its name (or its short code when `short`), so colour is never the only cue. */
export function CategoryChip({ category, short = false }: { category: PatientCategory; short?: boolean }) {
  const { t } = useI18n();
  const name = t.categories[category];
  return (
    <span className={`chip cat-${category}${short ? ' chip-short' : ''}`} title={short ? name : undefined}>
      {short ? (
        <>
          <span aria-hidden="true">{t.categoryShort[category]}</span>
          <span className="visually-hidden">{name}</span>
        </>
      ) : (
        name
      )}
    </span>
  );
}
