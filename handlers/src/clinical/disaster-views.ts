/** The overview and stage summaries of a disaster, built from its record and its counter items. */
import type { components } from '../../../generated/types/openapi.js';
import type { DisasterWithOverview } from '../data/disasters.js';
import { COUNTER, readCounters } from '../domain/overview-counters.js';
import { STAGES } from '../domain/vocabulary.js';
import { disasterView } from './representations.js';

type Schemas = components['schemas'];

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

/** Summarises each stage in workflow order from the overview item alone. */
export function stageSummaries(overview: Readonly<Record<string, unknown>>): Schemas['StageSummary'][] {
  const counts = readCounters(overview);
  return STAGES.map((stage) => {
    const lastTriageAt = overview[COUNTER.lastTriageAt(stage)];
    return {
      stage,
      patients: sum(counts.countsByStageAndCategory[stage]),
      patientsByCategory: counts.countsByStageAndCategory[stage],
      triages: sum(counts.triageCountsByStageAndCategory[stage]),
      lastTriageAt: typeof lastTriageAt === 'string' ? lastTriageAt : null,
    };
  });
}

export function overviewView(contents: DisasterWithOverview, generatedAt: Date): Schemas['DisasterOverview'] {
  const counts = readCounters(contents.overview);
  return {
    disaster: disasterView(contents.disaster),
    generatedAt: generatedAt.toISOString(),
    patientsTotal: counts.patientsTotal,
    patientsReleased: counts.patientsReleased,
    patientsByStatus: counts.patientsByStatus,
    patientsByCategory: counts.patientsByCategory,
    countsByStageAndCategory: counts.countsByStageAndCategory,
    triagesTotal: counts.triagesTotal,
    triageCountsByStageAndCategory: counts.triageCountsByStageAndCategory,
    pendingConfirmations: counts.pendingConfirmations,
  };
}
