// The built dashboard in headless Chromium against the real local platform (REST and WebSocket gateways,
// Lambda handlers, DynamoDB Local), booted from the synthesized template on free ports. Every request to a
// host other than loopback is aborted and recorded, and any console error fails the run.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKatAppClient, type KatAppClient, KatAppProblemError, type Schemas } from '@katapp/client';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dashboardDir = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = dirname(dashboardDir);
const templatePath = join(repositoryRoot, 'infra/cdk.out/KatApp-dev.template.json');
const screenshotDir = join(dashboardDir, 'screenshots');
// `make dashboard-test` synthesizes the template first and sets this, so a missing template fails there.
const required = process.env.KATAPP_DASHBOARD_E2E === '1';
const available = existsSync(templatePath);
if (!available && !required) {
  console.info(`Skipping the dashboard browser test: ${templatePath} does not exist (run make synth).`);
}

/** The part of local/src/platform.ts the test uses; imported at run time so tsc does not check local/ here. */
interface Platform {
  urls: { rest: string; websocket: string; dashboard?: string };
  restartWebSocket(): Promise<void>;
  demo?: {
    admin: { email: string; password: string };
    dashboardUser: { email: string; password: string };
    device: { id: string; imei: string; deviceToken: string };
  };
  stop(): Promise<void>;
}

type TriageBody = Schemas['TriageWrite'];

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

/** Centre of the test disaster (Frankfurt airport, terminal 1). */
const CENTRE = { lat: 50.0379, lon: 8.5622 };

/** Returns a random 15-digit IMEI whose last digit is the Luhn check digit, as on real phones. */
function randomImei(): string {
  const digits = Array.from({ length: 14 }, (_, index) => (index === 0 ? 3 : Math.floor(Math.random() * 10)));
  const sum = digits.reduce((total, digit, index) => {
    const weighted = index % 2 === 1 ? digit * 2 : digit;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

/** Returns a position `northKm` north and `eastKm` east of the disaster centre. */
function offset(northKm: number, eastKm: number) {
  return {
    lat: CENTRE.lat + northKm / 111.32,
    lon: CENTRE.lon + eastKm / (111.32 * Math.cos((CENTRE.lat * Math.PI) / 180)),
    accuracyMeters: 10,
  };
}

const CRITERIA = {
  red: 'respiratory-rate-abnormal',
  yellow: 'no-criterion-applies',
  green: 'patient-ambulant',
  blue: 'fatally-injured',
  dead: 'signs-of-death',
  white: 'uninjured',
} as const;

function triage(
  disasterId: string,
  cardCode: string,
  category: keyof typeof CRITERIA,
  stage: Schemas['Stage'],
  position: ReturnType<typeof offset>,
  capturedAt = new Date(),
): TriageBody {
  return {
    disasterId,
    cardCode,
    capturedAt: capturedAt.toISOString(),
    stage,
    category,
    decidingCriterion: CRITERIA[category],
    algorithm: 'mSTaRT',
    kind: 'pre-triage',
    ageGroup: 'adult',
    position,
  };
}

/** Returns the `connect-src` sources of a Content-Security-Policy header value. */
function connectSources(policy: string): string[] {
  const directive = policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([name]) => name === 'connect-src');
  return directive?.slice(1) ?? [];
}

describe.skipIf(!available && !required)('dashboard in Chromium', () => {
  let platform: Platform;
  let dataDir: string;
  let siteDir: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  let device: KatAppClient;
  let disaster: Schemas['Disaster'];
  const outsideRequests: string[] = [];
  const servedPolicies = new Set<string>();
  let phoneImei = '';
  let webSocketOutage = false;
  const consoleErrors: string[] = [];
  const functionLines: string[] = [];
  const newUser = {
    name: 'Lea Wagner',
    email: `lea.wagner.${randomUUID().slice(0, 8)}@demo.katapp.example`,
    password: 'correct-horse-dashboard-staple',
  };
  const cardBase = 4_200_000_000_000 + Math.floor(Math.random() * 1_000_000) * 100;

  async function upload(body: TriageBody): Promise<Schemas['Triage']> {
    const { data } = await device.PUT('/triages/{triageId}', {
      params: { path: { triageId: randomUUID() } },
      body,
    });
    return data;
  }

  /** Returns the text of one summary number, such as the patients total. */
  async function summaryValue(testId: string): Promise<string> {
    return (await page.getByTestId(testId).locator('dd').textContent()) ?? '';
  }

  async function countCell(stage: string, category: string): Promise<string> {
    return (
      (await page
        .locator(`[data-testid="counts-table"] tr[data-stage="${stage}"] td[data-category="${category}"]`)
        .textContent()) ?? ''
    );
  }

  beforeAll(async () => {
    if (!available) throw new Error(`${templatePath} does not exist; run make synth first.`);

    // A fresh build of the current sources, into a folder of its own so the platform serves exactly it.
    siteDir = mkdtempSync(join(tmpdir(), 'katapp-dashboard-site-'));
    // Vitest sets NODE_ENV to "test", which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(dashboardDir, 'vite.config.ts'),
        root: dashboardDir,
        mode: 'production',
        logLevel: 'error',
        build: { outDir: siteDir, emptyOutDir: true, sourcemap: false },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    const { startPlatform } = (await import(join(repositoryRoot, 'local/src/platform.ts'))) as {
      startPlatform: (options: object) => Promise<Platform>;
    };
    dataDir = mkdtempSync(join(tmpdir(), 'katapp-dashboard-platform-'));
    platform = await startPlatform({
      ports: 0,
      dataDir,
      fresh: true,
      siteRoots: { dashboard: siteDir },
      functionOutput: (name: string, line: string) => functionLines.push(`[${name}] ${line}`),
    });
    if (!platform.demo)
      throw new Error('The local platform seeded no demo tenant; the test needs its users and device.');
    if (!platform.urls.dashboard) throw new Error('The local platform serves no dashboard site.');
    // The site server reads files per request, so the runtime config can follow the platform's free ports.
    writeFileSync(
      join(siteDir, 'config.json'),
      JSON.stringify({ apiUrl: platform.urls.rest, webSocketUrl: platform.urls.websocket }),
    );

    // A phone of its own, registered by the demo admin, uploads the triages.
    const admin = createKatAppClient({ baseUrl: platform.urls.rest });
    await admin.login(platform.demo.admin.email, platform.demo.admin.password);
    const imei = randomImei();
    const { data: phone } = await admin.POST('/devices', {
      body: { imei, name: 'Dashboard test phone', os: 'android', roleId: 'DeviceUser', userName: null },
    });
    const { data: grant } = await admin.POST('/devices/{deviceId}/token', {
      params: { path: { deviceId: phone.id } },
    });
    device = createKatAppClient({ baseUrl: platform.urls.rest });
    await device.exchangeDeviceToken(grant.deviceToken, imei);
    ({ data: disaster } = await device.POST('/disasters', {
      body: {
        name: `Terminal 1 drill ${randomUUID().slice(0, 6)}`,
        mode: 'drill',
        position: { lat: CENTRE.lat, lon: CENTRE.lon, accuracyMeters: null },
        radiusKm: 1.5,
        startedAt: new Date(Date.now() - 45 * 60_000).toISOString(),
      },
    }));
    const earlier = new Date(Date.now() - 30 * 60_000);
    await upload(triage(disaster.id, String(cardBase + 1), 'green', 'incident', offset(0.6, -0.6), earlier));
    await upload(triage(disaster.id, String(cardBase + 2), 'yellow', 'incident', offset(-0.6, 0.6), earlier));
    await upload(
      triage(disaster.id, String(cardBase + 3), 'red', 'treatment-area', offset(0.6, 0.6), earlier),
    );

    // The local site server rewrites the deployed CSP's AWS origins to its own URLs, so Chromium enforces it.
    const servedPolicy = (await fetch(platform.urls.dashboard)).headers.get('content-security-policy');
    if (servedPolicy !== null) servedPolicies.add(servedPolicy);

    userDataDir = mkdtempSync(join(tmpdir(), 'katapp-dashboard-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 1000 },
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
      geolocation: { latitude: CENTRE.lat + 0.05, longitude: CENTRE.lon - 0.05 },
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK_HOSTS.has(url.hostname)) return route.continue();
      outsideRequests.push(url.href);
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium logs each failed reconnect attempt while the test restarts the WebSocket gateway.
      if (webSocketOutage && /^WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/dev/.test(message.text()))
        return;
      consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on('websocket', (socket) => {
      if (!LOOPBACK_HOSTS.has(new URL(socket.url()).hostname)) outsideRequests.push(socket.url());
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await platform?.stop();
    for (const dir of [dataDir, siteDir, userDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers a user who awaits activation', async () => {
    await page.goto(`${platform.urls.dashboard}/register`);
    await page.getByLabel('Organisation').selectOption({ label: 'Demo Klinikum' });
    await page.getByLabel('Name').fill(newUser.name);
    await page.getByLabel('E-mail').fill(newUser.email);
    await page.getByLabel('Password').fill(newUser.password);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('A tenant admin must activate your account').waitFor();

    await page.getByRole('link', { name: 'Back to sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // Through the SDK, because Chromium logs every 4xx response of the page as a console error.
    const pending = createKatAppClient({ baseUrl: platform.urls.rest });
    const failure = await pending.login(newUser.email, newUser.password).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KatAppProblemError);
    expect((failure as KatAppProblemError).code).toBe('ACCOUNT_PENDING');
  });

  it('signs in and lists the disaster', async () => {
    const demo = platform.demo;
    if (!demo) throw new Error('The local platform seeded no demo data.');
    await page.goto(platform.urls.dashboard ?? '');
    await page.getByLabel('E-mail').waitFor();
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'login-en.png') });
    await page.getByRole('button', { name: /Deutsch/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'login-de.png') });
    await page.getByRole('button', { name: /English/ }).click();
    // A fresh page, so the keyboard walk below starts at the top and not at the language button.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // Keyboard only: Tab moves through the header to the form, every stop shows a focus ring, Enter submits.
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return {
          name: element?.getAttribute('name') ?? element?.textContent?.trim() ?? '',
          outline: element ? getComputedStyle(element).outlineStyle : 'none',
        };
      });
    const stops: string[] = [];
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      const stop = await focused();
      expect(stop.outline, `focus ring on ${stop.name}`).not.toBe('none');
      stops.push(stop.name);
      if (stop.name === 'email') break;
    }
    expect(stops[0]).toBe('Skip to content');
    expect(stops.at(-1)).toBe('email');
    await page.keyboard.type(demo.dashboardUser.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(demo.dashboardUser.password);
    await page.keyboard.press('Enter');

    const row = page.locator(`tr[data-disaster-id="${disaster.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain(disaster.name);
    expect(await page.locator('.disaster-marker').count()).toBeGreaterThanOrEqual(1);
  });

  it('finds the nearest disaster from the position', async () => {
    await context.grantPermissions(['geolocation'], { origin: platform.urls.dashboard ?? '' });
    await page.getByRole('button', { name: 'Go to the nearest disaster' }).click();
    await expect
      .poll(() => page.locator('.location-message').textContent(), { timeout: 10_000 })
      .toContain(`Nearest disaster: ${disaster.name}`);

    await context.clearPermissions();
    await page.getByRole('button', { name: 'Go to my position' }).click();
    await expect
      .poll(() => page.locator('.location-message').textContent(), { timeout: 10_000 })
      .toContain('does not share your position');
  });

  it('filters the disasters by start time', async () => {
    const row = page.locator(`tr[data-disaster-id="${disaster.id}"]`);
    // datetime-local takes the browser's local time (Europe/Berlin here); a day ahead is after any start.
    const tomorrow = new Date(Date.now() + 86_400_000 + 2 * 3_600_000).toISOString().slice(0, 16);
    await page.getByLabel('Started after').fill(tomorrow);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No disasters match the filter.').waitFor();
    expect(await row.count()).toBe(0);

    await page.getByRole('button', { name: 'Reset' }).click();
    await row.waitFor();
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'disasters-en.png') });
  });

  it('opens the disaster with map, table and counts', async () => {
    await page.getByRole('link', { name: `Open ${disaster.name}` }).click();
    await page.getByRole('heading', { level: 1, name: disaster.name }).waitFor();
    await page.locator('.online-indicator[data-online="true"]').waitFor({ timeout: 15_000 });

    expect(await page.locator('tr.patient-row').count()).toBe(3);
    expect(await summaryValue('patients-total')).toBe('3');
    expect(await summaryValue('triages-total')).toBe('3');
    expect(await countCell('incident', 'green')).toBe('1');
    expect(await countCell('treatment-area', 'red')).toBe('1');
    expect(await page.locator('.patient-marker').count()).toBe(3);
    // The disaster started 45 minutes before the setup, which takes a minute or two on a busy machine.
    const elapsed = /^0:(\d\d):\d\d$/.exec((await page.getByTestId('elapsed').textContent()) ?? '');
    expect(Number(elapsed?.[1])).toBeGreaterThanOrEqual(45);
    expect(Number(elapsed?.[1])).toBeLessThan(60);
  });

  it('shows an uploaded triage live within two seconds', async () => {
    const cardCode = String(cardBase + 4);
    await upload(triage(disaster.id, cardCode, 'red', 'collection-point', offset(-0.6, -0.6)));
    // The clock starts when the upload has been stored: from there the stream, the broadcaster and the
    // WebSocket carry it to the page.
    const started = Date.now();
    const row = page.locator(`tr.patient-row[data-card-code="${cardCode}"]`);
    const marker = page.locator(`.patient-marker[data-card-code="${cardCode}"]`);
    await row.waitFor({ timeout: 2_000 });
    await marker.waitFor({ timeout: 2_000 - (Date.now() - started) });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await marker.getAttribute('data-category')).toBe('red');
    expect(await marker.getAttribute('data-stage')).toBe('collection-point');
    expect(await row.locator('.alert-mark').count()).toBe(1);

    await expect.poll(() => summaryValue('patients-total'), { timeout: 2_000 }).toBe('4');
    expect(await summaryValue('triages-total')).toBe('4');
    expect(await countCell('collection-point', 'red')).toBe('1');
  });

  it('moves a patient to a new category and stage live', async () => {
    const cardCode = String(cardBase + 1);
    await upload(triage(disaster.id, cardCode, 'yellow', 'treatment-area', offset(0.6, -0.6)));
    const row = page.locator(`tr.patient-row[data-card-code="${cardCode}"]`);
    await expect.poll(() => row.locator('.chip-short').count(), { timeout: 2_000 }).toBe(2);
    expect(await row.locator('.trend').getAttribute('aria-label')).toBe(
      'Trend, oldest first: Green (T3), Yellow (T2)',
    );
    expect(await countCell('incident', 'green')).toBe('0');
    expect(await countCell('treatment-area', 'yellow')).toBe('1');
    expect(await summaryValue('patients-total')).toBe('4');
    expect(await summaryValue('triages-total')).toBe('5');
    expect(
      await page.locator(`.patient-marker[data-card-code="${cardCode}"]`).getAttribute('data-category'),
    ).toBe('yellow');
  });

  it('filters and sorts the patient table', async () => {
    // Space toggles a filter and Enter sorts, as with any native control.
    await page.getByRole('checkbox', { name: 'Red (T1)' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('tr.patient-row').count()).toBe(2);
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('tr.patient-row').count()).toBe(4);
    await page.getByRole('button', { name: /^Card/ }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('columnheader', { name: /^Card/ }).getAttribute('aria-sort'))
      .toBe('ascending');
    const cards = await page.locator('tr.patient-row th.card-code').allTextContents();
    expect(cards).toEqual([...cards].sort());
    expect(cards).toHaveLength(4);
  });

  it('renders only the visible rows', async () => {
    // 40 more patients in every category and stage: more rows than the table's viewport holds.
    const categories = [
      'red',
      'yellow',
      'green',
      'green',
      'green',
      'yellow',
      'blue',
      'dead',
      'white',
      'green',
    ] as const;
    const stages = ['incident', 'collection-point', 'treatment-area', 'transport', 'hospital'] as const;
    const bodies = Array.from({ length: 40 }, (_, index) => {
      const angle = (index / 40) * 2 * Math.PI;
      const radius = 0.3 + (index % 4) * 0.25;
      return triage(
        disaster.id,
        String(cardBase + 10 + index),
        categories[index % categories.length] ?? 'green',
        stages[index % stages.length] ?? 'incident',
        offset(radius * Math.sin(angle), radius * Math.cos(angle)),
        new Date(Date.now() - (40 - index) * 60_000),
      );
    });
    for (let start = 0; start < bodies.length; start += 4) {
      await Promise.all(bodies.slice(start, start + 4).map((body) => upload(body)));
    }
    await expect.poll(() => summaryValue('patients-total'), { timeout: 30_000 }).toBe('44');
    // Blue and dead pre-triages wait for a physician's confirmation.
    expect(await summaryValue('pending-confirmations')).toBe('8');

    const table = page.locator('table.patient-table');
    expect(await table.getAttribute('aria-rowcount')).toBe('45');
    const rendered = await page.locator('tr.patient-row').count();
    expect(rendered).toBeLessThan(44);
    expect(rendered).toBeGreaterThan(10);

    // Scrolled to the end, the window moves to the last rows: the header is row 1, so the last is row 45.
    await page.locator('.table-scroll').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await expect.poll(() => page.locator('tr.patient-row').last().getAttribute('aria-rowindex')).toBe('45');
    await page.locator('.table-scroll').evaluate((element) => {
      element.scrollTop = 0;
    });
    await expect.poll(() => page.locator('tr.patient-row').first().getAttribute('aria-rowindex')).toBe('2');
  });

  it('saves the overview in English and German', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    await page.locator('.patient-map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'overview-en.png'), fullPage: true });

    await page.getByRole('button', { name: /Deutsch/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Übersicht' }).waitFor();
    expect(await page.getByTestId('counts-table').locator('caption').textContent()).toBe(
      'Patienten je Bereich und Kategorie',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.getByTestId('patients-total').locator('dt').textContent()).toBe('Patienten');
    await page.screenshot({ path: join(screenshotDir, 'overview-de.png'), fullPage: true });

    // The choice survives a reload, which also resynchronises everything over REST.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: disaster.name }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await expect.poll(() => summaryValue('patients-total')).toBe('44');
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Summary' }).waitFor();

    // Dark mode follows the system until toggled, then stays as chosen.
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.getByRole('button', { name: 'Dark mode' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(18, 20, 22)',
    );
    await page.getByRole('button', { name: 'Dark mode' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
  });

  it('reloads over REST after a reconnect', async () => {
    const cardCode = String(cardBase + 5);
    const indicator = page.locator('.online-indicator');
    await indicator.and(page.locator('[data-online="true"]')).waitFor();

    // The gateway drops every connection. The triage is stored while the page may still be offline, so its
    // event can be lost, and then only the reload after the reconnect brings it.
    webSocketOutage = true;
    await platform.restartWebSocket();
    await upload(triage(disaster.id, cardCode, 'green', 'transport', offset(0.2, -0.9)));
    await page.getByTestId('live-announcement').getByText('Reconnected; the data was reloaded.').waitFor({
      state: 'attached',
      timeout: 60_000,
    });
    webSocketOutage = false;
    await page.locator(`tr.patient-row[data-card-code="${cardCode}"]`).waitFor({ timeout: 10_000 });
    expect(await indicator.getAttribute('data-online')).toBe('true');
    await expect.poll(() => summaryValue('patients-total')).toBe('45');
  });

  it('lets an admin activate the user and assign a role', async () => {
    const demo = platform.demo;
    if (!demo) throw new Error('The local platform seeded no demo data.');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').fill(demo.admin.email);
    await page.getByLabel('Password').fill(demo.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Administration' }).click();

    const row = page.locator(`tr[data-email="${newUser.email}"]`);
    await row.getByRole('button', { name: `Activate ${newUser.name}` }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByRole('combobox', { name: `Add a role to ${newUser.name}` }).selectOption('DashboardUser');
    await row.getByRole('button', { name: 'Add role' }).click();
    await row.getByRole('button', { name: `Remove role DashboardUser from ${newUser.name}` }).waitFor();

    const user = createKatAppClient({ baseUrl: platform.urls.rest });
    const tokens = await user.login(newUser.email, newUser.password);
    expect(tokens.principal.rights).toContain('AccessDashboard');
  });

  it('lets an admin create a device token that the device exchanges', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();

    const imei = randomImei();
    await page.getByLabel('IMEI').fill(imei);
    await page.getByLabel('Name', { exact: true }).fill('RTW 1-83-1 Phone');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const row = page.locator(`tr[data-imei="${imei}"]`);
    await row.waitFor();

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: platform.urls.dashboard ?? '',
    });
    await row.getByRole('button', { name: 'Create a device token for RTW 1-83-1 Phone' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('You will not see it again');
    await page.screenshot({ path: join(screenshotDir, 'device-token-en.png') });
    const token = await dialog.getByTestId('device-token').inputValue();
    expect(token).toMatch(/^kdt_/);
    await dialog.getByRole('button', { name: 'Copy token' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const phone = createKatAppClient({ baseUrl: platform.urls.rest });
    const tokens = await phone.exchangeDeviceToken(token, imei);
    expect(tokens.principal.kind).toBe('device');
    expect(tokens.principal.displayName).toBe('RTW 1-83-1 Phone');
    phoneImei = imei;
  });

  it('lets an admin revoke the device', async () => {
    const row = page.locator(`tr[data-imei="${phoneImei}"]`);
    await row.getByRole('button', { name: 'Revoke RTW 1-83-1 Phone' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason for the revocation').fill('Phone lost during the drill.');
    await dialog.getByRole('button', { name: 'Revoke device' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: /Create a device token/ }).count()).toBe(0);
  });

  it('shows the audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    const actions = page.locator('.audit-table tbody td:nth-child(3)');
    await actions.first().waitFor();
    const names = await actions.allTextContents();
    expect(names).toContain('issue-token');
    expect(names).toContain('revoke');
    expect(names).toContain('activate');
  });

  it('makes no outside requests or console errors', () => {
    expect(outsideRequests).toEqual([]);
    const failures = functionLines.filter((line) => /"level":"(ERROR|WARN)"/.test(line)).slice(-10);
    expect(consoleErrors, failures.join('\n')).toEqual([]);
  });

  it('serves a CSP that allows the platform', () => {
    expect(servedPolicies.size).toBeGreaterThan(0);
    for (const policy of servedPolicies) {
      expect(connectSources(policy)).toEqual(
        expect.arrayContaining([new URL(platform.urls.rest).origin, new URL(platform.urls.websocket).origin]),
      );
    }
  });
});
