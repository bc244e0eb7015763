/** The per-request context every operation implementation receives next to its typed request. */
import type { OperationId, Right } from '../../generated/operations/index.js';
import { AuthUnauthenticatedError } from './errors.js';
import type { Logger } from './observability/index.js';

export type PrincipalKind = 'user' | 'device';

/** The authenticated caller, as the authorizer verified it from the access token. */
export interface Principal {
  readonly kind: PrincipalKind;
  /** The user id for a user, the device id for a device. */
  readonly id: string;
  readonly userId?: string;
  readonly deviceId?: string;
  /** The user's or device's name, for audit events. */
  readonly displayName?: string;
  /** Role ids the principal held when its access token was issued. */
  readonly roles: readonly string[];
  readonly rights: ReadonlySet<Right>;
  /** Refresh-token family (login session) the access token belongs to; logout revokes it. */
  readonly sessionId?: string;
  /** Set for a device that was revoked after its access token was issued (RFC 3339). */
  readonly deviceRevokedAt?: string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface RequestContext {
  /** API Gateway request id; problem responses and every log line carry it. */
  readonly requestId: string;
  readonly operationId: OperationId;
  /** Tenant of the caller from the verified token; null for public operations called without a token. */
  readonly tenantId: string | null;
  readonly principal: Principal | null;
  readonly sourceIp: string | null;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** The authenticated part of a context. */
export interface Caller {
  readonly tenantId: string;
  readonly principal: Principal;
}

/** Returns the caller's tenant and principal, or throws a 401 for an anonymous request. */
export function caller(context: RequestContext): Caller {
  if (context.tenantId === null || context.principal === null) {
    throw new AuthUnauthenticatedError('This operation needs a bearer access token.');
  }
  return { tenantId: context.tenantId, principal: context.principal };
}

/** Returns whether the caller has a right. */
export function hasRight(context: RequestContext, right: Right): boolean {
  return context.principal?.rights.has(right) ?? false;
}
