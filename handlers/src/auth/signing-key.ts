/**
 * The ES256 signing key for access tokens: a private JWK stored as JSON in the Secrets Manager secret named by
 * SIGNING_KEY_SECRET_ARN, fetched once per cold start.
 */
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface SigningKey {
  /** The JWK's `kid`, or its RFC 7638 thumbprint when the JWK has none. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A private EC P-256 JWK with the members node:crypto needs to import it. */
export interface PrivateEcJwk extends JsonWebKey {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
}

let cached: Promise<SigningKey> | undefined;

function parsePrivateJwk(secretString: string, secretId: string): PrivateEcJwk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch (error) {
    throw new Error(`Secret ${secretId} is not JSON; it must hold an ES256 private JWK.`, { cause: error });
  }
  const jwk = parsed as JsonWebKey;
  if (
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.d !== 'string' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string'
  ) {
    throw new Error(
      `Secret ${secretId} does not hold an ES256 private JWK (kty EC, crv P-256, with d, x and y).`,
    );
  }
  return jwk as PrivateEcJwk;
}

/** Returns the RFC 7638 thumbprint: SHA-256 over the required public members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: PrivateEcJwk): string {
  const thumbprintInput = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(thumbprintInput).digest('base64url');
}

function importSigningKey(jwk: PrivateEcJwk, secretId: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new Error(
      `Secret ${secretId} contains an invalid P-256 JWK that node:crypto cannot import; generate a new key.`,
      {
        cause: error,
      },
    );
  }
  return {
    kid: typeof jwk.kid === 'string' ? jwk.kid : jwkThumbprint(jwk),
    privateKey,
    publicKey: createPublicKey(privateKey),
  };
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
    return importSigningKey(parsePrivateJwk(response.SecretString, secretId), secretId);
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
