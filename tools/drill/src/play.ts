// Plays a scenario against a running platform through @katapp/client: one registered device per scenario
// device, each with its own offline outbox, so late uploads are real offline queues.
import { createHash, randomUUID } from 'node:crypto';
import { createKatAppClient, type KatAppClient } from '../../../clients/typescript/src/index.js';
import {
  clientTransport,
  MemoryOutboxStorage,
  Outbox,
} from '../../../clients/typescript/src/outbox/index.js';
import { ObservableValue } from '../../../clients/typescript/src/shared/observable.js';
import { Random } from './prng.js';
import type { Scenario, ScenarioTriage } from './scenario.js';

export interface PlayOptions {
  api: string;
  admin: { email: string; password: string };
  /** Scenario time runs this many times faster than wall time. */
  speed: number;
  /** Called after every capture and every finished upload. */
  onProgress?: (progress: PlayProgress) => void;
  /** Maximum wait for the outboxes to drain after the last capture, in milliseconds. */
  drainTimeoutMs?: number;
  /** Called once the disaster exists and the scenario starts, for tests that disturb the run. */
  onStarted?: (run: PlayedRun) => void;
}

export interface PlayProgress {
  captured: number;
  pending: number;
  total: number;
}

/** Record of a run: the ids and wall-clock values the checker compares with the server. */
export interface PlayedRun {
  disasterId: string;
  /** Wall time of scenario time 0, in epoch milliseconds. */
  originMs: number;
  /** Per scenario triage: its id and the capture time the device reported. */
  triages: Array<{ id: string; capturedAt: string }>;
  cardCodes: string[];
  deviceIds: string[];
  deadLetters: Array<{ triageId: string; code?: string; status?: number }>;
  duplicateStatuses: number[];
  /** Wall-clock milliseconds for registering the devices and creating the disaster. */
  setupMs: number;
  /** Wall-clock milliseconds from the first capture until the outboxes were empty. */
  playMs: number;
}

interface PlayedDevice {
  id: string;
  client: KatAppClient;
  online: ObservableValue<boolean>;
  outbox: Outbox;
}

const CRITERIA: Record<string, { adult: string; child: string }> = {
  red: { adult: 'respiratory-rate-abnormal', child: 'respiratory-rate-out-of-range' },
  yellow: { adult: 'no-criterion-applies', child: 'no-criterion-applies' },
  green: { adult: 'patient-ambulant', child: 'patient-ambulant' },
  blue: { adult: 'fatally-injured', child: 'not-breathing-after-ventilation' },
  dead: { adult: 'signs-of-death', child: 'signs-of-death' },
  white: { adult: 'uninjured', child: 'uninjured' },
};

/** Returns a 15-digit IMEI with its Luhn check digit, derived from `random`. */
export function imeiFrom(random: Random): string {
  const digits = Array.from({ length: 14 }, (_, index) => (index === 0 ? 3 : random.int(0, 9)));
  const sum = digits.reduce((total, digit, index) => {
    const weighted = index % 2 === 1 ? digit * 2 : digit;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Registers the devices, creates the drill disaster and plays every capture at its scenario time. Scenario
 * time 0 maps to `now - duration * (1 - 1/speed)`, so the last capture's time equals the wall clock when it
 * is uploaded and no capture lies in the server's future (beyond the device's clock skew).
 */
export async function playScenario(scenario: Scenario, options: PlayOptions): Promise<PlayedRun> {
  const setupStart = Date.now();
  const random = new Random(scenario.options.seed ^ 0x5eed);
  const runTag = randomUUID().slice(0, 8);
  const admin = createKatAppClient({ baseUrl: options.api });
  await admin.login(options.admin.email, options.admin.password);

  const devices: PlayedDevice[] = [];
  const errors: unknown[] = [];
  for (const device of scenario.devices) {
    const imei = imeiFrom(random);
    const { data: registered } = await admin.POST('/devices', {
      body: {
        imei,
        name: `Drill ${runTag} ${device.group} ${device.index + 1}`,
        os: 'android',
        roleId: device.role,
        userName: null,
      },
    });
    const { data: grant } = await admin.POST('/devices/{deviceId}/token', {
      params: { path: { deviceId: registered.id } },
    });
    const online = new ObservableValue(true);
    const client = createKatAppClient({
      baseUrl: options.api,
      fetch: (request) =>
        online.get() ? fetch(request) : Promise.reject(new TypeError('fetch failed: device offline')),
    });
    await client.exchangeDeviceToken(grant.deviceToken, imei);
    const outbox = new Outbox({
      transport: clientTransport(client),
      storage: new MemoryOutboxStorage(),
      retry: { baseDelayMs: 100, maxDelayMs: 2_000 },
      online,
      onError: (error) => errors.push(error),
    });
    devices.push({ id: registered.id, client, online, outbox });
  }

  const speed = Math.max(1, options.speed);
  const originMs = Date.now() - scenario.durationMs * (1 - 1 / speed);
  const firstDevice = devices[0];
  if (!firstDevice) throw new Error('The scenario has no device.');
  const { data: disaster } = await firstDevice.client.POST('/disasters', {
    body: {
      name: `Drill ${runTag} seed ${scenario.options.seed}`,
      mode: 'drill',
      position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
      radiusKm: 2,
      startedAt: new Date(originMs).toISOString(),
    },
  });

  const cardBase = 4_000_000_000_000 + random.int(0, 899_999) * 1_000_000 + (Date.now() % 1_000) * 1_000;
  const cardCodes = scenario.patients.map((patient) => String(cardBase + patient.index));
  const run: PlayedRun = {
    disasterId: disaster.id,
    originMs,
    triages: scenario.triages.map((triage) => {
      const skew = scenario.devices[triage.device]?.skewMs ?? 0;
      return { id: randomUUID(), capturedAt: new Date(originMs + triage.at + skew).toISOString() };
    }),
    cardCodes,
    deviceIds: devices.map((device) => device.id),
    deadLetters: [],
    duplicateStatuses: [],
    setupMs: Date.now() - setupStart,
    playMs: 0,
  };
  options.onStarted?.(run);
  for (const device of devices) device.outbox.start();

  // The event list: captures and the devices' network changes, in scenario time.
  type Event = { at: number; apply: () => Promise<void> | void };
  const events: Event[] = [];
  scenario.devices.forEach((device, index) => {
    const played = devices[index] as PlayedDevice;
    for (const window of device.offline) {
      events.push({ at: window.from, apply: () => played.online.set(false) });
      events.push({ at: window.to, apply: () => played.online.set(true) });
    }
  });
  let captured = 0;
  const pendingTotal = () => devices.reduce((sum, device) => sum + device.outbox.pending.get(), 0);
  const report = () =>
    options.onProgress?.({ captured, pending: pendingTotal(), total: scenario.triages.length });
  const duplicates: Promise<void>[] = [];
  const corrections: Promise<void>[] = [];
  for (const triage of scenario.triages) {
    events.push({
      at: triage.at,
      apply: async () => {
        const device = devices[triage.device] as PlayedDevice;
        const { id, body, photos } = buildTriage(scenario, run, triage, random);
        const capture = async () => {
          await device.outbox.enqueue(id, body, photos);
          captured += 1;
          report();
          if (triage.duplicate) duplicates.push(sendAgain(device, id, body, run));
        };
        const superseded = triage.supersedes === undefined ? undefined : run.triages[triage.supersedes]?.id;
        if (superseded === undefined) {
          await capture();
          return;
        }
        // A physician corrects a triage shown in the app, so the correction waits until the server has it.
        corrections.push(waitForTriage(device, superseded).then(capture));
      },
    });
  }
  events.sort((left, right) => left.at - right.at);

  const wallStart = Date.now();
  const unsubscribers = devices.map((device) => device.outbox.pending.subscribe(() => report()));
  for (const event of events) {
    await sleep(wallStart + event.at / speed - Date.now());
    await event.apply();
  }
  for (const device of devices) device.online.set(true);

  await Promise.all(corrections);
  const deadline = Date.now() + (options.drainTimeoutMs ?? 300_000);
  while (pendingTotal() > 0 && Date.now() < deadline) await sleep(100);
  await Promise.all(duplicates);
  run.playMs = Date.now() - wallStart;
  for (const unsubscribe of unsubscribers) unsubscribe();
  for (const device of devices) {
    device.outbox.stop();
    for (const dead of await device.outbox.deadLetters()) {
      run.deadLetters.push({
        triageId: dead.triageId,
        ...(dead.failure?.code === undefined ? {} : { code: dead.failure.code }),
        ...(dead.failure?.status === undefined ? {} : { status: dead.failure.status }),
      });
    }
  }
  const left = pendingTotal();
  if (left > 0)
    throw new Error(
      `${left} triages were still queued ${options.drainTimeoutMs ?? 300_000} ms after the last capture.`,
    );
  return run;
}

/** Builds the uploadTriage body, id and photos of one scenario triage. */
function buildTriage(scenario: Scenario, run: PlayedRun, triage: ScenarioTriage, random: Random) {
  const patient = scenario.patients[triage.patient];
  const played = run.triages[triage.index];
  if (!patient || !played) throw new Error(`Triage ${triage.index} refers to a missing patient or id.`);
  const physician = triage.kind === 'physician-triage';
  let algorithm = patient.ageGroup === 'child' ? 'JumpSTART' : 'mSTaRT';
  if (physician) algorithm = 'physician';
  const body: Record<string, unknown> = {
    disasterId: run.disasterId,
    cardCode: run.cardCodes[triage.patient],
    capturedAt: played.capturedAt,
    stage: triage.stage,
    category: triage.category,
    algorithm,
    kind: triage.kind,
    decidingCriterion: physician ? 'physician-judgement' : CRITERIA[triage.category]?.[patient.ageGroup],
    ageGroup: patient.ageGroup,
    ageRange: patient.ageRange,
    gender: patient.gender,
    position: {
      lat: 50.0379 + random.between(-0.005, 0.005),
      lon: 8.5622 + random.between(-0.005, 0.005),
      accuracyMeters: 10,
    },
  };
  if (triage.withName) body.identity = { firstName: patient.firstName, lastName: patient.lastName };
  if (triage.supersedes !== undefined) body.supersedes = run.triages[triage.supersedes]?.id;
  const photos = triage.withPhoto
    ? [
        {
          bytes: new TextEncoder().encode(`drill photo ${played.id} ${random.next()}`),
          contentType: 'image/jpeg' as const,
        },
      ]
    : [];
  // The outbox would fill in the hashes; setting them here lets a second direct send carry the same content.
  body.photos = photos.map((photo) => createHash('sha256').update(photo.bytes).digest('hex'));
  return { id: played.id, body, photos };
}

/** Waits until the server returns the triage `id` to this device, for at most 5 minutes. */
async function waitForTriage(device: PlayedDevice, id: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (device.online.get()) {
      const found = await device.client
        .GET('/triages/{triageId}', { params: { path: { triageId: id } } })
        .then(() => true)
        .catch(() => false);
      if (found) return;
    }
    await sleep(250);
  }
  throw new Error(`Triage ${id} was not stored within 5 minutes, so its correction was never captured.`);
}

/** Sends an uploaded triage once more, directly, as a device does after a response got lost. */
async function sendAgain(
  device: PlayedDevice,
  id: string,
  body: Record<string, unknown>,
  run: PlayedRun,
): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (!device.online.get()) {
      await sleep(200);
      continue;
    }
    try {
      const { response } = await device.client.PUT('/triages/{triageId}', {
        params: { path: { triageId: id } },
        body: body as never,
      });
      run.duplicateStatuses.push(response.status);
      return;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== undefined && status < 500) {
        run.duplicateStatuses.push(status);
        return;
      }
      await sleep(200);
    }
  }
  run.duplicateStatuses.push(0);
}
