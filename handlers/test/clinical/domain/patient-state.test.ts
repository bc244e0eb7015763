import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyTriage,
  type IncomingTriage,
  type PatientClinicalState,
  replacesCurrent,
  untriagedState,
} from '../../../src/domain/patient-state.js';
import { STAGES, TRIAGE_CATEGORIES } from '../../../src/domain/vocabulary.js';

function triage(
  overrides: Partial<IncomingTriage> & Pick<IncomingTriage, 'triageId' | 'capturedAt'>,
): IncomingTriage {
  return {
    stage: 'incident',
    category: 'green',
    ageGroup: undefined,
    supersedes: undefined,
    confirmation: 'confirmed',
    ...overrides,
  };
}

function applyOrFail(state: PatientClinicalState, incoming: IncomingTriage): PatientClinicalState {
  const result = applyTriage(state, incoming);
  if (!result.ok) throw new Error(`applyTriage rejected ${incoming.triageId}: ${result.problem}`);
  return result.state;
}

describe('applyTriage', () => {
  it('makes the first triage current and sets the age group', () => {
    const result = applyTriage(
      untriagedState(undefined, undefined),
      triage({ triageId: 'a', capturedAt: '2025-06-01T10:00:00Z', category: 'red', ageGroup: 'child' }),
    );
    expect(result).toEqual({
      ok: true,
      becameCurrent: true,
      state: {
        ageGroup: 'child',
        currentCategory: 'red',
        currentStage: 'incident',
        latestTriageId: 'a',
        latestCapturedAt: '2025-06-01T10:00:00Z',
        latestConfirmation: 'confirmed',
        firstCapturedAt: '2025-06-01T10:00:00Z',
        triageCount: 1,
      },
    });
  });

  it('keeps a newer state when an older triage arrives late', () => {
    const newer = applyOrFail(
      untriagedState('adult', undefined),
      triage({
        triageId: 'b',
        capturedAt: '2025-06-01T10:30:00Z',
        category: 'yellow',
        stage: 'treatment-area',
      }),
    );
    const result = applyTriage(
      newer,
      triage({ triageId: 'a', capturedAt: '2025-06-01T10:00:00Z', category: 'red' }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.becameCurrent).toBe(false);
    expect(result.state.currentCategory).toBe('yellow');
    expect(result.state.currentStage).toBe('treatment-area');
    expect(result.state.latestTriageId).toBe('b');
    expect(result.state.triageCount).toBe(2);
    expect(result.state.firstCapturedAt).toBe('2025-06-01T10:00:00Z');
  });

  it('rejects a different age group after the first triage', () => {
    const first = applyOrFail(
      untriagedState(undefined, undefined),
      triage({ triageId: 'a', capturedAt: '2025-06-01T10:00:00Z', ageGroup: 'adult' }),
    );
    expect(
      applyTriage(first, triage({ triageId: 'b', capturedAt: '2025-06-01T10:10:00Z', ageGroup: 'child' })),
    ).toEqual({
      ok: false,
      problem: 'age-group-fixed',
      fixed: 'adult',
      received: 'child',
    });
  });

  it('accepts a follow-up triage that repeats or omits the age group', () => {
    const first = applyOrFail(
      untriagedState(undefined, undefined),
      triage({ triageId: 'a', capturedAt: '2025-06-01T10:00:00Z', ageGroup: 'adult' }),
    );
    const repeated = applyOrFail(
      first,
      triage({ triageId: 'b', capturedAt: '2025-06-01T10:10:00Z', ageGroup: 'adult' }),
    );
    const omitted = applyOrFail(repeated, triage({ triageId: 'c', capturedAt: '2025-06-01T10:20:00Z' }));
    expect(omitted.ageGroup).toBe('adult');
    expect(omitted.triageCount).toBe(3);
  });

  it('lets a correction of the current triage replace it even when captured earlier', () => {
    const current = applyOrFail(
      untriagedState('adult', undefined),
      triage({ triageId: 'a', capturedAt: '2025-06-01T10:00:00Z', category: 'red' }),
    );
    const correction = triage({
      triageId: 'b',
      capturedAt: '2025-06-01T09:59:00Z',
      category: 'yellow',
      supersedes: 'a',
    });
    expect(replacesCurrent(current, correction)).toBe(true);
    expect(applyOrFail(current, correction).currentCategory).toBe('yellow');
  });

  it('orders equal capture times by triage id', () => {
    const state = applyOrFail(
      untriagedState('adult', undefined),
      triage({ triageId: 'm', capturedAt: '2025-06-01T10:00:00Z', category: 'red' }),
    );
    expect(replacesCurrent(state, triage({ triageId: 'n', capturedAt: '2025-06-01T10:00:00.000Z' }))).toBe(
      true,
    );
    expect(replacesCurrent(state, triage({ triageId: 'l', capturedAt: '2025-06-01T10:00:00.000Z' }))).toBe(
      false,
    );
  });

  it('ends in the same state whatever the upload order', () => {
    const triageArbitrary = fc.record({
      minute: fc.integer({ min: 0, max: 120 }),
      stage: fc.constantFrom(...STAGES),
      category: fc.constantFrom(...TRIAGE_CATEGORIES),
    });
    fc.assert(
      fc.property(fc.array(triageArbitrary, { minLength: 1, maxLength: 12 }), fc.context(), (specs, ctx) => {
        const triages = specs.map((spec, index) =>
          triage({
            triageId: `t${String(index).padStart(2, '0')}`,
            capturedAt: new Date(Date.UTC(2025, 5, 1, 10, spec.minute)).toISOString(),
            stage: spec.stage,
            category: spec.category,
            ageGroup: 'adult',
          }),
        );
        const inOrder = triages.reduce(applyOrFail, untriagedState(undefined, undefined));
        const reversed = [...triages].reverse().reduce(applyOrFail, untriagedState(undefined, undefined));
        ctx.log(JSON.stringify({ inOrder, reversed }));
        expect(reversed).toEqual(inOrder);

        const newest = [...triages].sort((a, b) =>
          a.capturedAt === b.capturedAt
            ? a.triageId < b.triageId
              ? 1
              : -1
            : a.capturedAt < b.capturedAt
              ? 1
              : -1,
        )[0];
        expect(inOrder.latestTriageId).toBe(newest?.triageId);
      }),
    );
  });
});
