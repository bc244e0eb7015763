/** Content-Security-Policy header values of the three sites. */

/** Origins the browser code talks to: the REST API (https) and the WebSocket API (wss). */
export interface ApiOrigins {
  readonly rest: string;
  readonly webSocket: string;
}

const COMMON = [
  "default-src 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
];

/**
 * Returns the CSP of each site.
 * - dashboard: scripts from its own origin only; API and WebSocket connections; photos shown from presigned
 *   S3 URLs (`photoOrigin`); inline styles because the map library positions markers with style attributes.
 * - apidoc: Redoc's single-file build inlines its script bundle, so scripts need 'unsafe-inline'; Swagger UI
 *   sends "Try it out" requests to the REST API; Redoc's search runs in a blob: worker.
 * - docs: plain static pages.
 */
export function contentSecurityPolicies(
  api: ApiOrigins,
  photoOrigin: string,
): Record<'dashboard' | 'apidoc' | 'docs', string> {
  return {
    dashboard: [
      ...COMMON,
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: ${photoOrigin}`,
      "font-src 'self' data:",
      `connect-src 'self' ${api.rest} ${api.webSocket}`,
      "worker-src 'self' blob:",
      'upgrade-insecure-requests',
    ].join('; '),
    apidoc: [
      ...COMMON,
      "script-src 'self' 'unsafe-inline'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      `connect-src 'self' ${api.rest}`,
      "worker-src 'self' blob:",
      'upgrade-insecure-requests',
    ].join('; '),
    docs: [
      ...COMMON,
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      'upgrade-insecure-requests',
    ].join('; '),
  };
}
