// The dashboard's logic without a browser: event merging, counts, filters, row windowing, colours, languages,
// config and the subscription keeper.
import { readFileSync } from 'node:fs';
import type { Schemas } from '@katapp/client';
import { KatAppSocket } from '@katapp/client/ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig, mergeConfig } from '../src/config.js';
import { distanceKm, nearest } from '../src/domain/geo.js';
import {
  applyPatientChanged,
  applyTriageCreated,
  buildRows,
  countPatients,
  DEFAULT_SORT,
  filterAndSort,
  isRecentTriage,
  NO_FILTER,
  type PatientRow,
  rowFromPatient,
} from '../src/domain/patients.js';
import { formatElapsed } from '../src/domain/time.js';
import { visibleRows } from '../src/domain/virtual.js';
import { CATEGORY_COLOURS, contrastRatio, PATIENT_CATEGORIES } from '../src/domain/vocabulary.js';
import { de } from '../src/i18n/de.js';
import { en } from '../src/i18n/en.js';
import { detectLanguage } from '../src/i18n/i18n.js';
import { SubscriptionKeeper, UNSUBSCRIBE_DELAY_MS } from '../src/live/subscriptions.js';

type Patient = Schemas['Patient'];
type Triage = Schemas['Triage'];
type MapPatient = Schemas['MapPatient'];

const DISASTER = '6f1c2a9e-3b7d-4e58-9c04-1a2b3c4d5e6f';

function patient(overrides: Partial<Patient> = {}): Patient {
  return {
    id: '7c2e9f40-1d3b-4a8e-b6f5-0e9d8c7b6a51',
    disasterId: DISASTER,
    cardCode: '4006381333931',
    ageGroup: 'adult',
    status: 'in-care',
    currentCategory: 'yellow',
    currentStage: 'incident',
    currentTriageId: '00000000-0000-4000-8000-000000000001',
    pendingConfirmation: false,
    triageCount: 1,
    categoryTrend: ['yellow'],
    firstTriagedAt: '2025-06-14T09:20:00Z',
    lastTriagedAt: '2025-06-14T09:20:00Z',
    position: { lat: 50.0379, lon: 8.5622, accuracyMeters: 8 },
    createdAt: '2025-06-14T09:20:05Z',
    updatedAt: '2025-06-14T09:20:05Z',
    ...overrides,
  };
}

function triage(overrides: Partial<Triage> = {}): Triage {
  return {
    id: '00000000-0000-4000-8000-000000000002',
    disasterId: DISASTER,
    patientId: '7c2e9f40-1d3b-4a8e-b6f5-0e9d8c7b6a51',
    cardCode: '4006381333931',
    capturedAt: '2025-06-14T09:40:00Z',
    receivedAt: '2025-06-14T09:40:02Z',
    deviceId: null,
    userId: null,
    stage: 'treatment-area',
    category: 'red',
    algorithm: 'mSTaRT',
    kind: 'pre-triage',
    decidingCriterion: 'respiratory-rate-abnormal',
    ageGroup: 'adult',
    supersededBy: null,
    status: 'final',
    confirmedBy: null,
    confirmedAt: null,
    flags: [],
    position: { lat: 50.04, lon: 8.56, accuracyMeters: 5 },
    ...overrides,
  } as Triage;
}

function rowsOf(...patients: Patient[]): ReadonlyMap<string, PatientRow> {
  return new Map(patients.map((entry) => [entry.id, rowFromPatient(entry)]));
}

describe('live event merging', () => {
  it('makes a newer triage current and extends the trend', () => {
    const rows = applyTriageCreated(rowsOf(patient()), triage());
    const row = rows.get(patient().id);
    expect(row?.category).toBe('red');
    expect(row?.stage).toBe('treatment-area');
    expect(row?.trend).toEqual(['yellow', 'red']);
    expect(row?.triageCount).toBe(2);
    expect(row?.position).toEqual({ lat: 50.04, lon: 8.56, accuracyMeters: 5 });
  });

  it('counts a late upload without making it current', () => {
    const late = triage({ capturedAt: '2025-06-14T09:10:00Z' });
    const row = applyTriageCreated(rowsOf(patient()), late).get(patient().id);
    expect(row?.category).toBe('yellow');
    expect(row?.trend).toEqual(['yellow']);
    expect(row?.triageCount).toBe(2);
  });

  it('creates a row for the first triage of a card', () => {
    const rows = applyTriageCreated(new Map(), triage({ patientId: 'p-new', cardCode: '123' }));
    expect(rows.get('p-new')).toMatchObject({
      cardCode: '123',
      category: 'red',
      status: 'in-care',
      trend: ['red'],
    });
  });

  it('updates the pending mark on a confirmation', () => {
    const pending = triage({
      category: 'dead',
      status: 'pending-confirmation',
      decidingCriterion: 'signs-of-death',
    });
    let rows = applyTriageCreated(rowsOf(patient()), pending);
    expect(rows.get(patient().id)?.pendingConfirmation).toBe(true);
    rows = applyTriageCreated(rows, { ...pending, status: 'final' });
    expect(rows.get(patient().id)?.pendingConfirmation).toBe(false);
    expect(rows.get(patient().id)?.triageCount).toBe(2);
  });

  it('ignores an older patient event', () => {
    const newer = patient({ updatedAt: '2025-06-14T09:41:00Z', currentCategory: 'red' });
    const rows = applyPatientChanged(rowsOf(newer), patient({ updatedAt: '2025-06-14T09:30:00Z' }));
    expect(rows.get(newer.id)?.category).toBe('red');
  });

  it('keeps a newer triage over a stale patient event', () => {
    const afterTriage = applyTriageCreated(rowsOf(patient()), triage());
    // The patient write of an earlier triage arrives after the newer triage's event.
    const rows = applyPatientChanged(
      afterTriage,
      patient({ updatedAt: '2025-06-14T09:30:00Z', categoryTrend: ['green', 'yellow'], triageCount: 2 }),
    );
    const row = rows.get(patient().id);
    expect(row?.category).toBe('red');
    expect(row?.stage).toBe('treatment-area');
    expect(row?.trend).toEqual(['green', 'yellow']);
  });

  it('prefers the patient list over the overview', () => {
    const mapPatient: MapPatient = {
      patientId: patient().id,
      cardCode: patient().cardCode,
      ageGroup: 'adult',
      status: 'in-care',
      category: 'yellow',
      stage: 'incident',
      triageId: null,
      capturedAt: null,
      position: null,
      pendingConfirmation: false,
      transportPriority: null,
    };
    const onlyInOverview = { ...mapPatient, patientId: 'p-2', cardCode: '2' };
    const rows = buildRows([mapPatient, onlyInOverview], [patient({ categoryTrend: ['green', 'yellow'] })]);
    expect(rows.get(patient().id)?.trend).toEqual(['green', 'yellow']);
    expect(rows.get('p-2')?.triageCount).toBeNull();
    expect(rows.size).toBe(2);
  });
});

describe('counts, filters and sorting', () => {
  const rows = [
    rowFromPatient(patient({ id: 'a', cardCode: '3', currentCategory: 'red', currentStage: 'incident' })),
    rowFromPatient(
      patient({
        id: 'b',
        cardCode: '10',
        currentCategory: 'red',
        currentStage: 'hospital',
        status: 'released',
      }),
    ),
    rowFromPatient(
      patient({
        id: 'c',
        cardCode: '2',
        currentCategory: 'untriaged',
        currentStage: null,
        lastTriagedAt: null,
      }),
    ),
    rowFromPatient(patient({ id: 'd', cardCode: '1', currentCategory: 'green', currentStage: 'incident' })),
  ];

  it('counts per stage and category like the overview', () => {
    const counts = countPatients(rows);
    expect(counts.total).toBe(4);
    expect(counts.released).toBe(1);
    expect(counts.byCategory.red).toBe(2);
    expect(counts.byCategory.untriaged).toBe(1);
    expect(counts.byStage.incident.red).toBe(1);
    expect(counts.byStage.incident.green).toBe(1);
    expect(counts.byStage.hospital.red).toBe(1);
    expect(counts.stageTotals.incident).toBe(2);
    // Untriaged patients have no stage, so the stage totals leave them out.
    expect(Object.values(counts.stageTotals).reduce((sum, value) => sum + value, 0)).toBe(3);
  });

  it('filters by category, stage and status', () => {
    const ids = (filter: Parameters<typeof filterAndSort>[1]) =>
      filterAndSort(rows, filter, DEFAULT_SORT).map((row) => row.id);
    expect(ids({ ...NO_FILTER, categories: ['red'] }).sort()).toEqual(['a', 'b']);
    expect(ids({ ...NO_FILTER, stage: 'incident' }).sort()).toEqual(['a', 'd']);
    expect(ids({ ...NO_FILTER, status: 'released' })).toEqual(['b']);
    expect(ids({ categories: ['red', 'green'], stage: 'incident', status: 'in-care' }).sort()).toEqual([
      'a',
      'd',
    ]);
  });

  it('sorts card codes numerically and categories by urgency', () => {
    const byCard = filterAndSort(rows, NO_FILTER, { key: 'cardCode', direction: 'ascending' });
    expect(byCard.map((row) => row.cardCode)).toEqual(['1', '2', '3', '10']);
    const byCategory = filterAndSort(rows, NO_FILTER, { key: 'category', direction: 'ascending' });
    expect(byCategory.map((row) => row.category)).toEqual(['red', 'red', 'green', 'untriaged']);
  });

  it('marks triages under 15 minutes old', () => {
    const row = rowFromPatient(patient({ lastTriagedAt: '2025-06-14T09:20:00Z' }));
    expect(isRecentTriage(row, Date.parse('2025-06-14T09:34:59Z'))).toBe(true);
    expect(isRecentTriage(row, Date.parse('2025-06-14T09:35:00Z'))).toBe(false);
    expect(isRecentTriage({ ...row, capturedAt: null }, Date.parse('2025-06-14T09:21:00Z'))).toBe(false);
  });
});

describe('row window', () => {
  it('renders only the rows in view plus overscan', () => {
    const window = visibleRows(10_000, 40, 40_000, 400, 5);
    expect(window).toEqual({
      start: 995,
      end: 1015,
      offsetBefore: 39_800,
      offsetAfter: (10_000 - 1015) * 40,
    });
  });

  it('clamps at both ends', () => {
    expect(visibleRows(100, 40, -50, 400, 5)).toMatchObject({ start: 0, end: 15, offsetBefore: 0 });
    expect(visibleRows(100, 40, 999_999, 400, 5)).toMatchObject({ start: 85, end: 100, offsetAfter: 0 });
    expect(visibleRows(0, 40, 0, 400)).toEqual({ start: 0, end: 0, offsetBefore: 0, offsetAfter: 0 });
  });

  it('keeps the total height constant', () => {
    for (const scrollTop of [0, 1234, 20_000, 39_600]) {
      const window = visibleRows(1000, 40, scrollTop, 400);
      expect(window.offsetBefore + (window.end - window.start) * 40 + window.offsetAfter).toBe(40_000);
    }
  });
});

describe('category colours', () => {
  it.each(PATIENT_CATEGORIES)('%s meets WCAG AA contrast', (category) => {
    const { background, text } = CATEGORY_COLOURS[category];
    expect(contrastRatio(background, text)).toBeGreaterThanOrEqual(4.5);
  });

  it('matches the stylesheet', () => {
    const css = readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8');
    for (const category of PATIENT_CATEGORIES) {
      const rule = new RegExp(`\\.cat-${category} \\{([^}]*)\\}`).exec(css)?.[1] ?? '';
      expect(rule, `.cat-${category}`).toContain(`background: ${CATEGORY_COLOURS[category].background};`);
      expect(rule, `.cat-${category}`).toContain(`color: ${CATEGORY_COLOURS[category].text};`);
    }
  });

  it('computes known contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(() => contrastRatio('red', '#ffffff')).toThrow('Invalid colour "red"');
  });
});

describe('languages', () => {
  it('prefers a stored choice, then the first German or English entry', () => {
    expect(detectLanguage('en', ['de-DE'])).toBe('en');
    expect(detectLanguage(null, ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(detectLanguage(null, ['en-US', 'de'])).toBe('en');
    expect(detectLanguage(null, ['fr'])).toBe('en');
    expect(detectLanguage('xx', [])).toBe('en');
  });

  it('has every English text in German', () => {
    const keys = (catalog: object, prefix = ''): string[] =>
      Object.entries(catalog).flatMap(([key, value]) =>
        typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
      );
    expect(keys(de).sort()).toEqual(keys(en).sort());
  });
});

describe('runtime config', () => {
  it('uses the make up URLs and no tiles by default', () => {
    expect(defaultConfig({})).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      webSocketUrl: 'ws://127.0.0.1:3001/dev',
      tileUrl: '',
      tileAttribution: '',
      maxZoom: 18,
    });
  });

  it('merges config.json over the defaults', () => {
    const merged = mergeConfig(defaultConfig({}), {
      apiUrl: 'https://api.katapp.example/',
      webSocketUrl: 'wss://ws.katapp.example',
      stage: 'prod',
      tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      maxZoom: 'high',
    });
    expect(merged).toEqual({
      apiUrl: 'https://api.katapp.example',
      webSocketUrl: 'wss://ws.katapp.example',
      tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      tileAttribution: '© OpenStreetMap contributors',
      maxZoom: 18,
    });
  });

  it('takes the tile URL from the build when config.json has none', () => {
    const defaults = defaultConfig({
      VITE_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png',
      VITE_TILE_ATTRIBUTION: '© Example',
    });
    expect(mergeConfig(defaults, { apiUrl: 'https://api.example' })).toMatchObject({
      tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
      tileAttribution: '© Example',
    });
  });
});

describe('geography and time', () => {
  it('measures distances and finds the nearest', () => {
    // One degree of latitude on the mean-radius sphere is 111.195 km.
    expect(distanceKm({ lat: 50, lon: 8 }, { lat: 51, lon: 8 })).toBeCloseTo(111.195, 2);
    // Frankfurt Hauptbahnhof to the airport's terminal 1: 9.18 km by the haversine formula.
    expect(distanceKm({ lat: 50.1071, lon: 8.6636 }, { lat: 50.0504, lon: 8.5701 })).toBeCloseTo(9.18, 2);
    const found = nearest(
      { lat: 50, lon: 8 },
      [
        { lat: 52, lon: 13 },
        { lat: 50.1, lon: 8.1 },
      ],
      (item) => item,
    );
    expect(found?.item).toEqual({ lat: 50.1, lon: 8.1 });
    expect(nearest({ lat: 0, lon: 0 }, [], (item: { lat: number; lon: number }) => item)).toBeUndefined();
  });

  it('formats elapsed time', () => {
    expect(formatElapsed(0)).toBe('0:00:00');
    expect(formatElapsed(-5000)).toBe('0:00:00');
    expect(formatElapsed((2 * 3600 + 5 * 60 + 9) * 1000 + 999)).toBe('2:05:09');
    expect(formatElapsed((26 * 3600 + 60) * 1000)).toBe('1 d 02:01:00');
  });
});

describe('subscription keeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // A socket that never connects keeps its subscription set, which is what the keeper manages.
  const socket = () => new KatAppSocket({ url: 'ws://127.0.0.1:9/dev', token: 'unused' });

  it('unsubscribes after the delay', () => {
    vi.useFakeTimers();
    const live = socket();
    const keeper = new SubscriptionKeeper(live);
    const release = keeper.retain(DISASTER);
    expect(live.disasterIds).toEqual([DISASTER]);
    release();
    vi.advanceTimersByTime(UNSUBSCRIBE_DELAY_MS - 1);
    expect(live.disasterIds).toEqual([DISASTER]);
    vi.advanceTimersByTime(1);
    expect(live.disasterIds).toEqual([]);
  });

  it('keeps a subscription taken again in time', () => {
    vi.useFakeTimers();
    const live = socket();
    const keeper = new SubscriptionKeeper(live);
    keeper.retain(DISASTER)();
    const release = keeper.retain(DISASTER);
    vi.advanceTimersByTime(UNSUBSCRIBE_DELAY_MS * 2);
    expect(live.disasterIds).toEqual([DISASTER]);
    release();
    release();
    vi.advanceTimersByTime(UNSUBSCRIBE_DELAY_MS);
    expect(live.disasterIds).toEqual([]);
  });

  it('waits for the last holder', () => {
    vi.useFakeTimers();
    const live = socket();
    const keeper = new SubscriptionKeeper(live);
    const first = keeper.retain(DISASTER);
    const second = keeper.retain(DISASTER);
    first();
    vi.advanceTimersByTime(UNSUBSCRIBE_DELAY_MS);
    expect(live.disasterIds).toEqual([DISASTER]);
    second();
    keeper.dispose();
    vi.advanceTimersByTime(UNSUBSCRIBE_DELAY_MS);
    expect(live.disasterIds).toEqual([DISASTER]);
  });
});
