/** A physician's confirmation of a pending blue or dead triage. */
import { auditPut } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { transactWrite } from '../data/clinical-items.js';
import { disasterActiveCheck } from '../data/disasters.js';
import { withOptimisticRetry } from '../data/optimistic-retry.js';
import { overviewUpdateItem } from '../data/overview.js';
import { putPatientItems } from '../data/patients.js';
import { confirmTriageItem, getTriage, type TriageRecord } from '../data/triages.js';
import { counterChanges } from '../domain/overview-counters.js';
import { confirmEntry } from '../domain/patient-state.js';
import { ResourceNotFoundError, TriageNotPendingError } from '../errors.js';
import { requireActiveDisaster, requirePatient } from './lookups.js';
import { countedPatient } from './patient-updates.js';

/**
 * Fits a confirmation note into the audit log's single-line `reason` (3 to 500 characters): line breaks become
 * spaces and a longer note is cut.
 */
export function auditReason(note: string | null | undefined): { reason?: string } {
  const line = (note ?? '').replace(/\s+/g, ' ').trim().slice(0, 500).trim();
  return line.length >= 3 ? { reason: line } : {};
}

/**
 * Confirms a pending triage: it becomes `final`, and when it is in the patient's history the patient's pending
 * mark and the overview's pending counter follow in the same transaction.
 */
export async function confirmTriage(
  context: RequestContext,
  triageId: string,
  note: string | null | undefined,
): Promise<TriageRecord> {
  const { tenantId, principal } = caller(context);

  return withOptimisticRetry(`triage ${triageId}`, async () => {
    const triage = await getTriage(tenantId, triageId);
    if (triage === undefined) throw new ResourceNotFoundError(`No triage ${triageId} exists in your tenant.`);
    await requireActiveDisaster(tenantId, triage.disasterId);
    if (triage.status !== 'pending-confirmation') {
      throw new TriageNotPendingError(
        `Triage ${triageId} has status ${triage.status}; only pending-confirmation triages can be confirmed.`,
      );
    }

    const patient = await requirePatient(tenantId, triage.patientId);
    const now = context.clock.now().toISOString();
    const confirmedBy = principal.userId ?? null;
    const updatedPatient = {
      ...patient,
      ...confirmEntry(patient, triageId),
      updatedAt: now,
      version: patient.version + 1,
    };
    const inHistory = patient.history.some((entry) => entry.triageId === triageId);
    const changes = counterChanges({
      patientBefore: countedPatient(patient),
      patientAfter: countedPatient(updatedPatient),
    });
    const overviewUpdate = overviewUpdateItem(tenantId, triage.disasterId, changes);

    await transactWrite([
      confirmTriageItem(tenantId, triageId, confirmedBy, now),
      ...(inHistory ? putPatientItems(updatedPatient, patient.version) : []),
      ...(overviewUpdate === undefined ? [] : [overviewUpdate]),
      disasterActiveCheck(tenantId, triage.disasterId),
      await auditPut(context, {
        action: 'confirm',
        entityType: 'triage',
        entityId: triageId,
        disasterId: triage.disasterId,
        details: auditReason(note),
      }),
    ]);
    return { ...triage, status: 'final', confirmedBy, confirmedAt: now };
  });
}
