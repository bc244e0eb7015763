/** Helpers of the clinical tests: tokens per role, contract-checked calls, and request bodies. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OperationId } from '../../../generated/operations/index.js';
import type { components } from '../../../generated/types/openapi.js';
import { type CallOptions, type CallResult, responseViolations, type TestGateway } from '../setup/gateway.js';
import { accessTokenFor } from '../setup/platform.js';

export type Schemas = components['schemas'];
export type Triage = Schemas['Triage'];
export type Patient = Schemas['Patient'];
export type Disaster = Schemas['Disaster'];

/** Calls an operation and fails when the response breaks the contract (status or body). */
export async function call(
  gateway: TestGateway,
  operationId: OperationId,
  options: CallOptions = {},
): Promise<CallResult> {
  const result = await gateway.call(operationId, options);
  expect(
    responseViolations(operationId, result),
    `${operationId} → ${result.status} ${result.rawBody}`,
  ).toEqual([]);
  return result;
}

/** Asserts a problem response with a status and code, and returns its detail. */
export function expectProblem(result: CallResult, status: number, code: string): string {
  expect(result.status, result.rawBody).toBe(status);
  expect((result.body as { code: string }).code).toBe(code);
  return (result.body as { detail: string }).detail;
}

export interface RoleTokens {
  medic: string;
  physician: string;
  commandStaff: string;
  dashboard: string;
  admin: string;
}

/** Issues user tokens of the built-in roles for a tenant. */
export async function roleTokens(tenantId: string): Promise<RoleTokens> {
  return {
    medic: await accessTokenFor({ tenantId, roles: ['DeviceUser'] }),
    physician: await accessTokenFor({ tenantId, roles: ['Physician'] }),
    commandStaff: await accessTokenFor({ tenantId, roles: ['CommandStaff'] }),
    dashboard: await accessTokenFor({ tenantId, roles: ['DashboardUser'] }),
    admin: await accessTokenFor({ tenantId, roles: ['TenantAdmin'] }),
  };
}

export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

let cardCounter = 0;

/** Returns a card code no other test in this run uses. */
export function newCardCode(): string {
  cardCounter++;
  return `${Date.now()}${String(cardCounter).padStart(4, '0')}`.slice(-16);
}

export function disasterBody(overrides: Partial<Schemas['DisasterWrite']> = {}): Schemas['DisasterWrite'] {
  return {
    name: 'MANV Terminal 1',
    description: 'Drill SOGRO, arrival hall B.',
    mode: 'drill',
    position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
    radiusKm: 1.5,
    startedAt: minutesAgo(120),
    ...overrides,
  };
}

export async function createDisaster(
  gateway: TestGateway,
  token: string,
  overrides: Partial<Schemas['DisasterWrite']> = {},
): Promise<Disaster> {
  const result = await call(gateway, 'createDisaster', { token, body: disasterBody(overrides) });
  expect(result.status, result.rawBody).toBe(201);
  return result.body as Disaster;
}

export function triageBody(
  disasterId: string,
  cardCode: string,
  overrides: Partial<Schemas['TriageWrite']> = {},
): Schemas['TriageWrite'] {
  return {
    disasterId,
    cardCode,
    capturedAt: minutesAgo(60),
    stage: 'incident',
    category: 'red',
    algorithm: 'mSTaRT',
    kind: 'pre-triage',
    decidingCriterion: 'respiratory-rate-abnormal',
    criteria: { ageGroup: 'adult', walks: false, breathes: true, respiratoryRate: 34 },
    measures: { tourniquet: false },
    position: { lat: 50.0379, lon: 8.5622, accuracyMeters: 8 },
    ageGroup: 'adult',
    ageRange: 'adult-18-70',
    gender: 'male',
    photos: [],
    ...overrides,
  };
}

/** Uploads a triage under a new id and returns the id with the call result. */
export async function upload(
  gateway: TestGateway,
  token: string,
  body: Schemas['TriageWrite'],
  triageId: string = randomUUID(),
): Promise<{ triageId: string; result: CallResult }> {
  const result = await call(gateway, 'uploadTriage', { token, path: { triageId }, body });
  return { triageId, result };
}
