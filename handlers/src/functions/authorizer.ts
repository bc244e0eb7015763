/**
 * Lambda REQUEST authorizer for the REST API (token in the Authorization header) and the WebSocket $connect
 * route (token in the query string parameter `token`, because browsers cannot set headers on a WebSocket).
 * It verifies the access token, checks that a device principal is not revoked, and returns a policy.
 *
 * NOTE: API Gateway caches the result per token for 300 s, even past the token's expiry. The adapter applies
 * the device state again on every request, so a revocation takes effect at once.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { verifyAccessToken } from '../auth/access-tokens.js';
import { toAuthorizerContext } from '../auth/authorizer-context.js';
import { withDeviceState } from '../auth/device-state.js';
import { allowedMethodArns, authorizerResult, deniedMethodArns, parseMethodArn } from '../auth/policy.js';
import { type Clock, systemClock } from '../context.js';
import { logger } from '../observability/index.js';

function isWebSocketConnect(event: APIGatewayRequestAuthorizerEvent): boolean {
  const requestContext = event.requestContext as { routeKey?: string; eventType?: string } | undefined;
  return requestContext?.routeKey === '$connect' || requestContext?.eventType === 'CONNECT';
}

function headerValue(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/** Returns the bearer token of the request, or undefined. */
export function extractToken(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  if (isWebSocketConnect(event)) {
    const token = event.queryStringParameters?.token;
    return token === undefined || token === '' ? undefined : token;
  }
  const authorization = headerValue(event.headers, 'authorization');
  const match =
    authorization === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
  return match?.[1];
}

/** Builds the authorizer handler; tests pass a fixed clock. */
export function createAuthorizer(clock: Clock = systemClock) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const methodArn = parseMethodArn(event.methodArn);
    if (methodArn === undefined) {
      logger.error('authorizer received a malformed method ARN', { methodArn: event.methodArn });
      throw new Error('Unauthorized');
    }
    const token = extractToken(event);
    if (token === undefined) {
      logger.info('request without bearer token rejected');
      throw new Error('Unauthorized');
    }

    let verified: Awaited<ReturnType<typeof verifyAccessToken>>;
    try {
      verified = await verifyAccessToken(token, clock.now());
    } catch (error) {
      logger.info('access token rejected', { reason: (error as Error).message });
      throw new Error('Unauthorized');
    }
    const principal = await withDeviceState(verified.tenantId, verified.principal);
    if (principal === undefined) {
      logger.info('access token of a deleted device rejected', { tenantId: verified.tenantId });
      throw new Error('Unauthorized');
    }

    const context = toAuthorizerContext(verified.tenantId, principal, verified.expiresAt);
    if (isWebSocketConnect(event)) {
      const allowed = principal.rights.has('WebSocket') ? [event.methodArn] : [];
      return authorizerResult(principal.id, allowed, [], event.methodArn, context);
    }
    return authorizerResult(
      principal.id,
      allowedMethodArns(methodArn, principal.rights),
      deniedMethodArns(methodArn, principal.rights),
      event.methodArn,
      context,
    );
  };
}

export const handler = createAuthorizer();
