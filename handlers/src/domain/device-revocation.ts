// Acceptance of triages queued on a device that was revoked while offline.

export type RevocationVerdict =
  | { readonly accepted: true; readonly flagged: boolean }
  | { readonly accepted: false; readonly revokedAt: string };

/**
 * Decides whether a triage from a device is accepted. Triages captured before the revocation time were
 * queued while the device was still trusted: they are accepted and flagged for review. Triages captured
 * at or after the revocation time are rejected.
 */
export function checkDeviceRevocation(capturedAt: Date, revokedAt: Date | undefined): RevocationVerdict {
  if (revokedAt === undefined) return { accepted: true, flagged: false };
  if (capturedAt.getTime() < revokedAt.getTime()) return { accepted: true, flagged: true };
  return { accepted: false, revokedAt: revokedAt.toISOString() };
}
