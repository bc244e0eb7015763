// The patient table: sortable columns, a trend of category chips, the 15-minute alert mark, and virtualised
// rows (only the rows in the scrolled window are in the DOM, so thousands of patients scroll smoothly).
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { PatientRow, PatientSort, SortKey } from '../domain/patients.js';
import { visibleRows } from '../domain/virtual.js';
import { useI18n } from '../i18n/i18n.js';
import { CategoryChip } from './CategoryChip.js';
import { StageGlyph } from './StageGlyph.js';

/** Fixed row height in pixels; styles.css gives `.patient-row` the same height. */
export const ROW_HEIGHT = 40;

/** The trend column shows the latest this many categories. */
const TREND_CHIPS = 8;

export interface PatientTableProps {
  rows: readonly PatientRow[];
  total: number;
  sort: PatientSort;
  onSort(key: SortKey): void;
  recentIds: ReadonlySet<string>;
  onShowOnMap(patientId: string): void;
  showTrend: boolean;
}

export const PatientTable = memo(function PatientTable({
  rows,
  total,
  sort,
  onSort,
  recentIds,
  onShowOnMap,
  showTrend,
}: PatientTableProps) {
  const { t, formatDateTime } = useI18n();
  const scrollRef = useRef<HTMLElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(480);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Scroll events can fire several times per frame, so the position is read once per animation frame.
  const frameRef = useRef<number | undefined>(undefined);
  const handleScroll = useCallback(() => {
    if (frameRef.current !== undefined) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = undefined;
      setScrollTop(scrollRef.current?.scrollTop ?? 0);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frameRef.current ?? 0), []);

  // The header row is inside the scroll container, so the body starts one row further down.
  const visible = visibleRows(rows.length, ROW_HEIGHT, Math.max(0, scrollTop - ROW_HEIGHT), viewportHeight);
  const columnCount = showTrend ? 8 : 7;

  const sortHeader = (key: SortKey, label: string) => {
    const active = sort.key === key;
    let mark = '↕';
    if (active) mark = sort.direction === 'ascending' ? '▲' : '▼';
    return (
      <th scope="col" aria-sort={active ? sort.direction : 'none'}>
        <button
          type="button"
          className="sort-button"
          onClick={() => onSort(key)}
          title={t.disaster.sortBy(label)}
        >
          {label}
          <span aria-hidden="true" className="sort-mark">
            {mark}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div className="patient-table-wrapper">
      <p className="rows-shown" aria-live="polite">
        {t.disaster.rowsShown(rows.length, total)}
      </p>
      <section
        ref={scrollRef}
        className="table-scroll"
        onScroll={handleScroll}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable so keyboard users can scroll it.
        tabIndex={0}
        aria-label={t.disaster.patients}
      >
        <table className="patient-table" aria-rowcount={rows.length + 1}>
          <caption className="visually-hidden">{t.disaster.patients}</caption>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">
                <span className="visually-hidden">{t.disaster.recentAlert}</span>
                <span aria-hidden="true">{t.disaster.columnAlert}</span>
              </th>
              {sortHeader('cardCode', t.disaster.columnCardCode)}
              {sortHeader('category', t.disaster.columnCategory)}
              {showTrend && <th scope="col">{t.disaster.columnTrend}</th>}
              {sortHeader('stage', t.disaster.columnStage)}
              <th scope="col">{t.disaster.columnStatus}</th>
              {sortHeader('lastTriagedAt', t.disaster.columnLastTriage)}
              <th scope="col">{t.disaster.columnMap}</th>
            </tr>
          </thead>
          <tbody>
            {visible.offsetBefore > 0 && (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: spacer rows hold no focusable content; they only keep the scroll height.
              <tr aria-hidden="true" className="spacer-row" style={{ height: visible.offsetBefore }}>
                <td colSpan={columnCount} />
              </tr>
            )}
            {rows.slice(visible.start, visible.end).map((row, offset) => {
              const recent = recentIds.has(row.id);
              const trend = row.trend.slice(-TREND_CHIPS);
              return (
                <tr
                  key={row.id}
                  className={`patient-row${recent ? ' is-recent' : ''}`}
                  aria-rowindex={visible.start + offset + 2}
                  data-patient-id={row.id}
                  data-card-code={row.cardCode}
                >
                  <td className="alert-cell">
                    {recent && (
                      <span
                        className="alert-mark"
                        role="img"
                        aria-label={t.disaster.recentAlert}
                        title={t.disaster.recentAlert}
                      >
                        !
                      </span>
                    )}
                  </td>
                  <th scope="row" className="card-code">
                    {row.cardCode}
                  </th>
                  <td>
                    <CategoryChip category={row.category} />
                    {row.pendingConfirmation && <span className="pending-note"> ({t.disaster.pending})</span>}
                  </td>
                  {showTrend && (
                    <td className="trend-cell">
                      <span
                        className="trend"
                        role="img"
                        aria-label={t.disaster.trendLabel(
                          row.trend.map((category) => t.categories[category]).join(', '),
                        )}
                      >
                        {row.trend.length > trend.length && (
                          <span className="trend-more">+{row.trend.length - trend.length}</span>
                        )}
                        {trend.map((category, index) => (
                          // The trend is a fixed sequence, so the position is the identity of each chip.
                          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                          <span key={index} className={`chip chip-short cat-${category}`} aria-hidden="true">
                            {t.categoryShort[category]}
                          </span>
                        ))}
                      </span>
                    </td>
                  )}
                  <td>
                    {row.stage ? (
                      <span className="stage-label">
                        <StageGlyph stage={row.stage} />
                        {t.stages[row.stage]}
                      </span>
                    ) : (
                      t.app.none
                    )}
                  </td>
                  <td>{t.patientStatuses[row.status]}</td>
                  <td>
                    {row.capturedAt ? (
                      <time dateTime={row.capturedAt}>{formatDateTime(row.capturedAt)}</time>
                    ) : (
                      t.app.none
                    )}
                  </td>
                  <td>
                    {row.position ? (
                      <button
                        type="button"
                        className="icon-button"
                        onClick={() => onShowOnMap(row.id)}
                        aria-label={t.disaster.showOnMap(row.cardCode)}
                      >
                        <svg className="locate-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                          <circle cx="8" cy="8" r="4.5" />
                          <path d="M8 1v3M8 12v3M1 8h3M12 8h3" />
                        </svg>
                      </button>
                    ) : (
                      <span className="muted">{t.disaster.noPosition}</span>
                    )}
                  </td>
                </tr>
              );
            })}
            {visible.offsetAfter > 0 && (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: spacer rows hold no focusable content; they only keep the scroll height.
              <tr aria-hidden="true" className="spacer-row" style={{ height: visible.offsetAfter }}>
                <td colSpan={columnCount} />
              </tr>
            )}
          </tbody>
        </table>
        {rows.length === 0 && <p className="empty">{t.disaster.noPatients}</p>}
      </section>
    </div>
  );
});
