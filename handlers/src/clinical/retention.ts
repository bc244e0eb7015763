/** Retention of clinical data: when the items of a disaster expire through DynamoDB TTL. */
import { epochSeconds } from '../data/table.js';
import { defaultRetention, getTenant } from '../data/tenants.js';
import type { DisasterMode } from '../domain/vocabulary.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Returns the expiry of a new disaster's items in epoch seconds: its start plus the tenant's `patientDataDays`
 * for real disasters or `drillDataDays` for drills and tests, read when the disaster is opened.
 * NOTE: a later change of the tenant's retention applies to disasters opened after it, not to existing ones.
 */
export async function disasterExpiry(
  tenantId: string,
  mode: DisasterMode,
  startedAt: string,
): Promise<number> {
  const retention = (await getTenant(tenantId))?.settings.retention ?? defaultRetention;
  const days = mode === 'real' ? retention.patientDataDays : retention.drillDataDays;
  return epochSeconds(new Date(Date.parse(startedAt) + days * DAY_MS));
}
