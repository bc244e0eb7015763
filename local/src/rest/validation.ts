// Request validation as an API Gateway request validator performs it: required parameters, and the body
// against the operation's draft-4 model.

import type { ValidateFunction } from 'ajv';
import AjvDraft4Module from 'ajv-draft-04';

// The package is CommonJS; its class is both module.exports and its `default` property.
const AjvDraft4 = AjvDraft4Module.default;

import type { JsonObject, Operation } from './definition.js';
import { headerValue, parseQuery } from './event.js';

export type ValidationFailure =
  | { type: 'BAD_REQUEST_PARAMETERS'; message: string }
  | { type: 'BAD_REQUEST_BODY'; message: string; validationErrorString: string };

// Keywords the API Gateway request validator does not enforce; removed so the local verdict matches it.
const NOT_ENFORCED = new Set(['oneOf', 'anyOf', 'allOf', 'minItems', 'maxItems', 'discriminator', 'format']);

/** Compiles and caches the body validators of one REST API definition. */
export class RequestValidator {
  private readonly ajv: InstanceType<typeof AjvDraft4>;
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(document: JsonObject) {
    // strict: false because API Gateway ignores keywords it does not know (example, nullable, x-*).
    this.ajv = new AjvDraft4({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema(stripUnenforced({ components: document.components ?? {} }) as object, 'api');
  }

  /** Checks required query strings and headers (path parameters are required by routing). */
  validateParameters(
    operation: Operation,
    headers: Record<string, string>,
    rawQuery: string,
  ): ValidationFailure | undefined {
    if (!operation.validator.parameters) {
      return undefined;
    }
    const query = parseQuery(rawQuery).single ?? {};
    const missing: string[] = [];
    for (const parameter of operation.parameters) {
      if (!parameter.required) {
        continue;
      }
      if (parameter.in === 'query' && query[parameter.name] === undefined) {
        missing.push(parameter.name);
      }
      if (parameter.in === 'header' && headerValue(headers, parameter.name) === undefined) {
        missing.push(parameter.name);
      }
    }
    if (missing.length === 0) {
      return undefined;
    }
    return {
      type: 'BAD_REQUEST_PARAMETERS',
      message: `Missing required request parameters: [${missing.join(', ')}]`,
    };
  }

  /** Validates the body against the model of its content type (application/json when the header is absent). */
  validateBody(
    operation: Operation,
    contentType: string | undefined,
    body: Buffer,
  ): ValidationFailure | undefined {
    if (!operation.validator.body) {
      return undefined;
    }
    const mediaType = (contentType?.split(';')[0] ?? 'application/json').trim().toLowerCase();
    const schema = operation.requestBodies[mediaType];
    if (schema === undefined) {
      return undefined;
    }
    const validate = this.compile(`${operation.method} ${operation.resource} ${mediaType}`, schema);
    if (!validate) {
      return undefined;
    }
    let data: unknown = null;
    if (body.length > 0) {
      try {
        data = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return {
          type: 'BAD_REQUEST_BODY',
          message: 'Invalid request body',
          validationErrorString: `[Invalid JSON: ${(error as Error).message}]`,
        };
      }
    }
    if (validate(data)) {
      return undefined;
    }
    const details = (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
    );
    return {
      type: 'BAD_REQUEST_BODY',
      message: 'Invalid request body',
      validationErrorString: `[${details.join(', ')}]`,
    };
  }

  private compile(key: string, schema: unknown): ValidateFunction | null {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const prepared = rewriteRefs(stripUnenforced(schema));
    const validate = this.ajv.compile(prepared as object);
    this.cache.set(key, validate);
    return validate;
  }
}

// Schema maps (properties, definitions, components) hold names, not keywords: their keys are kept.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'components', 'schemas']);

function stripUnenforced(value: unknown, isSchemaMap = false): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => stripUnenforced(item));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value as JsonObject)) {
    if (isSchemaMap || !NOT_ENFORCED.has(key)) {
      result[key] = stripUnenforced(item, !isSchemaMap && SCHEMA_MAPS.has(key));
    }
  }
  return result;
}

// Local references in an operation's schema point into the definition, which is registered as "api".
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(rewriteRefs);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value as JsonObject)) {
    result[key] =
      key === '$ref' && typeof item === 'string' && item.startsWith('#/') ? `api${item}` : rewriteRefs(item);
  }
  return result;
}
