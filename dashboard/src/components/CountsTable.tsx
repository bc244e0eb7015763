// Patients per stage × category, with row and column totals.
import { memo } from 'react';
import type { PatientCounts } from '../domain/patients.js';
import { PATIENT_CATEGORIES, STAGES } from '../domain/vocabulary.js';
import { useI18n } from '../i18n/i18n.js';
import { CategoryChip } from './CategoryChip.js';
import { StageGlyph } from './StageGlyph.js';

export const CountsTable = memo(function CountsTable({ counts }: { counts: PatientCounts }) {
  const { t, formatNumber } = useI18n();
  return (
    <div className="counts-scroll">
      <table className="counts-table" data-testid="counts-table">
        <caption>{t.disaster.countsTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{t.disaster.stage}</th>
            {PATIENT_CATEGORIES.map((category) => (
              <th scope="col" key={category}>
                <CategoryChip category={category} short />
              </th>
            ))}
            <th scope="col">{t.disaster.total}</th>
          </tr>
        </thead>
        <tbody>
          {STAGES.map((stage) => (
            <tr key={stage} data-stage={stage}>
              <th scope="row">
                <span className="stage-label">
                  <StageGlyph stage={stage} />
                  {t.stages[stage]}
                </span>
              </th>
              {PATIENT_CATEGORIES.map((category) => (
                <td
                  key={category}
                  data-category={category}
                  className={counts.byStage[stage][category] === 0 ? 'zero' : undefined}
                >
                  {formatNumber(counts.byStage[stage][category])}
                </td>
              ))}
              <td className="total">{formatNumber(counts.stageTotals[stage])}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-stage="all">
            <th scope="row">{t.disaster.total}</th>
            {PATIENT_CATEGORIES.map((category) => (
              <td key={category} data-category={category}>
                {formatNumber(counts.byCategory[category])}
              </td>
            ))}
            <td className="total">{formatNumber(counts.total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
});
