import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSeed } from '../../src/admin/seed.js';
import { newUserRecord } from '../../src/admin/tenant-setup.js';
import { verifyAccessToken } from '../../src/auth/access-tokens.js';
import { builtInRole } from '../../src/auth/built-in-roles.js';
import { loginPolicy, loginWithPassword } from '../../src/auth/login.js';
import { endSession, refreshSession } from '../../src/auth/sessions.js';
import { createUserItems, deleteUserItems, getUser, transact } from '../../src/data/users.js';
import {
  AuthAccountLockedError,
  AuthAccountPendingError,
  AuthForbiddenError,
  AuthInvalidCredentialsError,
  AuthRateLimitedError,
} from '../../src/errors.js';
import { demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

const minute = 60_000;

describe('password login and sessions', () => {
  let platform: TestPlatform;
  let tenantId: string;

  async function addUser(email: string, status: 'pending' | 'active', password = 'a-long-enough-password') {
    const user = await newUserRecord(
      tenantId,
      { email, displayName: 'Test User', password },
      status,
      ['DashboardUser'],
      new Date(),
    );
    await transact(createUserItems(user));
    return user;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    tenantId = demoOf(platform.seed).tenantId;
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('logs in the demo admin with the TenantAdmin rights', async () => {
    const demo = localSeed.demo;
    if (demo === undefined) throw new Error('localSeed has no demo tenant');
    const now = new Date();
    const { tokens } = await loginWithPassword(demo.admin.email.toUpperCase(), demo.admin.password, now);
    const verified = await verifyAccessToken(tokens.accessToken, now);
    expect(verified.tenantId).toBe(tenantId);
    expect(verified.principal.sessionId).toBeDefined();
    expect(tokens.principal.rights).toEqual([...(builtInRole('TenantAdmin')?.rights ?? [])].sort());
    expect(tokens.refreshToken).toMatch(/^krt_[A-Za-z0-9_-]{43}$/);
  });

  it('rejects an unknown e-mail address like a wrong password', async () => {
    await expect(
      loginWithPassword('nobody@example.org', 'whatever-password', new Date()),
    ).rejects.toBeInstanceOf(AuthInvalidCredentialsError);
  });

  it('locks the account after five failed logins for 15 minutes', async () => {
    const user = await addUser('lockout@demo.katapp.example', 'active', 'the-right-password');
    const start = new Date('2025-06-14T08:00:00Z').getTime();
    for (let attempt = 1; attempt < loginPolicy.maxFailedLogins; attempt++) {
      await expect(
        loginWithPassword(user.email, 'a-wrong-password', new Date(start + attempt * 1000)),
      ).rejects.toBeInstanceOf(AuthInvalidCredentialsError);
    }
    const locking = loginWithPassword(user.email, 'a-wrong-password', new Date(start + 10_000));
    await expect(locking).rejects.toBeInstanceOf(AuthAccountLockedError);
    await expect(locking).rejects.toMatchObject({ status: 403, code: 'ACCOUNT_LOCKED' });

    const duringLock = loginWithPassword(user.email, 'the-right-password', new Date(start + 14 * minute));
    await expect(duringLock).rejects.toBeInstanceOf(AuthAccountLockedError);
    const lockedError = (await duringLock.catch((error: unknown) => error)) as AuthAccountLockedError;
    expect(Number(lockedError.headers['Retry-After'])).toBeGreaterThan(0);

    const afterLock = await loginWithPassword(
      user.email,
      'the-right-password',
      new Date(start + 10_000 + 15 * minute),
    );
    expect(afterLock.user.id).toBe(user.id);
    const stored = await getUser(tenantId, user.id);
    expect(stored?.failedLoginCount).toBe(0);
    expect(stored?.lockedUntil).toBe(0);
  });

  it('does not lock when failures are spread over more than 15 minutes', async () => {
    const user = await addUser('spread@demo.katapp.example', 'active', 'the-right-password');
    const start = new Date('2025-06-14T09:00:00Z').getTime();
    for (let attempt = 0; attempt < loginPolicy.maxFailedLogins + 2; attempt++) {
      await expect(
        loginWithPassword(user.email, 'a-wrong-password', new Date(start + attempt * 4 * minute)),
      ).rejects.toBeInstanceOf(AuthInvalidCredentialsError);
    }
  });

  it('throttles more than ten attempts per minute on one account', async () => {
    const user = await addUser('throttle@demo.katapp.example', 'active', 'the-right-password');
    const start = new Date('2025-06-14T10:00:00Z').getTime();
    for (let attempt = 0; attempt < loginPolicy.maxAttemptsPerWindow; attempt++) {
      await loginWithPassword(user.email, 'the-right-password', new Date(start + attempt * 1000));
    }
    const throttled = loginWithPassword(user.email, 'the-right-password', new Date(start + 20_000));
    await expect(throttled).rejects.toBeInstanceOf(AuthRateLimitedError);
    await expect(throttled).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const nextMinute = await loginWithPassword(user.email, 'the-right-password', new Date(start + 61_000));
    expect(nextMinute.user.id).toBe(user.id);
  });

  it('tells a pending user ACCOUNT_PENDING only after the right password', async () => {
    const user = await addUser('pending@demo.katapp.example', 'pending', 'the-right-password');
    await expect(loginWithPassword(user.email, 'a-wrong-password', new Date())).rejects.toBeInstanceOf(
      AuthInvalidCredentialsError,
    );
    await expect(loginWithPassword(user.email, 'the-right-password', new Date())).rejects.toBeInstanceOf(
      AuthAccountPendingError,
    );
  });

  it('rotates refresh tokens and revokes the session on reuse', async () => {
    const user = await addUser('rotation@demo.katapp.example', 'active', 'the-right-password');
    const now = new Date();
    const { tokens } = await loginWithPassword(user.email, 'the-right-password', now);
    const second = await refreshSession(tokens.refreshToken, now);
    expect(second.refreshToken).not.toBe(tokens.refreshToken);
    const secondClaims = await verifyAccessToken(second.accessToken, now);
    const firstClaims = await verifyAccessToken(tokens.accessToken, now);
    expect(secondClaims.principal.sessionId).toBe(firstClaims.principal.sessionId);

    await expect(refreshSession(tokens.refreshToken, now)).rejects.toBeInstanceOf(
      AuthInvalidCredentialsError,
    );
    // The reuse ended the whole session, including the token issued by the legitimate refresh.
    await expect(refreshSession(second.refreshToken, now)).rejects.toBeInstanceOf(
      AuthInvalidCredentialsError,
    );
  });

  it('ends the session on logout', async () => {
    const user = await addUser('logout@demo.katapp.example', 'active', 'the-right-password');
    const now = new Date();
    const { tokens } = await loginWithPassword(user.email, 'the-right-password', now);
    const { tenantId: tokenTenant, principal } = await verifyAccessToken(tokens.accessToken, now);
    await endSession(tokenTenant, principal, now);
    await expect(refreshSession(tokens.refreshToken, now)).rejects.toBeInstanceOf(
      AuthInvalidCredentialsError,
    );
  });

  it('refuses to refresh for a deleted user', async () => {
    const user = await addUser('deleted@demo.katapp.example', 'active', 'the-right-password');
    const now = new Date();
    const { tokens } = await loginWithPassword(user.email, 'the-right-password', now);
    await transact(deleteUserItems(user));
    await expect(refreshSession(tokens.refreshToken, now)).rejects.toBeInstanceOf(AuthForbiddenError);
  });

  it('rejects an unknown refresh token', async () => {
    await expect(refreshSession(`krt_${'A'.repeat(43)}`, new Date())).rejects.toBeInstanceOf(
      AuthInvalidCredentialsError,
    );
  });
});
