// Compares the server's state after a drill with the state the scenario leads to.
import {
  createKatAppClient,
  type KatAppClient,
  type Schemas,
} from '../../../clients/typescript/src/index.js';
import type { PlayedRun } from './play.js';
import { CATEGORIES, type Scenario, type ScenarioTriage, STAGES } from './scenario.js';

export interface Mismatch {
  what: string;
  expected: unknown;
  actual: unknown;
}

export interface CheckResult {
  mismatches: Mismatch[];
  patients: number;
  triages: number;
  overview: Schemas['DisasterOverview'];
}

interface ExpectedPatient {
  cardCode: string;
  ageGroup: string;
  currentCategory: string;
  currentStage: string;
  currentTriageId: string;
  pendingConfirmation: boolean;
  triageCount: number;
}

/** Derives the state the scenario leads to by the API's rules: history by reported capture time, then id. */
export function expectedState(scenario: Scenario, run: PlayedRun) {
  const supersededBy = new Map<number, number>();
  for (const triage of scenario.triages) {
    if (triage.supersedes !== undefined) supersededBy.set(triage.supersedes, triage.index);
  }
  const idOf = (triage: ScenarioTriage) => run.triages[triage.index]?.id ?? '';
  const captureOf = (triage: ScenarioTriage) => Date.parse(run.triages[triage.index]?.capturedAt ?? '');
  const statusOf = (triage: ScenarioTriage) => {
    const mayConfirm =
      scenario.devices[triage.device]?.role === 'Physician' && triage.kind === 'physician-triage';
    return (triage.category === 'blue' || triage.category === 'dead') && !mayConfirm
      ? 'pending-confirmation'
      : 'final';
  };
  const patients: ExpectedPatient[] = scenario.patients.map((patient) => {
    const all = scenario.triages.filter((triage) => triage.patient === patient.index);
    const history = all
      .filter((triage) => !supersededBy.has(triage.index))
      .sort((left, right) => captureOf(left) - captureOf(right) || (idOf(left) < idOf(right) ? -1 : 1));
    const current = history.at(-1);
    if (!current) throw new Error(`Patient ${patient.index} has no triage in the scenario.`);
    return {
      cardCode: run.cardCodes[patient.index] ?? '',
      ageGroup: patient.ageGroup,
      currentCategory: current.category,
      currentStage: current.stage,
      currentTriageId: idOf(current),
      pendingConfirmation: statusOf(current) === 'pending-confirmation',
      triageCount: all.length,
    };
  });
  const triages = scenario.triages.map((triage) => {
    const by = supersededBy.get(triage.index);
    return {
      id: idOf(triage),
      cardCode: run.cardCodes[triage.patient] ?? '',
      capturedAt: captureOf(triage),
      stage: triage.stage,
      category: triage.category,
      status: statusOf(triage),
      supersededBy: by === undefined ? null : (run.triages[by]?.id ?? null),
    };
  });
  return { patients, triages };
}

async function listAll<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    items.push(...result.items);
    cursor = result.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await work(item);
      }
    }),
  );
}

/** Reads patients, triages, histories and the overview and lists every difference from the scenario. */
export async function checkRun(
  scenario: Scenario,
  run: PlayedRun,
  options: { api: string; viewer: { email: string; password: string }; client?: KatAppClient },
): Promise<CheckResult> {
  const viewer = options.client ?? createKatAppClient({ baseUrl: options.api });
  if (!options.client) await viewer.login(options.viewer.email, options.viewer.password);
  const disasterId = run.disasterId;
  const expected = expectedState(scenario, run);
  const mismatches: Mismatch[] = [];
  const differ = (what: string, expectedValue: unknown, actual: unknown) => {
    if (JSON.stringify(expectedValue) !== JSON.stringify(actual))
      mismatches.push({ what, expected: expectedValue, actual });
  };

  for (const dead of run.deadLetters) {
    mismatches.push({
      what: `upload of triage ${dead.triageId}`,
      expected: 'stored',
      actual: `dead letter ${dead.status ?? ''} ${dead.code ?? ''}`.trim(),
    });
  }
  for (const status of run.duplicateStatuses) {
    if (status !== 200 && status !== 201)
      mismatches.push({ what: 'second send of a triage', expected: '200 or 201', actual: status });
  }

  const triages = await listAll((cursor) =>
    viewer
      .GET('/disasters/{disasterId}/triages', {
        params: { path: { disasterId }, query: { limit: 500, ...(cursor ? { cursor } : {}) } },
      })
      .then(({ data }) => data),
  );
  const storedById = new Map<string, Schemas['Triage']>();
  for (const triage of triages) {
    if (storedById.has(triage.id))
      mismatches.push({ what: `triage ${triage.id}`, expected: 'stored once', actual: 'listed twice' });
    storedById.set(triage.id, triage);
  }
  differ('number of triages', expected.triages.length, triages.length);
  for (const want of expected.triages) {
    const got = storedById.get(want.id);
    if (!got) {
      mismatches.push({
        what: `triage ${want.id} (card ${want.cardCode})`,
        expected: 'stored',
        actual: 'missing',
      });
      continue;
    }
    differ(`triage ${want.id} fields`, want, {
      id: got.id,
      cardCode: got.cardCode,
      capturedAt: Date.parse(got.capturedAt),
      stage: got.stage,
      category: got.category,
      status: got.status,
      supersededBy: got.supersededBy,
    });
  }
  const expectedIds = new Set(expected.triages.map((triage) => triage.id));
  for (const id of storedById.keys()) {
    if (!expectedIds.has(id))
      mismatches.push({ what: `triage ${id}`, expected: 'not in the scenario', actual: 'stored' });
  }

  const patients = await listAll((cursor) =>
    viewer
      .GET('/disasters/{disasterId}/patients', {
        params: {
          path: { disasterId },
          query: { limit: 500, sort: 'cardCode', ...(cursor ? { cursor } : {}) },
        },
      })
      .then(({ data }) => data),
  );
  const byCard = new Map<string, Schemas['Patient']>();
  for (const patient of patients) {
    if (byCard.has(patient.cardCode))
      mismatches.push({
        what: `patient card ${patient.cardCode}`,
        expected: 'one patient',
        actual: 'two patients',
      });
    byCard.set(patient.cardCode, patient);
  }
  differ('number of patients', expected.patients.length, patients.length);
  for (const want of expected.patients) {
    const got = byCard.get(want.cardCode);
    if (!got) {
      mismatches.push({ what: `patient card ${want.cardCode}`, expected: 'stored', actual: 'missing' });
      continue;
    }
    differ(`patient card ${want.cardCode}`, want, {
      cardCode: got.cardCode,
      ageGroup: got.ageGroup,
      currentCategory: got.currentCategory,
      currentStage: got.currentStage,
      currentTriageId: got.currentTriageId,
      pendingConfirmation: got.pendingConfirmation,
      triageCount: got.triageCount,
    });
  }

  // Each patient's history as the API lists it must be in capture order.
  await eachLimited(patients, 8, async (patient) => {
    const history = await listAll((cursor) =>
      viewer
        .GET('/patients/{patientId}/triages', {
          params: { path: { patientId: patient.id }, query: { limit: 500, ...(cursor ? { cursor } : {}) } },
        })
        .then(({ data }) => data),
    );
    const times = history.map((triage) => Date.parse(triage.capturedAt));
    const sorted = [...times].sort((left, right) => left - right);
    differ(`history order of card ${patient.cardCode} (capture times)`, sorted, times);
    differ(`history length of card ${patient.cardCode}`, patient.triageCount, history.length);
  });

  const { data: overview } = await viewer.GET('/disasters/{disasterId}/overview', {
    params: { path: { disasterId } },
  });
  const counts: Record<string, Record<string, number>> = {};
  for (const stage of STAGES) {
    counts[stage] = Object.fromEntries([...CATEGORIES, 'untriaged'].map((category) => [category, 0]));
  }
  for (const patient of expected.patients) {
    const row = counts[patient.currentStage] as Record<string, number>;
    row[patient.currentCategory] = (row[patient.currentCategory] ?? 0) + 1;
  }
  for (const stage of STAGES) {
    for (const category of [...CATEGORIES, 'untriaged'] as const) {
      differ(
        `overview count ${stage} × ${category}`,
        counts[stage]?.[category] ?? 0,
        overview.countsByStageAndCategory[stage][category],
      );
    }
  }
  differ('overview patientsTotal', expected.patients.length, overview.patientsTotal);
  // The API counts triages without the superseded ones, in the total and in the per-stage cells.
  const current = expected.triages.filter((triage) => triage.supersededBy === null);
  differ('overview triagesTotal (superseded excluded)', current.length, overview.triagesTotal);
  for (const stage of STAGES) {
    for (const category of CATEGORIES) {
      const count = current.filter((triage) => triage.stage === stage && triage.category === category).length;
      differ(
        `overview triage count ${stage} × ${category}`,
        count,
        overview.triageCountsByStageAndCategory[stage][category],
      );
    }
  }
  differ(
    'overview pendingConfirmations',
    expected.patients.filter((patient) => patient.pendingConfirmation).length,
    overview.pendingConfirmations,
  );
  return { mismatches, patients: patients.length, triages: triages.length, overview };
}

/** Formats the mismatches as a readable diff, one line per mismatch. */
export function formatMismatches(mismatches: Mismatch[], limit = 50): string {
  const lines = mismatches
    .slice(0, limit)
    .map(
      (mismatch) =>
        `  ${mismatch.what}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
    );
  if (mismatches.length > limit) lines.push(`  … and ${mismatches.length - limit} more`);
  return lines.join('\n');
}
