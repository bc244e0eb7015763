// Locates every Schema Object root of an OpenAPI document (OpenAPI 3.1 Components, Path Item,
// Operation, Parameter, Request Body, Media Type, Response and Header Objects).

import { isObject, type JsonObject, type JsonValue, pointer } from './json.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type SchemaRootVisitor = (schema: JsonValue, location: string) => JsonValue;

function mapContent(content: JsonValue | undefined, location: string, visit: SchemaRootVisitor): void {
  if (!isObject(content)) return;
  for (const [mediaType, media] of Object.entries(content)) {
    if (isObject(media) && media.schema !== undefined) {
      media.schema = visit(media.schema, `${location}${pointer(mediaType, 'schema')}`);
    }
  }
}

function mapParameters(parameters: JsonValue | undefined, location: string, visit: SchemaRootVisitor): void {
  if (!Array.isArray(parameters)) return;
  parameters.forEach((parameter, index) => {
    if (!isObject(parameter)) return;
    if (parameter.schema !== undefined) {
      parameter.schema = visit(parameter.schema, `${location}${pointer(index, 'schema')}`);
    }
    mapContent(parameter.content, `${location}${pointer(index, 'content')}`, visit);
  });
}

function mapHeaders(headers: JsonValue | undefined, location: string, visit: SchemaRootVisitor): void {
  if (!isObject(headers)) return;
  for (const [name, header] of Object.entries(headers)) {
    if (!isObject(header)) continue;
    if (header.schema !== undefined)
      header.schema = visit(header.schema, `${location}${pointer(name, 'schema')}`);
    mapContent(header.content, `${location}${pointer(name, 'content')}`, visit);
  }
}

function mapResponse(response: JsonValue | undefined, location: string, visit: SchemaRootVisitor): void {
  if (!isObject(response)) return;
  mapContent(response.content, `${location}/content`, visit);
  mapHeaders(response.headers, `${location}/headers`, visit);
}

/** Classifies a schema root: clients write request parts, the server writes responses. */
export function directionOf(location: string): 'request' | 'response' | 'component' {
  if (location.startsWith('/components/schemas/')) return 'component';
  if (/\/responses\//.test(location) || location.startsWith('/components/headers/')) return 'response';
  return 'request';
}

/**
 * Replaces every schema root in place with `visit(schema, location)`; the document is mutated, so pass a copy.
 * Locations are JSON Pointers into the document.
 */
export function mapDocumentSchemas(document: JsonObject, visit: SchemaRootVisitor): JsonObject {
  const components = document.components;
  if (isObject(components)) {
    const schemas = components.schemas;
    if (isObject(schemas)) {
      for (const name of Object.keys(schemas)) {
        schemas[name] = visit(schemas[name] as JsonValue, pointer('components', 'schemas', name));
      }
    }
    if (isObject(components.parameters)) {
      for (const [name, parameter] of Object.entries(components.parameters)) {
        if (!isObject(parameter)) continue;
        if (parameter.schema !== undefined) {
          parameter.schema = visit(parameter.schema, pointer('components', 'parameters', name, 'schema'));
        }
        mapContent(parameter.content, pointer('components', 'parameters', name, 'content'), visit);
      }
    }
    mapHeaders(components.headers, pointer('components', 'headers'), visit);
    if (isObject(components.requestBodies)) {
      for (const [name, body] of Object.entries(components.requestBodies)) {
        if (isObject(body))
          mapContent(body.content, pointer('components', 'requestBodies', name, 'content'), visit);
      }
    }
    if (isObject(components.responses)) {
      for (const [name, response] of Object.entries(components.responses)) {
        mapResponse(response, pointer('components', 'responses', name), visit);
      }
    }
  }
  const paths = document.paths;
  if (isObject(paths)) {
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      mapParameters(item.parameters, pointer('paths', path, 'parameters'), visit);
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const at = pointer('paths', path, method);
        mapParameters(operation.parameters, `${at}/parameters`, visit);
        if (isObject(operation.requestBody))
          mapContent(operation.requestBody.content, `${at}/requestBody/content`, visit);
        if (isObject(operation.responses)) {
          for (const [status, response] of Object.entries(operation.responses)) {
            mapResponse(response, `${at}${pointer('responses', status)}`, visit);
          }
        }
      }
    }
  }
  return document;
}
