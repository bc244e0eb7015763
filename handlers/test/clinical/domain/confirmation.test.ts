import { describe, expect, it } from 'vitest';
import { initialConfirmationStatus, needsConfirmation } from '../../../src/domain/confirmation.js';
import { TRIAGE_CATEGORIES } from '../../../src/domain/vocabulary.js';

describe('initialConfirmationStatus', () => {
  it.each(['red', 'yellow', 'green', 'white'] as const)('confirms %s from a pre-triage', (category) => {
    expect(initialConfirmationStatus(category, 'pre-triage', false)).toBe('confirmed');
  });

  it.each(['blue', 'dead'] as const)('keeps %s pending from a pre-triage', (category) => {
    expect(initialConfirmationStatus(category, 'pre-triage', false)).toBe('pending-confirmation');
    expect(initialConfirmationStatus(category, 'pre-triage', true)).toBe('pending-confirmation');
  });

  it.each(['blue', 'dead'] as const)('keeps %s pending without the confirm right', (category) => {
    expect(initialConfirmationStatus(category, 'physician-triage', false)).toBe('pending-confirmation');
  });

  it.each(['blue', 'dead'] as const)('confirms %s from a physician with the right', (category) => {
    expect(initialConfirmationStatus(category, 'physician-triage', true)).toBe('confirmed');
  });

  it('names exactly blue and dead as needing confirmation', () => {
    expect(TRIAGE_CATEGORIES.filter(needsConfirmation)).toEqual(['blue', 'dead']);
  });
});
