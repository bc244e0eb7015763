/**
 * Concurrent writers against DynamoDB Local: the read-decide-write attempts of triage uploads retry after
 * cancelled transactions, so parallel uploads all land and the counters stay equal to the patient records.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGateway } from '../setup/gateway.js';
import { demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';
import {
  call,
  createDisaster,
  type Disaster,
  minutesAgo,
  newCardCode,
  type Patient,
  type RoleTokens,
  roleTokens,
  type Schemas,
  type Triage,
  triageBody,
  upload,
} from './support.js';

describe('concurrent uploads', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  let tokens: RoleTokens;
  let disaster: Disaster;

  beforeAll(async () => {
    platform = await startTestPlatform();
    tokens = await roleTokens(demoOf(platform.seed).tenantId);
    disaster = await createDisaster(gateway, tokens.medic, { name: 'Concurrent drill' });
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('stores parallel first triages of one card once', async () => {
    const cardCode = newCardCode();
    const results = await Promise.all(
      [50, 40, 30, 20].map((minutes) =>
        upload(gateway, tokens.medic, triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(minutes) })),
      ),
    );
    expect(results.map(({ result }) => result.status)).toEqual([201, 201, 201, 201]);
    const patientIds = new Set(results.map(({ result }) => (result.body as Triage).patientId));
    expect(patientIds.size).toBe(1);

    const patient = (await call(gateway, 'getPatientByCode', { token: tokens.medic, path: { cardCode } }))
      .body as Patient;
    expect(patient.triageCount).toBe(4);
    expect(patient.currentTriageId).toBe(results[3]?.triageId);
  });

  it('answers parallel replays of one triage with one creation', async () => {
    const body = triageBody(disaster.id, newCardCode());
    const triageId = randomUUID();
    const results = await Promise.all([1, 2, 3, 4].map(() => upload(gateway, tokens.medic, body, triageId)));
    const statuses = results.map(({ result }) => result.status).sort();
    expect(statuses).toEqual([200, 200, 200, 201]);
  });

  it('keeps counters equal to the patients under parallel load', async () => {
    const watched = await createDisaster(gateway, tokens.medic, { name: 'Load drill' });
    const categories: Schemas['Category'][] = [
      'red',
      'yellow',
      'green',
      'green',
      'yellow',
      'red',
      'green',
      'white',
    ];
    const cards = categories.map(() => newCardCode());
    await Promise.all(
      categories.map((category, index) =>
        upload(
          gateway,
          tokens.medic,
          triageBody(watched.id, cards[index] ?? '', { category, capturedAt: minutesAgo(30) }),
        ),
      ),
    );
    // A second wave moves every patient to the treatment area as yellow.
    const second = await Promise.all(
      cards.map((cardCode) =>
        upload(
          gateway,
          tokens.medic,
          triageBody(watched.id, cardCode, {
            category: 'yellow',
            stage: 'treatment-area',
            capturedAt: minutesAgo(10),
          }),
        ),
      ),
    );
    expect(second.every(({ result }) => result.status === 201)).toBe(true);

    const overview = (
      await call(gateway, 'getDisasterOverview', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
      })
    ).body as Schemas['DisasterOverview'];
    expect(overview.patientsTotal).toBe(8);
    expect(overview.triagesTotal).toBe(16);
    expect(overview.countsByStageAndCategory['treatment-area'].yellow).toBe(8);
    expect(overview.patientsByCategory.yellow).toBe(8);
    expect(overview.countsByStageAndCategory.incident).toEqual({
      red: 0,
      yellow: 0,
      green: 0,
      blue: 0,
      dead: 0,
      white: 0,
      untriaged: 0,
    });
    expect(overview.triageCountsByStageAndCategory.incident).toMatchObject({
      red: 2,
      yellow: 2,
      green: 3,
      white: 1,
    });
    expect(overview.triageCountsByStageAndCategory['treatment-area'].yellow).toBe(8);
  });

  it('keeps the latest stage time out of order', async () => {
    const watched = await createDisaster(gateway, tokens.medic, { name: 'Clock drill' });
    const minutes = [17, 3, 29, 11, 5, 23, 2, 13];
    const results = await Promise.all(
      minutes.map((ago) =>
        upload(gateway, tokens.medic, triageBody(watched.id, newCardCode(), { capturedAt: minutesAgo(ago) })),
      ),
    );
    expect(results.every(({ result }) => result.status === 201)).toBe(true);
    const newest = results
      .map(({ result }) => (result.body as Triage).capturedAt)
      .sort()
      .at(-1);
    const stages = (
      await call(gateway, 'listStages', { token: tokens.dashboard, path: { disasterId: watched.id } })
    ).body as Schemas['StageList'];
    const incident = stages.items.find((summary) => summary.stage === 'incident');
    expect(incident?.triages).toBe(8);
    expect(incident?.lastTriageAt).toBe(newest);
  });
});
