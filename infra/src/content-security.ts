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
 *
 * The dashboard loads scripts from its own origin only, connects to the REST and WebSocket APIs, and shows
 * photos from presigned S3 URLs (`photoOrigin`). The API documentation needs 'unsafe-inline' scripts
 * because Redoc's single-file build inlines its bundle, connects to the REST API for Swagger UI's "Try it
 * out", and runs Redoc's search in a blob: worker. The user documentation is plain static pages.
 *
 * NOTE: the dashboard's style-src still allows 'unsafe-inline', until a browser test shows the map code
 * works without it. A map tile server would need its origin in the dashboard's img-src; none is configured.
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
