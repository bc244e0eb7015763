/** The triage upload rules against DynamoDB Local, through the authorizer and the REST adapter. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGateway } from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';
import {
  call,
  createDisaster,
  type Disaster,
  expectProblem,
  minutesAgo,
  newCardCode,
  type Patient,
  type RoleTokens,
  roleTokens,
  type Triage,
  triageBody,
  upload,
} from './support.js';

describe('triage upload rules', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  let tokens: RoleTokens;
  let disaster: Disaster;

  async function patientByCode(cardCode: string): Promise<Patient> {
    const result = await call(gateway, 'getPatientByCode', {
      token: tokens.commandStaff,
      path: { cardCode },
    });
    expect(result.status, result.rawBody).toBe(200);
    return result.body as Patient;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    tokens = await roleTokens(demoOf(platform.seed).tenantId);
    disaster = await createDisaster(gateway, tokens.medic);
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('creates the patient on the first triage', async () => {
    const cardCode = newCardCode();
    const { triageId, result } = await upload(gateway, tokens.medic, triageBody(disaster.id, cardCode));
    expect(result.status).toBe(201);
    const triage = result.body as Triage;
    expect(triage.id).toBe(triageId);
    expect(triage.status).toBe('final');
    expect(triage.flags).toEqual([]);
    expect(triage.userId).not.toBeNull();
    expect(triage.deviceId).toBeNull();

    const patient = await patientByCode(cardCode);
    expect(patient.id).toBe(triage.patientId);
    expect(patient.currentCategory).toBe('red');
    expect(patient.currentTriageId).toBe(triageId);
    expect(patient.ageGroup).toBe('adult');
    expect(patient.triageCount).toBe(1);
    expect(patient.status).toBe('in-care');
  });

  it('returns the stored triage for a repeated upload', async () => {
    const body = triageBody(disaster.id, newCardCode());
    const first = await upload(gateway, tokens.medic, body);
    expect(first.result.status).toBe(201);
    // Same content with another key order and capture-time offset is the same upload.
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
    const capturedAt = new Date(body.capturedAt);
    const offsetTime = new Date(capturedAt.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const second = await upload(
      gateway,
      tokens.medic,
      { ...reordered, capturedAt: offsetTime },
      first.triageId,
    );
    expect(second.result.status).toBe(200);
    expect(second.result.body).toEqual(first.result.body);

    const patient = await patientByCode(body.cardCode);
    expect(patient.triageCount).toBe(1);
  });

  it('rejects the same id with other content', async () => {
    const body = triageBody(disaster.id, newCardCode());
    const first = await upload(gateway, tokens.medic, body);
    const conflict = await upload(gateway, tokens.medic, { ...body, category: 'yellow' }, first.triageId);
    const detail = expectProblem(conflict.result, 409, 'IDEMPOTENCY_CONFLICT');
    expect(detail).toContain(first.triageId);
  });

  it('keeps the newer state when an older triage arrives late', async () => {
    const cardCode = newCardCode();
    const newer = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, cardCode, {
        capturedAt: minutesAgo(20),
        category: 'yellow',
        stage: 'treatment-area',
      }),
    );
    const late = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(50) }),
    );
    expect(late.result.status).toBe(201);
    expect((late.result.body as Triage).flags).toEqual(['late-upload']);

    const patient = await patientByCode(cardCode);
    expect(patient.currentTriageId).toBe(newer.triageId);
    expect(patient.currentCategory).toBe('yellow');
    expect(patient.currentStage).toBe('treatment-area');
    expect(patient.categoryTrend).toEqual(['red', 'yellow']);
    expect(patient.triageCount).toBe(2);
  });

  it('rejects a capture time in the future', async () => {
    const inFuture = new Date(Date.now() + 10 * 60_000).toISOString();
    const { result } = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, newCardCode(), { capturedAt: inFuture }),
    );
    const detail = expectProblem(result, 422, 'CAPTURE_TIME_IMPLAUSIBLE');
    expect(detail).toContain('after the server time');
  });

  it('rejects a leap second as capture time', async () => {
    const capturedAt = `${new Date().toISOString().slice(0, 16)}:60Z`;
    const { result } = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, newCardCode(), { capturedAt }),
    );
    expectProblem(result, 400, 'VALIDATION_FAILED');
  });

  it('accepts a clock slightly ahead and flags it', async () => {
    const ahead = new Date(Date.now() + 2 * 60_000).toISOString();
    const { result } = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, newCardCode(), { capturedAt: ahead }),
    );
    expect(result.status).toBe(201);
    expect((result.body as Triage).flags).toEqual(['clock-ahead']);
  });

  it('rejects a capture time a day before the start', async () => {
    const tooEarly = new Date(Date.parse(disaster.startedAt) - 25 * 3600_000).toISOString();
    const { result } = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, newCardCode(), { capturedAt: tooEarly }),
    );
    const detail = expectProblem(result, 422, 'CAPTURE_TIME_IMPLAUSIBLE');
    expect(detail).toContain('before the disaster started');
  });

  it('rejects another age group after the first triage', async () => {
    const cardCode = newCardCode();
    await upload(gateway, tokens.medic, triageBody(disaster.id, cardCode));
    const child = triageBody(disaster.id, cardCode, {
      capturedAt: minutesAgo(30),
      ageGroup: 'child',
      ageRange: 'child-6-17',
      algorithm: 'JumpSTART',
      criteria: { ageGroup: 'child', walks: false },
    });
    const { result } = await upload(gateway, tokens.medic, child);
    const detail = expectProblem(result, 409, 'AGE_GROUP_FIXED');
    expect(detail).toContain('age-group-correction');
    expect((await patientByCode(cardCode)).triageCount).toBe(1);
  });

  it('rejects an age range of the other group', async () => {
    const body = triageBody(disaster.id, newCardCode(), { ageRange: 'child-1-5' });
    const { result } = await upload(gateway, tokens.medic, body);
    expectProblem(result, 400, 'VALIDATION_FAILED');
    expect((result.body as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/body/ageRange');
  });

  it('rejects identity without the identity right', async () => {
    const body = triageBody(disaster.id, newCardCode(), {
      identity: { firstName: 'Jonas', lastName: 'Becker' },
    });
    expectProblem((await upload(gateway, tokens.medic, body)).result, 403, 'FORBIDDEN');
  });

  it('keeps blue pending until a physician confirms', async () => {
    const cardCode = newCardCode();
    const blue = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, cardCode, { category: 'blue', decidingCriterion: 'fatally-injured' }),
    );
    const stored = blue.result.body as Triage;
    expect(stored.status).toBe('pending-confirmation');
    expect(stored.confirmedBy).toBeNull();
    expect((await patientByCode(cardCode)).pendingConfirmation).toBe(true);

    const forbidden = await call(gateway, 'confirmTriage', {
      token: tokens.medic,
      path: { triageId: blue.triageId },
      body: {},
    });
    expectProblem(forbidden, 403, 'FORBIDDEN');

    const confirmed = await call(gateway, 'confirmTriage', {
      token: tokens.physician,
      path: { triageId: blue.triageId },
      body: { note: 'Injuries incompatible with survival, confirmed.' },
    });
    expect(confirmed.status, confirmed.rawBody).toBe(200);
    const final = confirmed.body as Triage;
    expect(final.status).toBe('final');
    expect(final.confirmedBy).not.toBeNull();
    expect(final.confirmedAt).not.toBeNull();
    expect((await patientByCode(cardCode)).pendingConfirmation).toBe(false);

    const again = await call(gateway, 'confirmTriage', {
      token: tokens.physician,
      path: { triageId: blue.triageId },
      body: {},
    });
    expectProblem(again, 409, 'TRIAGE_NOT_PENDING');
  });

  it('stores a physician triage of dead as final', async () => {
    const { result } = await upload(
      gateway,
      tokens.physician,
      triageBody(disaster.id, newCardCode(), {
        category: 'dead',
        kind: 'physician-triage',
        algorithm: 'physician',
        decidingCriterion: 'signs-of-death',
      }),
    );
    const triage = result.body as Triage;
    expect(triage.status).toBe('final');
    expect(triage.confirmedBy).toBe(triage.userId);
  });

  it('keeps dead pending from a physician pre-triage', async () => {
    const { result } = await upload(
      gateway,
      tokens.physician,
      triageBody(disaster.id, newCardCode(), { category: 'dead', decidingCriterion: 'signs-of-death' }),
    );
    expect((result.body as Triage).status).toBe('pending-confirmation');
  });

  it('keeps a correction chain visible', async () => {
    const cardCode = newCardCode();
    const original = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(40) }),
    );
    const correction = await upload(
      gateway,
      tokens.physician,
      triageBody(disaster.id, cardCode, {
        capturedAt: minutesAgo(30),
        category: 'yellow',
        kind: 'physician-triage',
        algorithm: 'physician',
        decidingCriterion: 'physician-judgement',
        supersedes: original.triageId,
      }),
    );
    expect(correction.result.status).toBe(201);
    const second = await upload(
      gateway,
      tokens.physician,
      triageBody(disaster.id, cardCode, {
        capturedAt: minutesAgo(20),
        category: 'green',
        decidingCriterion: 'patient-ambulant',
        supersedes: correction.triageId,
      }),
    );
    expect(second.result.status).toBe(201);

    const originalNow = await call(gateway, 'getTriage', {
      token: tokens.medic,
      path: { triageId: original.triageId },
    });
    expect((originalNow.body as Triage).supersededBy).toBe(correction.triageId);
    expect((originalNow.body as Triage).category).toBe('red');

    const patient = await patientByCode(cardCode);
    expect(patient.currentTriageId).toBe(second.triageId);
    expect(patient.categoryTrend).toEqual(['green']);
    expect(patient.triageCount).toBe(3);

    const history = await call(gateway, 'listPatientTriages', {
      token: tokens.medic,
      path: { patientId: patient.id },
    });
    const items = (history.body as { items: Triage[] }).items;
    expect(items.map((triage) => triage.id)).toEqual([
      original.triageId,
      correction.triageId,
      second.triageId,
    ]);
    expect(items.map((triage) => triage.supersededBy)).toEqual([correction.triageId, second.triageId, null]);

    const forked = await upload(
      gateway,
      tokens.physician,
      triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(10), supersedes: original.triageId }),
    );
    expect(expectProblem(forked.result, 422, 'SUPERSEDES_INVALID')).toContain(correction.triageId);
  });

  it('rejects superseding a triage of another patient', async () => {
    const other = await upload(gateway, tokens.medic, triageBody(disaster.id, newCardCode()));
    const cardCode = newCardCode();
    await upload(gateway, tokens.medic, triageBody(disaster.id, cardCode));
    const { result } = await upload(
      gateway,
      tokens.medic,
      triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(10), supersedes: other.triageId }),
    );
    expect(expectProblem(result, 422, 'SUPERSEDES_INVALID')).toContain('another patient');
  });

  it('rejects a card code of another disaster', async () => {
    const cardCode = newCardCode();
    await upload(gateway, tokens.medic, triageBody(disaster.id, cardCode));
    const second = await createDisaster(gateway, tokens.medic, { name: 'Second incident' });
    const { result } = await upload(gateway, tokens.medic, triageBody(second.id, cardCode));
    expect(expectProblem(result, 409, 'CARD_CODE_TAKEN')).toContain(disaster.id);
  });

  it('rejects uploads to a closed disaster', async () => {
    const closing = await createDisaster(gateway, tokens.medic, { name: 'Closed incident' });
    const cardCode = newCardCode();
    const accepted = await upload(gateway, tokens.medic, triageBody(closing.id, cardCode));
    const closed = await call(gateway, 'closeDisaster', {
      token: tokens.commandStaff,
      path: { disasterId: closing.id },
    });
    expect(closed.status).toBe(200);

    const rejected = await upload(
      gateway,
      tokens.medic,
      triageBody(closing.id, cardCode, { capturedAt: minutesAgo(5) }),
    );
    expectProblem(rejected.result, 409, 'DISASTER_CLOSED');
    // A replay of a triage stored before the closure still returns the stored triage.
    const replay = await upload(gateway, tokens.medic, triageBody(closing.id, cardCode), accepted.triageId);
    expect(replay.result.status).not.toBe(201);
  });

  it('lists disaster triages since a receive time', async () => {
    const synced = await createDisaster(gateway, tokens.medic, { name: 'Sync drill' });
    const first = await upload(gateway, tokens.medic, triageBody(synced.id, newCardCode()));
    const firstReceivedAt = (first.result.body as Triage).receivedAt;
    const later = [];
    for (let index = 0; index < 3; index++) {
      later.push(await upload(gateway, tokens.medic, triageBody(synced.id, newCardCode())));
    }

    const all = await call(gateway, 'listDisasterTriages', {
      token: tokens.dashboard,
      path: { disasterId: synced.id },
    });
    const allIds = (all.body as { items: Triage[] }).items.map((triage) => triage.id);
    expect(allIds).toEqual([first.triageId, ...later.map((item) => item.triageId)]);

    // The boundary is inclusive: a client resynchronising from the last receive time it saw gets that triage again.
    const secondReceivedAt = (later[0]?.result.body as Triage | undefined)?.receivedAt ?? '';
    const since = await call(gateway, 'listDisasterTriages', {
      token: tokens.dashboard,
      path: { disasterId: synced.id },
      query: { since: secondReceivedAt },
    });
    expect((since.body as { items: Triage[] }).items.map((triage) => triage.id)).toEqual(
      later.map((item) => item.triageId),
    );

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(gateway, 'listDisasterTriages', {
        token: tokens.dashboard,
        path: { disasterId: synced.id },
        query: { since: firstReceivedAt, limit: '2', ...(cursor === null ? {} : { cursor }) },
      });
      const body = page.body as { items: Triage[]; nextCursor: string | null };
      pages.push(...body.items.map((triage) => triage.id));
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual(allIds);

    const unknown = await call(gateway, 'listDisasterTriages', {
      token: tokens.dashboard,
      path: { disasterId: randomUUID() },
    });
    expectProblem(unknown, 404, 'NOT_FOUND');
  });

  it('answers 404 for an unknown disaster', async () => {
    const { result } = await upload(gateway, tokens.medic, triageBody(randomUUID(), newCardCode()));
    expectProblem(result, 404, 'NOT_FOUND');
  });

  describe('revoked device', () => {
    let deviceToken: string;
    let revokedAt: string;

    beforeAll(async () => {
      const registered = await call(gateway, 'registerDevice', {
        token: tokens.admin,
        body: {
          imei: '356938035643817',
          name: 'Tablet 7',
          os: 'android',
          roleId: 'DeviceUser',
          userName: null,
        },
      });
      expect(registered.status, registered.rawBody).toBe(201);
      const deviceId = (registered.body as { id: string }).id;
      deviceToken = await accessTokenFor({
        tenantId: demoOf(platform.seed).tenantId,
        kind: 'device',
        id: deviceId,
        roles: ['DeviceUser'],
      });
      const revoked = await call(gateway, 'revokeDevice', {
        token: tokens.admin,
        path: { deviceId },
        body: { reason: 'Tablet lost at the collection point.' },
      });
      expect(revoked.status, revoked.rawBody).toBe(200);
      revokedAt = (revoked.body as { revokedAt: string }).revokedAt;
    });

    it('accepts and flags a queued triage', async () => {
      const capturedBefore = new Date(Date.parse(revokedAt) - 60_000).toISOString();
      const { result } = await upload(
        gateway,
        deviceToken,
        triageBody(disaster.id, newCardCode(), { capturedAt: capturedBefore }),
      );
      expect(result.status, result.rawBody).toBe(201);
      const triage = result.body as Triage;
      expect(triage.flags).toEqual(['device-revoked']);
      expect(triage.deviceId).not.toBeNull();
    });

    it('rejects a triage captured after revocation', async () => {
      const capturedAfter = new Date(Date.parse(revokedAt) + 1000).toISOString();
      const { result } = await upload(
        gateway,
        deviceToken,
        triageBody(disaster.id, newCardCode(), { capturedAt: capturedAfter }),
      );
      expect(expectProblem(result, 403, 'DEVICE_REVOKED')).toContain(revokedAt);
    });
  });
});
