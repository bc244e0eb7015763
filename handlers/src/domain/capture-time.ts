// Plausibility window for a triage's capture time, which comes from the device clock.

/**
 * Largest accepted lead of a capture time over the server clock, in milliseconds. Device clocks in the
 * field drift by up to about two minutes; five minutes leaves room for that and rejects wrong dates.
 */
export const MAX_CAPTURE_AHEAD_MS = 5 * 60 * 1000;

/**
 * Largest accepted lag of a capture time behind the disaster's start, in milliseconds. A disaster is often
 * created in the system after the first patients were triaged on paper or offline, so triages of the
 * preceding 24 hours are accepted.
 */
export const MAX_CAPTURE_BEFORE_START_MS = 24 * 60 * 60 * 1000;

export type CaptureTimeVerdict =
  | { readonly plausible: true }
  | {
      readonly plausible: false;
      readonly reason: 'in-future' | 'before-disaster-start';
      readonly limit: string;
    };

/** Checks a capture time against the server clock and the disaster's start time. */
export function checkCaptureTime(capturedAt: Date, disasterStartedAt: Date, now: Date): CaptureTimeVerdict {
  const latest = now.getTime() + MAX_CAPTURE_AHEAD_MS;
  if (capturedAt.getTime() > latest) {
    return { plausible: false, reason: 'in-future', limit: new Date(latest).toISOString() };
  }
  const earliest = disasterStartedAt.getTime() - MAX_CAPTURE_BEFORE_START_MS;
  if (capturedAt.getTime() < earliest) {
    return { plausible: false, reason: 'before-disaster-start', limit: new Date(earliest).toISOString() };
  }
  return { plausible: true };
}
