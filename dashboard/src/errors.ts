// Turns SDK errors into messages for the user, in the current language.
import { KatAppNetworkError, KatAppProblemError } from '@katapp/client';
import type { Messages } from './i18n/en.js';

/** Returns a sentence for an error banner, with the request id of server failures so support can find the log. */
export function describeError(error: unknown, t: Messages): string {
  if (error instanceof KatAppProblemError) {
    if (error.status === 403 && error.code === 'FORBIDDEN') return t.app.forbidden;
    const detail = error.problem.detail ?? error.problem.title;
    const reference = error.status >= 500 && error.requestId ? ` (${error.requestId})` : '';
    return t.app.requestFailed(`${detail}${reference}`);
  }
  if (error instanceof KatAppNetworkError) return t.app.networkFailed;
  return t.app.requestFailed(error instanceof Error ? error.message : String(error));
}

/** Returns the problem code of an SDK error, or undefined for other errors. */
export function problemCode(error: unknown): string | undefined {
  return error instanceof KatAppProblemError ? error.code : undefined;
}
