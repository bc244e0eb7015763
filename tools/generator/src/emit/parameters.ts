// Parameter collection for generated/operations/parameters.ts: the style and explode serialization rules of the
// OpenAPI 3.1 Parameter Object, read back from an API Gateway REST proxy event. The module contains no
// route table, so a function bundle that imports it carries only the routes it imports itself.

import { tsHeader } from '../util/header.js';

const PARAMETERS_MODULE = `
import type { ParameterDefinition, RouteDefinition } from './index.js';

/** The parameter maps of an API Gateway REST proxy event (version 1.0); absent maps are null there. */
export interface RawParameters {
  pathParameters?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
}

/** Parameters grouped by location, keyed by their declared names, ready for the parameter validators. */
export interface CollectedParameters {
  path: Record<string, string | string[] | Record<string, string>>;
  query: Record<string, string | string[] | Record<string, string>>;
  header: Record<string, string | string[] | Record<string, string>>;
}

const DELIMITERS: Record<string, string> = { form: ',', simple: ',', pipeDelimited: '|', spaceDelimited: ' ' };

function decodePathValue(value: string): string {
  // API Gateway passes path parameters percent-encoded as sent (%2F stays %2F); handlers see decoded values.
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function lowerCaseKeys<T>(map: Record<string, T | undefined> | null | undefined): Map<string, T> {
  const result = new Map<string, T>();
  for (const [key, value] of Object.entries(map ?? {})) if (value !== undefined) result.set(key.toLowerCase(), value);
  return result;
}

function shape(parameter: ParameterDefinition, values: string[]): string | string[] {
  if (parameter.type !== 'array') return values[values.length - 1] ?? '';
  if (parameter.explode && parameter.in === 'query') return values;
  const delimiter = DELIMITERS[parameter.style] ?? ',';
  const joined = values[values.length - 1] ?? '';
  if (joined === '') return [];
  const parts = joined.split(delimiter);
  return parameter.in === 'header' ? parts.map((part) => part.trim()) : parts;
}

/**
 * Collects one route's parameters from API Gateway's maps, following each parameter's style and explode.
 * An exploded query array takes every value. \`form\` (explode false) splits on ",", \`pipeDelimited\` on "|" and
 * \`spaceDelimited\` on " ". \`deepObject\` reads \`name[key]\` entries, and scalars take the last value. Header
 * names match case-insensitively, and path values are percent-decoded. Values stay strings because the parameter
 * validators coerce them to the declared types.
 */
export function collectRouteParameters(route: RouteDefinition, raw: RawParameters): CollectedParameters {
  const collected: CollectedParameters = { path: {}, query: {}, header: {} };
  const query = new Map<string, string[]>();
  for (const [key, values] of Object.entries(raw.multiValueQueryStringParameters ?? {})) {
    if (values !== undefined) query.set(key, values);
  }
  for (const [key, value] of Object.entries(raw.queryStringParameters ?? {})) {
    if (value !== undefined && !query.has(key)) query.set(key, [value]);
  }
  const multiHeaders = lowerCaseKeys(raw.multiValueHeaders);
  const headers = lowerCaseKeys(raw.headers);
  for (const parameter of route.parameters) {
    if (parameter.in === 'path') {
      const value = raw.pathParameters?.[parameter.name];
      if (value !== undefined) collected.path[parameter.name] = shape(parameter, [decodePathValue(value)]);
    } else if (parameter.in === 'query') {
      if (parameter.style === 'deepObject') {
        const object: Record<string, string> = {};
        const prefix = \`\${parameter.name}[\`;
        for (const [key, values] of query) {
          if (key.startsWith(prefix) && key.endsWith(']')) object[key.slice(prefix.length, -1)] = values[values.length - 1] ?? '';
        }
        if (Object.keys(object).length > 0) collected.query[parameter.name] = object;
        continue;
      }
      const values = query.get(parameter.name);
      if (values !== undefined) collected.query[parameter.name] = shape(parameter, values);
    } else if (parameter.in === 'header') {
      const key = parameter.name.toLowerCase();
      const values = multiHeaders.get(key) ?? (headers.has(key) ? [headers.get(key) ?? ''] : undefined);
      if (values !== undefined) collected.header[parameter.name] = shape(parameter, values);
    }
  }
  return collected;
}
`;

export function emitParameters(): string {
  return `${tsHeader()}${PARAMETERS_MODULE}`;
}
