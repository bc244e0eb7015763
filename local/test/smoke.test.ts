// Smoke test of the real stack (infra/cdk.out/KatApp-dev, built by `make synth`): the demo device creates a
// disaster and uploads a triage, a dashboard WebSocket subscribed to the disaster receives the triage, and
// a restart keeps every record.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { memoryLogger } from '../src/log.js';
import { type Platform, REPO_ROOT, startPlatform } from '../src/platform.js';

const TEMPLATE = join(REPO_ROOT, 'infra', 'cdk.out', 'KatApp-dev.template.json');
const dataDir = mkdtempSync(join(tmpdir(), 'katapp-local-smoke-'));
const logger = memoryLogger();
const functionLines: string[] = [];
let platform: Platform;

async function start(): Promise<Platform> {
  return startPlatform({
    ports: 0,
    dataDir,
    sites: false,
    logger,
    functionOutput: (name, line) => functionLines.push(`[${name}] ${line}`),
  });
}

/** Collects the last log lines of the platform and the functions for a failure message. */
function recentLogs(): string {
  const failures = logger.lines.filter((line) => line.includes('reported a failure')).slice(0, 3);
  return [...failures, ...logger.lines.slice(-30), ...functionLines.slice(-30)].join('\n');
}

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${platform.urls.rest}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function adminToken(): Promise<string> {
  const { status, body } = await api('/auth/login', {
    method: 'POST',
    body: { email: platform.demo?.admin.email, password: platform.demo?.admin.password },
  });
  expect(status, JSON.stringify(body)).toBe(200);
  return body?.accessToken as string;
}

// The admin issues a fresh device token for the demo phone, and the phone exchanges it for an access token.
async function deviceToken(): Promise<string> {
  const demo = platform.demo;
  const grant = await api(`/devices/${demo?.device.id}/token`, { method: 'POST', token: await adminToken() });
  expect(grant.status, JSON.stringify(grant.body)).toBe(201);
  const { status, body } = await api('/auth/device-token', {
    method: 'POST',
    body: { deviceToken: grant.body?.deviceToken, imei: demo?.device.imei },
  });
  expect(status, JSON.stringify(body)).toBe(200);
  return body?.accessToken as string;
}

// NOTE: without a synthesized template (a clean clone before `make synth`) there is nothing to boot;
// `make test` synthesizes first, so this skip only happens when vitest runs on its own.
describe.skipIf(!existsSync(TEMPLATE))('real stack smoke', () => {
  beforeAll(async () => {
    platform = await start();
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let disasterId: string;
  let triageId: string;

  it('seeds the demo accounts', () => {
    expect(platform.demo?.admin.email).toMatch(/@/);
    expect(platform.demo?.device.deviceToken).toMatch(/^kdt_/);
  });

  it('admin logs in', async () => {
    expect(await adminToken()).toMatch(/^ey/);
  });

  it('subscribed WebSocket receives the uploaded triage', async () => {
    const device = await deviceToken();
    const created = await api('/disasters', {
      method: 'POST',
      token: device,
      body: {
        name: 'Local smoke drill',
        mode: 'drill',
        position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
        radiusKm: 1.5,
        startedAt: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    disasterId = created.body?.id as string;

    const login = await api('/auth/login', {
      method: 'POST',
      body: { email: platform.demo?.dashboardUser.email, password: platform.demo?.dashboardUser.password },
    });
    const socket = new WebSocket(`${platform.urls.websocket}?token=${login.body?.accessToken as string}`);
    const messages: Array<Record<string, unknown>> = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ action: 'subscribe', disasterId, requestId: 'r-1' }));
    await waitFor(() => messages.find((message) => message.type === 'ack'));

    triageId = randomUUID();
    const upload = await api(`/triages/${triageId}`, {
      method: 'PUT',
      token: device,
      body: {
        disasterId,
        cardCode: '4006381333931',
        capturedAt: new Date().toISOString(),
        stage: 'incident',
        category: 'red',
        transportMode: 'lying-with-physician',
        algorithm: 'mSTaRT',
        kind: 'pre-triage',
        decidingCriterion: 'respiratory-rate-abnormal',
        criteria: {
          ageGroup: 'adult',
          walks: false,
          breathes: true,
          respiratoryRate: 34,
          radialPulse: true,
          catastrophicBleeding: false,
        },
        measures: { tourniquet: false, airwayOpened: false },
        recoveryState: 'free',
        photos: [],
        position: { lat: 50.0379, lon: 8.5622, accuracyMeters: 8 },
        ageGroup: 'adult',
        ageRange: 'adult-18-70',
        gender: 'male',
        supersedes: null,
      },
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const event = await waitFor(
      () => messages.find((message) => message.type === 'triage.created'),
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; messages ${JSON.stringify(messages)}; logs:\n${recentLogs()}`);
    });
    expect(JSON.stringify(event)).toContain(triageId);
    socket.close();
    // Several functions start cold in this test; on a busy machine each cold start takes seconds.
  }, 180_000);

  it('restart keeps every record', async () => {
    await platform.stop();
    platform = await start();
    const device = await deviceToken();
    expect((await api(`/disasters/${disasterId}`, { token: device })).status).toBe(200);
    expect((await api(`/triages/${triageId}`, { token: device })).status).toBe(200);
  }, 180_000);
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
