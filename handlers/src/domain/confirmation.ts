// Physician confirmation of blue and dead triages.
import { CATEGORIES_NEEDING_CONFIRMATION, type TriageCategory } from './vocabulary.js';

/** Kind of a triage: a paramedic's pre-triage or a physician's triage. */
export type TriageKind = 'pre-triage' | 'physician-triage';

/** Confirmation state of a stored triage. `confirmed` is also the state of triages that need no confirmation. */
export type ConfirmationStatus = 'confirmed' | 'pending-confirmation';

/**
 * Returns the confirmation state a new triage is stored with. Blue and dead stay pending unless the uploader
 * has ActionConfirmTriage and recorded the triage as a physician triage.
 */
export function initialConfirmationStatus(
  category: TriageCategory,
  kind: TriageKind,
  uploaderMayConfirm: boolean,
): ConfirmationStatus {
  if (!CATEGORIES_NEEDING_CONFIRMATION.has(category)) return 'confirmed';
  return uploaderMayConfirm && kind === 'physician-triage' ? 'confirmed' : 'pending-confirmation';
}

/** Tells whether a triage of this category waits for a confirmation when the uploader cannot confirm it. */
export function needsConfirmation(category: TriageCategory): boolean {
  return CATEGORIES_NEEDING_CONFIRMATION.has(category);
}
