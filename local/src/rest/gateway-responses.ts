// Gateway responses: what API Gateway returns when it rejects a request itself (no route, failed
// validation, failed authorization, integration timeout). Customized by x-amazon-apigateway-gateway-responses;
// defaults from the API Gateway developer guide page "Gateway response types for API Gateway".

import type { GatewayResponse } from './definition.js';

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE';

const DEFAULT_STATUS: Record<GatewayResponseType, number> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  MISSING_AUTHENTICATION_TOKEN: 403,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** Values of `$context.*` variables available to a gateway response template. */
export interface GatewayResponseContext {
  message: string;
  validationErrorString?: string;
  requestId: string;
  path: string;
  resourcePath?: string;
  httpMethod: string;
  stage: string;
  apiId: string;
  /** Request headers, for `method.request.header.X` mappings. */
  requestHeaders: Record<string, string>;
}

export interface GatewayReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Renders a gateway response. The type's own entry wins; otherwise DEFAULT_4XX or DEFAULT_5XX supplies
 * headers and templates. `statusOverride` replaces the type's default status (a Lambda error is a 502
 * DEFAULT_5XX, for example).
 */
export function renderGatewayResponse(
  type: GatewayResponseType | 'DEFAULT_5XX',
  configured: Record<string, GatewayResponse>,
  context: GatewayResponseContext,
  statusOverride?: number,
): GatewayReply {
  const defaultStatus = statusOverride ?? (type === 'DEFAULT_5XX' ? 500 : DEFAULT_STATUS[type]);
  const fallback = defaultStatus >= 500 ? configured.DEFAULT_5XX : configured.DEFAULT_4XX;
  const response = configured[type] ?? fallback;
  const status = response?.statusCode && configured[type] ? Number(response.statusCode) : defaultStatus;
  const variables = templateVariables(type, context, status);

  const headers: Record<string, string> = {};
  for (const [key, source] of Object.entries(response?.responseParameters ?? {})) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    if (!name) {
      continue;
    }
    const value = mappingValue(source, context.requestHeaders);
    if (value !== undefined) {
      headers[name] = value;
    }
  }

  const templates = response?.responseTemplates ?? {};
  const [contentType, template] = Object.entries(templates)[0] ?? [
    'application/json',
    '{"message":$context.error.messageString}',
  ];
  headers['Content-Type'] ??= contentType;
  headers['x-amzn-ErrorType'] = errorTypeOf(type, status);
  return { status, headers, body: renderTemplate(template, variables) };
}

// `'literal'` is a static value; `method.request.header.X` copies a request header.
function mappingValue(source: string, requestHeaders: Record<string, string>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) {
    return literal[1];
  }
  const header = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
  if (header) {
    const lower = header.toLowerCase();
    return Object.entries(requestHeaders).find(([name]) => name.toLowerCase() === lower)?.[1];
  }
  return undefined;
}

function templateVariables(
  type: string,
  context: GatewayResponseContext,
  status: number,
): Record<string, string> {
  return {
    'context.error.message': context.message,
    'context.error.messageString': JSON.stringify(context.message),
    'context.error.validationErrorString': context.validationErrorString ?? '',
    'context.error.responseType': type,
    'context.requestId': context.requestId,
    'context.extendedRequestId': context.requestId,
    'context.path': context.path,
    'context.resourcePath': context.resourcePath ?? '',
    'context.httpMethod': context.httpMethod,
    'context.stage': context.stage,
    'context.apiId': context.apiId,
    'context.status': String(status),
  };
}

/**
 * Substitutes `$context.x.y` and `${context.x.y}` references. Only variable references are
 * supported, not other Velocity directives (#if, #set), which gateway response templates rarely use.
 */
export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(
    /\$\{(context(?:\.[A-Za-z]+)+)\}|\$(context(?:\.[A-Za-z]+)+)/g,
    (match, braced, bare) => {
      const name = (braced ?? bare) as string;
      return variables[name] ?? match;
    },
  );
}

function errorTypeOf(type: string, status: number): string {
  switch (type) {
    case 'UNAUTHORIZED':
      return 'UnauthorizedException';
    case 'ACCESS_DENIED':
      return 'AccessDeniedException';
    case 'MISSING_AUTHENTICATION_TOKEN':
      return 'MissingAuthenticationTokenException';
    case 'BAD_REQUEST_BODY':
    case 'BAD_REQUEST_PARAMETERS':
      return 'BadRequestException';
    case 'REQUEST_TOO_LARGE':
      return 'RequestTooLargeException';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'UnsupportedMediaTypeException';
    case 'AUTHORIZER_CONFIGURATION_ERROR':
    case 'AUTHORIZER_FAILURE':
      return 'AuthorizerConfigurationException';
    default:
      return status >= 500 ? 'InternalServerErrorException' : 'BadRequestException';
  }
}
