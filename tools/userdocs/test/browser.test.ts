// Opens the built user documentation in headless Chromium, served from 127.0.0.1 with the docs distribution's
// Content-Security-Policy. Every request to another host is aborted and recorded. The test fails on any such
// request, on a page error, on a console error such as a CSP violation, and on a failed loopback request.
// It also searches each language with the local search box and follows the language menu.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDocsBuilt, type SiteServer, serveSite } from './support.js';

const CHROMIUM_PATH = '/usr/bin/chromium';
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
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Searches that must find a page by a word that appears in its body text, not only in its title. */
const SEARCHES = [
  { start: '/medics/categories.html', word: 'Kapillarfüllzeit', expected: '/medics/categories.html' },
  {
    start: '/en/operators/backup-and-restore.html',
    word: 'EarliestRestorableDateTime',
    expected: '/en/operators/backup-and-restore.html',
  },
];

let server: SiteServer;
let userDataDirectory: string;
let context: BrowserContext;
const outsideRequests: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];
const failedRequests: string[] = [];

async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
  });
  const response = await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
  expect(response?.status(), path).toBe(200);
  // The app is hydrated once Vue has mounted the layout; the search button is interactive from then on.
  await page.locator('#local-search button').waitFor({ state: 'visible' });
  return page;
}

describe('user documentation in Chromium', () => {
  beforeAll(async () => {
    await ensureDocsBuilt();
    server = await serveSite();
    userDataDirectory = await mkdtemp(join(tmpdir(), 'katapp-userdocs-chromium-'));
    context = await chromium.launchPersistentContext(userDataDirectory, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || LOOPBACK_HOSTS.has(url.hostname) || LOOPBACK_HOSTS.has(url.host)) {
        await route.continue();
        return;
      }
      outsideRequests.push(url.href);
      await route.abort('blockedbyclient');
    });
  }, 900_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDirectory !== undefined) await rm(userDataDirectory, { recursive: true, force: true });
  });

  it('renders the German start page', async () => {
    const page = await openPage('/');
    expect(await page.getAttribute('html', 'lang')).toBe('de-DE');
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('KatApp');
    await page.close();
  });

  it('renders a German page with the language menu', async () => {
    const page = await openPage('/medics/categories.html');
    expect(await page.locator('main h1').textContent()).toContain('Sichtungskategorien');
    const english = page.locator('.VPNavBarTranslations a', { hasText: 'English' });
    expect(await english.getAttribute('href', { timeout: 5000 })).toBe('/en/medics/categories.html');
    await page.close();
  });

  it('renders an English page', async () => {
    const page = await openPage('/en/operators/backup-and-restore.html');
    expect(await page.getAttribute('html', 'lang')).toBe('en-US');
    expect(await page.locator('main h1').textContent()).toContain('Backup and restore');
    await page.close();
  });

  it('renders the theme components on a page', async () => {
    const page = await openPage('/en/command-staff/dashboard.html');
    // Each <Screenshot> renders one figure: the image, or a framed caption while the file is missing.
    const figures = page.locator('main figure.katapp-screenshot');
    expect(await figures.count()).toBe(3);
    await page.close();

    const contract = await openPage('/en/developers/contract.html');
    const apiDocs = contract.locator('main a', { hasText: 'REST reference' });
    expect(await apiDocs.getAttribute('href')).toBe('http://127.0.0.1:3003/redoc.html');
    await contract.close();
  });

  for (const search of SEARCHES) {
    it(`finds "${search.word}" with the local search`, async () => {
      const page = await openPage(search.start);
      await page.locator('#local-search button').click();
      const input = page.locator('#localsearch-input');
      await input.waitFor({ state: 'visible' });
      await input.fill(search.word);
      const result = page.locator(`.VPLocalSearchBox a.result[href^="${search.expected}"]`).first();
      await result.waitFor({ state: 'visible', timeout: 15_000 });
      await result.click();
      await page.waitForURL((url) => url.pathname === search.expected);
      await page.close();
    });
  }

  it('requested nothing from other hosts and raised no errors', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
  });
});
