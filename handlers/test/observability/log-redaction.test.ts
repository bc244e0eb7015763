/**
 * Logs never contain passwords, tokens or patient data. This test runs a login, a token refresh, a triage upload
 * with the patient's name and a patient read at DEBUG level. It captures everything written to stdout and
 * stderr and searches it for those values.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rights as allRights, type OperationId } from '../../../generated/operations/index.js';
import { localSeed } from '../../src/admin/seed.js';
import { logger } from '../../src/observability/index.js';
import { requestExample } from '../setup/contract-samples.js';
import { TestGateway } from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

const patientFirstName = 'Wilhelmina';
const patientLastName = 'Quastenberg';

describe('log redaction', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  const captured: string[] = [];
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    platform = await startTestPlatform();
    logger.setLogLevel('DEBUG');
  });

  afterAll(async () => {
    logger.setLogLevel('SILENT');
    await platform.stop();
  });

  function capture(): void {
    const record = (chunk: unknown) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    };
    process.stdout.write = record as typeof process.stdout.write;
    process.stderr.write = record as typeof process.stderr.write;
  }

  function release(): void {
    process.stdout.write = originalStdout;
    process.stderr.write = originalStderr;
  }

  it('keeps secrets and patient names out of the log', async () => {
    const demo = localSeed.demo;
    if (demo === undefined) throw new Error('localSeed has no demo tenant');
    const tenantId = demoOf(platform.seed).tenantId;
    const token = await accessTokenFor({ tenantId, rights: allRights });
    const disaster = await gateway.call('createDisaster' as OperationId, {
      token,
      body: {
        ...(requestExample('createDisaster' as OperationId) as object),
        startedAt: new Date().toISOString(),
      },
    });
    expect(disaster.status, disaster.rawBody).toBe(201);
    const disasterId = (disaster.body as { id: string }).id;

    let secrets: string[] = [];
    capture();
    try {
      const login = await gateway.call('login', {
        body: { email: demo.admin.email, password: demo.admin.password },
      });
      const tokens = login.body as { accessToken: string; refreshToken: string };
      const refreshed = await gateway.call('refreshTokens', { body: { refreshToken: tokens.refreshToken } });
      const wrongPassword = 'wrong-password-that-must-not-be-logged';
      await gateway.call('login', { body: { email: demo.admin.email, password: wrongPassword } });

      const triageId = randomUUID();
      const triage = await gateway.call('uploadTriage' as OperationId, {
        token,
        path: { triageId },
        body: {
          ...(requestExample('uploadTriage' as OperationId) as object),
          disasterId,
          cardCode: '4006381333931',
          capturedAt: new Date().toISOString(),
          photos: [],
          identity: { firstName: patientFirstName, lastName: patientLastName },
        },
      });
      expect(triage.status, triage.rawBody).toBe(201);
      const patientId = (triage.body as { patientId: string }).patientId;
      const patient = await gateway.call('getPatient' as OperationId, { token, path: { patientId } });
      expect(patient.rawBody).toContain(patientLastName);

      secrets = [
        demo.admin.password,
        wrongPassword,
        tokens.accessToken,
        tokens.refreshToken,
        (refreshed.body as { refreshToken: string }).refreshToken,
        token,
        patientFirstName,
        patientLastName,
      ];
    } finally {
      release();
    }

    const output = captured.join('');
    expect(output).toContain('request completed');
    for (const secret of secrets) {
      expect(output.includes(secret), `the log contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });

  it('logs the DynamoDB commands and capacity of each request', async () => {
    const tenantId = demoOf(platform.seed).tenantId;
    const token = await accessTokenFor({ tenantId, rights: allRights });
    const disaster = await gateway.call('createDisaster' as OperationId, {
      token,
      body: {
        ...(requestExample('createDisaster' as OperationId) as object),
        startedAt: new Date().toISOString(),
      },
    });
    const disasterId = (disaster.body as { id: string }).id;
    captured.length = 0;
    capture();
    try {
      const triage = await gateway.call('uploadTriage' as OperationId, {
        token,
        path: { triageId: randomUUID() },
        body: {
          ...(requestExample('uploadTriage' as OperationId) as object),
          disasterId,
          cardCode: '4006381334068',
          capturedAt: new Date().toISOString(),
          photos: [],
        },
      });
      expect(triage.status, triage.rawBody).toBe(201);
    } finally {
      release();
    }
    const completed = captured
      .join('')
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            dynamodb?: { readUnits: number; writeUnits: number; commands: Record<string, number> };
          },
      );
    expect(completed).toHaveLength(1);
    const usage = completed[0]?.dynamodb;
    // One read round trip and one transaction carry the upload; the stage time follows as one update.
    expect(usage?.commands).toEqual({ BatchGetItem: 1, TransactWriteItems: 1, UpdateItem: 1 });
    expect(usage?.readUnits).toBeGreaterThan(0);
    expect(usage?.writeUnits).toBeGreaterThan(0);
  });
});
