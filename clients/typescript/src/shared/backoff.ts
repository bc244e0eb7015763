// Exponential backoff with full jitter: the delay before retry n is uniform in [0, min(max, base * 2^n)).

export interface BackoffOptions {
  /** First upper bound in milliseconds. */
  baseDelayMs?: number;
  /** Cap on the upper bound in milliseconds. */
  maxDelayMs?: number;
  /** Source of uniform numbers in [0, 1); defaults to Math.random. Tests pass a fixed one. */
  random?: () => number;
}

/** Returns the delay in milliseconds before retry number `attempt` (0 for the first retry). */
export function fullJitterDelay(attempt: number, options: Required<BackoffOptions>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(options.random() * ceiling);
}

export function resolveBackoff(
  options: BackoffOptions | undefined,
  defaults: { baseDelayMs: number; maxDelayMs: number },
) {
  const resolved: Required<BackoffOptions> = {
    baseDelayMs: options?.baseDelayMs ?? defaults.baseDelayMs,
    maxDelayMs: options?.maxDelayMs ?? defaults.maxDelayMs,
    random: options?.random ?? Math.random,
  };
  if (!(resolved.baseDelayMs > 0) || !(resolved.maxDelayMs >= resolved.baseDelayMs)) {
    throw new RangeError(
      `Invalid backoff: baseDelayMs must be > 0 and maxDelayMs >= baseDelayMs, got ${resolved.baseDelayMs} and ${resolved.maxDelayMs}.`,
    );
  }
  return resolved;
}
