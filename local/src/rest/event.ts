// Builds the events API Gateway REST APIs send to Lambda: the proxy integration event (payload format 1.0)
// and the REQUEST/TOKEN authorizer events. Shapes follow the API Gateway developer guide pages
// "Input format of a Lambda function for proxy integration" and "Input to an API Gateway Lambda authorizer".

import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** An HTTP request as the local gateway received it, before any decoding. */
export interface IncomingRequest {
  method: string;
  /** The path exactly as sent, percent-encoding intact, without the query string. */
  rawPath: string;
  /** The query string as sent, without the leading `?`. */
  rawQuery: string;
  /** Header name/value pairs in the order and spelling the client sent them. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  localPort: number;
  requestId: string;
  /** Milliseconds since the epoch when the request arrived. */
  receivedAt: number;
}

/** Route context: the matched resource and the identity of the API. */
export interface RouteContext {
  resource: string;
  pathParameters: Record<string, string>;
  apiId: string;
  stage: string;
  accountId: string;
  region: string;
  binaryMediaTypes: string[];
}

type MultiMap = Record<string, string[]>;

/**
 * Splits a query string the way API Gateway REST does. Keys and values are form-decoded (`+` is a
 * space, `%XX` is decoded). A repeated key keeps its last value in the single map and every value in
 * the multi-value map. Both maps are `null` when the query string is empty.
 */
export function parseQuery(rawQuery: string): {
  single: Record<string, string> | null;
  multi: MultiMap | null;
} {
  const multi: MultiMap = {};
  for (const pair of rawQuery.split('&')) {
    if (pair.length === 0) {
      continue;
    }
    const equals = pair.indexOf('=');
    const key = formDecode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : formDecode(pair.slice(equals + 1));
    if (key.length === 0) {
      continue;
    }
    const values = multi[key] ?? [];
    values.push(value);
    multi[key] = values;
  }
  const keys = Object.keys(multi);
  if (keys.length === 0) {
    return { single: null, multi: null };
  }
  const single = Object.fromEntries(keys.map((key) => [key, (multi[key] as string[]).at(-1) as string]));
  return { single, multi };
}

function formDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Header maps keyed by the names as sent: the last value in `single`, every value in `multi`. */
export function collectHeaders(rawHeaders: string[]): { single: Record<string, string>; multi: MultiMap } {
  const single: Record<string, string> = {};
  const multi: MultiMap = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string;
    const value = rawHeaders[index + 1] as string;
    single[name] = value;
    const values = multi[name] ?? [];
    values.push(value);
    multi[name] = values;
  }
  return { single, multi };
}

/** Finds a header value by case-insensitive name. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) {
      return value;
    }
  }
  return undefined;
}

/** True when `contentType` matches one of the binary media types (`*` wildcards allowed, e.g. `image/*`, `*\/*`). */
export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  if (!contentType) {
    return false;
  }
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return binaryMediaTypes.some((pattern) => {
    const [patternType, patternSubtype] = pattern.toLowerCase().split('/');
    const [type, subtype] = mediaType.split('/');
    return (
      (patternType === '*' || patternType === type) && (patternSubtype === '*' || patternSubtype === subtype)
    );
  });
}

/** Returns the request headers plus the ones API Gateway adds before calling the integration. */
function gatewayHeaders(request: IncomingRequest): string[] {
  const added: string[] = [...request.rawHeaders];
  const names = new Set(
    request.rawHeaders.filter((_value, index) => index % 2 === 0).map((name) => name.toLowerCase()),
  );
  const forwardedFor = request.rawHeaders.findIndex(
    (value, index) => index % 2 === 0 && value.toLowerCase() === 'x-forwarded-for',
  );
  if (forwardedFor >= 0) {
    added[forwardedFor + 1] = `${added[forwardedFor + 1]}, ${request.sourceIp}`;
  } else {
    added.push('X-Forwarded-For', request.sourceIp);
  }
  if (!names.has('x-forwarded-port')) {
    added.push('X-Forwarded-Port', String(request.localPort));
  }
  if (!names.has('x-forwarded-proto')) {
    added.push('X-Forwarded-Proto', 'http');
  }
  if (!names.has('x-amzn-trace-id')) {
    added.push('X-Amzn-Trace-Id', traceId(request));
  }
  return added;
}

function traceId(request: IncomingRequest): string {
  const seconds = Math.floor(request.receivedAt / 1000).toString(16);
  return `Root=1-${seconds}-${request.requestId.replace(/-/g, '').slice(0, 24)}`;
}

// API Gateway's $context.requestTime format: 04/Mar/2020:19:15:17 +0000
export function formatRequestTime(epochMs: number): string {
  const date = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function requestContextOf(request: IncomingRequest, route: RouteContext, headers: Record<string, string>) {
  const host = headerValue(headers, 'host') ?? `127.0.0.1:${request.localPort}`;
  const domainName = host.replace(/:\d+$/, '');
  return {
    accountId: route.accountId,
    apiId: route.apiId,
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
    extendedRequestId: request.requestId.replace(/-/g, '').slice(0, 16),
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: headerValue(headers, 'user-agent') ?? null,
      userArn: null,
    },
    path: request.rawPath,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: formatRequestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt,
    resourceId: route.resource === '/' ? 'root' : route.resource.length.toString(36).padStart(6, '0'),
    resourcePath: route.resource,
    stage: route.stage,
  };
}

/** The ARN of the method a request calls, as authorizers receive it and policies match it. */
export function methodArn(request: IncomingRequest, route: RouteContext): string {
  return `arn:aws:execute-api:${route.region}:${route.accountId}:${route.apiId}/${route.stage}/${request.method}/${request.rawPath.replace(/^\//, '')}`;
}

/**
 * Builds the Lambda proxy integration event. `authorizer` is the context an authorizer returned
 * (principalId, integrationLatency and its context values), absent when the method has none.
 */
export function buildProxyEvent(
  request: IncomingRequest,
  route: RouteContext,
  authorizer?: Record<string, unknown>,
): APIGatewayProxyEvent {
  const headers = collectHeaders(gatewayHeaders(request));
  const query = parseQuery(request.rawQuery);
  const binary = isBinaryMediaType(headerValue(headers.single, 'content-type'), route.binaryMediaTypes);
  const hasBody = request.body.length > 0;
  const encoding = binary ? 'base64' : 'utf8';
  const requestContext = requestContextOf(request, route, headers.single);
  return {
    resource: route.resource,
    path: request.rawPath,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: Object.keys(route.pathParameters).length > 0 ? { ...route.pathParameters } : null,
    stageVariables: null,
    requestContext: authorizer ? { ...requestContext, authorizer } : requestContext,
    body: hasBody ? request.body.toString(encoding) : null,
    isBase64Encoded: binary && hasBody,
  } as unknown as APIGatewayProxyEvent;
}

/** The REQUEST authorizer event: the request's parameters and the ARN of the method it calls. */
export function buildRequestAuthorizerEvent(
  request: IncomingRequest,
  route: RouteContext,
): APIGatewayRequestAuthorizerEvent {
  const headers = collectHeaders(gatewayHeaders(request));
  const query = parseQuery(request.rawQuery);
  return {
    type: 'REQUEST',
    methodArn: methodArn(request, route),
    resource: route.resource,
    path: request.rawPath,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single ?? {},
    multiValueQueryStringParameters: query.multi ?? {},
    pathParameters: { ...route.pathParameters },
    stageVariables: {},
    requestContext: requestContextOf(request, route, headers.single),
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** The TOKEN authorizer event: the token from the identity source header and the method ARN. */
export function buildTokenAuthorizerEvent(token: string, request: IncomingRequest, route: RouteContext) {
  return { type: 'TOKEN', authorizationToken: token, methodArn: methodArn(request, route) };
}
