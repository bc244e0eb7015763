import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allCellCounters,
  COUNTER,
  type CountedPatient,
  cellCounter,
  counterChanges,
} from '../../../src/domain/overview-counters.js';
import { STAGES, TRIAGE_CATEGORIES } from '../../../src/domain/vocabulary.js';

const redAtIncident: CountedPatient = {
  stage: 'incident',
  category: 'red',
  released: false,
  pendingConfirmation: false,
};

describe('counterChanges', () => {
  it('counts a new patient once in its cell and the total', () => {
    expect(Object.fromEntries(counterChanges(undefined, redAtIncident, 1))).toEqual({
      [COUNTER.patientsTotal]: 1,
      'cell:incident:red': 1,
      [COUNTER.triagesTotal]: 1,
    });
  });

  it('moves a patient between cells without touching the total', () => {
    const after: CountedPatient = { ...redAtIncident, stage: 'treatment-area', category: 'yellow' };
    expect(Object.fromEntries(counterChanges(redAtIncident, after, 1))).toEqual({
      'cell:incident:red': -1,
      'cell:treatment-area:yellow': 1,
      [COUNTER.triagesTotal]: 1,
    });
  });

  it('changes nothing for a late triage that leaves the state alone', () => {
    expect(Object.fromEntries(counterChanges(redAtIncident, redAtIncident, 1))).toEqual({
      [COUNTER.triagesTotal]: 1,
    });
  });

  it('counts release and pending confirmation', () => {
    const pendingBlue: CountedPatient = {
      stage: 'incident',
      category: 'blue',
      released: false,
      pendingConfirmation: true,
    };
    expect(
      Object.fromEntries(counterChanges(pendingBlue, { ...pendingBlue, pendingConfirmation: false })),
    ).toEqual({
      [COUNTER.patientsPendingConfirmation]: -1,
    });
    expect(Object.fromEntries(counterChanges(redAtIncident, { ...redAtIncident, released: true }))).toEqual({
      [COUNTER.patientsReleased]: 1,
    });
  });

  it('counts registered cards without stage as untriaged', () => {
    const registered: CountedPatient = {
      stage: undefined,
      category: 'untriaged',
      released: false,
      pendingConfirmation: false,
    };
    expect(counterChanges(undefined, registered).get(cellCounter('none', 'untriaged'))).toBe(1);
  });

  it('keeps cell sums equal to the patient total', () => {
    const patientArbitrary = fc.record({
      stage: fc.constantFrom(...STAGES, undefined),
      category: fc.constantFrom(...TRIAGE_CATEGORIES, 'untriaged' as const),
      released: fc.boolean(),
      pendingConfirmation: fc.boolean(),
    });
    const transition = fc.tuple(fc.nat({ max: 5 }), fc.option(patientArbitrary, { nil: undefined }));
    fc.assert(
      fc.property(fc.array(transition, { maxLength: 40 }), (steps) => {
        const patients = new Map<number, CountedPatient>();
        const totals = new Map<string, number>();
        for (const [id, next] of steps) {
          for (const [name, delta] of counterChanges(patients.get(id), next)) {
            totals.set(name, (totals.get(name) ?? 0) + delta);
          }
          if (next === undefined) patients.delete(id);
          else patients.set(id, next);
        }
        const cellSum = allCellCounters().reduce((sum, cell) => sum + (totals.get(cell.name) ?? 0), 0);
        expect(cellSum).toBe(patients.size);
        expect(totals.get(COUNTER.patientsTotal) ?? 0).toBe(patients.size);
        expect(totals.get(COUNTER.patientsReleased) ?? 0).toBe(
          [...patients.values()].filter((p) => p.released).length,
        );
        for (const value of totals.values()) expect(value).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
