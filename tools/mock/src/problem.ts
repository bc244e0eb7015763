// Problem details (RFC 9457) in the contract's shape: every error body the mock itself writes uses it.

import { randomUUID } from 'node:crypto';

/** The contract's `FieldError`: one invalid value and what is wrong with it. */
export interface FieldError {
  pointer: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

/** The contract limits on the fields the mock fills from Prism's or Node's text. */
const MAX_DETAIL_LENGTH = 2000;
const MAX_MESSAGE_LENGTH = 500;
const MAX_POINTER_LENGTH = 500;
const MAX_ERRORS = 100;
const MAX_INSTANCE_LENGTH = 2048;

/** Collapses whitespace and cuts text to `maxLength`, so it fits a field with a length limit and no edge spaces. */
export function clip(text: string, maxLength: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length <= maxLength ? collapsed : `${collapsed.slice(0, maxLength - 1).trimEnd()}…`;
}

/** Turns a problem code such as `VALIDATION_FAILED` into its type, `/problems/validation-failed`. */
function problemType(code: string): string {
  return `/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

export interface ProblemInput {
  status: number;
  code: string;
  title: string;
  detail: string;
  /** Request path, without the query string. */
  instance: string;
  errors?: FieldError[];
}

/** Builds a contract-shaped problem with a fresh request id, clipping every field to the contract's limits. */
export function createProblem(input: ProblemInput): Problem {
  const problem: Problem = {
    type: problemType(input.code),
    title: input.title,
    status: input.status,
    code: input.code,
    detail: clip(input.detail, MAX_DETAIL_LENGTH),
    instance: input.instance.slice(0, MAX_INSTANCE_LENGTH),
    requestId: randomUUID(),
  };
  if (input.errors !== undefined) {
    problem.errors = input.errors.slice(0, MAX_ERRORS).map((error) => ({
      pointer: error.pointer.slice(0, MAX_POINTER_LENGTH),
      message: clip(error.message, MAX_MESSAGE_LENGTH),
    }));
  }
  return problem;
}
