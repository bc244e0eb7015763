// Builds the API docs site into a temporary folder, serves it from 127.0.0.1 and opens every page in headless
// Chromium. Requests to any host other than 127.0.0.1/localhost are aborted and fail the test.

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, repositoryRoot } from '../src/paths.js';

const execFileAsync = promisify(execFile);

/** A loopback URL that nothing listens on: the build must write it into Swagger UI's servers. */
const TRY_IT_OUT_URL = 'http://127.0.0.1:3999';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
};

type Json = Record<string, unknown>;

let workDirectory: string;
let siteDirectory: string;
let server: Server;
let siteUrl: string;
let context: BrowserContext;
let openapi: Json;
let asyncapi: Json;

/** Requests to non-loopback hosts, recorded by the route handler (which also aborts them). */
const outsideRequests: string[] = [];

function serveStatic(root: string): Server {
  return createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!file.startsWith(root + sep) || !existsSync(file) || !(await stat(file)).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  });
}

interface PageProblems {
  pageErrors: string[];
  consoleErrors: string[];
}

async function openPage(path: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems: PageProblems = { pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  await page.goto(`${siteUrl}/${path}`, { waitUntil: 'load' });
  return { page, problems };
}

/** Summary of an operation in the bundled contract, looked up by operationId. */
function operationSummary(operationId: string): string {
  for (const pathItem of Object.values(openapi.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(pathItem)) {
      if (operation?.operationId === operationId && typeof operation.summary === 'string')
        return operation.summary;
    }
  }
  throw new Error(`operation ${operationId} with a summary not found in the contract`);
}

function operationIdsOfTag(tag: string): string[] {
  const ids: string[] = [];
  for (const pathItem of Object.values(openapi.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(pathItem)) {
      const tags = operation?.tags;
      if (typeof operation?.operationId === 'string' && Array.isArray(tags) && tags.includes(tag)) {
        ids.push(operation.operationId);
      }
    }
  }
  return ids;
}

function operationCount(): number {
  let count = 0;
  for (const pathItem of Object.values(openapi.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(pathItem))
      if (typeof operation?.operationId === 'string') count += 1;
  }
  return count;
}

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'katapp-docs-test-'));
  siteDirectory = join(workDirectory, 'site');
  await execFileAsync(
    binPath('tsx'),
    [join(repositoryRoot, 'tools/docs/src/build.ts'), '--out', siteDirectory],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        PATH: `${binPath('')}:${process.env.PATH ?? ''}`,
        KATAPP_API_URL: `${TRY_IT_OUT_URL}/`,
      },
    },
  );
  openapi = JSON.parse(await readFile(join(siteDirectory, 'openapi.json'), 'utf8')) as Json;
  asyncapi = JSON.parse(await readFile(join(siteDirectory, 'asyncapi.json'), 'utf8')) as Json;

  server = serveStatic(siteDirectory);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  context = await chromium.launchPersistentContext(join(workDirectory, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK_HOSTS.has(url.hostname)) {
      return route.continue();
    }
    outsideRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
});

afterAll(async () => {
  await context?.close();
  if (server?.listening) {
    server.close();
    server.closeAllConnections();
  }
  if (workDirectory !== undefined) await rm(workDirectory, { recursive: true, force: true });
  // Checked last so that a page test that triggered an outside request fails loudly even if it passed.
  expect(outsideRequests).toEqual([]);
});

describe('API docs site', () => {
  it('landing page links the three views', async () => {
    const { page, problems } = await openPage('index.html');
    const links = await page
      .locator('a')
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['redoc.html', 'swagger/index.html', 'asyncapi.html']));
    await expect(page.title()).resolves.toContain(String((openapi.info as Json).title));
    expect(await page.content()).toContain(TRY_IT_OUT_URL);
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
    expect(outsideRequests).toEqual([]);
    await page.close();
  });

  it('redoc.html renders the triage operations', async () => {
    const { page, problems } = await openPage('redoc.html');
    // Redoc 3 renders one tag at a time: open the triages tag from the sidebar, then one operation.
    await page.getByText('triages', { exact: true }).first().click({ timeout: 60_000 });
    for (const operationId of operationIdsOfTag('triages')) {
      await page.getByText(operationSummary(operationId), { exact: true }).first().waitFor();
    }
    await page.getByText(operationSummary('uploadTriage'), { exact: true }).first().click();
    await page
      .getByRole('heading', { name: operationSummary('uploadTriage') })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).hash).toBe('#/triages/uploadtriage');
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
    expect(outsideRequests).toEqual([]);
    await page.close();
  });

  it('swagger/index.html renders every operation', async () => {
    const { page, problems } = await openPage('swagger/index.html');
    await page.locator('.opblock').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('.opblock').count()).resolves.toBe(operationCount());
    await page.locator('.opblock-summary-operation-id', { hasText: /^uploadTriage$/ }).waitFor();
    await expect(page.locator('.servers select option').allTextContents()).resolves.toEqual([
      expect.stringContaining(TRY_IT_OUT_URL),
    ]);
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
    expect(outsideRequests).toEqual([]);
    await page.close();
  });

  it('swagger copy of the contract targets KATAPP_API_URL', async () => {
    const copy = JSON.parse(await readFile(join(siteDirectory, 'swagger/openapi.json'), 'utf8')) as Json;
    expect(copy.servers).toEqual([expect.objectContaining({ url: TRY_IT_OUT_URL })]);
    expect(copy.paths).toEqual(openapi.paths);
  });

  it('asyncapi.html renders the WebSocket operations', async () => {
    const { page, problems } = await openPage('asyncapi.html');
    await page
      .getByText(String((asyncapi.info as Json).title))
      .first()
      .waitFor({ timeout: 60_000 });
    // The overview lists channels; a channel's page lists its operations.
    const channels = Object.values(asyncapi.channels as Record<string, Json>);
    const channelTitle = String(channels[0]?.title);
    await page.getByText(channelTitle, { exact: true }).first().click();
    const operations = Object.values(asyncapi.operations as Record<string, Json>);
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) {
      await page.getByText(String(operation.title), { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
    expect(outsideRequests).toEqual([]);
    await page.close();
  });
});
