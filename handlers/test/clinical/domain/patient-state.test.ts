import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyTriage,
  CATEGORY_TREND_LENGTH,
  compareEntries,
  confirmEntry,
  derive,
  type HistoryEntry,
  MAX_HISTORY_ENTRIES,
  type PatientClinicalState,
  untriagedState,
} from '../../../src/domain/patient-state.js';
import { STAGES, TRIAGE_CATEGORIES } from '../../../src/domain/vocabulary.js';

function entry(
  overrides: Partial<HistoryEntry> & Pick<HistoryEntry, 'triageId' | 'capturedAt'>,
): HistoryEntry {
  return {
    stage: 'incident',
    category: 'green',
    status: 'final',
    transportPriority: null,
    position: null,
    recoveryState: null,
    ...overrides,
  };
}

function applyOrFail(state: PatientClinicalState, incoming: HistoryEntry, supersedes: string | null = null) {
  const result = applyTriage(state, incoming, state.ageGroup, supersedes);
  if (!result.ok) throw new Error(`applyTriage rejected ${incoming.triageId}: ${result.problem}`);
  return result;
}

const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 10, minute)).toISOString();

describe('applyTriage', () => {
  it('makes the first triage current', () => {
    const result = applyOrFail(
      untriagedState('child'),
      entry({ triageId: 'a', capturedAt: at(0), category: 'red', position: { lat: 50, lon: 8 } }),
    );
    expect(result.becameCurrent).toBe(true);
    expect(result.state.triageCount).toBe(1);
    expect(result.state.firstTriagedAt).toBe(at(0));
    expect(derive(result.state)).toEqual({
      currentCategory: 'red',
      currentStage: 'incident',
      currentTriageId: 'a',
      lastTriagedAt: at(0),
      transportPriority: null,
      pendingConfirmation: false,
      position: { lat: 50, lon: 8 },
      recoveryState: null,
      categoryTrend: ['red'],
    });
  });

  it('keeps a newer state when an older triage arrives late', () => {
    const newer = applyOrFail(
      untriagedState('adult'),
      entry({ triageId: 'b', capturedAt: at(30), category: 'yellow', stage: 'treatment-area' }),
    ).state;
    const late = applyOrFail(newer, entry({ triageId: 'a', capturedAt: at(0), category: 'red' }));
    expect(late.becameCurrent).toBe(false);
    const derived = derive(late.state);
    expect(derived.currentCategory).toBe('yellow');
    expect(derived.currentStage).toBe('treatment-area');
    expect(derived.currentTriageId).toBe('b');
    expect(derived.categoryTrend).toEqual(['red', 'yellow']);
    expect(late.state.triageCount).toBe(2);
    expect(late.state.firstTriagedAt).toBe(at(0));
  });

  it('rejects the other age group', () => {
    const state = applyOrFail(untriagedState('adult'), entry({ triageId: 'a', capturedAt: at(0) })).state;
    expect(applyTriage(state, entry({ triageId: 'b', capturedAt: at(10) }), 'child', null)).toEqual({
      ok: false,
      problem: 'age-group-fixed',
      fixed: 'adult',
      received: 'child',
    });
  });

  it('removes a superseded triage from the history', () => {
    let state = applyOrFail(
      untriagedState('adult'),
      entry({ triageId: 'a', capturedAt: at(0), category: 'green' }),
    ).state;
    state = applyOrFail(state, entry({ triageId: 'b', capturedAt: at(10), category: 'red' })).state;
    const corrected = applyOrFail(
      state,
      entry({ triageId: 'c', capturedAt: at(20), category: 'yellow' }),
      'b',
    );
    expect(corrected.becameCurrent).toBe(true);
    expect(corrected.state.history.map((item) => item.triageId)).toEqual(['a', 'c']);
    expect(corrected.state.triageCount).toBe(3);
    expect(derive(corrected.state).categoryTrend).toEqual(['green', 'yellow']);
  });

  it('falls back to the next newest when a correction is captured earlier', () => {
    let state = applyOrFail(
      untriagedState('adult'),
      entry({ triageId: 'a', capturedAt: at(0), category: 'green' }),
    ).state;
    state = applyOrFail(state, entry({ triageId: 'b', capturedAt: at(10), category: 'yellow' })).state;
    state = applyOrFail(state, entry({ triageId: 'c', capturedAt: at(20), category: 'red' })).state;
    // The correction of c was captured at minute 5, so b (minute 10) is now the newest triage that is not superseded.
    const corrected = applyOrFail(state, entry({ triageId: 'd', capturedAt: at(5), category: 'green' }), 'c');
    expect(corrected.becameCurrent).toBe(false);
    expect(derive(corrected.state).currentTriageId).toBe('b');
    expect(derive(corrected.state).currentCategory).toBe('yellow');
  });

  it('orders equal capture times by triage id', () => {
    const state = applyOrFail(untriagedState('adult'), entry({ triageId: 'm', capturedAt: at(0) })).state;
    expect(applyOrFail(state, entry({ triageId: 'n', capturedAt: at(0) })).becameCurrent).toBe(true);
    expect(applyOrFail(state, entry({ triageId: 'l', capturedAt: at(0) })).becameCurrent).toBe(false);
  });

  it('caps the history at the newest entries', () => {
    let state = untriagedState('adult');
    for (let index = 0; index < MAX_HISTORY_ENTRIES + 5; index++) {
      state = applyOrFail(
        state,
        entry({ triageId: `t${String(index).padStart(3, '0')}`, capturedAt: at(index) }),
      ).state;
    }
    expect(state.history).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(state.history[0]?.triageId).toBe('t005');
    expect(state.triageCount).toBe(MAX_HISTORY_ENTRIES + 5);
    expect(derive(state).categoryTrend).toHaveLength(CATEGORY_TREND_LENGTH);
  });

  it('ends in the same state whatever the upload order', () => {
    const entryArbitrary = fc.record({
      minute: fc.integer({ min: 0, max: 120 }),
      stage: fc.constantFrom(...STAGES),
      category: fc.constantFrom(...TRIAGE_CATEGORIES),
      withPosition: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(entryArbitrary, { minLength: 1, maxLength: 12 }), (specs) => {
        const entries = specs.map((spec, index) =>
          entry({
            triageId: `t${String(index).padStart(2, '0')}`,
            capturedAt: at(spec.minute),
            stage: spec.stage,
            category: spec.category,
            position: spec.withPosition ? { lat: index, lon: index } : null,
          }),
        );
        const fold = (list: HistoryEntry[]) =>
          list.reduce((state, item) => applyOrFail(state, item).state, untriagedState('adult'));
        const inOrder = fold(entries);
        const reversed = fold([...entries].reverse());
        expect(reversed).toEqual(inOrder);

        const newest = [...entries].sort(compareEntries).at(-1);
        expect(derive(inOrder).currentTriageId).toBe(newest?.triageId);
        const newestWithPosition = [...entries]
          .sort(compareEntries)
          .findLast((item) => item.position !== null);
        expect(derive(inOrder).position).toEqual(newestWithPosition?.position ?? null);
      }),
    );
  });
});

describe('confirmEntry', () => {
  it('clears the pending mark of the current triage', () => {
    const state = applyOrFail(
      untriagedState('adult'),
      entry({ triageId: 'a', capturedAt: at(0), category: 'dead', status: 'pending-confirmation' }),
    ).state;
    expect(derive(state).pendingConfirmation).toBe(true);
    expect(derive(confirmEntry(state, 'a')).pendingConfirmation).toBe(false);
  });
});
