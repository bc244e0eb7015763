/**
 * Password login. Five failed logins within 15 minutes lock the account for 15 minutes (ACCOUNT_LOCKED), and
 * each account accepts at most 10 login attempts per minute (RATE_LIMITED), so a password cannot be guessed
 * faster than that even across many client addresses.
 */

import { isConditionalCheckFailed } from '../data/table.js';
import { getTenant } from '../data/tenants.js';
import { findUserByEmail, saveLoginCounters, type UserRecord } from '../data/users.js';
import {
  AuthAccountLockedError,
  AuthAccountPendingError,
  AuthInvalidCredentialsError,
  AuthRateLimitedError,
} from '../errors.js';
import { verifyAgainstDummyHash, verifyPassword } from './passwords.js';
import { requireActiveTenant, startSession, type TokenResponse, userSubject } from './sessions.js';

export const loginPolicy = {
  maxFailedLogins: 5,
  failureWindowMs: 15 * 60 * 1000,
  lockoutMs: 15 * 60 * 1000,
  maxAttemptsPerWindow: 10,
  attemptWindowMs: 60 * 1000,
} as const;

const invalidCredentialsMessage = 'E-mail address or password is wrong.';

export interface LoginResult {
  tokens: TokenResponse;
  user: UserRecord;
}

type LoginCounters = Parameters<typeof saveLoginCounters>[1];

function lockedError(lockedUntil: number, now: number): AuthAccountLockedError {
  const seconds = (lockedUntil - now) / 1000;
  return new AuthAccountLockedError(
    `The account is locked after ${loginPolicy.maxFailedLogins} failed logins; try again in ${Math.ceil(seconds / 60)} minutes.`,
    seconds,
  );
}

/** Counts this attempt in the per-minute window, or throws RATE_LIMITED when the window is full. */
function countAttempt(
  user: UserRecord,
  now: number,
): Pick<LoginCounters, 'loginAttemptCount' | 'loginAttemptWindowStart'> {
  const windowOpen = now - user.loginAttemptWindowStart < loginPolicy.attemptWindowMs;
  if (windowOpen && user.loginAttemptCount >= loginPolicy.maxAttemptsPerWindow) {
    const retryAfter = (user.loginAttemptWindowStart + loginPolicy.attemptWindowMs - now) / 1000;
    throw new AuthRateLimitedError(
      `Too many login attempts for this account; wait ${Math.ceil(retryAfter)} seconds.`,
      retryAfter,
    );
  }
  return windowOpen
    ? { loginAttemptCount: user.loginAttemptCount + 1, loginAttemptWindowStart: user.loginAttemptWindowStart }
    : { loginAttemptCount: 1, loginAttemptWindowStart: now };
}

async function save(user: UserRecord, counters: LoginCounters): Promise<void> {
  try {
    await saveLoginCounters(user, counters);
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      // Another attempt on this account changed the counters since this one read them.
      throw new AuthRateLimitedError('Concurrent login attempts for this account; retry in a second.', 1, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Verifies e-mail and password and starts a session. */
export async function loginWithPassword(
  email: string,
  password: string,
  nowDate: Date,
): Promise<LoginResult> {
  const now = nowDate.getTime();
  const user = await findUserByEmail(email);
  if (user === undefined) {
    await verifyAgainstDummyHash(password);
    throw new AuthInvalidCredentialsError(invalidCredentialsMessage);
  }
  if (user.lockedUntil > now) {
    throw lockedError(user.lockedUntil, now);
  }
  const attempt = countAttempt(user, now);

  if (!(await verifyPassword(password, user.passwordHash))) {
    const windowOpen = now - user.failedLoginWindowStart < loginPolicy.failureWindowMs;
    const failedLoginCount = (windowOpen ? user.failedLoginCount : 0) + 1;
    const failedLoginWindowStart = windowOpen ? user.failedLoginWindowStart : now;
    const locks = failedLoginCount >= loginPolicy.maxFailedLogins;
    await save(user, {
      ...attempt,
      failedLoginCount: locks ? 0 : failedLoginCount,
      failedLoginWindowStart: locks ? 0 : failedLoginWindowStart,
      lockedUntil: locks ? now + loginPolicy.lockoutMs : 0,
    });
    if (locks) {
      throw lockedError(now + loginPolicy.lockoutMs, now);
    }
    throw new AuthInvalidCredentialsError(invalidCredentialsMessage);
  }

  // Status is checked only after the password matched, so it is not revealed to someone guessing.
  const tenant = await getTenant(user.tenantId);
  if (tenant?.status !== 'active' || user.status !== 'active') {
    await save(user, { ...attempt, failedLoginCount: 0, failedLoginWindowStart: 0, lockedUntil: 0 });
    requireActiveTenant(tenant);
    throw new AuthAccountPendingError('The account waits for activation by a tenant admin.');
  }
  const loggedInAt = nowDate.toISOString();
  await save(user, {
    ...attempt,
    failedLoginCount: 0,
    failedLoginWindowStart: 0,
    lockedUntil: 0,
    lastLoginAt: loggedInAt,
  });
  const tokens = await startSession(await userSubject(user), nowDate);
  return { tokens, user: { ...user, lastLoginAt: loggedInAt } };
}
