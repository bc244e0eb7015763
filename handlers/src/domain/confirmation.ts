// Physician confirmation of blue and dead triages.
import { CATEGORIES_NEEDING_CONFIRMATION, type TriageCategory } from './vocabulary.js';

/** Kind of a triage: a paramedic's pre-triage or a physician's triage. */
export type TriageKind = 'pre-triage' | 'physician-triage';

/** Status of a stored triage: `final`, or `pending-confirmation` while a blue or dead triage waits for a physician. */
export type TriageStatus = 'final' | 'pending-confirmation';

/**
 * Returns the status a new triage is stored with. Blue and dead stay pending unless the uploader
 * has ActionConfirmTriage and recorded the triage as a physician triage.
 */
export function initialTriageStatus(
  category: TriageCategory,
  kind: TriageKind,
  uploaderMayConfirm: boolean,
): TriageStatus {
  if (!CATEGORIES_NEEDING_CONFIRMATION.has(category)) return 'final';
  return uploaderMayConfirm && kind === 'physician-triage' ? 'final' : 'pending-confirmation';
}

/** Tells whether a triage of this category waits for a confirmation when the uploader cannot confirm it. */
export function needsConfirmation(category: TriageCategory): boolean {
  return CATEGORIES_NEEDING_CONFIRMATION.has(category);
}
