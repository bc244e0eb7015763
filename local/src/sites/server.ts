// Static sites served the way their CloudFront distributions serve them: the viewer-request CloudFront
// Function, default root object, custom error responses (the single-page fallback) and the response headers
// policy's security headers.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { Script } from 'node:vm';
import { formatRequestLine, type Logger } from '../log.js';
import type { LocalStack } from '../template/stack.js';

export interface SiteBehaviour {
  /** Headers the distribution's response headers policy adds. */
  headers: Record<string, string>;
  defaultRootObject: string;
  /** CloudFront custom error responses: an origin error code mapped to a page and status. */
  errorResponses: Array<{ errorCode: number; responseCode: number; pagePath: string }>;
  /** Source of the CloudFront Function (cloudfront-js-2.0) associated with viewer-request events, if any. */
  viewerRequestCode?: string;
}

export interface SiteOptions {
  name: string;
  /** Folder with the built site. */
  root: string;
  /** The make target that builds `root`, named on the page shown while it is missing. */
  buildTarget: string;
  behaviour: SiteBehaviour;
  port: number;
  logger: Logger;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

/** A running static site. */
export class SiteServer {
  private server: Server | undefined;

  constructor(private readonly options: SiteOptions) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const started = performance.now();
      this.respond(request.url ?? '/')
        .then(({ status, headers, body }) => {
          response.writeHead(status, {
            ...this.options.behaviour.headers,
            ...headers,
            'Content-Length': String(body.length),
          });
          response.end(request.method === 'HEAD' ? undefined : body);
          this.options.logger.log(
            'debug',
            formatRequestLine({
              protocol: this.options.name,
              method: request.method ?? 'GET',
              path: request.url ?? '/',
              status,
              durationMs: performance.now() - started,
            }),
          );
        })
        .catch((error: unknown) => {
          this.options.logger.log(
            'error',
            `${this.options.name} site failed on ${request.url}: ${String(error)}`,
          );
          response.writeHead(500);
          response.end();
        });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async respond(
    url: string,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const { root, behaviour } = this.options;
    if (!existsSync(root)) {
      return missingBuild(this.options);
    }
    let path: string;
    try {
      path = decodeURIComponent((url.split('?')[0] ?? '/').split('#')[0] ?? '/');
    } catch {
      return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: Buffer.from('Bad request') };
    }
    if (behaviour.viewerRequestCode !== undefined) {
      path = runViewerRequest(behaviour.viewerRequestCode, path);
    }
    if (path === '/') {
      path = `/${behaviour.defaultRootObject}`;
    }
    const file = safeJoin(root, path);
    if (file && existsSync(file) && statSync(file).isFile()) {
      return { status: 200, headers: { 'Content-Type': contentTypeOf(file) }, body: await readFile(file) };
    }
    // S3 behind an origin access control returns 403 for a missing key, and CloudFront maps it if configured.
    const mapped = behaviour.errorResponses.find(
      (entry) => entry.errorCode === 403 || entry.errorCode === 404,
    );
    const page = mapped ? safeJoin(root, mapped.pagePath) : undefined;
    if (mapped && page && existsSync(page)) {
      return {
        status: mapped.responseCode,
        headers: { 'Content-Type': contentTypeOf(page) },
        body: await readFile(page),
      };
    }
    return {
      status: 403,
      headers: { 'Content-Type': 'application/xml' },
      body: Buffer.from('<Error><Code>AccessDenied</Code></Error>'),
    };
  }
}

const compiledFunctions = new Map<string, Script>();

/**
 * Runs a viewer-request CloudFront Function on a request URI and returns the URI it forwards to the origin.
 * Only the URI is modelled: the event carries no headers, cookies or query string.
 */
export function runViewerRequest(code: string, uri: string): string {
  let script = compiledFunctions.get(code);
  if (!script) {
    script = new Script(`${code}\nhandler(event);`);
    compiledFunctions.set(code, script);
  }
  const event = {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '127.0.0.1' },
    request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} },
  };
  const result = script.runInNewContext({ event }, { timeout: 100 }) as { uri?: unknown } | undefined;
  // NOTE: a function that returns a response object (statusCode) instead of a request is not modelled.
  return typeof result?.uri === 'string' ? result.uri : uri;
}

function safeJoin(root: string, path: string): string | undefined {
  const joined = normalize(join(root, path));
  return joined === normalize(root) || joined.startsWith(normalize(root) + sep) ? joined : undefined;
}

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function missingBuild(options: SiteOptions) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${options.name} is not built</title></head><body><h1>${options.name} is not built yet</h1><p>The folder <code>${options.root}</code> does not exist. Run <code>make ${options.buildTarget}</code>; this page then shows the site without a restart.</p></body></html>`;
  return { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(html) };
}

/** Converts a ResponseHeadersPolicyConfig to the headers CloudFront adds to every response. */
export function policyHeaders(config: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!config) {
    return headers;
  }
  const security = (config.SecurityHeadersConfig ?? {}) as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const csp = security.ContentSecurityPolicy?.ContentSecurityPolicy;
  if (typeof csp === 'string') {
    headers['Content-Security-Policy'] = csp;
  }
  if (security.ContentTypeOptions) {
    headers['X-Content-Type-Options'] = 'nosniff';
  }
  const frame = security.FrameOptions?.FrameOption;
  if (typeof frame === 'string') {
    headers['X-Frame-Options'] = frame;
  }
  const referrer = security.ReferrerPolicy?.ReferrerPolicy;
  if (typeof referrer === 'string') {
    headers['Referrer-Policy'] = referrer;
  }
  const hsts = security.StrictTransportSecurity;
  if (hsts) {
    headers['Strict-Transport-Security'] = [
      `max-age=${String(hsts.AccessControlMaxAgeSec)}`,
      hsts.IncludeSubdomains ? 'includeSubDomains' : undefined,
      hsts.Preload ? 'preload' : undefined,
    ]
      .filter(Boolean)
      .join('; ');
  }
  const xss = security.XSSProtection;
  if (xss) {
    headers['X-XSS-Protection'] = xss.Protection
      ? [
          '1',
          xss.ModeBlock ? 'mode=block' : undefined,
          xss.ReportUri ? `report=${String(xss.ReportUri)}` : undefined,
        ]
          .filter(Boolean)
          .join('; ')
      : '0';
  }
  const custom = (
    config.CustomHeadersConfig as { Items?: Array<{ Header: string; Value: string }> } | undefined
  )?.Items;
  for (const item of custom ?? []) {
    headers[item.Header] = item.Value;
  }
  const remove = (config.RemoveHeadersConfig as { Items?: Array<{ Header: string }> } | undefined)?.Items;
  for (const item of remove ?? []) {
    delete headers[item.Header];
  }
  return headers;
}

/**
 * Reads the behaviour of each CloudFront distribution in the stack, keyed by the construct path CDK recorded
 * (for example "KatApp-dev/Dashboard/Distribution"), so a site can be matched by a word in it.
 */
export function distributionBehaviours(stack: LocalStack): Array<{ path: string; behaviour: SiteBehaviour }> {
  return stack.resourcesOfType('AWS::CloudFront::Distribution').map((distribution) => {
    const config = (distribution.properties.DistributionConfig ?? {}) as Record<string, unknown>;
    const cacheBehavior = (config.DefaultCacheBehavior ?? {}) as {
      ResponseHeadersPolicyId?: unknown;
      FunctionAssociations?: Array<{ EventType?: unknown; FunctionARN?: unknown }>;
    };
    const viewerRequestArn = cacheBehavior.FunctionAssociations?.find(
      (association) => association.EventType === 'viewer-request',
    )?.FunctionARN;
    const viewerRequestFunction =
      viewerRequestArn === undefined
        ? undefined
        : stack
            .resourcesOfType('AWS::CloudFront::Function')
            .find((candidate) => stack.getAtt(candidate.logicalId, 'FunctionARN') === viewerRequestArn);
    const policyId = cacheBehavior.ResponseHeadersPolicyId;
    const policy = stack
      .resourcesOfType('AWS::CloudFront::ResponseHeadersPolicy')
      .find((candidate) => stack.ref(candidate.logicalId) === policyId);
    const errors = (config.CustomErrorResponses as Array<Record<string, unknown>> | undefined) ?? [];
    return {
      path: String(distribution.metadata['aws:cdk:path'] ?? distribution.logicalId),
      behaviour: {
        headers: policyHeaders(
          policy?.properties.ResponseHeadersPolicyConfig as Record<string, unknown> | undefined,
        ),
        defaultRootObject: String(config.DefaultRootObject ?? 'index.html'),
        viewerRequestCode:
          typeof viewerRequestFunction?.properties.FunctionCode === 'string'
            ? viewerRequestFunction.properties.FunctionCode
            : undefined,
        errorResponses: errors
          .filter((entry) => typeof entry.ResponsePagePath === 'string')
          .map((entry) => ({
            errorCode: Number(entry.ErrorCode),
            responseCode: Number(entry.ResponseCode ?? 200),
            pagePath: String(entry.ResponsePagePath),
          })),
      },
    };
  });
}
