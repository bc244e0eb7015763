/**
 * IAM policies for the Lambda authorizer. API Gateway caches an authorizer result per token and applies it to
 * every later call with that token. So the policy lists every method the caller's rights allow, derived from
 * the generated route table, and not just the method of the first call.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { type Right, routes } from '../../../generated/operations/index.js';
import type { AuthorizerContext } from './authorizer-context.js';

/** The parts of an execute-api method ARN: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`. */
export interface MethodArn {
  readonly prefix: string;
  readonly apiId: string;
  readonly stage: string;
}

/** Parses a method ARN; returns undefined for anything that is not an execute-api ARN. */
export function parseMethodArn(methodArn: string): MethodArn | undefined {
  const match = /^(arn:[^:]+:execute-api:[^:]*:[^:]*):([^/]+)\/([^/]+)\/.+$/.exec(methodArn);
  if (match === null) {
    return undefined;
  }
  const [, prefix, apiId, stage] = match;
  if (prefix === undefined || apiId === undefined || stage === undefined) {
    return undefined;
  }
  return { prefix, apiId, stage };
}

/** Returns the method ARN of a route, with `*` for each path parameter. */
export function routeArn(arn: MethodArn, method: string, path: string): string {
  const resource = path.replace(/^\//, '').replace(/\{[^}]+\}/g, '*');
  return `${arn.prefix}:${arn.apiId}/${arn.stage}/${method.toUpperCase()}/${resource}`;
}

/** Returns the method ARNs of every authenticated route whose rights the caller holds. */
export function allowedMethodArns(arn: MethodArn, rights: ReadonlySet<Right>): string[] {
  return routes
    .filter((route) => route.authenticated && route.rights.every((right) => rights.has(right)))
    .map((route) => routeArn(arn, route.method, route.path));
}

/** Returns whether an IAM resource pattern matches a resource; `*` matches any characters, `/` included. */
export function arnPatternMatches(pattern: string, resource: string): boolean {
  const expression = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${expression}$`).test(resource);
}

/**
 * Returns the method ARNs to deny explicitly. In IAM a `*` also matches `/`, so allowing `GET/disasters/*`
 * would allow `GET/disasters/{id}/patients` too. Every route the caller may not call is denied, unless its
 * pattern would also match a route the caller may call. The adapter's rights check stops those.
 */
export function deniedMethodArns(arn: MethodArn, rights: ReadonlySet<Right>): string[] {
  const authenticated = routes.filter((route) => route.authenticated);
  const allowedSamples = authenticated
    .filter((route) => route.rights.every((right) => rights.has(right)))
    .map((route) => routeArn(arn, route.method, route.path.replace(/\{[^}]+\}/g, 'sample')));
  return authenticated
    .filter((route) => !route.rights.every((right) => rights.has(right)))
    .map((route) => routeArn(arn, route.method, route.path))
    .filter((pattern) => !allowedSamples.some((sample) => arnPatternMatches(pattern, sample)));
}

/**
 * Builds the authorizer result: an Allow statement with every allowed method and a Deny statement for the
 * others where IAM wildcards would otherwise let them through. With nothing allowed the policy denies the
 * called method, because an IAM statement needs at least one resource. API Gateway then returns 403.
 */
export function authorizerResult(
  principalId: string,
  allowed: readonly string[],
  denied: readonly string[],
  calledMethodArn: string,
  context: AuthorizerContext,
): APIGatewayAuthorizerResult {
  const statements =
    allowed.length === 0
      ? [{ Action: 'execute-api:Invoke', Effect: 'Deny' as const, Resource: [calledMethodArn] }]
      : [
          { Action: 'execute-api:Invoke', Effect: 'Allow' as const, Resource: [...allowed] },
          ...(denied.length === 0
            ? []
            : [{ Action: 'execute-api:Invoke', Effect: 'Deny' as const, Resource: [...denied] }]),
        ];
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context: { ...context },
  };
}
