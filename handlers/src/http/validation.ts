/** Turns Ajv errors from the generated validators into problem field errors with JSON pointers. */
import type { FunctionName, FunctionOperations } from '../../../generated/operations/index.js';
import type { ProblemFieldError } from '../errors.js';

/** The subset of an Ajv ErrorObject the generated validators report. */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

export interface Validator {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}

/** Request validators of one operation, one per location the operation declares. */
export interface RequestValidators {
  path?: Validator;
  query?: Validator;
  header?: Validator;
  body?: Validator;
}

/** Request validators of every operation of one function, keyed by operation id. */
export type FunctionRequestValidators<F extends FunctionName> = {
  readonly [K in FunctionOperations[F]]: RequestValidators;
};

/** Most field errors one problem lists; the rest are summarised in the detail text. */
export const maxFieldErrors = 20;

/** Escapes `~` and `/` in one JSON pointer segment (RFC 6901). */
export function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export type RequestLocation = 'body' | 'query' | 'path' | 'header';

/**
 * Maps validator errors for one request location to field errors. Body pointers point into the body itself
 * (`/category`); parameter pointers start with their location (`/query/limit`). A missing property points at
 * the property itself; an unexpected one names it.
 */
export function toFieldErrors(
  location: RequestLocation,
  errors: readonly ValidatorError[],
): ProblemFieldError[] {
  return errors.map((error) => {
    const base = location === 'body' ? error.instancePath : `/${location}${error.instancePath}`;
    const missing = error.params?.missingProperty;
    if (error.keyword === 'required' && typeof missing === 'string') {
      return { pointer: `${base}/${escapePointerSegment(missing)}`, message: 'is required' };
    }
    const extra = error.params?.additionalProperty ?? error.params?.unevaluatedProperty;
    if (typeof extra === 'string') {
      return { pointer: `${base}/${escapePointerSegment(extra)}`, message: 'is not an allowed property' };
    }
    return { pointer: base, message: error.message ?? `failed the ${error.keyword} check` };
  });
}

/** Removes duplicate field errors (oneOf branches often repeat one) and caps the list. */
export function uniqueFieldErrors(errors: readonly ProblemFieldError[]): ProblemFieldError[] {
  const seen = new Set<string>();
  const unique: ProblemFieldError[] = [];
  for (const error of errors) {
    const key = `${error.pointer}\u0000${error.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(error);
    }
  }
  return unique.slice(0, maxFieldErrors);
}
