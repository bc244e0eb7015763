/** Success paths and documented errors of the disaster and patient operations, checked against the contract. */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventRecord } from '../../src/data/audit.js';
import { queryAuditEvents } from '../../src/data/audit.js';
import {
  cardKey,
  disasterKey,
  disasterPartition,
  overviewKey,
  patientKey,
  patientPointerKey,
  triageKey,
} from '../../src/data/clinical-keys.js';
import { dataTableName, documentClient } from '../../src/data/table.js';
import { defaultRetention, getTenant } from '../../src/data/tenants.js';
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
  type Schemas,
  type Triage,
  triageBody,
  upload,
} from './support.js';

describe('disaster and patient operations', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  let tenantId: string;
  let tokens: RoleTokens;
  let disaster: Disaster;

  async function auditEvents(entityType: string, entityId: string): Promise<AuditEventRecord[]> {
    // NOTE: queryAuditEvents fails without a time range when filtering by entity, so `since` is always set.
    const page = await queryAuditEvents({
      tenantId,
      entityType: entityType as never,
      entityId,
      since: '2000-01-01T00:00:00.000Z',
      limit: 100,
    });
    return page.items;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    tenantId = demoOf(platform.seed).tenantId;
    tokens = await roleTokens(tenantId);
    disaster = await createDisaster(gateway, tokens.commandStaff, {
      mode: 'real',
      name: 'Autobahn A3 pile-up',
    });
  });

  afterAll(async () => {
    await platform.stop();
  });

  describe('disasters', () => {
    it('createDisaster opens an active disaster', async () => {
      expect(disaster.status).toBe('active');
      expect(disaster.closedAt).toBeNull();
      const events = await auditEvents('disaster', disaster.id);
      expect(events.map((event) => event.action)).toContain('create');
    });

    it('createDisaster rejects a start in the future', async () => {
      const result = await call(gateway, 'createDisaster', {
        token: tokens.medic,
        body: { ...triageFreeDisaster(), startedAt: new Date(Date.now() + 3600_000).toISOString() },
      });
      expectProblem(result, 400, 'VALIDATION_FAILED');
    });

    it('getDisaster returns the disaster', async () => {
      const result = await call(gateway, 'getDisaster', {
        token: tokens.dashboard,
        path: { disasterId: disaster.id },
      });
      expect(result.status).toBe(200);
      expect(result.body).toEqual(disaster);
    });

    it('listDisasters filters by start time and mode', async () => {
      const old = await createDisaster(gateway, tokens.commandStaff, {
        name: 'Old drill',
        mode: 'drill',
        startedAt: new Date(Date.now() - 30 * 24 * 3600_000).toISOString(),
      });
      const recent = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { startedAfter: new Date(Date.now() - 24 * 3600_000).toISOString() },
      });
      const recentIds = (recent.body as { items: Disaster[] }).items.map((item) => item.id);
      expect(recentIds).toContain(disaster.id);
      expect(recentIds).not.toContain(old.id);

      const before = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { startedBefore: new Date(Date.now() - 24 * 3600_000).toISOString() },
      });
      expect((before.body as { items: Disaster[] }).items.map((item) => item.id)).toEqual([old.id]);

      const drills = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { mode: 'real' },
      });
      expect((drills.body as { items: Disaster[] }).items.map((item) => item.id)).toEqual([disaster.id]);
    });

    it('listDisasters orders by distance with near', async () => {
      const frankfurt = await createDisaster(gateway, tokens.commandStaff, {
        name: 'Frankfurt station',
        position: { lat: 50.1072, lon: 8.6637 },
      });
      const munich = await createDisaster(gateway, tokens.commandStaff, {
        name: 'Munich airport',
        position: { lat: 48.3538, lon: 11.7861 },
      });
      const nearest = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { near: '50.11,8.68', radiusKm: '1000', limit: '1' },
      });
      const first = nearest.body as { items: Disaster[]; nextCursor: string | null };
      expect(first.items.map((item) => item.id)).toEqual([frankfurt.id]);
      expect(first.nextCursor).not.toBeNull();

      const next = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { near: '50.11,8.68', radiusKm: '1000', limit: '100', cursor: first.nextCursor ?? '' },
      });
      const rest = (next.body as { items: Disaster[] }).items.map((item) => item.id);
      expect(rest.at(-1)).toBe(munich.id);
      expect(rest).not.toContain(frankfurt.id);

      const within = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { near: '48.35,11.78', radiusKm: '5' },
      });
      expect((within.body as { items: Disaster[] }).items.map((item) => item.id)).toEqual([munich.id]);
    });

    it('listDisasters pages with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await call(gateway, 'listDisasters', {
          token: tokens.dashboard,
          query: { limit: '2', ...(cursor === null ? {} : { cursor }) },
        });
        const body = page.body as { items: Disaster[]; nextCursor: string | null };
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items.map((item) => item.id));
        cursor = body.nextCursor;
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain(disaster.id);
      const startTimes = await Promise.all(
        seen.map(async (id) => {
          const result = await call(gateway, 'getDisaster', {
            token: tokens.dashboard,
            path: { disasterId: id },
          });
          return (result.body as Disaster).startedAt;
        }),
      );
      expect([...startTimes].sort().reverse()).toEqual(startTimes);
    });

    it('listDisasters rejects a cursor of another listing', async () => {
      const page = await call(gateway, 'listPatients', {
        token: tokens.dashboard,
        path: { disasterId: disaster.id },
        query: { limit: '1' },
      });
      const foreignCursor = (page.body as { nextCursor: string | null }).nextCursor ?? 'eyJwayI6IngifQ';
      const result = await call(gateway, 'listDisasters', {
        token: tokens.dashboard,
        query: { cursor: foreignCursor },
      });
      expectProblem(result, 400, 'VALIDATION_FAILED');
    });
  });

  describe('patients', () => {
    it('createPatient registers an untriaged card', async () => {
      const cardCode = newCardCode();
      const result = await call(gateway, 'createPatient', {
        token: tokens.medic,
        path: { disasterId: disaster.id },
        body: { cardCode, ageGroup: 'adult', ageRange: 'adult-over-70', gender: 'female' },
      });
      expect(result.status).toBe(201);
      const patient = result.body as Patient;
      expect(patient).toMatchObject({
        cardCode,
        currentCategory: 'untriaged',
        currentStage: null,
        triageCount: 0,
        categoryTrend: [],
        firstTriagedAt: null,
      });
      expect(patient).not.toHaveProperty('identity');

      const duplicate = await call(gateway, 'createPatient', {
        token: tokens.medic,
        path: { disasterId: disaster.id },
        body: { cardCode, ageGroup: 'adult' },
      });
      expectProblem(duplicate, 409, 'CARD_CODE_TAKEN');

      // The first triage of a registered card continues the same patient.
      const triage = await upload(
        gateway,
        tokens.medic,
        triageBody(disaster.id, cardCode, { gender: undefined }),
      );
      expect((triage.result.body as Triage).patientId).toBe(patient.id);
    });

    it('createPatient with identity needs the identity right', async () => {
      const body = {
        cardCode: newCardCode(),
        ageGroup: 'adult',
        identity: { firstName: 'Jonas', lastName: 'Becker' },
      };
      const forbidden = await call(gateway, 'createPatient', {
        token: tokens.medic,
        path: { disasterId: disaster.id },
        body,
      });
      expectProblem(forbidden, 403, 'FORBIDDEN');
      const created = await call(gateway, 'createPatient', {
        token: tokens.physician,
        path: { disasterId: disaster.id },
        body,
      });
      expect(created.status).toBe(201);
      expect((created.body as Patient).identity).toEqual({ firstName: 'Jonas', lastName: 'Becker' });
    });

    it('getPatient shows identity only with the right', async () => {
      const cardCode = newCardCode();
      const created = await call(gateway, 'createPatient', {
        token: tokens.physician,
        path: { disasterId: disaster.id },
        body: {
          cardCode,
          ageGroup: 'child',
          ageRange: 'child-1-5',
          identity: { firstName: 'Mia', lastName: 'Wolf' },
        },
      });
      const patientId = (created.body as Patient).id;

      const withoutRight = await call(gateway, 'getPatient', {
        token: tokens.dashboard,
        path: { patientId },
      });
      expect(withoutRight.status).toBe(200);
      expect(withoutRight.body).not.toHaveProperty('identity');
      expect(withoutRight.rawBody).not.toContain('Mia');

      const withRight = await call(gateway, 'getPatient', {
        token: tokens.commandStaff,
        path: { patientId },
      });
      expect((withRight.body as Patient).identity).toEqual({ firstName: 'Mia', lastName: 'Wolf' });

      const byCode = await call(gateway, 'getPatientByCode', { token: tokens.dashboard, path: { cardCode } });
      expect((byCode.body as Patient).id).toBe(patientId);
      expect(byCode.rawBody).not.toContain('Wolf');

      const reads = await auditEvents('patient', patientId);
      expect(reads.filter((event) => event.action === 'read')).toHaveLength(3);
    });

    it('getPatientByCode answers 404 for an unknown card', async () => {
      const result = await call(gateway, 'getPatientByCode', {
        token: tokens.dashboard,
        path: { cardCode: '000000123' },
      });
      expectProblem(result, 404, 'NOT_FOUND');
    });

    it('updatePatient applies a merge patch', async () => {
      const created = await call(gateway, 'createPatient', {
        token: tokens.physician,
        path: { disasterId: disaster.id },
        body: {
          cardCode: newCardCode(),
          ageGroup: 'adult',
          identity: { firstName: 'Anna', lastName: 'Klein' },
        },
      });
      const patientId = (created.body as Patient).id;

      const renamed = await call(gateway, 'updatePatient', {
        token: tokens.commandStaff,
        path: { patientId },
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: {
          identity: { firstName: null, lastName: 'Klein-Meyer' },
          status: 'transported',
          gender: 'female',
        },
      });
      expect(renamed.status, renamed.rawBody).toBe(200);
      const patient = renamed.body as Patient;
      expect(patient.identity).toEqual({ lastName: 'Klein-Meyer' });
      expect(patient.status).toBe('transported');
      expect(patient.gender).toBe('female');

      const removed = await call(gateway, 'updatePatient', {
        token: tokens.commandStaff,
        path: { patientId },
        body: { identity: null },
      });
      expect((removed.body as Patient).identity).toBeNull();

      const events = await auditEvents('patient', patientId);
      const update = events.find((event) => event.action === 'update');
      expect(update?.details.changedFields).toEqual(['identity']);
      expect(JSON.stringify(events)).not.toContain('Klein');
    });

    it('updatePatient rejects an age group change', async () => {
      const created = await call(gateway, 'createPatient', {
        token: tokens.physician,
        path: { disasterId: disaster.id },
        body: { cardCode: newCardCode(), ageGroup: 'adult' },
      });
      const patientId = (created.body as Patient).id;
      const result = await call(gateway, 'updatePatient', {
        token: tokens.commandStaff,
        path: { patientId },
        body: { ageGroup: 'child' },
      });
      expectProblem(result, 409, 'AGE_GROUP_FIXED');
      const physicianUpdate = await call(gateway, 'updatePatient', {
        token: tokens.physician,
        path: { patientId },
        body: { identity: { firstName: 'Ida' } },
      });
      expect(physicianUpdate.status).toBe(200);
      const withoutRight = await call(gateway, 'updatePatient', {
        token: await accessTokenFor({ tenantId, rights: ['ActionUpdatePatient'] }),
        path: { patientId },
        body: { identity: { firstName: 'Ole' } },
      });
      expectProblem(withoutRight, 403, 'FORBIDDEN');
    });

    it('correctAgeGroup changes the fixed age group with a reason', async () => {
      const cardCode = newCardCode();
      const first = await upload(
        gateway,
        tokens.medic,
        triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(40) }),
      );
      const patientId = (first.result.body as Triage).patientId;
      const reason = 'Age group entered wrongly at the incident site; patient is 12 years old.';

      const corrected = await call(gateway, 'correctAgeGroup', {
        token: tokens.commandStaff,
        path: { patientId },
        body: { ageGroup: 'child', ageRange: 'child-6-17', reason },
      });
      expect(corrected.status, corrected.rawBody).toBe(200);
      expect(corrected.body).toMatchObject({ ageGroup: 'child', ageRange: 'child-6-17' });

      const again = await call(gateway, 'correctAgeGroup', {
        token: tokens.commandStaff,
        path: { patientId },
        body: { ageGroup: 'child', ageRange: 'child-6-17', reason },
      });
      expectProblem(again, 409, 'CONFLICT');

      // Later triages must use the corrected age group.
      const adult = await upload(
        gateway,
        tokens.medic,
        triageBody(disaster.id, cardCode, { capturedAt: minutesAgo(20) }),
      );
      expectProblem(adult.result, 409, 'AGE_GROUP_FIXED');
      const child = await upload(
        gateway,
        tokens.medic,
        triageBody(disaster.id, cardCode, {
          capturedAt: minutesAgo(20),
          ageGroup: 'child',
          ageRange: 'child-6-17',
          algorithm: 'JumpSTART',
          criteria: { ageGroup: 'child', walks: false },
        }),
      );
      expect(child.result.status).toBe(201);

      const correction = (await auditEvents('patient', patientId)).find(
        (event) => event.action === 'correct',
      );
      expect(correction?.details).toEqual({ changedFields: ['ageGroup', 'ageRange'], reason });
    });

    it('listPatients filters, sorts and pages', async () => {
      const listed = await createDisaster(gateway, tokens.commandStaff, { name: 'Listing drill' });
      const uploads: { cardCode: string; category: Schemas['Category']; minutes: number }[] = [
        { cardCode: newCardCode(), category: 'green', minutes: 50 },
        { cardCode: newCardCode(), category: 'red', minutes: 40 },
        { cardCode: newCardCode(), category: 'yellow', minutes: 30 },
        { cardCode: newCardCode(), category: 'red', minutes: 20 },
      ];
      for (const item of uploads) {
        await upload(
          gateway,
          tokens.medic,
          triageBody(listed.id, item.cardCode, {
            category: item.category,
            capturedAt: minutesAgo(item.minutes),
          }),
        );
      }
      const untriaged = newCardCode();
      await call(gateway, 'createPatient', {
        token: tokens.medic,
        path: { disasterId: listed.id },
        body: { cardCode: untriaged, ageGroup: 'adult' },
      });

      const list = async (query: Record<string, string>) => {
        const result = await call(gateway, 'listPatients', {
          token: tokens.dashboard,
          path: { disasterId: listed.id },
          query,
        });
        expect(result.status, result.rawBody).toBe(200);
        return result.body as { items: Patient[]; nextCursor: string | null };
      };

      const byTime = await list({});
      expect(byTime.items.map((patient) => patient.cardCode)).toEqual([
        uploads[3]?.cardCode,
        uploads[2]?.cardCode,
        uploads[1]?.cardCode,
        uploads[0]?.cardCode,
        untriaged,
      ]);

      const byCategory = await list({ sort: 'category' });
      expect(byCategory.items.map((patient) => patient.currentCategory)).toEqual([
        'red',
        'red',
        'yellow',
        'green',
        'untriaged',
      ]);
      expect(byCategory.items[0]?.cardCode).toBe(uploads[3]?.cardCode);

      const byCode = await list({ sort: 'cardCode' });
      const codes = byCode.items.map((patient) => patient.cardCode);
      expect(codes).toEqual([...codes].sort());

      const reds = await list({ category: 'red,yellow' });
      expect(reds.items.map((patient) => patient.currentCategory).sort()).toEqual(['red', 'red', 'yellow']);

      const incident = await list({ stage: 'incident', status: 'in-care' });
      expect(incident.items).toHaveLength(4);

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list({ limit: '2', sort: 'category', ...(cursor === null ? {} : { cursor }) });
        pages.push(...page.items.map((patient) => patient.cardCode));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(pages).toEqual(byCategory.items.map((patient) => patient.cardCode));

      const since = await list({ updatedSince: new Date(Date.now() + 60_000).toISOString() });
      expect(since.items).toEqual([]);

      const listEvents = await auditEvents('patient', listed.id);
      expect(listEvents.some((event) => event.action === 'list' && event.details.resultCount === 5)).toBe(
        true,
      );
    });
  });

  describe('overview and stages', () => {
    it('counts match the patient list after mixed writes', async () => {
      const watched = await createDisaster(gateway, tokens.commandStaff, { name: 'Overview drill' });
      const a = newCardCode();
      const b = newCardCode();
      const c = newCardCode();
      const first = await upload(
        gateway,
        tokens.medic,
        triageBody(watched.id, a, { category: 'red', capturedAt: minutesAgo(50) }),
      );
      await upload(
        gateway,
        tokens.medic,
        triageBody(watched.id, a, {
          category: 'yellow',
          stage: 'treatment-area',
          capturedAt: minutesAgo(30),
        }),
      );
      // A late upload for patient a changes the triage counts but not the patient counts.
      await upload(
        gateway,
        tokens.medic,
        triageBody(watched.id, a, { category: 'red', capturedAt: minutesAgo(40) }),
      );
      await upload(
        gateway,
        tokens.medic,
        triageBody(watched.id, b, { category: 'blue', decidingCriterion: 'fatally-injured' }),
      );
      const cPatient = await upload(
        gateway,
        tokens.medic,
        triageBody(watched.id, c, { category: 'green', capturedAt: minutesAgo(45) }),
      );
      await upload(
        gateway,
        tokens.physician,
        triageBody(watched.id, c, {
          category: 'yellow',
          capturedAt: minutesAgo(44),
          supersedes: cPatient.triageId,
        }),
      );
      await call(gateway, 'updatePatient', {
        token: tokens.commandStaff,
        path: { patientId: (cPatient.result.body as Triage).patientId },
        body: { status: 'released' },
      });
      await call(gateway, 'createPatient', {
        token: tokens.medic,
        path: { disasterId: watched.id },
        body: { cardCode: newCardCode(), ageGroup: 'adult' },
      });

      const result = await call(gateway, 'getDisasterOverview', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
      });
      expect(result.status).toBe(200);
      const overview = result.body as Schemas['DisasterOverview'];
      expect(overview.disaster.id).toBe(watched.id);
      expect(overview.patientsTotal).toBe(4);
      expect(overview.patientsReleased).toBe(1);
      expect(overview.patientsByStatus).toEqual({ 'in-care': 3, transported: 0, released: 1, deceased: 0 });
      expect(overview.patientsByCategory).toEqual({
        red: 0,
        yellow: 2,
        green: 0,
        blue: 1,
        dead: 0,
        white: 0,
        untriaged: 1,
      });
      expect(overview.countsByStageAndCategory['treatment-area'].yellow).toBe(1);
      expect(overview.countsByStageAndCategory.incident).toMatchObject({
        yellow: 1,
        blue: 1,
        red: 0,
        untriaged: 0,
      });
      // Five triages count: patient a's three, b's one and c's correction; c's first triage is superseded.
      expect(overview.triagesTotal).toBe(5);
      expect(overview.triageCountsByStageAndCategory.incident).toMatchObject({
        red: 2,
        blue: 1,
        green: 0,
        yellow: 1,
      });
      expect(overview.triageCountsByStageAndCategory['treatment-area'].yellow).toBe(1);
      expect(overview.pendingConfirmations).toBe(1);
      expect(overview).not.toHaveProperty('patients');

      // The map patients come page by page in card code order; pages of 3 need two requests for 4 patients.
      const firstPage = await call(gateway, 'listPatientMarkers', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
        query: { limit: '3' },
      });
      expect(firstPage.status, firstPage.rawBody).toBe(200);
      const page1 = firstPage.body as Schemas['MapPatientList'];
      expect(page1.items).toHaveLength(3);
      expect(page1.nextCursor).not.toBeNull();
      const secondPage = await call(gateway, 'listPatientMarkers', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
        query: { limit: '3', cursor: page1.nextCursor ?? '' },
      });
      const page2 = secondPage.body as Schemas['MapPatientList'];
      // A start key with other key attributes than the Query's would make DynamoDB fail; it is a 400 instead.
      const decoded = JSON.parse(Buffer.from(page1.nextCursor ?? '', 'base64url').toString('utf8'));
      for (const tampered of [{ ...decoded, gsi1pk: 'x' }, { pk: decoded.pk }]) {
        const rejected = await call(gateway, 'listPatientMarkers', {
          token: tokens.dashboard,
          path: { disasterId: watched.id },
          query: { cursor: Buffer.from(JSON.stringify(tampered)).toString('base64url') },
        });
        expectProblem(rejected, 400, 'VALIDATION_FAILED');
      }
      const byTime = await call(gateway, 'listPatients', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
        query: { limit: '1' },
      });
      const otherListing = (byTime.body as { nextCursor: string | null }).nextCursor;
      expect(otherListing).not.toBeNull();
      expectProblem(
        await call(gateway, 'listPatientMarkers', {
          token: tokens.dashboard,
          path: { disasterId: watched.id },
          query: { cursor: otherListing ?? '' },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(page2.items).toHaveLength(1);
      expect(page2.nextCursor).toBeNull();
      const markers = [...page1.items, ...page2.items];
      const codes = markers.map((patient) => patient.cardCode);
      expect(codes).toEqual([...codes].sort());
      const mapA = markers.find((patient) => patient.cardCode === a);
      expect(mapA).toMatchObject({ category: 'yellow', stage: 'treatment-area' });
      expect(mapA?.triageId).not.toBe(first.triageId);
      expect(JSON.stringify(markers)).not.toContain('identity');

      const listed = await call(gateway, 'listPatients', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
      });
      const patients = (listed.body as { items: Patient[] }).items;
      // Each map patient is read from the stored item without its history and matches the full record.
      for (const patient of patients) {
        const marker = markers.find((candidate) => candidate.patientId === patient.id);
        expect(marker, patient.cardCode).toEqual({
          patientId: patient.id,
          cardCode: patient.cardCode,
          ageGroup: patient.ageGroup,
          status: patient.status,
          category: patient.currentCategory,
          stage: patient.currentStage,
          triageId: patient.currentTriageId,
          capturedAt: patient.lastTriagedAt,
          position: patient.position,
          pendingConfirmation: patient.pendingConfirmation,
          transportPriority: patient.transportPriority,
        });
      }
      const byCategory: Record<string, number> = {};
      for (const patient of patients)
        byCategory[patient.currentCategory] = (byCategory[patient.currentCategory] ?? 0) + 1;
      for (const [category, count] of Object.entries(overview.patientsByCategory)) {
        expect(byCategory[category] ?? 0, category).toBe(count);
      }

      const stages = await call(gateway, 'listStages', {
        token: tokens.dashboard,
        path: { disasterId: watched.id },
      });
      const items = (stages.body as Schemas['StageList']).items;
      expect(items.map((stage) => stage.stage)).toEqual([
        'incident',
        'collection-point',
        'treatment-area',
        'transport',
        'hospital',
      ]);
      expect(items[0]).toMatchObject({ stage: 'incident', patients: 2, triages: 4 });
      expect(items[2]).toMatchObject({ stage: 'treatment-area', patients: 1, triages: 1 });
      expect(items[0]?.lastTriageAt).not.toBeNull();
      expect(items[1]?.lastTriageAt).toBeNull();
    });

    it('keeps drills and real disasters apart', async () => {
      const drill = await createDisaster(gateway, tokens.commandStaff, {
        name: 'Separate drill',
        mode: 'drill',
      });
      await upload(gateway, tokens.medic, triageBody(drill.id, newCardCode()));
      const drillOverview = await call(gateway, 'getDisasterOverview', {
        token: tokens.dashboard,
        path: { disasterId: drill.id },
      });
      expect((drillOverview.body as Schemas['DisasterOverview']).patientsTotal).toBe(1);
      const markersOf = async (disasterId: string) =>
        (
          (
            await call(gateway, 'listPatientMarkers', {
              token: tokens.dashboard,
              path: { disasterId },
              query: { limit: '500' },
            })
          ).body as Schemas['MapPatientList']
        ).items.map((patient) => patient.cardCode);
      const realPatients = await markersOf(disaster.id);
      const drillPatients = await markersOf(drill.id);
      expect(drillPatients).toHaveLength(1);
      expect(realPatients.some((code) => drillPatients.includes(code))).toBe(false);
    });
  });

  describe('retention', () => {
    async function expiryOf(key: { pk: string; sk: string }): Promise<unknown> {
      const { Item } = await documentClient().send(new GetCommand({ TableName: dataTableName(), Key: key }));
      return Item?.expiresAt;
    }

    it('stamps the retention deadline on every item of a disaster', async () => {
      const tenant = await getTenant(tenantId);
      const retention = tenant?.settings.retention ?? defaultRetention;
      const startedAt = minutesAgo(90);
      for (const [mode, days] of [
        ['drill', retention.drillDataDays],
        ['real', retention.patientDataDays],
      ] as const) {
        const stamped = await createDisaster(gateway, tokens.commandStaff, {
          name: `Retention ${mode}`,
          mode,
          startedAt,
        });
        const cardCode = newCardCode();
        const { triageId, result } = await upload(gateway, tokens.medic, triageBody(stamped.id, cardCode));
        const patientId = (result.body as Triage).patientId;
        const expected = Math.floor((Date.parse(stamped.startedAt) + days * 24 * 3600_000) / 1000);
        const keys = [
          disasterKey(tenantId, stamped.id),
          overviewKey(tenantId, stamped.id),
          patientKey(tenantId, stamped.id, cardCode),
          patientPointerKey(tenantId, patientId),
          cardKey(tenantId, cardCode),
          triageKey(tenantId, triageId),
        ];
        for (const key of keys) expect(await expiryOf(key), `${mode} ${key.pk} ${key.sk}`).toBe(expected);
      }
    });
  });

  describe('closing and purging', () => {
    it('closeDisaster closes once', async () => {
      const closing = await createDisaster(gateway, tokens.commandStaff, { name: 'To close' });
      const closed = await call(gateway, 'closeDisaster', {
        token: tokens.commandStaff,
        path: { disasterId: closing.id },
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed' });
      expect((closed.body as Disaster).closedAt).not.toBeNull();
      const again = await call(gateway, 'closeDisaster', {
        token: tokens.commandStaff,
        path: { disasterId: closing.id },
      });
      expectProblem(again, 409, 'DISASTER_CLOSED');
    });

    it('purgeDisaster deletes a closed drill', async () => {
      const drill = await createDisaster(gateway, tokens.commandStaff, {
        name: 'Purged drill',
        mode: 'drill',
      });
      const cardCode = newCardCode();
      const triage = await upload(gateway, tokens.medic, triageBody(drill.id, cardCode));
      const patientId = (triage.result.body as Triage).patientId;

      const active = await call(gateway, 'purgeDisaster', {
        token: tokens.admin,
        path: { disasterId: drill.id },
      });
      expect(expectProblem(active, 409, 'DISASTER_NOT_PURGEABLE')).toContain('still active');

      await call(gateway, 'closeDisaster', { token: tokens.commandStaff, path: { disasterId: drill.id } });
      const purged = await call(gateway, 'purgeDisaster', {
        token: tokens.admin,
        path: { disasterId: drill.id },
      });
      expect(purged.status, purged.rawBody).toBe(204);
      // Nothing of the disaster's partition stays behind: record, counters, stage times, patients.
      const partition = await documentClient().send(
        new QueryCommand({
          TableName: dataTableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': disasterPartition(tenantId, drill.id) },
          ConsistentRead: true,
        }),
      );
      expect(partition.Items).toEqual([]);

      expectProblem(
        await call(gateway, 'getDisaster', { token: tokens.dashboard, path: { disasterId: drill.id } }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await call(gateway, 'getPatient', { token: tokens.dashboard, path: { patientId } }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await call(gateway, 'getTriage', { token: tokens.dashboard, path: { triageId: triage.triageId } }),
        404,
        'NOT_FOUND',
      );
      // The drill's cards can be handed out again.
      const reused = await call(gateway, 'createPatient', {
        token: tokens.medic,
        path: { disasterId: disaster.id },
        body: { cardCode, ageGroup: 'adult' },
      });
      expect(reused.status).toBe(201);
      expect((await auditEvents('disaster', drill.id)).map((event) => event.action)).toContain('purge');
    });

    it('purgeDisaster keeps real disasters', async () => {
      const real = await createDisaster(gateway, tokens.commandStaff, {
        name: 'Real and closed',
        mode: 'real',
      });
      await call(gateway, 'closeDisaster', { token: tokens.commandStaff, path: { disasterId: real.id } });
      const result = await call(gateway, 'purgeDisaster', {
        token: tokens.admin,
        path: { disasterId: real.id },
      });
      expect(expectProblem(result, 409, 'DISASTER_NOT_PURGEABLE')).toContain('mode real');
    });
  });

  describe('tenant isolation', () => {
    let otherTenant: string;

    beforeAll(async () => {
      otherTenant = await accessTokenFor({
        tenantId: randomUUID(),
        roles: ['CommandStaff', 'Physician', 'TenantAdmin'],
      });
    });

    it('answers 404 for ids of another tenant', async () => {
      const cardCode = newCardCode();
      const { triageId, result } = await upload(gateway, tokens.medic, triageBody(disaster.id, cardCode));
      const patientId = (result.body as Triage).patientId;
      const cases = [
        await call(gateway, 'getDisaster', { token: otherTenant, path: { disasterId: disaster.id } }),
        await call(gateway, 'getDisasterOverview', { token: otherTenant, path: { disasterId: disaster.id } }),
        await call(gateway, 'listPatients', { token: otherTenant, path: { disasterId: disaster.id } }),
        await call(gateway, 'getPatient', { token: otherTenant, path: { patientId } }),
        await call(gateway, 'getPatientByCode', { token: otherTenant, path: { cardCode } }),
        await call(gateway, 'getTriage', { token: otherTenant, path: { triageId } }),
        await call(gateway, 'listPatientTriages', { token: otherTenant, path: { patientId } }),
        await call(gateway, 'confirmTriage', { token: otherTenant, path: { triageId }, body: {} }),
        await call(gateway, 'closeDisaster', { token: otherTenant, path: { disasterId: disaster.id } }),
        (await upload(gateway, otherTenant, triageBody(disaster.id, cardCode))).result,
      ];
      for (const response of cases) {
        expectProblem(response, 404, 'NOT_FOUND');
        expect(response.rawBody).not.toContain('Autobahn');
      }
    });

    it('keeps equal triage ids of two tenants apart', async () => {
      const triageId = randomUUID();
      const ownDisaster = await createDisaster(gateway, otherTenant, { name: 'Other tenant incident' });
      const mine = await upload(gateway, tokens.medic, triageBody(disaster.id, newCardCode()), triageId);
      const theirs = await upload(
        gateway,
        otherTenant,
        triageBody(ownDisaster.id, newCardCode(), { category: 'green' }),
        triageId,
      );
      expect(mine.result.status).toBe(201);
      expect(theirs.result.status).toBe(201);
      const readMine = await call(gateway, 'getTriage', { token: tokens.medic, path: { triageId } });
      expect((readMine.body as Triage).category).toBe('red');
    });
  });
});

function triageFreeDisaster(): Schemas['DisasterWrite'] {
  return {
    name: 'Future incident',
    mode: 'test',
    position: { lat: 50, lon: 8 },
    radiusKm: 1,
    startedAt: new Date().toISOString(),
  };
}
