import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COUNTER,
  type CountedPatient,
  type CountedTriage,
  counterChanges,
  readCounters,
} from '../../../src/domain/overview-counters.js';
import { PATIENT_STATUSES, STAGES, TRIAGE_CATEGORIES } from '../../../src/domain/vocabulary.js';

const redAtIncident: CountedPatient = {
  stage: 'incident',
  category: 'red',
  status: 'in-care',
  pendingConfirmation: false,
};
const redTriage: CountedTriage = { stage: 'incident', category: 'red' };

describe('counterChanges', () => {
  it('counts a new patient and its first triage', () => {
    expect(
      Object.fromEntries(counterChanges({ patientAfter: redAtIncident, triagesAdded: [redTriage] })),
    ).toEqual({
      patientsTotal: 1,
      'patients:red': 1,
      'status:in-care': 1,
      'patients:incident:red': 1,
      triagesTotal: 1,
      'triages:incident:red': 1,
    });
  });

  it('moves a patient between cells without touching totals', () => {
    const after: CountedPatient = { ...redAtIncident, stage: 'treatment-area', category: 'yellow' };
    const changes = counterChanges({
      patientBefore: redAtIncident,
      patientAfter: after,
      triagesAdded: [{ stage: 'treatment-area', category: 'yellow' }],
    });
    expect(Object.fromEntries(changes)).toEqual({
      'patients:red': -1,
      'patients:yellow': 1,
      'patients:incident:red': -1,
      'patients:treatment-area:yellow': 1,
      triagesTotal: 1,
      'triages:treatment-area:yellow': 1,
    });
  });

  it('leaves patient counters alone for a late upload', () => {
    const changes = counterChanges({
      patientBefore: redAtIncident,
      patientAfter: redAtIncident,
      triagesAdded: [redTriage],
    });
    expect(Object.fromEntries(changes)).toEqual({ triagesTotal: 1, 'triages:incident:red': 1 });
  });

  it('swaps triage cells for a correction', () => {
    const changes = counterChanges({
      triagesAdded: [{ stage: 'incident', category: 'yellow' }],
      triagesRemoved: [redTriage],
    });
    expect(Object.fromEntries(changes)).toEqual({ 'triages:incident:yellow': 1, 'triages:incident:red': -1 });
  });

  it('counts status and pending confirmation', () => {
    const pendingBlue: CountedPatient = { ...redAtIncident, category: 'blue', pendingConfirmation: true };
    expect(
      Object.fromEntries(
        counterChanges({
          patientBefore: pendingBlue,
          patientAfter: { ...pendingBlue, pendingConfirmation: false },
        }),
      ),
    ).toEqual({ pendingConfirmations: -1 });
    expect(
      Object.fromEntries(
        counterChanges({
          patientBefore: redAtIncident,
          patientAfter: { ...redAtIncident, status: 'released' },
        }),
      ),
    ).toEqual({ 'status:in-care': -1, 'status:released': 1 });
  });

  it('gives untriaged patients no stage cell', () => {
    const registered: CountedPatient = {
      stage: null,
      category: 'untriaged',
      status: 'in-care',
      pendingConfirmation: false,
    };
    expect(Object.fromEntries(counterChanges({ patientAfter: registered }))).toEqual({
      patientsTotal: 1,
      'patients:untriaged': 1,
      'status:in-care': 1,
    });
  });

  it('keeps every breakdown summing to the totals', () => {
    const patientArbitrary = fc.record({
      stage: fc.constantFrom(...STAGES, null),
      category: fc.constantFrom(...TRIAGE_CATEGORIES),
      status: fc.constantFrom(...PATIENT_STATUSES),
      pendingConfirmation: fc.boolean(),
    });
    const normalise = (patient: CountedPatient): CountedPatient =>
      patient.stage === null ? { ...patient, category: 'untriaged', pendingConfirmation: false } : patient;
    const transition = fc.tuple(fc.nat({ max: 5 }), fc.option(patientArbitrary, { nil: undefined }));

    fc.assert(
      fc.property(fc.array(transition, { maxLength: 40 }), (steps) => {
        const patients = new Map<number, CountedPatient>();
        const attributes: Record<string, number> = {};
        for (const [id, raw] of steps) {
          const next = raw === undefined ? undefined : normalise(raw);
          for (const [name, delta] of counterChanges({
            patientBefore: patients.get(id),
            patientAfter: next,
          })) {
            attributes[name] = (attributes[name] ?? 0) + delta;
          }
          if (next === undefined) patients.delete(id);
          else patients.set(id, next);
        }
        for (const value of Object.values(attributes)) expect(value).toBeGreaterThanOrEqual(0);

        const counts = readCounters(attributes);
        const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
        expect(counts.patientsTotal).toBe(patients.size);
        expect(sum(counts.patientsByCategory)).toBe(patients.size);
        expect(sum(counts.patientsByStatus)).toBe(patients.size);
        const staged = [...patients.values()].filter((patient) => patient.stage !== null).length;
        expect(STAGES.reduce((total, stage) => total + sum(counts.countsByStageAndCategory[stage]), 0)).toBe(
          staged,
        );
        expect(counts.patientsReleased).toBe(
          [...patients.values()].filter((p) => p.status === 'released').length,
        );
      }),
    );
  });
});

describe('readCounters', () => {
  it('reads missing counters as zero', () => {
    const counts = readCounters({});
    expect(counts.patientsTotal).toBe(0);
    expect(counts.countsByStageAndCategory.hospital.untriaged).toBe(0);
    expect(counts.triageCountsByStageAndCategory.incident.red).toBe(0);
  });

  it('maps attributes to the nested shape', () => {
    const counts = readCounters({
      [COUNTER.patientCell('transport', 'yellow')]: 4,
      [COUNTER.triageCell('incident', 'dead')]: 2,
      [COUNTER.patientsByStatus('released')]: 3,
      [COUNTER.triagesTotal]: 9,
    });
    expect(counts.countsByStageAndCategory.transport.yellow).toBe(4);
    expect(counts.triageCountsByStageAndCategory.incident.dead).toBe(2);
    expect(counts.patientsReleased).toBe(3);
    expect(counts.patientsByStatus.released).toBe(3);
    expect(counts.triagesTotal).toBe(9);
  });
});
