// Resilience of the local platform under a drill: a DynamoDB Local crash, killed function instances, a failed
// transaction and 1,000 concurrent uploads. Everything runs against real processes on free ports.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKatAppClient, type KatAppClient } from '../../../clients/typescript/src/index.js';
import { checkRun, formatMismatches } from '../src/check.js';
import { imeiFrom, playScenario } from '../src/play.js';
import { Random } from '../src/prng.js';
import { DEFAULT_OPTIONS, generateScenario, type ScenarioOptions } from '../src/scenario.js';
import { type DrillPlatform, REPO_ROOT, startDrillPlatform } from './support.js';

const template = join(REPO_ROOT, 'infra/cdk.out/KatApp-dev.template.json');

const SHORT: ScenarioOptions = {
  ...DEFAULT_OPTIONS,
  patients: 30,
  durationMinutes: 20,
  devices: { incident: 3, 'treatment-area': 2, transport: 1, hospital: 1 },
  incidentPhysicians: 1,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!existsSync(template))('resilience', () => {
  let platform: DrillPlatform;
  let dataDir: string;
  let device: KatAppClient;
  let viewer: KatAppClient;
  let disasterId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'katapp-resilience-'));
    platform = await startDrillPlatform(dataDir);
    const admin = createKatAppClient({ baseUrl: platform.api });
    await admin.login(platform.admin.email, platform.admin.password);
    const imei = imeiFrom(new Random(Date.now()));
    const { data: registered } = await admin.POST('/devices', {
      body: { imei, name: 'Resilience phone', os: 'android', roleId: 'DeviceUser', userName: null },
    });
    const { data: grant } = await admin.POST('/devices/{deviceId}/token', {
      params: { path: { deviceId: registered.id } },
    });
    device = createKatAppClient({ baseUrl: platform.api });
    await device.exchangeDeviceToken(grant.deviceToken, imei);
    viewer = createKatAppClient({ baseUrl: platform.api });
    await viewer.login(platform.viewer.email, platform.viewer.password);
    const { data: disaster } = await device.POST('/disasters', {
      body: {
        name: 'Resilience drill',
        mode: 'drill',
        position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
        radiusKm: 1,
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    disasterId = disaster.id;
  }, 180_000);

  afterAll(async () => {
    // In-flight gateway requests of the last test finish before the platform stops.
    await sleep(1_000);
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function triageBody(cardCode: string, ageGroup: 'adult' | 'child' = 'adult'): Record<string, unknown> {
    return {
      disasterId,
      cardCode,
      capturedAt: new Date(Date.now() - 60_000).toISOString(),
      stage: 'incident',
      category: 'yellow',
      algorithm: ageGroup === 'adult' ? 'mSTaRT' : 'JumpSTART',
      kind: 'pre-triage',
      decidingCriterion: 'no-criterion-applies',
      ageGroup,
      photos: [],
    };
  }

  async function overview() {
    const { data } = await viewer.GET('/disasters/{disasterId}/overview', {
      params: { path: { disasterId } },
    });
    return data;
  }

  it('DynamoDB crash loses no triage', async () => {
    const scenario = generateScenario({ ...SHORT, seed: 11 });
    let outage: Promise<void> = Promise.resolve();
    const run = await playScenario(scenario, {
      api: platform.api,
      admin: platform.admin,
      speed: 60,
      drainTimeoutMs: 180_000,
      onStarted: () => {
        outage = (async () => {
          await sleep(4_000);
          const killed = await platform.killDynamoDb();
          await sleep(3_000);
          await killed.restart();
        })();
      },
    });
    await outage;
    const result = await checkRun(scenario, run, { api: platform.api, viewer: platform.viewer });

    expect(formatMismatches(result.mismatches)).toBe('');
    expect(result.triages).toBe(scenario.triages.length);
  }, 400_000);

  it('killed uploads leave consistent state', async () => {
    const scenario = generateScenario({ ...SHORT, seed: 12 });
    let kills = 0;
    let killing: Promise<void> = Promise.resolve();
    const run = await playScenario(scenario, {
      api: platform.api,
      admin: platform.admin,
      speed: 60,
      drainTimeoutMs: 180_000,
      onStarted: () => {
        killing = (async () => {
          for (let round = 0; round < 12; round += 1) {
            await sleep(900);
            platform.killFunction('triages');
            kills += 1;
          }
        })();
      },
    });
    await killing;
    const result = await checkRun(scenario, run, { api: platform.api, viewer: platform.viewer });

    expect(kills).toBe(12);
    expect(formatMismatches(result.mismatches)).toBe('');
  }, 400_000);

  it('failed transaction writes nothing', async () => {
    const cardCode = `77${Date.now()}`.slice(0, 15);
    await device.PUT('/triages/{triageId}', {
      params: { path: { triageId: randomUUID() } },
      body: triageBody(cardCode) as never,
    });
    const before = await overview();
    const rejectedId = randomUUID();

    const error = await device
      .PUT('/triages/{triageId}', {
        params: { path: { triageId: rejectedId } },
        body: triageBody(cardCode, 'child') as never,
      })
      .catch((caught: unknown) => caught as { status?: number; code?: string });

    expect(error).toMatchObject({ status: 409, code: 'AGE_GROUP_FIXED' });
    const missing = await viewer
      .GET('/triages/{triageId}', { params: { path: { triageId: rejectedId } } })
      .catch((caught: unknown) => caught as { status?: number });
    expect(missing).toMatchObject({ status: 404 });
    const after = await overview();
    expect(after.triagesTotal).toBe(before.triagesTotal);
    expect(after.patientsTotal).toBe(before.patientsTotal);
    expect(after.countsByStageAndCategory).toEqual(before.countsByStageAndCategory);
  });

  // The local platform queues invocations beyond a few instances per function, where Lambda would scale out.
  // The four uploads of each card contend on its patient item and retry, which must not surface as an error.
  it('1,000 concurrent uploads: no 5xx', async () => {
    const before = await overview();
    const cardBase = 5_000_000_000_000 + (Date.now() % 1_000_000) * 1_000;
    const token = await device.auth.accessToken();
    const statuses = await Promise.all(
      Array.from({ length: 1_000 }, async (_, index) => {
        const response = await fetch(`${platform.api}/triages/${randomUUID()}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(triageBody(String(cardBase + (index % 250)))),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const counts = new Map<number, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);

    expect(Object.fromEntries(counts)).toEqual({ 201: 1_000 });
    const after = await overview();
    expect(after.triagesTotal - before.triagesTotal).toBe(1_000);
    expect(after.patientsTotal - before.patientsTotal).toBe(250);
  }, 300_000);
});
