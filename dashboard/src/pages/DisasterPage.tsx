// One disaster: clock and elapsed time, patient map with legend, counts, and the live patient table.
import { useCallback, useMemo, useState } from 'react';
import { CountsTable } from '../components/CountsTable.js';
import { Legend } from '../components/Legend.js';
import { PatientFilters } from '../components/PatientFilters.js';
import { PatientTable } from '../components/PatientTable.js';
import {
  countPatients,
  DEFAULT_SORT,
  filterAndSort,
  isRecentTriage,
  NO_FILTER,
  type PatientFilter,
  type PatientSort,
  type SortKey,
} from '../domain/patients.js';
import { formatElapsed } from '../domain/time.js';
import { useI18n } from '../i18n/i18n.js';
import { useDisasterData } from '../live/useDisasterData.js';
import { useNow } from '../live/useNow.js';
import { PatientMap } from '../map/PatientMap.js';
import { Link } from '../router.js';

/** Shows the current time and the time since the start; it ticks every second without re-rendering the page. */
function DisasterClock({ startedAt, clockOffsetMs }: { startedAt: string; clockOffsetMs: number }) {
  const { t, formatTime, formatDateTime } = useI18n();
  const now = useNow(1000) + clockOffsetMs;
  return (
    <dl className="clock">
      <div>
        <dt>{t.disaster.now}</dt>
        <dd>
          <time dateTime={new Date(now).toISOString()} data-testid="current-time">
            {formatTime(now)}
          </time>
        </dd>
      </div>
      <div>
        <dt>{t.disaster.elapsed}</dt>
        <dd data-testid="elapsed">{formatElapsed(now - Date.parse(startedAt))}</dd>
      </div>
      <div>
        <dt>{t.disaster.startedAt}</dt>
        <dd>
          <time dateTime={startedAt}>{formatDateTime(startedAt)}</time>
        </dd>
      </div>
    </dl>
  );
}

export function DisasterPage({ disasterId }: { disasterId: string }) {
  const { t, formatNumber } = useI18n();
  const data = useDisasterData(disasterId);
  // The alert marks are recomputed every 10 seconds, so the map and the table re-render only then.
  const alertTick = Math.floor((useNow(10_000) + data.clockOffsetMs) / 10_000);
  const [filter, setFilter] = useState<PatientFilter>(NO_FILTER);
  const [sort, setSort] = useState<PatientSort>(DEFAULT_SORT);
  const [focus, setFocus] = useState<{ patientId: string; serial: number }>();

  const allRows = useMemo(() => [...data.rows.values()], [data.rows]);
  const counts = useMemo(() => countPatients(allRows), [allRows]);
  const pendingConfirmations = useMemo(
    () => allRows.filter((row) => row.pendingConfirmation).length,
    [allRows],
  );
  const visibleRows = useMemo(() => filterAndSort(allRows, filter, sort), [allRows, filter, sort]);
  const recentIds = useMemo(
    () => new Set(allRows.filter((row) => isRecentTriage(row, alertTick * 10_000)).map((row) => row.id)),
    [allRows, alertTick],
  );
  const withoutPosition = allRows.length - allRows.filter((row) => row.position).length;

  const changeSort = useCallback(
    (key: SortKey) =>
      setSort((current) =>
        current.key === key
          ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
          : { key, direction: key === 'lastTriagedAt' ? 'descending' : 'ascending' },
      ),
    [],
  );
  const showOnMap = useCallback(
    (patientId: string) => setFocus((current) => ({ patientId, serial: (current?.serial ?? 0) + 1 })),
    [],
  );

  if (data.status === 'not-found') {
    return (
      <section>
        <h1 tabIndex={-1}>{t.disaster.notFound}</h1>
        <Link href="/">{t.disaster.back}</Link>
      </section>
    );
  }
  if (data.status === 'error') {
    return (
      <section>
        <p role="alert" className="error">
          {data.error}
        </p>
        <button type="button" onClick={data.reload}>
          {t.app.retry}
        </button>
      </section>
    );
  }
  const { disaster } = data;
  if (data.status === 'loading' || !disaster) {
    return <p aria-busy="true">{t.app.loading}</p>;
  }

  return (
    <div className="disaster-page" data-disaster-id={disaster.id}>
      <div className="disaster-heading">
        <Link href="/" className="back-link">
          ← {t.disaster.back}
        </Link>
        <h1 tabIndex={-1}>{disaster.name}</h1>
        <p className="disaster-meta">
          <span className={`badge mode-${disaster.mode}`}>{t.disasterModes[disaster.mode]}</span>{' '}
          <span className={`badge status-${disaster.status}`}>{t.disasterStatuses[disaster.status]}</span>
        </p>
        <DisasterClock startedAt={disaster.startedAt} clockOffsetMs={data.clockOffsetMs} />
      </div>

      <div className="visually-hidden" aria-live="polite" data-testid="live-announcement">
        {data.announcement}
      </div>

      <div className="disaster-grid">
        <section className="map-panel" aria-labelledby="map-heading">
          <h2 id="map-heading">{t.disaster.mapLabel}</h2>
          <PatientMap
            center={disaster.position}
            radiusKm={disaster.radiusKm}
            rows={allRows}
            recentIds={recentIds}
            focus={focus}
          />
          {withoutPosition > 0 && <p className="muted">{t.disaster.withoutPosition(withoutPosition)}</p>}
          <Legend />
        </section>

        <section className="summary-panel" aria-labelledby="summary-heading">
          <h2 id="summary-heading">{t.disaster.summary}</h2>
          <dl className="summary" data-testid="summary">
            <div data-testid="patients-total">
              <dt>{t.disaster.patientsTotal}</dt>
              <dd>{formatNumber(counts.total)}</dd>
            </div>
            <div data-testid="patients-released">
              <dt>{t.disaster.released}</dt>
              <dd>{formatNumber(counts.released)}</dd>
            </div>
            <div data-testid="triages-total">
              <dt>{t.disaster.triagesTotal}</dt>
              <dd>{formatNumber(data.triagesTotal)}</dd>
            </div>
            <div data-testid="pending-confirmations">
              <dt>{t.disaster.pendingConfirmations}</dt>
              <dd>{formatNumber(pendingConfirmations)}</dd>
            </div>
          </dl>
          <CountsTable counts={counts} />
          {counts.byCategory.untriaged > 0 && (
            <p className="muted">
              {t.disaster.noStage}: {formatNumber(counts.byCategory.untriaged)}
            </p>
          )}
        </section>
      </div>

      <section className="patients-panel" aria-labelledby="patients-heading">
        <h2 id="patients-heading">{t.disaster.patients}</h2>
        {!data.patientsListed && <p className="muted">{t.disaster.noPatientRight}</p>}
        <PatientFilters filter={filter} onChange={setFilter} />
        <PatientTable
          rows={visibleRows}
          total={allRows.length}
          sort={sort}
          onSort={changeSort}
          recentIds={recentIds}
          onShowOnMap={showOnMap}
          showTrend={data.patientsListed}
        />
      </section>
    </div>
  );
}
