// x-amazon-apigateway-gateway-responses: the errors API Gateway returns itself (before or instead of the Lambda)
// as RFC 9457 application/problem+json with the same stable `code` values the handlers use, plus CORS headers.

import { ContractRuleError } from '../../util/errors.js';
import type { JsonObject } from '../../util/json.js';

interface GatewayResponseSpec {
  type: string;
  /** Status to force; undefined keeps the status API Gateway chose. */
  statusCode?: number;
  /** Status written into the body. */
  status: number;
  code: string;
  title: string;
}

export const GATEWAY_RESPONSES: GatewayResponseSpec[] = [
  {
    type: 'BAD_REQUEST_BODY',
    statusCode: 400,
    status: 400,
    code: 'VALIDATION_FAILED',
    title: 'Request validation failed',
  },
  {
    type: 'BAD_REQUEST_PARAMETERS',
    statusCode: 400,
    status: 400,
    code: 'VALIDATION_FAILED',
    title: 'Request validation failed',
  },
  {
    type: 'UNAUTHORIZED',
    statusCode: 401,
    status: 401,
    code: 'UNAUTHENTICATED',
    title: 'Authentication required',
  },
  // The authorizer's Deny policy: the caller is known but lacks a right.
  { type: 'ACCESS_DENIED', statusCode: 403, status: 403, code: 'FORBIDDEN', title: 'Access denied' },
  // REST APIs reject an unknown path or method with MISSING_AUTHENTICATION_TOKEN, which clients see as a 404.
  {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    statusCode: 404,
    status: 404,
    code: 'NOT_FOUND',
    title: 'Resource not found',
  },
  {
    type: 'RESOURCE_NOT_FOUND',
    statusCode: 404,
    status: 404,
    code: 'NOT_FOUND',
    title: 'Resource not found',
  },
  {
    type: 'UNSUPPORTED_MEDIA_TYPE',
    statusCode: 415,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    title: 'Unsupported media type',
  },
  {
    type: 'REQUEST_TOO_LARGE',
    statusCode: 413,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    title: 'Payload too large',
  },
  { type: 'THROTTLED', statusCode: 429, status: 429, code: 'RATE_LIMITED', title: 'Too many requests' },
  { type: 'QUOTA_EXCEEDED', statusCode: 429, status: 429, code: 'RATE_LIMITED', title: 'Too many requests' },
  {
    type: 'INTEGRATION_TIMEOUT',
    statusCode: 504,
    status: 504,
    code: 'INTERNAL',
    title: 'The server did not answer in time',
  },
  // NOTE: the remaining 4xx types (invalid API key, expired or invalid SigV4 signature, WAF) are all 403s in
  // API Gateway, so the default body reports 403 FORBIDDEN while the status stays API Gateway's.
  { type: 'DEFAULT_4XX', status: 403, code: 'FORBIDDEN', title: 'Request rejected' },
  { type: 'DEFAULT_5XX', status: 500, code: 'INTERNAL', title: 'Internal server error' },
];

function kebab(code: string): string {
  return code.toLowerCase().replaceAll('_', '-');
}

/**
 * Builds the response template. `$context.error.messageString` is API Gateway's message already quoted as a JSON string;
 * the request id is a UUID and needs no escaping.
 */
function template(spec: GatewayResponseSpec): string {
  return (
    `{"type":"/problems/${kebab(spec.code)}","title":${JSON.stringify(spec.title)},"status":${spec.status},` +
    `"code":"${spec.code}","detail":$context.error.messageString,"requestId":"$context.requestId"}`
  );
}

export function gatewayResponses(
  corsHeaders: Record<string, string>,
  problemCodes: string[] | undefined,
): JsonObject {
  const responses: JsonObject = {};
  for (const spec of GATEWAY_RESPONSES) {
    if (problemCodes !== undefined && !problemCodes.includes(spec.code)) {
      throw new ContractRuleError(
        '/components/schemas/ProblemCode',
        `the gateway response ${spec.type} answers code ${spec.code}, which the ProblemCode enum lacks; add it.`,
      );
    }
    const parameters: JsonObject = { 'gatewayresponse.header.Content-Type': "'application/problem+json'" };
    for (const [name, value] of Object.entries(corsHeaders))
      parameters[`gatewayresponse.header.${name}`] = `'${value}'`;
    const response: JsonObject = {
      responseParameters: parameters,
      // API Gateway picks the template by the request's Accept header and falls back to application/json.
      responseTemplates: { 'application/json': template(spec) },
    };
    if (spec.statusCode !== undefined) response.statusCode = String(spec.statusCode);
    responses[spec.type] = response;
  }
  return responses;
}
