/**
 * One test file's platform: fresh tables in DynamoDB Local, the Secrets Manager stand-in with a signing key,
 * s3rver with the photo bucket, and the seeded operator and demo tenant. Tests that call operations add a TestGateway (gateway.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Right } from '../../../generated/operations/index.js';
import { localSeed, type SeedResult, seedPlatform } from '../../src/admin/seed.js';
import { issueAccessToken } from '../../src/auth/access-tokens.js';
import { builtInRole } from '../../src/auth/built-in-roles.js';
import { forgetSigningKey } from '../../src/auth/signing-key.js';
import type { Clock, Principal } from '../../src/context.js';
import { type LocalS3, startLocalS3 } from './s3.js';
import { type SecretsManagerStandIn, startSecretsManager } from './secrets-manager.js';
import { createTestTables, type TestTables } from './tables.js';

export interface TestPlatform {
  readonly tables: TestTables;
  readonly secrets: SecretsManagerStandIn;
  readonly s3: LocalS3;
  readonly seed: SeedResult;
  stop(): Promise<void>;
}

export interface TestPlatformOptions {
  /** Time of the seed's records; default now. */
  clock?: Clock;
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const tables = await createTestTables();
  const secrets = await startSecretsManager();
  const s3 = await startLocalS3();
  forgetSigningKey();
  const seed = await seedPlatform({
    ...localSeed,
    ...(options.clock === undefined ? {} : { now: options.clock.now() }),
  });
  return {
    tables,
    secrets,
    s3,
    seed,
    async stop() {
      await secrets.stop();
      await s3.stop();
      await tables.drop();
    },
  };
}

/** Returns the demo tenant of a seed, failing loudly when the seed ran without one. */
export function demoOf(seed: SeedResult): NonNullable<SeedResult['demo']> {
  if (seed.demo === undefined) {
    throw new Error('The test platform was seeded without the demo tenant.');
  }
  return seed.demo;
}

export interface TokenSubject {
  tenantId: string;
  kind?: 'user' | 'device';
  id?: string;
  roles?: string[];
  /** Rights to put into the token; default: the union of the built-in roles' rights. */
  rights?: Iterable<Right>;
}

/**
 * Signs an access token directly with the test signing key, as login would after reading the roles. Tests of
 * the authorizer and of rights use it to hold any combination of rights without creating users.
 */
export async function accessTokenFor(subject: TokenSubject, now = new Date()): Promise<string> {
  const roles = subject.roles ?? [];
  const rights =
    subject.rights === undefined
      ? new Set<Right>(roles.flatMap((roleId) => builtInRole(roleId)?.rights ?? []))
      : new Set<Right>(subject.rights);
  const id = subject.id ?? randomUUID();
  const kind = subject.kind ?? 'user';
  const principal: Principal = {
    kind,
    id,
    ...(kind === 'user' ? { userId: id } : { deviceId: id }),
    roles,
    rights,
    sessionId: randomUUID(),
  };
  const { token } = await issueAccessToken(subject.tenantId, principal, now);
  return token;
}
