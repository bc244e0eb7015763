// Shared by the user documentation tests: building the site the way `make docs-user` does, and serving the
// build from 127.0.0.1 the way the docs CloudFront distribution serves it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { contentSecurityPolicies } from '../../../infra/src/content-security.js';
import { fileForPath } from '../src/links.js';
import { docsOutputDirectory, repositoryRoot } from '../src/paths.js';

const execFileAsync = promisify(execFile);

/** The lock `make docs-user` takes, so a test build and a make build never write the output together. */
const BUILD_LOCK = join(repositoryRoot, '.cache/userdocs-build.lock');

/** Tells whether this machine lets an unprivileged process create a network namespace without any network. */
export function canRunWithoutNetwork(): boolean {
  try {
    execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds site/dist/docs unless it is up to date, with the default settings of `make docs-user`. Where the
 * machine allows it, the build runs inside `unshare -rn` and must have been built without network.
 * Returns the build's output lines.
 */
export async function ensureDocsBuilt(): Promise<string> {
  await mkdir(join(repositoryRoot, '.cache'), { recursive: true });
  const build = ['tsx', 'tools/userdocs/src/build.ts'];
  const command = canRunWithoutNetwork()
    ? ['flock', BUILD_LOCK, 'unshare', '-rn', ...build, '--require-offline']
    : ['flock', BUILD_LOCK, ...build];
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(repositoryRoot, 'node_modules/.bin')}:${process.env.PATH}`,
  };
  // The tests check the default build, which is also what `make docs` writes without these settings.
  delete environment.KATAPP_DOCS_BASE;
  delete environment.KATAPP_APIDOC_URL;
  const [file = 'flock', ...args] = command;
  const { stdout, stderr } = await execFileAsync(file, args, {
    cwd: repositoryRoot,
    env: environment,
    maxBuffer: 16 * 1024 * 1024,
  });
  return `${stdout}${stderr}`;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

/** Response headers of the docs distribution: its Content-Security-Policy and the security headers. */
export function docsSiteHeaders(): Record<string, string> {
  const policies = contentSecurityPolicies(
    { rest: 'https://api.katapp.example', webSocket: 'wss://ws.katapp.example' },
    'https://photos.katapp.example',
  );
  return {
    'Content-Security-Policy': policies.docs,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a built site on a free 127.0.0.1 port with the docs distribution's headers and its path mapping
 * (folder paths get index.html). A request for a missing file gets 403, as S3 behind origin access control responds.
 */
export async function serveSite(root: string = docsOutputDirectory): Promise<SiteServer> {
  const headers = docsSiteHeaders();
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(root, fileForPath(pathname.slice(1))));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(403, { ...headers, 'Content-Type': 'application/xml' });
      response.end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    readFile(file).then(
      (body) => {
        const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
        response.writeHead(200, { ...headers, 'Content-Type': type });
        response.end(body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end(`reading ${file} failed: ${String(error)}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
