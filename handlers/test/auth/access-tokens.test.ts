import { createHmac } from 'node:crypto';
import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenIssuer, issueAccessToken, verifyAccessToken } from '../../src/auth/access-tokens.js';
import { forgetSigningKey, jwkThumbprint, type PrivateEcJwk } from '../../src/auth/signing-key.js';
import type { Principal } from '../../src/context.js';
import { AuthTokenExpiredError, AuthUnauthenticatedError } from '../../src/errors.js';
import {
  generateSigningJwk,
  type SecretsManagerStandIn,
  startSecretsManager,
} from '../setup/secrets-manager.js';

const tenantId = '1d7c9e2a-4b3f-4a6e-8c5d-2f1e0a9b8c7d';
const principal: Principal = {
  kind: 'user',
  id: '2a7d5c3e-9b1f-4e6a-8d0c-7f4e2b9a1c36',
  userId: '2a7d5c3e-9b1f-4e6a-8d0c-7f4e2b9a1c36',
  roles: ['DashboardUser'],
  rights: new Set(['AccessDashboard', 'ActionViewDisaster']),
  sessionId: '9d3c1b2a-0f4e-4d5c-8b7a-6e5f4d3c2b1a',
};

describe('access tokens', () => {
  let secrets: SecretsManagerStandIn;

  beforeAll(async () => {
    secrets = await startSecretsManager();
    forgetSigningKey();
  });

  afterAll(async () => {
    await secrets.stop();
  });

  it('round-trips tenant, principal and session', async () => {
    const now = new Date();
    const issued = await issueAccessToken(tenantId, principal, now);
    const verified = await verifyAccessToken(issued.token, now);
    expect(verified.tenantId).toBe(tenantId);
    expect(verified.principal.id).toBe(principal.id);
    expect(verified.principal.sessionId).toBe(principal.sessionId);
    expect([...verified.principal.rights].sort()).toEqual(['AccessDashboard', 'ActionViewDisaster']);
    expect(issued.expiresIn).toBe(900);
  });

  it('reads the signing key secret once per cold start', async () => {
    const before = secrets.calls();
    await issueAccessToken(tenantId, principal, new Date());
    await issueAccessToken(tenantId, principal, new Date());
    expect(secrets.calls()).toBe(before);
    expect(before).toBe(1);
  });

  it('rejects an expired token with TOKEN_EXPIRED', async () => {
    const issuedAt = new Date('2025-06-14T08:00:00Z');
    const { token } = await issueAccessToken(tenantId, principal, issuedAt);
    const later = new Date(issuedAt.getTime() + 901_000);
    await expect(verifyAccessToken(token, later)).rejects.toBeInstanceOf(AuthTokenExpiredError);
  });

  it('rejects a token signed with another key', async () => {
    const otherJwk = await generateSigningJwk();
    const otherKey = await importJWK(otherJwk, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({
      tid: tenantId,
      kind: 'user',
      rights: ['ActionActivateTenant'],
      roles: [],
    })
      .setProtectedHeader({ alg: 'ES256', kid: secrets.signingKey.kid, typ: 'at+jwt' })
      .setSubject(principal.id)
      .setIssuer(accessTokenIssuer())
      .setAudience('katapp-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(otherKey);
    await expect(verifyAccessToken(forged, new Date())).rejects.toBeInstanceOf(AuthUnauthenticatedError);
  });

  it('rejects an unsigned token (alg none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = new UnsecuredJWT({ tid: tenantId, kind: 'user', rights: [], roles: [] })
      .setSubject(principal.id)
      .setIssuer(accessTokenIssuer())
      .setAudience('katapp-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .encode();
    await expect(verifyAccessToken(unsigned, new Date())).rejects.toBeInstanceOf(AuthUnauthenticatedError);
  });

  it('rejects a token whose tenant claim was changed', async () => {
    const { token } = await issueAccessToken(tenantId, principal, new Date());
    const [header, , signature] = token.split('.');
    const claims = { ...decodeJwt(token), tid: 'ffffffff-ffff-4fff-8fff-ffffffffffff' };
    const tampered = `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
    await expect(verifyAccessToken(tampered, new Date())).rejects.toBeInstanceOf(AuthUnauthenticatedError);
  });

  it('rejects a signed token whose ids are not UUIDs', async () => {
    // Keys are built from these claims; a '#' in the tenant id would address other key ranges.
    const { token } = await issueAccessToken(`${tenantId}#X`, principal, new Date());
    await expect(verifyAccessToken(token, new Date())).rejects.toBeInstanceOf(AuthUnauthenticatedError);
    const other = await issueAccessToken(tenantId, { ...principal, id: 'not-a-uuid' }, new Date());
    await expect(verifyAccessToken(other.token, new Date())).rejects.toBeInstanceOf(AuthUnauthenticatedError);
  });

  it('rejects a token of another stage', async () => {
    const { token } = await issueAccessToken(tenantId, principal, new Date());
    const stage = process.env.STAGE;
    process.env.STAGE = 'prod';
    try {
      await expect(verifyAccessToken(token, new Date())).rejects.toBeInstanceOf(AuthUnauthenticatedError);
    } finally {
      process.env.STAGE = stage;
    }
  });

  it('issues tokens jose verifies with the stored key', async () => {
    const now = new Date();
    const { token } = await issueAccessToken(tenantId, principal, now);
    const { d: _private, ...publicJwk } = secrets.signingKey;
    const { payload, protectedHeader } = await jwtVerify(token, await importJWK(publicJwk, 'ES256'), {
      algorithms: ['ES256'],
      issuer: accessTokenIssuer(),
      audience: 'katapp-api',
      typ: 'at+jwt',
      currentDate: now,
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: secrets.signingKey.kid, typ: 'at+jwt' });
    expect(Object.keys(payload)).toEqual([
      'tid',
      'kind',
      'rights',
      'roles',
      'uid',
      'sid',
      'sub',
      'iss',
      'aud',
      'iat',
      'exp',
      'jti',
    ]);
    expect(payload.tid).toBe(tenantId);
    expect(payload.sub).toBe(principal.id);
    expect(payload.exp).toBe(Math.floor(now.getTime() / 1000) + 900);
  });

  it('rejects HS256 signed with the public key as secret', async () => {
    const { token } = await issueAccessToken(tenantId, principal, new Date());
    const { d: _private, ...publicJwk } = secrets.signingKey;
    const header = base64url.encode(JSON.stringify({ ...decodeProtectedHeader(token), alg: 'HS256' }));
    const input = `${header}.${token.split('.')[1]}`;
    const mac = createHmac('sha256', JSON.stringify(publicJwk)).update(input).digest('base64url');
    await expect(verifyAccessToken(`${input}.${mac}`, new Date())).rejects.toBeInstanceOf(
      AuthUnauthenticatedError,
    );
  });

  it('rejects a signature of the wrong length', async () => {
    const { token } = await issueAccessToken(tenantId, principal, new Date());
    const [header, claims, signature = ''] = token.split('.');
    const truncated = base64url.encode(base64url.decode(signature).subarray(0, 48));
    await expect(verifyAccessToken(`${header}.${claims}.${truncated}`, new Date())).rejects.toBeInstanceOf(
      AuthUnauthenticatedError,
    );
  });

  it('rejects a malformed token as UNAUTHENTICATED', async () => {
    for (const malformed of ['', 'not-a-token', 'a.b', 'a.b.c.d', '!!!.???.***']) {
      await expect(verifyAccessToken(malformed, new Date()), malformed).rejects.toBeInstanceOf(
        AuthUnauthenticatedError,
      );
    }
  });

  it('computes the RFC 7638 thumbprint as jose does', async () => {
    const jwk = secrets.signingKey as PrivateEcJwk;
    expect(jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint(jwk));
  });
});
