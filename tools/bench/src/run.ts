// make bench: measures bundles, validators, the local platform (REST, WebSocket fan-out, memory) and
// make generate, side by side in one run, and writes BENCHMARKS.md with the command behind every figure.
import { execFileSync, execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { createKatAppClient } from '../../../clients/typescript/src/index.js';
import type { KatAppServerMessage } from '../../../clients/typescript/src/ws/messages.js';
import { KatAppSocket } from '../../../clients/typescript/src/ws/socket.js';
import { imeiFrom } from '../../drill/src/play.js';
import { Random } from '../../drill/src/prng.js';
import { functionComposition, largestInputs } from './bundle-inputs.js';
import { dataTableName, fillPartition, RequestLog, uploadShapedCeiling } from './capacity.js';
import { measureDashboardRender } from './dashboard-render.js';
import {
  importProbe,
  openapiBackendHandlerProbe,
  openapiBackendProbe,
  REPO_ROOT,
  runtimeAjvProbe,
  sdkImports,
  standaloneValidatorProbe,
  triageExamples,
  uploadExamples,
} from './probes.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SOCKETS = 200;
const sections: string[] = [];
const targets: Array<{
  target: string;
  result: string;
  verdict: 'met' | 'missed' | 'not measured';
  reason: string;
}> = [];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const sleep = (wait: number) => new Promise((resolve) => setTimeout(resolve, wait));

function target(name: string, result: string, met: boolean | undefined, reason: string) {
  let verdict: 'met' | 'missed' | 'not measured' = 'not measured';
  if (met !== undefined) verdict = met ? 'met' : 'missed';
  targets.push({ target: name, result, verdict, reason });
}

async function section(title: string, body: () => Promise<string> | string) {
  log(title);
  try {
    sections.push(`## ${title}\n\n${await body()}\n`);
  } catch (error) {
    sections.push(
      `## ${title}\n\nFailed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
    );
  }
}

function machine(): string {
  const free = execSync('free -g', { encoding: 'utf8' }).trim();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- nproc: ${execSync('nproc', { encoding: 'utf8' }).trim()}`,
    `- CPU: ${cpus()[0]?.model ?? 'unknown'}`,
    `- Node: ${process.version}`,
    `- Load average at start (1, 5, 15 min): ${loadavg()
      .map((value) => value.toFixed(2))
      .join(
        ', ',
      )}. The machine is shared with other developers' builds and tests, so figures vary between runs.`,
    '',
    '```',
    '$ free -g',
    free,
    '```',
  ].join('\n');
}

interface FunctionAsset {
  name: string;
  file: string;
}

function functionAssets(): FunctionAsset[] {
  const cdkOut = join(REPO_ROOT, 'infra/cdk.out');
  const template = JSON.parse(readFileSync(join(cdkOut, 'KatApp-dev.template.json'), 'utf8'));
  const assets: FunctionAsset[] = [];
  type Resource = {
    Type?: string;
    Metadata?: Record<string, unknown>;
    Properties?: { FunctionName?: unknown };
  };
  for (const resource of Object.values(template.Resources) as Resource[]) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    const name = resource.Properties?.FunctionName;
    if (typeof assetPath !== 'string' || typeof name !== 'string' || !name.startsWith('katapp-dev-'))
      continue;
    const folder = join(cdkOut, assetPath);
    const entry = readdirSync(folder).find((file) => /^index\.(m?js|cjs)$/.test(file));
    if (entry) assets.push({ name: name.replace('katapp-dev-', ''), file: join(folder, entry) });
  }
  return assets;
}

async function bundles(): Promise<string> {
  const env = {
    DATA_TABLE: 'bench',
    CONNECTIONS_TABLE: 'bench',
    PHOTO_BUCKET: 'bench',
    AWS_REGION: 'eu-central-1',
    POWERTOOLS_SERVICE_NAME: 'bench',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  };
  const rows = [
    `| function | bundle | gzip | import, SDK preloaded (median of ${RUNS}) | SDK import | import with SDK (median of ${RUNS}) | largest inputs (minified) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  let largest = { name: '', bytes: 0 };
  for (const asset of functionAssets()) {
    const bytes = statSync(asset.file).size;
    if (bytes > largest.bytes) largest = { name: asset.name, bytes };
    const gzip = gzipSync(readFileSync(asset.file), { level: 9 }).length;
    const sdk = sdkImports(asset.file);
    const preloaded = Array.from({ length: RUNS }, () => importProbe(asset.file, env, sdk));
    const ownMs = median(preloaded.map((timing) => timing.importMs));
    const sdkMs = median(preloaded.map((timing) => timing.preloadMs));
    const totalMs = median(Array.from({ length: RUNS }, () => importProbe(asset.file, env).importMs));
    if (asset.name === 'triages')
      Object.assign(bundleFacts, { triagesOwn: ownMs, triagesTotal: totalMs, sdk });
    const inputs = largestInputs(await functionComposition(asset.name), 4);
    rows.push(
      `| ${asset.name} | ${bytes} B (${kb(bytes)}) | ${kb(gzip)} | ${ms(ownMs)} | ${ms(sdkMs)} | ${ms(totalMs)} | ${inputs} |`,
    );
  }
  bundleFacts.largest = largest.bytes;
  target(
    'Handler bundle ≤ 100 KiB',
    `largest ${largest.bytes} B (${kb(largest.bytes)}, ${largest.name})`,
    largest.bytes <= 100 * 1024,
    'esbuild bundles (index.mjs, source maps are separate files) in infra/cdk.out, AWS SDK external; 100 KiB = 102,400 bytes',
  );
  return [
    'Command: `make synth`, then per bundle in infra/cdk.out, each in a fresh Node process with the bundle folder as working directory:',
    '',
    '- *import, SDK preloaded*: first `await import()` of every external `@aws-sdk/*` package the bundle imports (the Lambda runtime provides them and any handler, also one built on openapi-backend, loads them), then the clock runs around `await import(bundle)`. This is the cost our own code adds.',
    '- *SDK import*: the time of that preload.',
    '- *import with SDK*: `await import(bundle)` in a process that imported nothing before.',
    '',
    'Largest inputs: bytes each npm package or source folder contributes to the minified bundle, from the esbuild metafile of a rebuild with the infra bundling options (`tsx tools/bench/src/bundle-inputs.ts [function ...]` lists more).',
    '',
    ...rows,
  ].join('\n');
}
const bundleFacts = {
  largest: 0,
  triagesOwn: Number.NaN,
  triagesTotal: Number.NaN,
  sdk: [] as string[],
};

function validators(): string {
  const reads = triageExamples();
  const uploads = uploadExamples();
  const standalone = standaloneValidatorProbe(reads, 2_000);
  const standaloneUpload = standaloneValidatorProbe(uploads, 2_000, 'operations.uploadTriage.body');
  const runtime = runtimeAjvProbe(reads, 2_000);
  const backend = openapiBackendProbe(uploads, 2_000);
  const preloaded = Array.from({ length: RUNS }, () => openapiBackendHandlerProbe(bundleFacts.sdk));
  const backendOwn = median(preloaded.map((timing) => timing.importMs));
  const backendTotal = median(preloaded.map((timing) => timing.preloadMs + timing.importMs));
  const ratio = bundleFacts.triagesOwn / backendOwn;
  target(
    'Standalone ≥ run-time Ajv, no compile at start-up',
    `${standalone.perSecond.toFixed(0)}/s vs ${runtime.perSecond.toFixed(0)}/s; start-up ${ms(standalone.startupMs)} vs ${ms(runtime.startupMs)}`,
    standalone.perSecond >= runtime.perSecond * 0.9 && standalone.startupMs < runtime.startupMs,
    'same Triage schema and examples; within 10 % counts as equal speed because run-to-run noise on this machine is that large',
  );
  target(
    'Handler import ≤ 1/20 of openapi-backend',
    `SDK preloaded: triages ${ms(bundleFacts.triagesOwn)} vs openapi-backend ${ms(backendOwn)} (1/${(1 / ratio).toFixed(1)}); with SDK: ${ms(bundleFacts.triagesTotal)} vs ${ms(backendTotal)}`,
    Number.isFinite(ratio) ? ratio <= 1 / 20 : undefined,
    `both after importing the triages bundle's external SDK packages (${bundleFacts.sdk.join(', ') || 'none'}); openapi-backend handler = import + new OpenAPIBackend(contract) + init(), quick mode`,
  );
  return [
    'Command: `make bench` (tools/bench/src/probes.ts); each row runs in a fresh Node process and validates the examples in a loop for 2 s.',
    '',
    '| validator | start-up (import + compile) | validations/s | valid / validated |',
    '| --- | ---: | ---: | ---: |',
    `| generated standalone, \`schemas.Triage\` (read examples) | ${ms(standalone.startupMs)} | ${standalone.perSecond.toFixed(0)} | ${standalone.valid} / ${standalone.count} |`,
    `| generated standalone, \`operations.uploadTriage.body\` (request examples) | ${ms(standaloneUpload.startupMs)} | ${standaloneUpload.perSecond.toFixed(0)} | ${standaloneUpload.valid} / ${standaloneUpload.count} |`,
    `| Ajv 2020 at run time, all component schemas compiled at start-up, \`Triage\` | ${ms(runtime.startupMs)} | ${runtime.perSecond.toFixed(0)} | ${runtime.valid} / ${runtime.count} |`,
    `| openapi-backend 5.23.0 (quick mode), \`validateRequest\` of uploadTriage | ${ms(backend.startupMs)} | ${backend.perSecond.toFixed(0)} | ${backend.valid} / ${backend.count} |`,
    '',
    `A handler built on openapi-backend (import, parse the contract, \`init()\`) starts in ${ms(backendOwn)} after the same SDK packages as the triages bundle were imported, ${ms(backendTotal)} including them (medians of ${RUNS}). The triages bundle imports in ${ms(bundleFacts.triagesOwn)} with the SDK preloaded and ${ms(bundleFacts.triagesTotal)} without.`,
    '',
    'openapi-backend notes: without `quick` its `init()` rejects the contract ("Document is not valid OpenAPI", it checks against the OpenAPI 3.0 schema while the contract is 3.1). In quick mode it compiles validators lazily on each call, which explains the low rate, and it rejects the valid request examples because it does not drop `readOnly` properties from `required`.',
  ].join('\n');
}

function generate(): string {
  const run = (args: string[]) => {
    const started = performance.now();
    execFileSync('make', ['-s', ...args], { cwd: REPO_ROOT, stdio: 'ignore' });
    return performance.now() - started;
  };
  const scratch = run(['generate', 'FORCE=1']);
  const noop = median(Array.from({ length: 3 }, () => run(['generate'])));
  target(
    'make generate ≤ 15 s from scratch',
    ms(scratch),
    scratch <= 15_000,
    'FORCE=1 regenerates everything',
  );
  target(
    'make generate ≤ 1 s with nothing changed',
    ms(noop),
    noop <= 1_000,
    'median of 3, includes make and tsx start-up',
  );
  return [
    '| command | wall time |',
    '| --- | ---: |',
    `| \`make -s generate FORCE=1\` (from scratch) | ${ms(scratch)} |`,
    `| \`make -s generate\` (nothing changed, median of 3) | ${ms(noop)} |`,
  ].join('\n');
}

/** Sums the resident memory of this process and all its descendants, from /proc. */
function treeRss(rootPid: number): { bytes: number; processes: number; java: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  const isJava = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const parent = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const resident = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      const pid = Number(entry);
      rss.set(pid, resident);
      if (/Name:\s+java/.test(status)) isJava.add(pid);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // The process exited while we read /proc.
    }
  }
  let bytes = 0;
  let java = 0;
  let processes = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    bytes += rss.get(pid) ?? 0;
    if (isJava.has(pid)) java += rss.get(pid) ?? 0;
    processes += 1;
    queue.push(...(children.get(pid) ?? []));
  }
  return { bytes, processes, java };
}

interface Platform {
  urls: { rest: string; websocket: string; dynamodb: string; dashboard?: string };
  demo?: {
    tenantId: string;
    admin: { email: string; password: string };
    dashboardUser: { email: string; password: string };
  };
  stop(): Promise<void>;
}

async function platformBenchmarks() {
  const { startPlatform } = (await import(join(REPO_ROOT, 'local/src/platform.ts'))) as {
    startPlatform: (options: object) => Promise<Platform>;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'katapp-bench-'));
  const requestLog = new RequestLog();
  const platform = await startPlatform({
    ports: 0,
    dataDir,
    fresh: true,
    functionOutput: requestLog.output,
    logger: { log: () => undefined },
  });
  try {
    const demo = platform.demo;
    if (!demo) throw new Error('The local platform seeded no demo tenant.');
    await sleep(5_000);
    const idle = treeRss(process.pid);

    const admin = createKatAppClient({ baseUrl: platform.urls.rest });
    await admin.login(demo.admin.email, demo.admin.password);
    const imei = imeiFrom(new Random(Date.now()));
    const { data: registered } = await admin.POST('/devices', {
      body: { imei, name: 'Bench phone', os: 'android', roleId: 'DeviceUser', userName: null },
    });
    const { data: grant } = await admin.POST('/devices/{deviceId}/token', {
      params: { path: { deviceId: registered.id } },
    });
    const device = createKatAppClient({ baseUrl: platform.urls.rest });
    await device.exchangeDeviceToken(grant.deviceToken, imei);
    const viewer = createKatAppClient({ baseUrl: platform.urls.rest });
    await viewer.login(demo.dashboardUser.email, demo.dashboardUser.password);
    const { data: disaster } = await device.POST('/disasters', {
      body: {
        name: 'Bench',
        mode: 'test',
        position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
        radiusKm: 1,
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    const disasterId = disaster.id;
    let card = 6_000_000_000_000 + (Date.now() % 1_000_000) * 1_000;
    const body = () => {
      card += 1;
      return JSON.stringify({
        disasterId,
        cardCode: String(card),
        capturedAt: new Date(Date.now() - 60_000).toISOString(),
        stage: 'incident',
        category: 'yellow',
        algorithm: 'mSTaRT',
        kind: 'pre-triage',
        decidingCriterion: 'no-criterion-applies',
        ageGroup: 'adult',
        photos: [],
      });
    };
    for (let index = 0; index < 20; index += 1) {
      await fetch(`${platform.urls.rest}/triages/${randomUUID()}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await device.auth.accessToken()}`,
          'content-type': 'application/json',
        },
        body: body(),
      });
    }

    await section('REST throughput and latency (local platform)', async () => {
      const viewerToken = await viewer.auth.accessToken(600_000);
      const deviceToken = await device.auth.accessToken(600_000);
      // A discarded warm-up run first, so the measured runs do not include the functions' cold starts.
      await autocannon({
        url: `${platform.urls.rest}/disasters/${disasterId}/overview`,
        connections: 10,
        duration: 5,
        headers: { authorization: `Bearer ${viewerToken}` },
      });
      const read = await autocannon({
        url: `${platform.urls.rest}/disasters/${disasterId}/overview`,
        connections: 10,
        duration: LOAD_SECONDS,
        headers: { authorization: `Bearer ${viewerToken}` },
      });
      const write = await autocannon({
        url: platform.urls.rest,
        connections: 10,
        duration: LOAD_SECONDS,
        requests: [
          {
            method: 'PUT',
            setupRequest: (request) => ({
              ...request,
              path: `/triages/${randomUUID()}`,
              headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
              body: body(),
            }),
          },
        ],
      });
      const fives = (result: autocannon.Result) =>
        Object.entries(result.statusCodeStats ?? {})
          .filter(([code]) => code.startsWith('5'))
          .reduce((sum, [, stats]) => sum + (stats as { count: number }).count, 0);
      const row = (name: string, result: autocannon.Result) =>
        `| ${name} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.requests.average.toFixed(1)} | ${result['2xx']} | ${result.non2xx} | ${fives(result)} | ${result.errors + result.timeouts} |`;
      target(
        'Read p99 < 50 ms',
        `p99 ${read.latency.p99} ms`,
        read.latency.p99 < 50,
        'getDisasterOverview, 10 connections',
      );
      target(
        '≥ 100 uploads/s sustained without 5xx',
        `${write.requests.average.toFixed(1)}/s, ${fives(write)} 5xx`,
        write.requests.average >= 100 && fives(write) === 0,
        `uploadTriage with unique ids, 10 connections, ${LOAD_SECONDS} s`,
      );
      return [
        `Command: \`make bench\` starts its own platform on free ports (startPlatform from local/src/platform.ts, fresh data) and runs autocannon 8.0.0 with 10 connections for ${LOAD_SECONDS} s per row, after a 5 s warm-up run of the read that is not counted.`,
        '',
        '| request | p50 | p99 | requests/s | 2xx | non-2xx | 5xx | errors + timeouts |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        row('GET /disasters/{id}/overview (getDisasterOverview)', read),
        row('PUT /triages/{new id} (uploadTriage)', write),
      ].join('\n');
    });

    await section('DynamoDB capacity per operation', async () => {
      const table = await dataTableName(platform.urls.dynamodb);
      const tenantId = demo.tenantId;
      const openDisaster = async (name: string) =>
        (
          await device.POST('/disasters', {
            body: {
              name,
              mode: 'test',
              position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
              radiusKm: 1,
              startedAt: new Date(Date.now() - 3_600_000).toISOString(),
            },
          })
        ).data.id;
      const uploadTo = async (id: string, cardCode: string, stage: string) => {
        const response = await fetch(`${platform.urls.rest}/triages/${randomUUID()}`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${await device.auth.accessToken()}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            disasterId: id,
            cardCode,
            capturedAt: new Date(Date.now() - 60_000).toISOString(),
            stage,
            category: 'yellow',
            algorithm: 'mSTaRT',
            kind: 'pre-triage',
            decidingCriterion: 'no-criterion-applies',
            ageGroup: 'adult',
            position: { lat: 50.038, lon: 8.562, accuracyMeters: 8 },
            photos: [],
          }),
        });
        if (response.status !== 201)
          throw new Error(`Upload failed with status ${response.status}: ${await response.text()}`);
        return (await response.json()) as { patientId: string };
      };
      const small = await openDisaster('Capacity 10');
      const large = await openDisaster('Capacity 10000');
      const cardBase = 7_000_000_000_000 + (Date.now() % 1_000_000) * 100;
      let firstPatient = '';
      for (let index = 0; index < 10; index += 1) {
        const uploaded = await uploadTo(small, String(cardBase + index), 'incident');
        if (index === 0) firstPatient = uploaded.patientId;
        await uploadTo(large, String(cardBase + 50 + index), 'incident');
      }
      requestLog.take('uploadTriage');
      // A second and third triage of one patient: the history read and a follow-up upload.
      await uploadTo(small, String(cardBase), 'collection-point');
      const followUp = await requestLog.last('uploadTriage');
      await uploadTo(small, String(cardBase), 'treatment-area');
      const newCard = await uploadTo(small, String(cardBase + 99), 'incident');
      const firstUpload = await requestLog.last('uploadTriage');
      void newCard;
      await fillPartition(
        platform.urls.dynamodb,
        table,
        { pk: `T#${tenantId}#D#${large}`, sk: `PATIENT#${cardBase + 50}` },
        9_990,
      );

      const read = async (path: string, operationId: string) => {
        const response = await fetch(`${platform.urls.rest}${path}`, {
          headers: { authorization: `Bearer ${await viewer.auth.accessToken()}` },
        });
        if (response.status !== 200) throw new Error(`${operationId} failed with status ${response.status}`);
        await response.arrayBuffer();
        return requestLog.last(operationId);
      };
      const overviewSmall = await read(`/disasters/${small}/overview`, 'getDisasterOverview');
      const overviewLarge = await read(`/disasters/${large}/overview`, 'getDisasterOverview');
      const stagesLarge = await read(`/disasters/${large}/stages`, 'listStages');
      const history = await read(`/patients/${firstPatient}/triages`, 'listPatientTriages');
      const markersLarge = await read(`/disasters/${large}/markers?limit=500`, 'listPatientMarkers');

      const commands = (entry: { dynamodb: { commands: Record<string, number> } }) =>
        Object.entries(entry.dynamodb.commands)
          .map(([name, count]) => `${name} ×${count}`)
          .join(', ');
      const row = (name: string, entry: Awaited<ReturnType<typeof read>>) =>
        `| ${name} | ${entry.dynamodb.readUnits} | ${entry.dynamodb.writeUnits} | ${commands(entry)} |`;
      const overviewUnits = [overviewSmall.dynamodb.readUnits, overviewLarge.dynamodb.readUnits];
      const transactions = [firstUpload, followUp].map(
        (entry) => entry.dynamodb.commands.TransactWriteItems ?? 0,
      );
      target(
        'DynamoDB capacity: overview read same at 10 and 10,000 patients (≤ 2 RCU), upload one transaction',
        `overview ${overviewUnits.join(' and ')} RCU; ${transactions.join(' and ')} TransactWriteItems per upload`,
        overviewUnits[0] === overviewUnits[1] &&
          overviewUnits.every((units) => units <= 2) &&
          transactions.every((count) => count === 1),
        'ReturnConsumedCapacity TOTAL summed per request by the handlers (completion log line)',
      );
      return [
        "Command: `make bench`. Every handler request asks DynamoDB for ReturnConsumedCapacity TOTAL and logs the sum with the commands it sent (handlers/src/data/capacity.ts); the bench reads those log lines. The 10,000-patient disaster holds 10 uploaded patients and 9,990 copies of one of their items written straight to DynamoDB Local, so its partition is as large as a real one (its counters count only the 10). Units are DynamoDB's (strongly consistent reads: 1 RCU per 4 KB read; writes: 1 WCU per 1 KB, doubled in transactions).",
        '',
        '| request | read units | write units | DynamoDB commands |',
        '| --- | ---: | ---: | --- |',
        row('uploadTriage, new card (first triage)', firstUpload),
        row('uploadTriage, second triage of a patient', followUp),
        row('getDisasterOverview, 10 patients', overviewSmall),
        row('getDisasterOverview, 10,000 patients', overviewLarge),
        row('listStages, 10,000 patients', stagesLarge),
        row('listPatientTriages, a patient with 3 triages', history),
        row('listPatientMarkers, 10,000 patients, page of 500', markersLarge),
        '',
        'The uploads come from a device token, so each also reads the device record (GetItem) to apply a revocation at once.',
      ].join('\n');
    });

    await section('DynamoDB Local ceiling', async () => {
      const table = await dataTableName(platform.urls.dynamodb);
      const ceiling = await uploadShapedCeiling(platform.urls.dynamodb, table, 10, LOAD_SECONDS);
      return [
        `Command: \`make bench\` (uploadShapedCeiling in tools/bench/src/capacity.ts): 10 parallel loops send, for ${LOAD_SECONDS} s and straight to DynamoDB Local, the requests one first upload of a card sends (BatchGetItem of six keys, TransactWriteItems of seven items, the stage time UpdateItem), without any handler, gateway or Lambda in between.`,
        '',
        `- ${ceiling.perSecond.toFixed(1)} upload-shaped request sequences per second (${ceiling.completed} in ${LOAD_SECONDS} s).`,
        '',
        'No platform built on DynamoDB Local can upload faster than this on this machine; the REST figures above stay below it by what the gateway, the functions and the device record read add.',
      ].join('\n');
    });

    await section(`WebSocket fan-out to ${SOCKETS} sockets`, async () => {
      const sockets: Array<KatAppSocket<KatAppServerMessage>> = [];
      const received = new Map<string, number[]>();
      let acknowledged = 0;
      const token = await viewer.auth.accessToken(600_000);
      for (let index = 0; index < SOCKETS; index += 1) {
        const socket = new KatAppSocket<KatAppServerMessage>({
          url: platform.urls.websocket,
          token: () => token,
          onError: () => undefined,
        });
        socket.on('ack', () => {
          acknowledged += 1;
        });
        socket.on('triage.created', (event) => {
          const times = received.get(event.triage.id) ?? [];
          times.push(performance.now());
          received.set(event.triage.id, times);
        });
        socket.connect();
        socket.subscribe(disasterId);
        sockets.push(socket);
      }
      const deadline = Date.now() + 120_000;
      while (acknowledged < SOCKETS && Date.now() < deadline) await sleep(100);
      if (acknowledged < SOCKETS)
        throw new Error(`only ${acknowledged} of ${SOCKETS} subscriptions were acknowledged within 120 s`);
      const fanOut: number[] = [];
      const missed: number[] = [];
      for (let round = 0; round < 20; round += 1) {
        const id = randomUUID();
        const started = performance.now();
        await fetch(`${platform.urls.rest}/triages/${id}`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${await device.auth.accessToken()}`,
            'content-type': 'application/json',
          },
          body: body(),
        });
        const until = Date.now() + 10_000;
        while ((received.get(id)?.length ?? 0) < SOCKETS && Date.now() < until) await sleep(2);
        const times = received.get(id) ?? [];
        if (times.length < SOCKETS) missed.push(SOCKETS - times.length);
        else fanOut.push(Math.max(...times) - started);
      }
      for (const socket of sockets) socket.close();
      const p99 = percentile(fanOut, 99);
      target(
        `Fan-out p99 < 100 ms to ${SOCKETS} sockets`,
        `p99 ${ms(p99)}`,
        fanOut.length > 0 ? p99 < 100 : undefined,
        'time from sending the upload until the last socket had triage.created',
      );
      return [
        `Command: \`make bench\`: ${SOCKETS} KatAppSocket clients (dashboard user) subscribe to one disaster; 20 uploads one after another; each figure is the time from sending PUT /triages/{id} until the last of the ${SOCKETS} sockets received its triage.created event (includes the upload itself, the DynamoDB stream poll and the broadcaster).`,
        '',
        `- Median: ${ms(median(fanOut))}`,
        `- p99: ${ms(p99)} (of ${fanOut.length} uploads)`,
        `- Uploads where not every socket got the event within 10 s: ${missed.length}`,
      ].join('\n');
    });

    await section('Dashboard with 2,000 patients (headless Chromium)', async () => {
      const render = await measureDashboardRender(platform, { loads: RUNS, log });
      target(render.target.name, render.target.result, render.target.met, render.target.reason);
      return render.markdown;
    });

    const afterLoad = treeRss(process.pid);
    await section('Local platform memory', () => {
      target(
        'make up idle < 1.5 GB',
        `${(idle.bytes / 2 ** 30).toFixed(2)} GiB`,
        idle.bytes < 1.5 * 2 ** 30,
        'RSS of the process tree, Java included, 5 s after start',
      );
      return [
        'Command: `make bench` sums VmRSS over its own process tree from /proc (the bench process runs the platform in-process, as `make up` does; its own load-generator memory is included, so the figures are an upper bound).',
        '',
        '| when | processes | RSS total | of it Java (DynamoDB Local) |',
        '| --- | ---: | ---: | ---: |',
        `| idle, 5 s after start | ${idle.processes} | ${(idle.bytes / 2 ** 20).toFixed(0)} MiB | ${(idle.java / 2 ** 20).toFixed(0)} MiB |`,
        `| after the load tests (warm function instances) | ${afterLoad.processes} | ${(afterLoad.bytes / 2 ** 20).toFixed(0)} MiB | ${(afterLoad.java / 2 ** 20).toFixed(0)} MiB |`,
      ].join('\n');
    });
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const loadBefore = loadavg();
  await section('Machine', machine);
  await section('Handler bundles', bundles);
  await section('Validators', validators);
  await section('make generate', generate);
  await platformBenchmarks().catch((error: unknown) => {
    sections.push(
      `## Local platform\n\nFailed to run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  });
  const loadAfter = loadavg();
  const summary = [
    '| target | result | verdict | how / reason |',
    '| --- | --- | --- | --- |',
    ...targets.map((row) => `| ${row.target} | ${row.result} | ${row.verdict} | ${row.reason} |`),
  ].join('\n');
  const markdown = [
    '# Benchmarks',
    '',
    'Written by `make bench` (tools/bench/src/run.ts). Every figure names the command that produced it. Rerun to update.',
    `Load average (1 min) at start ${loadBefore[0]?.toFixed(2)}, at end ${loadAfter[0]?.toFixed(2)}.`,
    '',
    '## Targets',
    '',
    summary,
    '',
    ...sections,
  ].join('\n');
  writeFileSync(join(REPO_ROOT, 'BENCHMARKS.md'), markdown);
  log('wrote BENCHMARKS.md');
}

await main();
