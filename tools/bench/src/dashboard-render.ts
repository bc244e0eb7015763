// Benchmark: how long the built dashboard (dashboard/dist) takes in headless Chromium to show a disaster with
// 2,000 patients, seeded through the real REST API of a running local platform.
// Run on its own with `tsx tools/bench/src/dashboard-render.ts`; it then starts a platform of its own.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import {
  createKatAppClient,
  type KatAppClient,
  type Schemas,
} from '../../../clients/typescript/src/index.js';
import type { KatAppServerMessage } from '../../../clients/typescript/src/ws/messages.js';
import { KatAppSocket } from '../../../clients/typescript/src/ws/socket.js';
import { imeiFrom } from '../../drill/src/play.js';
import { Random } from '../../drill/src/prng.js';
import { REPO_ROOT } from './probes.js';

/** The part of the object that `startPlatform` (local/src/platform.ts) returns which this benchmark uses. */
export interface RenderPlatform {
  urls: { rest: string; websocket: string; dashboard?: string };
  demo?: {
    admin: { email: string; password: string };
    dashboardUser: { email: string; password: string };
  };
}

export interface DashboardRenderOptions {
  /** Patients of the seeded disaster. Default: 2,000. */
  patients?: number;
  /** Measured page loads; the figure is their median. Default: 5. */
  loads?: number;
  /** Parallel uploads while seeding. Default: 8. */
  concurrency?: number;
  /** Seed of the generated patients. Default: 1. */
  seed?: number;
  /** Progress lines. Default: none. */
  log?: (message: string) => void;
}

/** One page load, in milliseconds from the navigation start of the disaster page. */
export interface RenderLoad {
  /** All patients are in the table's row count and in the map's markers and cluster counts. */
  renderedMs: number;
  /** The first read of the disaster (overview, markers or patients) was sent. */
  firstRestStartMs: number;
  /** The last of those reads had its response. */
  lastRestEndMs: number;
  /** Requests to /disasters/{id}/... during the load. */
  restRequests: number;
  /** Main-thread long tasks (over 50 ms) between the last response and the rendered page. */
  renderLongTasksMs: number;
  /** Per read (overview, markers, patients): requests, and milliseconds from the first start to the last end. */
  reads: Record<string, { requests: number; ms: number }>;
}

export interface DashboardRenderResult {
  markdown: string;
  /** Median time until the page showed every patient, in milliseconds. */
  figureMs: number;
  maxMs: number;
  loads: RenderLoad[];
  /** The discarded first load, whose REST reads include the functions' cold starts. */
  warmUp: RenderLoad;
  seedMs: number;
  uploads: number;
  /** Arguments of `target(...)` in run.ts for the Targets table. */
  target: { name: string; result: string; met: boolean; reason: string };
}

export const TARGET_MS = 1_000;

type TriageWrite = Schemas['TriageWrite'];
type Stage = Schemas['Stage'];
type FirstCategory = 'red' | 'yellow' | 'green' | 'blue' | 'dead';

/** Centre of the seeded disaster (Frankfurt airport, terminal 1). */
const CENTRE = { lat: 50.0379, lon: 8.5622 };

/** First-triage mix of a large drill: red 18 %, yellow 22 %, green 52 %, blue 2 %, dead 6 %. */
const CATEGORY_WEIGHTS: Record<FirstCategory, number> = { red: 18, yellow: 22, green: 52, blue: 2, dead: 6 };

/** Weights of the patients' current stages, an estimate for an hour and a half into a large incident. */
const STAGE_WEIGHTS: Record<Stage, number> = {
  incident: 45,
  'collection-point': 15,
  'treatment-area': 20,
  transport: 8,
  hospital: 12,
};

/** Place of each stage in kilometres north and east of the centre, with its spread in kilometres. */
const PLACES: Record<Exclude<Stage, 'hospital'>, { north: number; east: number; spreadKm: number }> = {
  incident: { north: 0, east: 0, spreadKm: 0.8 },
  'collection-point': { north: 0.45, east: 0.4, spreadKm: 0.06 },
  'treatment-area': { north: -0.2, east: -0.7, spreadKm: 0.08 },
  transport: { north: 0, east: 0, spreadKm: 1.5 },
};
const HOSPITALS = [
  { north: 9.5, east: 4.2 },
  { north: 6.1, east: -7.8 },
  { north: -4.4, east: 11.3 },
];

/** Share of triages without a position (no GPS fix when the card was scanned). */
const WITHOUT_POSITION = 0.08;
const CHILD_SHARE = 0.175;

const CRITERIA: Record<FirstCategory, { adult: string; child: string }> = {
  red: { adult: 'respiratory-rate-abnormal', child: 'respiratory-rate-out-of-range' },
  yellow: { adult: 'no-criterion-applies', child: 'no-criterion-applies' },
  green: { adult: 'patient-ambulant', child: 'patient-ambulant' },
  blue: { adult: 'fatally-injured', child: 'not-breathing-after-ventilation' },
  dead: { adult: 'signs-of-death', child: 'signs-of-death' },
};

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
const LOAD_TIMEOUT_MS = 60_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Returns a position `northKm` north and `eastKm` east of the disaster centre. */
function offset(northKm: number, eastKm: number, accuracyMeters: number) {
  return {
    lat: CENTRE.lat + northKm / 111.32,
    lon: CENTRE.lon + eastKm / (111.32 * Math.cos((CENTRE.lat * Math.PI) / 180)),
    accuracyMeters,
  };
}

/** One patient's uploads in capture order, sent one after another. */
interface PatientJob {
  physician: boolean;
  triages: TriageWrite[];
}

/**
 * Generates the patients: a category from the drill mix, a stage, a position that fits the stage, and for
 * patients past the incident site an earlier pre-triage there, so trends and stage changes are realistic.
 */
function generatePatients(disasterId: string, count: number, random: Random, startedAtMs: number) {
  const cardBase = 4_100_000_000_000 + random.int(0, 899) * 1_000_000_000 + (Date.now() % 100_000) * 10_000;
  const jobs: PatientJob[] = [];
  for (let index = 0; index < count; index += 1) {
    const ageGroup = random.chance(CHILD_SHARE) ? 'child' : 'adult';
    const category = random.weighted(CATEGORY_WEIGHTS);
    // Dead and blue patients stay where they were found, while the others move along the chain of care.
    const stage: Stage =
      category === 'dead' || category === 'blue' ? 'incident' : random.weighted(STAGE_WEIGHTS);
    const physician = category === 'dead' || category === 'blue' || stage !== 'incident';
    const position = () => {
      if (random.chance(WITHOUT_POSITION)) return null;
      if (stage === 'hospital') {
        const hospital = random.pick(HOSPITALS);
        return offset(
          hospital.north + random.between(-0.1, 0.1),
          hospital.east + random.between(-0.1, 0.1),
          15,
        );
      }
      const place = PLACES[stage];
      const spread = place.spreadKm;
      return offset(
        place.north + random.between(-spread, spread),
        place.east + random.between(-spread, spread),
        random.int(4, 30),
      );
    };
    // The current triage was captured between 10 and 110 minutes after the start.
    const capturedAtMs = startedAtMs + random.between(10, 110) * 60_000;
    const cardCode = String(cardBase + index);
    const algorithm = ageGroup === 'child' ? 'JumpSTART' : 'mSTaRT';
    const triages: TriageWrite[] = [];
    // Half of the patients past the incident site were pre-triaged there first, which gives them a trend.
    if (stage !== 'incident' && random.chance(0.5)) {
      const first = random.weighted(CATEGORY_WEIGHTS);
      const earlier: FirstCategory = first === 'dead' || first === 'blue' ? 'red' : first;
      triages.push({
        disasterId,
        cardCode,
        capturedAt: new Date(capturedAtMs - random.between(5, 30) * 60_000).toISOString(),
        stage: 'incident',
        category: earlier,
        algorithm,
        kind: 'pre-triage',
        decidingCriterion: CRITERIA[earlier][ageGroup],
        ageGroup,
        position: offset(random.between(-0.8, 0.8), random.between(-0.8, 0.8), 10),
      } as TriageWrite);
    }
    triages.push({
      disasterId,
      cardCode,
      capturedAt: new Date(Math.min(capturedAtMs, Date.now() - 30_000)).toISOString(),
      stage,
      category,
      algorithm: physician ? 'physician' : algorithm,
      kind: physician ? 'physician-triage' : 'pre-triage',
      decidingCriterion: physician ? 'physician-judgement' : CRITERIA[category][ageGroup],
      ageGroup,
      position: position(),
    } as TriageWrite);
    jobs.push({ physician, triages });
  }
  return jobs;
}

/** Registers a device with `roleId` as the demo admin and returns a client signed in with its device token. */
async function registerDevice(platform: RenderPlatform, admin: KatAppClient, roleId: string, random: Random) {
  const imei = imeiFrom(random);
  const { data: device } = await admin.POST('/devices', {
    body: { imei, name: `Render bench ${roleId}`, os: 'android', roleId, userName: null },
  });
  const { data: grant } = await admin.POST('/devices/{deviceId}/token', {
    params: { path: { deviceId: device.id } },
  });
  const client = createKatAppClient({ baseUrl: platform.urls.rest });
  await client.exchangeDeviceToken(grant.deviceToken, imei);
  return client;
}

export interface SeededDisaster {
  disasterId: string;
  uploads: number;
  seedMs: number;
  /** Time after the last upload until the live events of the seeded triages stopped arriving. */
  drainMs: number;
  /** Patients and positioned patients as GET /disasters/{id}/markers returns them after seeding. */
  patients: number;
  positioned: number;
}

/** Creates a disaster with `options.patients` patients and uploads their triages `options.concurrency` at a time. */
export async function seedDisaster(
  platform: RenderPlatform,
  options: Required<DashboardRenderOptions>,
): Promise<SeededDisaster> {
  const demo = platform.demo;
  if (!demo)
    throw new Error('The local platform seeded no demo tenant; the benchmark needs its admin and user.');
  const random = new Random(options.seed);
  const admin = createKatAppClient({ baseUrl: platform.urls.rest });
  await admin.login(demo.admin.email, demo.admin.password);
  const paramedic = await registerDevice(platform, admin, 'DeviceUser', random);
  const physician = await registerDevice(platform, admin, 'Physician', random);

  const startedAtMs = Date.now() - 2 * 3_600_000;
  const { data: disaster } = await paramedic.POST('/disasters', {
    body: {
      name: `Render bench ${randomUUID().slice(0, 6)}`,
      mode: 'drill',
      position: { lat: CENTRE.lat, lon: CENTRE.lon, accuracyMeters: null },
      radiusKm: 1.5,
      startedAt: new Date(startedAtMs).toISOString(),
    },
  });
  const jobs = generatePatients(disaster.id, options.patients, random, startedAtMs);
  const uploads = jobs.reduce((sum, job) => sum + job.triages.length, 0);

  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const client = job.physician ? physician : paramedic;
      for (const body of job.triages) {
        await client.PUT('/triages/{triageId}', { params: { path: { triageId: randomUUID() } }, body });
        done += 1;
        if (done % 500 === 0) options.log(`uploaded ${done} of ${uploads} triages`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seedMs = performance.now() - started;

  const viewer = createKatAppClient({ baseUrl: platform.urls.rest });
  await viewer.login(demo.dashboardUser.email, demo.dashboardUser.password);
  const drainMs = await waitForQuietStream(platform, viewer, disaster.id);

  // The expected counts come from the server, so the browser must show what the API returns.
  let patients = 0;
  let positioned = 0;
  let cursor: string | undefined;
  do {
    const { data } = await viewer.GET('/disasters/{disasterId}/markers', {
      params: { path: { disasterId: disaster.id }, query: { limit: 500, ...(cursor ? { cursor } : {}) } },
    });
    patients += data.items.length;
    positioned += data.items.filter((item) => item.position).length;
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  if (patients !== options.patients) {
    throw new Error(
      `GET /disasters/${disaster.id}/markers returned ${patients} patients after seeding, expected ${options.patients}.`,
    );
  }
  return { disasterId: disaster.id, uploads, seedMs, drainMs, patients, positioned };
}

/** Quiet time after which the stream consumer is taken to have sent the events of every seeded triage. */
const QUIET_MS = 3_000;
const DRAIN_TIMEOUT_MS = 300_000;

/**
 * Waits until no triage.created event of the disaster arrived for 3 s, so the measured page loads do not
 * compete with the stream consumer and broadcaster still working through the uploads, and returns how long
 * that took.
 */
async function waitForQuietStream(platform: RenderPlatform, viewer: KatAppClient, disasterId: string) {
  const started = performance.now();
  const token = await viewer.auth.accessToken(DRAIN_TIMEOUT_MS + 60_000);
  const socket = new KatAppSocket<KatAppServerMessage>({
    url: platform.urls.websocket,
    token: () => token,
    onError: () => undefined,
  });
  let acknowledged = false;
  let lastEvent = performance.now();
  socket.on('ack', () => {
    acknowledged = true;
  });
  socket.on('triage.created', () => {
    lastEvent = performance.now();
  });
  socket.connect();
  socket.subscribe(disasterId);
  try {
    while (!acknowledged || performance.now() - lastEvent < QUIET_MS) {
      if (performance.now() - started > DRAIN_TIMEOUT_MS) {
        throw new Error(
          `Live events of disaster ${disasterId} still arrived ${DRAIN_TIMEOUT_MS / 1000} s after the last upload (subscription acknowledged: ${acknowledged}).`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    socket.close();
  }
  return performance.now() - started - QUIET_MS;
}

/** Record that the page script below keeps in `window.katappRender`, read back with page.evaluate. */
interface PageRecord {
  renderedMs?: number;
  rows: number;
  markers: number;
  longTasks: Array<[number, number]>;
}

/**
 * Returns the source of a script that runs in the page before the app's own. Once per animation frame it
 * compares two counts with the expected numbers: the table's `aria-rowcount`, which counts every row although
 * only the scrolled window is in the DOM, and the map's single markers plus the numbers in its cluster bubbles.
 * It records the first frame at which both match in `window.katappRender` (a PageRecord).
 *
 * It is plain JavaScript text rather than a serialized function, because tsx compiles with esbuild's
 * keepNames, which wraps inner functions in a `__name` helper that does not exist in the page.
 */
function watchRenderScript(expected: { rows: number; markers: number }): string {
  return `(() => {
  if (!window.location.pathname.startsWith('/disasters/')) return;
  const expected = ${JSON.stringify(expected)};
  const record = { rows: 0, markers: 0, longTasks: [] };
  window.katappRender = record;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) record.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  function check() {
    const table = document.querySelector('table.patient-table');
    record.rows = Number(table?.getAttribute('aria-rowcount') ?? 1) - 1;
    let markers = document.querySelectorAll('.patient-map .patient-marker').length;
    for (const bubble of document.querySelectorAll('.patient-map .cluster-icon')) {
      markers += Number(bubble.textContent);
    }
    record.markers = markers;
    if (record.rows === expected.rows && markers === expected.markers) {
      record.renderedMs = performance.now();
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();`;
}

/** Loads the disaster page once and returns its timings. */
async function loadOnce(page: Page, url: string, restUrl: string, disasterId: string): Promise<RenderLoad> {
  await page.goto(url, { waitUntil: 'commit' });
  await page
    .waitForFunction(
      () => (window as unknown as { katappRender?: PageRecord }).katappRender?.renderedMs !== undefined,
      undefined,
      { timeout: LOAD_TIMEOUT_MS, polling: 100 },
    )
    .catch(async (error: unknown) => {
      const state = await page.evaluate(() => ({
        record: (window as unknown as { katappRender?: PageRecord }).katappRender,
        text: (document.body.textContent ?? '').replace(/\s+/g, ' ').slice(0, 300),
      }));
      throw new Error(
        `The disaster page did not show every patient within ${LOAD_TIMEOUT_MS / 1000} s: the table counted ${state.record?.rows} rows and the map ${state.record?.markers} markers, and the page reads "${state.text}" (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`,
      );
    });
  const readsPrefix = `${restUrl.replace(/\/+$/, '')}/disasters/${disasterId}/`;
  const timings = await page.evaluate((prefix) => {
    const record = (window as unknown as { katappRender: PageRecord }).katappRender;
    const reads = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.startsWith(prefix))
      .map(
        (entry) =>
          [
            entry.startTime,
            (entry as PerformanceResourceTiming).responseEnd,
            new URL(entry.name).pathname,
          ] as const,
      );
    return { record, reads };
  }, readsPrefix);
  const renderedMs = timings.record.renderedMs ?? Number.NaN;
  if (timings.reads.length === 0) throw new Error(`The page made no request to ${readsPrefix}.`);
  const firstRestStartMs = Math.min(...timings.reads.map(([start]) => start));
  const lastRestEndMs = Math.max(...timings.reads.map(([, end]) => end));
  const renderLongTasksMs = timings.record.longTasks
    .filter(([start]) => start >= lastRestEndMs && start < renderedMs)
    .reduce((sum, [, duration]) => sum + duration, 0);
  const reads: RenderLoad['reads'] = {};
  for (const kind of ['overview', 'markers', 'patients']) {
    const matching = timings.reads.filter(([, , path]) => path.endsWith(`/${kind}`));
    if (matching.length === 0) continue;
    const start = Math.min(...matching.map(([begin]) => begin));
    const end = Math.max(...matching.map(([, finish]) => finish));
    reads[kind] = { requests: matching.length, ms: end - start };
  }
  return {
    renderedMs,
    firstRestStartMs,
    lastRestEndMs,
    restRequests: timings.reads.length,
    renderLongTasksMs,
    reads,
  };
}

/**
 * Seeds a disaster with `patients` patients on a running platform, signs in as the demo dashboard user
 * through the login page, and measures `loads` navigations to the disaster page after one discarded warm-up
 * load. The platform must serve the production build of the dashboard at `urls.dashboard`.
 */
export async function measureDashboardRender(
  platform: RenderPlatform,
  options: DashboardRenderOptions = {},
): Promise<DashboardRenderResult> {
  const settings: Required<DashboardRenderOptions> = {
    patients: options.patients ?? 2_000,
    loads: options.loads ?? 5,
    concurrency: options.concurrency ?? 8,
    seed: options.seed ?? 1,
    log: options.log ?? (() => undefined),
  };
  const dashboardUrl = platform.urls.dashboard;
  if (!dashboardUrl) throw new Error('The platform serves no dashboard; start it with sites enabled.');
  if (!existsSync(join(REPO_ROOT, 'dashboard/dist/index.html'))) {
    throw new Error('dashboard/dist/index.html is missing; run make dashboard first.');
  }
  const demo = platform.demo;
  if (!demo)
    throw new Error('The local platform seeded no demo tenant; the benchmark needs its dashboard user.');

  settings.log(`seeding ${settings.patients} patients with ${settings.concurrency} parallel uploads`);
  const seeded = await seedDisaster(platform, settings);
  settings.log(
    `seeded ${seeded.uploads} triages in ${(seeded.seedMs / 1000).toFixed(1)} s, live events done ${(seeded.drainMs / 1000).toFixed(1)} s later`,
  );
  return measureDisasterPage(platform, seeded, settings);
}

/**
 * Signs in as the demo dashboard user through the login page and loads the page of the seeded disaster once
 * as a warm-up and `options.loads` times measured. `inspect`, when given, runs afterwards on the signed-in page
 * (for profiling during development).
 */
export async function measureDisasterPage(
  platform: RenderPlatform,
  seeded: SeededDisaster,
  options: {
    loads?: number;
    log?: (message: string) => void;
    inspect?: (page: Page, url: string) => Promise<void>;
  },
): Promise<DashboardRenderResult> {
  const log = options.log ?? (() => undefined);
  const dashboardUrl = platform.urls.dashboard;
  const demo = platform.demo;
  if (!dashboardUrl || !demo) throw new Error('The platform serves no dashboard or seeded no demo tenant.');

  const userDataDir = mkdtempSync(join(tmpdir(), 'katapp-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 1000 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  const outsideRequests: string[] = [];
  try {
    // dashboard/dist/config.json names the default ports of make up, but this platform may run on others.
    const config = JSON.stringify({ apiUrl: platform.urls.rest, webSocketUrl: platform.urls.websocket });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (!LOOPBACK_HOSTS.has(url.hostname)) {
        outsideRequests.push(url.href);
        return route.abort('blockedbyclient');
      }
      if (url.origin === new URL(dashboardUrl).origin && url.pathname === '/config.json') {
        return route.fulfill({ contentType: 'application/json', body: config });
      }
      return route.continue();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(dashboardUrl);
    await page.getByLabel('E-mail').fill(demo.dashboardUser.email);
    await page.getByLabel('Password').fill(demo.dashboardUser.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Disasters' }).waitFor({ timeout: 30_000 });

    await page.addInitScript({
      content: watchRenderScript({ rows: seeded.patients, markers: seeded.positioned }),
    });
    const disasterUrl = `${dashboardUrl.replace(/\/+$/, '')}/disasters/${seeded.disasterId}`;
    const warmUp = await loadOnce(page, disasterUrl, platform.urls.rest, seeded.disasterId);
    log(`warm-up load: ${ms(warmUp.renderedMs)}`);
    const loads: RenderLoad[] = [];
    for (let index = 0; index < (options.loads ?? 5); index += 1) {
      loads.push(await loadOnce(page, disasterUrl, platform.urls.rest, seeded.disasterId));
      log(`load ${index + 1}: ${ms(loads.at(-1)?.renderedMs ?? Number.NaN)}`);
    }
    await options.inspect?.(page, disasterUrl);
    if (outsideRequests.length > 0) {
      throw new Error(`The dashboard requested hosts other than loopback: ${outsideRequests.join(', ')}.`);
    }
    if (pageErrors.length > 0) throw new Error(`The dashboard threw: ${pageErrors.join('; ')}.`);
    return report(seeded, warmUp, loads);
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

function report(seeded: SeededDisaster, warmUp: RenderLoad, loads: RenderLoad[]): DashboardRenderResult {
  const figureMs = median(loads.map((load) => load.renderedMs));
  const maxMs = Math.max(...loads.map((load) => load.renderedMs));
  const row = (name: string, load: RenderLoad) =>
    `| ${name} | ${ms(load.renderedMs)} | ${ms(load.firstRestStartMs)} | ${ms(load.lastRestEndMs - load.firstRestStartMs)} (${load.restRequests}) | ${ms(load.renderedMs - load.lastRestEndMs)} | ${ms(load.renderLongTasksMs)} |`;
  const medianOf = (pick: (load: RenderLoad) => number) => median(loads.map(pick));
  const markdown = [
    `Command: \`make bench\` (or \`tsx tools/bench/src/dashboard-render.ts\` alone) seeds one disaster with ${seeded.patients.toLocaleString('en')} patients through the REST API (${seeded.uploads} uploads of PUT /triages/{id} from two device tokens, 8 in parallel; drill category mix, five stages, ${seeded.patients - seeded.positioned} patients without position). Headless Chromium (/usr/bin/chromium, 1440 × 1000) signs in as the demo dashboard user through the login page, then navigates to the disaster page of the production build (dashboard/dist) once as a discarded warm-up and ${loads.length} times measured, with a fresh document each time and the static assets from the browser cache.`,
    '',
    'Each time runs from the navigation start until the first animation frame in which the patient table counts every patient (`aria-rowcount`; the table renders only the scrolled rows) and the map shows every positioned patient as a marker or inside a cluster count. REST reads are the requests to /disasters/{id}/… (overview, markers, patients) from the Resource Timing API; long tasks come from the Long Tasks API.',
    '',
    `- Seeding: ${seeded.uploads} uploads in ${(seeded.seedMs / 1000).toFixed(1)} s (${(seeded.uploads / (seeded.seedMs / 1000)).toFixed(0)} uploads/s); the live events of the uploads stopped ${(seeded.drainMs / 1000).toFixed(1)} s after the last one, and the loads start after that`,
    `- Render: median ${ms(figureMs)}, max ${ms(maxMs)} (${loads.length} loads); load average (1 min) after the loads ${loadavg()[0]?.toFixed(2)}`,
    `- Reads, medians of the span from the first request to the last response: ${Object.keys(
      loads[0]?.reads ?? {},
    )
      .map(
        (kind) =>
          `${kind} ${ms(medianOf((load) => load.reads[kind]?.ms ?? Number.NaN))} (${loads[0]?.reads[kind]?.requests} requests)`,
      )
      .join(
        ', ',
      )}; the overview and the map patients load in parallel, and the dashboard shows them before it reads the patient records (trends, profiles), so those reads fall after the measured span unless they finished first`,
    `- Of the median load: app start until the first read ${ms(medianOf((load) => load.firstRestStartMs))}, reads ${ms(medianOf((load) => load.lastRestEndMs - load.firstRestStartMs))}, last response until rendered ${ms(medianOf((load) => load.renderedMs - load.lastRestEndMs))} (medians of each part)`,
    '',
    '| load | rendered | first read sent | reads (requests) | last response → rendered | long tasks in that span |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('warm-up (not counted)', warmUp),
    ...loads.map((load, index) => row(String(index + 1), load)),
  ].join('\n');
  return {
    markdown,
    figureMs,
    maxMs,
    loads,
    warmUp,
    seedMs: seeded.seedMs,
    uploads: seeded.uploads,
    target: {
      name: `Dashboard renders ${seeded.patients.toLocaleString('en')} patients ≤ 1 s`,
      result: `median ${ms(figureMs)}, max ${ms(maxMs)}`,
      met: figureMs <= TARGET_MS,
      reason: `headless Chromium, navigation start until table and map show every patient, median of ${loads.length} loads after a warm-up`,
    },
  };
}

/** Starts a platform of its own on free ports with fresh data, runs the benchmark and prints the section. */
async function main() {
  const { startPlatform } = (await import(join(REPO_ROOT, 'local/src/platform.ts'))) as {
    startPlatform: (options: object) => Promise<RenderPlatform & { stop(): Promise<void> }>;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'katapp-bench-render-'));
  const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
  log(
    `load average (1, 5, 15 min) at start: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')}`,
  );
  const platform = await startPlatform({
    ports: 0,
    dataDir,
    fresh: true,
    functionOutput: () => undefined,
    logger: { log: () => undefined },
  });
  try {
    const result = await measureDashboardRender(platform, {
      log,
      loads: Number(process.env.BENCH_RUNS ?? 5),
      patients: Number(process.env.BENCH_PATIENTS ?? 2_000),
    });
    process.stdout.write(
      `${result.markdown}\n\n| ${result.target.name} | ${result.target.result} | ${result.target.met ? 'met' : 'missed'} | ${result.target.reason} |\n`,
    );
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
