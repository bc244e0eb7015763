import { describe, expect, it } from 'vitest';
import { initialTriageStatus, needsConfirmation } from '../../../src/domain/confirmation.js';
import { TRIAGE_CATEGORIES } from '../../../src/domain/vocabulary.js';

describe('initialTriageStatus', () => {
  it.each(['red', 'yellow', 'green', 'white'] as const)(
    'stores %s from a pre-triage as final',
    (category) => {
      expect(initialTriageStatus(category, 'pre-triage', false)).toBe('final');
    },
  );

  it.each(['blue', 'dead'] as const)('keeps %s pending from a pre-triage', (category) => {
    expect(initialTriageStatus(category, 'pre-triage', false)).toBe('pending-confirmation');
    expect(initialTriageStatus(category, 'pre-triage', true)).toBe('pending-confirmation');
  });

  it.each(['blue', 'dead'] as const)('keeps %s pending without the confirm right', (category) => {
    expect(initialTriageStatus(category, 'physician-triage', false)).toBe('pending-confirmation');
  });

  it.each(['blue', 'dead'] as const)('stores %s from a physician with the right as final', (category) => {
    expect(initialTriageStatus(category, 'physician-triage', true)).toBe('final');
  });

  it('names exactly blue and dead as needing confirmation', () => {
    expect(TRIAGE_CATEGORIES.filter(needsConfirmation)).toEqual(['blue', 'dead']);
  });
});
