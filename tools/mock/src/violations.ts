// Turns Prism's request validation verdict (the `sl-violations` response header) into the contract's
// `VALIDATION_FAILED` field errors, with one RFC 6901 JSON pointer per invalid value.

import type { FieldError } from './problem.js';

/** One entry of Prism's `sl-violations` header. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

/** Parses the `sl-violations` header; returns an empty list when it is missing or not the expected JSON. */
export function parseViolations(header: string | undefined): PrismViolation[] {
  if (header === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (entry): entry is PrismViolation =>
      typeof entry === 'object' &&
      entry !== null &&
      Array.isArray(entry.location) &&
      typeof entry.message === 'string' &&
      typeof entry.severity === 'string',
  );
}

/** Tells whether a violation is about the credentials (Prism reports those with the status code 401). */
export function isSecurityViolation(violation: PrismViolation): boolean {
  return String(violation.code) === '401';
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Builds the contract pointer of a violation: `/a/0/b` inside the body, `/query/<name>`, `/path/<name>` and
 * `/header/<name>` for parameters. Prism lower-cases parameter names, so `parameterNames` (every name the
 * contract declares) restores the declared spelling. A missing required property and an unexpected
 * additional property point at that property, not at the object that contains it.
 */
export function violationPointer(
  violation: PrismViolation,
  parameterNames: ReadonlyMap<string, string>,
): string {
  const [, part, ...rest] = violation.location;
  let tokens: string[];
  if (part === 'body') {
    tokens = [...rest];
    const named =
      /must have required property '([^']+)'|must NOT have additional properties; found '([^']+)'/.exec(
        violation.message,
      );
    const property = named?.[1] ?? named?.[2];
    if (property !== undefined) tokens.push(property);
  } else if (part === 'query' || part === 'path' || part === 'header') {
    const [name = '', ...inner] = rest;
    tokens = [part, parameterNames.get(name.toLowerCase()) ?? name, ...inner];
  } else {
    tokens = [];
  }
  return tokens.map((token) => `/${escapePointerToken(token)}`).join('');
}

/** Returns the field errors for every error-severity, non-security violation. */
export function toFieldErrors(
  violations: PrismViolation[],
  parameterNames: ReadonlyMap<string, string>,
): FieldError[] {
  return violations
    .filter((violation) => violation.severity === 'Error' && !isSecurityViolation(violation))
    .map((violation) => ({
      pointer: violationPointer(violation, parameterNames),
      message: violation.message,
    }));
}
