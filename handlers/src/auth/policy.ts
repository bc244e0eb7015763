/**
 * IAM policies for the Lambda authorizer. API Gateway caches an authorizer result per token and applies it to
 * every later call with that token, so the policy lists every method the caller's rights allow, derived from
 * the generated route table, not just the method of the first call.
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

/**
 * Builds the authorizer result. With no allowed resource the policy denies the called method, because an
 * IAM statement needs at least one resource; API Gateway then answers 403.
 */
export function authorizerResult(
  principalId: string,
  allowed: readonly string[],
  calledMethodArn: string,
  context: AuthorizerContext,
): APIGatewayAuthorizerResult {
  const statement =
    allowed.length > 0
      ? { Action: 'execute-api:Invoke', Effect: 'Allow' as const, Resource: [...allowed] }
      : { Action: 'execute-api:Invoke', Effect: 'Deny' as const, Resource: [calledMethodArn] };
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: [statement] },
    context: { ...context },
  };
}
