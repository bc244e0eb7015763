// The type declarations of generated/validators/index.js, functions/<function>.js and client-messages.js.

import { tsHeader } from '../../util/header.js';
import type { ValidatorSet } from './schema-set.js';

const union = (names: Iterable<string>): string => {
  const list = [...names].map((name) => JSON.stringify(name));
  return list.length === 0 ? 'never' : list.join(' | ');
};

export function emitValidatorDeclarations(set: ValidatorSet): string {
  return `${tsHeader()}
/** One Ajv error (the shape of Ajv 8's ErrorObject). */
export interface ValidationError {
  keyword: string;
  /** JSON Pointer to the invalid value inside the validated data. */
  instancePath: string;
  /** JSON Pointer to the failing keyword inside the schema. */
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A precompiled validator: returns true when \`data\` is valid, else false with the reasons in \`errors\`. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ValidationError[] | null;
}

export type OperationId = ${union(set.operations.keys())};
export type SchemaName = ${union(set.schemas.keys())};
export type MessageName = ${union(set.messages.keys())};

/**
 * Request validators of one operation, present for the locations the operation declares. Parameter validators
 * take an object of that location's parameters keyed by declared name, coerce strings in place (\`"10"\` → 10,
 * \`"a"\` → ["a"]) and never reject unknown keys. The body validator never coerces.
 */
export interface RequestValidators {
  path?: ValidateFunction;
  query?: ValidateFunction;
  header?: ValidateFunction;
  body?: ValidateFunction;
}

/**
 * Request and response validators of one operation. Response validators never coerce, and \`responses\` is keyed by
 * status and contains the statuses with a JSON body.
 */
export interface OperationValidators extends RequestValidators {
  responses: Readonly<Record<string, ValidateFunction>>;
}

export declare const operations: { readonly [K in OperationId]: OperationValidators };
/** Component schemas (read views; \`...Write\` entries are the request-body views). */
export declare const schemas: { readonly [K in SchemaName]: ValidateFunction };
/** AsyncAPI messages by message name. */
export declare const messages: { readonly [K in MessageName]: ValidateFunction };
`;
}

/** Declarations of generated/validators/functions/<function>.js: the request validators of one function. */
export function emitFunctionValidatorDeclarations(functionName: string): string {
  return `${tsHeader()}
import type { FunctionOperations } from '../../operations/index.js';
import type { RequestValidators } from '../index.js';

/** Request validators of the operations function \`${functionName}\` implements (response validators: index.js). */
export declare const operations: {
  readonly [K in FunctionOperations[${JSON.stringify(functionName)}]]: RequestValidators;
};
`;
}

/** Declarations of generated/validators/client-messages.js: the messages WebSocket clients send. */
export function emitClientMessageDeclarations(set: ValidatorSet): string {
  return `${tsHeader()}
import type { ValidateFunction } from './index.js';

export type ClientMessageName = ${union(set.clientMessages.keys())};

/** Validators of the AsyncAPI messages clients send, by message name (same verdicts as index.js \`messages\`). */
export declare const messages: { readonly [K in ClientMessageName]: ValidateFunction };
`;
}
