/**
 * Bounded retry of read-decide-write attempts whose TransactWriteItems was cancelled by a concurrent writer.
 * Each attempt reads the current state again, so a retry decides on fresh data: a duplicate that appeared in
 * the meantime becomes an idempotent replay, a newer triage stays current, a counter moves from the right cell.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ResourceConflictError } from '../errors.js';
import { logger } from '../observability/index.js';

/**
 * Attempts before giving up, including the first. Each retry waits a random time up to 25 ms × 2^(retry - 1),
 * capped at 1 s, so the waits add up to at most about 4.6 s, well inside API Gateway's 29 s timeout.
 */
export const MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 1000;

/** Cancellation reasons that a fresh read can resolve. Anything else (validation, throttling) is rethrown. */
const RETRYABLE_REASONS: ReadonlySet<string> = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/** Tells whether a TransactWriteItems failure was caused by concurrent writes to the same items. */
export function isConcurrentWriteCancellation(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  // Items that did not cause the cancellation report the code `None`.
  const causes = (error.CancellationReasons ?? [])
    .map((reason) => reason.Code ?? 'None')
    .filter((code) => code !== 'None');
  return causes.length > 0 && causes.every((code) => RETRYABLE_REASONS.has(code));
}

/**
 * Runs `attempt` until it completes, retrying with exponential backoff and full jitter after a cancellation
 * caused by concurrent writes. `subject` names what was written, for the log and the 409 the caller gets after
 * MAX_ATTEMPTS cancellations.
 */
export async function withOptimisticRetry<T>(
  subject: string,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!isConcurrentWriteCancellation(error)) throw error;
      const reasons = (error as TransactionCanceledException).CancellationReasons?.map(
        (reason) => reason.Code,
      );
      if (attemptNumber >= MAX_ATTEMPTS) {
        logger.warn('optimistic write gave up after concurrent updates', { subject, attemptNumber, reasons });
        throw new ResourceConflictError(
          `The ${subject} was changed concurrently ${MAX_ATTEMPTS} times in a row; retry the request.`,
          { cause: error },
        );
      }
      logger.debug('optimistic write cancelled, retrying', { subject, attemptNumber, reasons });
      const delay = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attemptNumber - 1));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
