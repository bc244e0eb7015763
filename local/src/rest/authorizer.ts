// Lambda authorizer handling for the local REST gateway: identity sources, the result cache and IAM
// policy evaluation against the method ARN.

import type { Authorizer } from './definition.js';
import { headerValue, parseQuery } from './event.js';

export interface AuthorizerPolicy {
  principalId?: string;
  policyDocument?: {
    Statement?: Array<{ Effect?: string; Action?: string | string[]; Resource?: string | string[] }>;
  };
  context?: Record<string, unknown>;
  usageIdentifierKey?: string;
}

export type PolicyDecision = 'allow' | 'deny' | 'no-match';

/**
 * Reads the identity sources of an authorizer from a request. Returns undefined when one is missing or
 * empty: API Gateway then returns 401 without calling the authorizer.
 */
export function identityOf(
  authorizer: Authorizer,
  headers: Record<string, string>,
  rawQuery: string,
): string[] | undefined {
  const query = parseQuery(rawQuery).single ?? {};
  const values: string[] = [];
  for (const source of authorizer.identitySources) {
    let value: string | undefined;
    const header = /^method\.request\.header\.(.+)$/i.exec(source);
    const querystring = /^method\.request\.querystring\.(.+)$/i.exec(source);
    if (header?.[1]) {
      value = headerValue(headers, header[1]);
    } else if (querystring?.[1]) {
      value = query[querystring[1]];
    } else {
      // Stage variables and context variables are not request input; they count as present.
      value = source;
    }
    if (value === undefined || value.length === 0) {
      return undefined;
    }
    values.push(value);
  }
  return values;
}

/** Compiled ARN patterns: a cached policy lists a resource per operation and is evaluated on every request. */
const arnPatterns = new Map<string, RegExp>();

/** Matches an ARN pattern of an IAM policy: `*` is any run of characters, `?` one character. */
export function arnMatches(pattern: string, arn: string): boolean {
  let compiled = arnPatterns.get(pattern);
  if (compiled === undefined) {
    const expression = pattern
      .split('')
      .map((character) => {
        if (character === '*') {
          return '.*';
        }
        if (character === '?') {
          return '.';
        }
        return character.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
      })
      .join('');
    compiled = new RegExp(`^${expression}$`);
    if (arnPatterns.size >= 10_000) arnPatterns.clear();
    arnPatterns.set(pattern, compiled);
  }
  return compiled.test(arn);
}

function actionMatches(action: string | string[] | undefined): boolean {
  const actions = Array.isArray(action) ? action : [action ?? ''];
  return actions.some((item) => ['execute-api:Invoke', 'execute-api:*', '*'].includes(item));
}

/** Evaluates an authorizer's policy for one method ARN: an explicit Deny wins over any Allow. */
export function evaluatePolicy(policy: AuthorizerPolicy, arn: string): PolicyDecision {
  let allowed = false;
  for (const statement of policy.policyDocument?.Statement ?? []) {
    if (!actionMatches(statement.Action)) {
      continue;
    }
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource ?? ''];
    if (!resources.some((resource) => arnMatches(resource, arn))) {
      continue;
    }
    if (statement.Effect === 'Deny') {
      return 'deny';
    }
    if (statement.Effect === 'Allow') {
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'no-match';
}

/** True when the authorizer result has the shape API Gateway requires (principalId and a policy document). */
export function isValidPolicy(value: unknown): value is AuthorizerPolicy {
  const policy = value as AuthorizerPolicy | null;
  if (!policy || typeof policy !== 'object' || typeof policy.principalId !== 'string') {
    return false;
  }
  if (!Array.isArray(policy.policyDocument?.Statement)) {
    return false;
  }
  const context = policy.context ?? {};
  return Object.values(context).every((item) => ['string', 'number', 'boolean'].includes(typeof item));
}

/**
 * Builds the `requestContext.authorizer` object the integration receives: principalId, integrationLatency and
 * the context values. NOTE: the values are passed as strings, which is how REST APIs are reported to
 * deliver numbers and booleans from a Lambda authorizer's context to a proxy integration.
 */
export function authorizerContext(policy: AuthorizerPolicy, latencyMs: number): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(policy.context ?? {})) {
    context[key] = String(value);
  }
  return { ...context, principalId: policy.principalId, integrationLatency: Math.round(latencyMs) };
}

/** Authorizer results by identity, kept for the authorizer's TTL and applied to every later method. */
export class AuthorizerCache {
  private readonly entries = new Map<string, { policy: AuthorizerPolicy; expiresAt: number }>();

  get(authorizer: Authorizer, identity: string[]): AuthorizerPolicy | undefined {
    if (authorizer.resultTtlSeconds <= 0) {
      return undefined;
    }
    const key = this.key(authorizer, identity);
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.policy;
  }

  set(authorizer: Authorizer, identity: string[], policy: AuthorizerPolicy): void {
    if (authorizer.resultTtlSeconds <= 0) {
      return;
    }
    this.entries.set(this.key(authorizer, identity), {
      policy,
      expiresAt: Date.now() + authorizer.resultTtlSeconds * 1000,
    });
  }

  clear(): void {
    this.entries.clear();
  }

  private key(authorizer: Authorizer, identity: string[]): string {
    return JSON.stringify([authorizer.uri, ...identity]);
  }
}
