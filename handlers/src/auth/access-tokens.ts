/**
 * Short-lived ES256 JWT access tokens. Claims: `sub` (user or device id), `tid` (tenant id), `kind` (`user` or
 * `device`), `rights` and `roles` as the principal held them at issue time, `uid`/`did` for the user or device,
 * `sid` for the login session (refresh-token family), `name` for the display name in audit events.
 * A role change reaches the caller with the next token, at most ACCESS_TOKEN_TTL_SECONDS later.
 */
import { randomUUID } from 'node:crypto';
import { rights as allRights, type Right } from '../../../generated/operations/index.js';
import type { Principal, PrincipalKind } from '../context.js';
import { AuthTokenExpiredError, AuthUnauthenticatedError } from '../errors.js';
import { type JwtClaims, JwtExpiredError, signJwt, verifyJwt } from './jwt.js';
import { signingKey } from './signing-key.js';

export const accessTokenAudience = 'katapp-api';

/** Tenant and principal ids are lower-case UUIDs; keys are built from them, so nothing else may pass. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The `typ` header of access tokens (RFC 9068). */
export const accessTokenType = 'at+jwt';
export const defaultAccessTokenTtlSeconds = 900;

/** Issuer claim; the stage is part of it, so a token of one stage never verifies on another. */
export function accessTokenIssuer(): string {
  return `katapp/${process.env.STAGE ?? 'dev'}`;
}

/** Access token lifetime from ACCESS_TOKEN_TTL_SECONDS (60 to 3600 seconds, default 900). */
export function accessTokenTtlSeconds(): number {
  const configured = Number(process.env.ACCESS_TOKEN_TTL_SECONDS);
  if (!Number.isInteger(configured) || configured < 60 || configured > 3600) {
    return defaultAccessTokenTtlSeconds;
  }
  return configured;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresIn: number;
  readonly expiresAt: Date;
}

/** Signs an access token for a principal of a tenant. */
export async function issueAccessToken(
  tenantId: string,
  principal: Principal,
  now: Date,
): Promise<IssuedAccessToken> {
  const key = await signingKey();
  const expiresIn = accessTokenTtlSeconds();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const claims: JwtClaims = {
    tid: tenantId,
    kind: principal.kind,
    rights: [...principal.rights].sort(),
    roles: [...principal.roles],
    ...(principal.userId === undefined ? {} : { uid: principal.userId }),
    ...(principal.deviceId === undefined ? {} : { did: principal.deviceId }),
    ...(principal.sessionId === undefined ? {} : { sid: principal.sessionId }),
    ...(principal.displayName === undefined ? {} : { name: principal.displayName }),
    sub: principal.id,
    iss: accessTokenIssuer(),
    aud: accessTokenAudience,
    iat: issuedAt,
    exp: issuedAt + expiresIn,
    jti: randomUUID(),
  };
  const token = signJwt({ alg: 'ES256', kid: key.kid, typ: accessTokenType }, claims, key.privateKey);
  return { token, expiresIn, expiresAt: new Date((issuedAt + expiresIn) * 1000) };
}

export interface VerifiedAccessToken {
  readonly tenantId: string;
  readonly principal: Principal;
  readonly expiresAt: Date;
}

const knownRights: ReadonlySet<string> = new Set(allRights);

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
}

/**
 * Verifies the signature (ES256 only, so `alg: none` and HMAC tokens fail), key id, type, issuer, audience and
 * validity period, and returns the tenant and principal. Throws TOKEN_EXPIRED for an expired token and
 * UNAUTHENTICATED otherwise; the cause names the check that failed.
 */
export async function verifyAccessToken(token: string, now: Date): Promise<VerifiedAccessToken> {
  const key = await signingKey();
  let payload: JwtClaims;
  try {
    payload = verifyJwt(
      token,
      key.publicKey,
      {
        kid: key.kid,
        typ: accessTokenType,
        issuer: accessTokenIssuer(),
        audience: accessTokenAudience,
        requiredClaims: ['sub', 'exp', 'iat', 'tid'],
      },
      now,
    );
  } catch (error) {
    if (error instanceof JwtExpiredError) {
      throw new AuthTokenExpiredError('The access token expired; refresh it or log in again.', {
        cause: error,
      });
    }
    throw new AuthUnauthenticatedError('The access token is invalid; log in again.', { cause: error });
  }

  const kind = payload.kind;
  const tenantId = payload.tid;
  const rights = stringArray(payload.rights);
  const roles = stringArray(payload.roles);
  if (
    (kind !== 'user' && kind !== 'device') ||
    typeof tenantId !== 'string' ||
    !UUID.test(tenantId) ||
    typeof payload.sub !== 'string' ||
    !UUID.test(payload.sub) ||
    typeof payload.exp !== 'number' ||
    rights === null ||
    roles === null
  ) {
    throw new AuthUnauthenticatedError('The access token lacks required claims; log in again.');
  }
  const principalKind: PrincipalKind = kind;
  const userId = typeof payload.uid === 'string' ? payload.uid : undefined;
  const deviceId = typeof payload.did === 'string' ? payload.did : undefined;
  const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
  const displayName = typeof payload.name === 'string' ? payload.name : undefined;
  return {
    tenantId,
    expiresAt: new Date(payload.exp * 1000),
    principal: {
      kind: principalKind,
      id: payload.sub,
      ...(userId === undefined ? {} : { userId }),
      ...(deviceId === undefined ? {} : { deviceId }),
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(displayName === undefined ? {} : { displayName }),
      roles,
      rights: new Set(rights.filter((right): right is Right => knownRights.has(right))),
    },
  };
}
