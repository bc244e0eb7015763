// A short drill against the real local platform (DynamoDB Local, s3rver, gateways, handler bundles).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRun, formatMismatches } from '../src/check.js';
import { playScenario } from '../src/play.js';
import { DEFAULT_OPTIONS, generateScenario } from '../src/scenario.js';
import { type DrillPlatform, REPO_ROOT, startDrillPlatform } from './support.js';

const template = join(REPO_ROOT, 'infra/cdk.out/KatApp-dev.template.json');

describe('scenario', () => {
  it('repeats per seed, default mix', () => {
    const first = generateScenario(DEFAULT_OPTIONS);
    const again = generateScenario(DEFAULT_OPTIONS);
    expect(again).toEqual(first);
    expect(generateScenario({ ...DEFAULT_OPTIONS, seed: 2 })).not.toEqual(first);
    expect(first.triages.length).toBeGreaterThan(1_100);
    expect(first.triages.length).toBeLessThan(1_500);
    const children = first.patients.filter((patient) => patient.ageGroup === 'child').length;
    expect(children / 500).toBeGreaterThan(0.12);
    expect(children / 500).toBeLessThan(0.23);
    const late = first.triages.filter((triage) => triage.late).length;
    expect(late / 500).toBeGreaterThan(0.15);
    expect(late / 500).toBeLessThan(0.35);
  });
});

describe.skipIf(!existsSync(template))('drill against the local platform', () => {
  let platform: DrillPlatform;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'katapp-drill-'));
    platform = await startDrillPlatform(dataDir);
  }, 180_000);

  afterAll(async () => {
    // In-flight gateway requests finish before the platform stops.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('40-patient drill matches exactly', async () => {
    const scenario = generateScenario({
      ...DEFAULT_OPTIONS,
      seed: 7,
      patients: 40,
      durationMinutes: 30,
      devices: { incident: 4, 'treatment-area': 2, transport: 1, hospital: 2 },
      incidentPhysicians: 1,
      duplicateShare: 0.1,
      skewedDevices: 2,
    });
    const run = await playScenario(scenario, {
      api: platform.api,
      admin: platform.admin,
      speed: 120,
      drainTimeoutMs: 120_000,
    });
    const result = await checkRun(scenario, run, { api: platform.api, viewer: platform.viewer });
    expect(formatMismatches(result.mismatches)).toBe('');
    expect(result.patients).toBe(40);
    expect(result.triages).toBe(scenario.triages.length);
  }, 300_000);
});
