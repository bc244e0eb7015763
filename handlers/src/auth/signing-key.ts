/**
 * The ES256 signing key for access tokens: a private JWK stored as JSON in the Secrets Manager secret named by
 * SIGNING_KEY_SECRET_ARN, fetched once per cold start.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type CryptoKey, calculateJwkThumbprint, importJWK, type JWK } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

let cached: Promise<SigningKey> | undefined;

function parsePrivateJwk(secretString: string, secretId: string): JWK {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch (error) {
    throw new Error(`Secret ${secretId} is not JSON; it must hold an ES256 private JWK.`, { cause: error });
  }
  const jwk = parsed as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new Error(
      `Secret ${secretId} does not hold an ES256 private JWK (kty EC, crv P-256, with d, x and y).`,
    );
  }
  return jwk;
}

async function loadSigningKey(): Promise<SigningKey> {
  const secretId = process.env.SIGNING_KEY_SECRET_ARN;
  if (secretId === undefined || secretId === '') {
    throw new Error(
      'Environment variable SIGNING_KEY_SECRET_ARN is missing; it must name the signing key secret.',
    );
  }
  const client = new SecretsManagerClient({});
  try {
    const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (response.SecretString === undefined) {
      throw new Error(`Secret ${secretId} has no SecretString; store the private JWK as a JSON string.`);
    }
    const jwk = parsePrivateJwk(response.SecretString, secretId);
    const { d: _private, ...publicJwk } = jwk;
    const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk));
    return {
      kid,
      privateKey: (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey,
      publicKey: (await importJWK({ ...publicJwk, alg: 'ES256' }, 'ES256')) as CryptoKey,
    };
  } finally {
    client.destroy();
  }
}

/** Returns the signing key, loading it on first use. A failed load is retried on the next call. */
export async function signingKey(): Promise<SigningKey> {
  if (cached === undefined) {
    const loading = loadSigningKey();
    cached = loading;
    loading.catch(() => {
      if (cached === loading) {
        cached = undefined;
      }
    });
  }
  return cached;
}

/** Forgets the cached key, so the next call reads the secret again (after a rotation, or between tests). */
export function forgetSigningKey(): void {
  cached = undefined;
}
