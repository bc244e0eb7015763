// Legend of the patient map: category colours and stage symbols.
import { memo } from 'react';
import { PATIENT_CATEGORIES, STAGES } from '../domain/vocabulary.js';
import { useI18n } from '../i18n/i18n.js';
import { StageGlyph } from './StageGlyph.js';

export const Legend = memo(function Legend() {
  const { t } = useI18n();
  return (
    <section className="legend" aria-labelledby="legend-heading">
      <h3 id="legend-heading">{t.disaster.legend}</h3>
      <div className="legend-columns">
        <div>
          <h4>{t.disaster.legendCategories}</h4>
          <ul>
            {PATIENT_CATEGORIES.map((category) => (
              <li key={category}>
                <span className={`legend-swatch cat-${category}`} aria-hidden="true" />
                {t.categories[category]}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h4>{t.disaster.legendStages}</h4>
          <ul>
            {STAGES.map((stage) => (
              <li key={stage}>
                <span className="legend-glyph">
                  <StageGlyph stage={stage} />
                </span>
                {t.stages[stage]}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
});
