/**
 * CloudFormation custom resource that writes a fresh ES256 private JWK into the signing-key secret. It writes
 * on Create, and on Update only when the secret itself was replaced, so redeploys never rotate the key.
 */
import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The fields of a CloudFormation custom resource request that this handler reads. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly SecretId?: string };
  readonly OldResourceProperties?: { readonly SecretId?: string };
}

/** An EC P-256 private key as JWK with the members the handlers need to sign ES256 tokens. */
export interface SigningJwk extends JsonWebKey {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** The response body CloudFormation expects at the request's ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Stores a secret string; in AWS this is Secrets Manager PutSecretValue. */
export type SecretWriter = (secretId: string, secretString: string) => Promise<void>;

/** Generates a P-256 key pair and returns the private key as JWK; `kid` is the RFC 7638 thumbprint. */
export function createSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y || !jwk.d) {
    throw new Error(`node:crypto exported an unexpected JWK (kty ${jwk.kty}, crv ${jwk.crv}).`);
  }
  // RFC 7638: SHA-256 over the required public members in lexicographic order, without whitespace.
  const thumbprintInput = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const kid = createHash('sha256').update(thumbprintInput).digest('base64url');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d, kid, alg: 'ES256', use: 'sig' };
}

/**
 * Runs the custom resource request and returns the response body for CloudFormation. Every failure becomes a
 * FAILED response with the reason instead of an exception, because a Lambda error would leave the stack
 * waiting for an hour.
 */
export async function processRequest(
  event: CustomResourceEvent,
  writeSecret: SecretWriter,
): Promise<CustomResourceResponse> {
  const secretId = event.ResourceProperties.SecretId;
  const physicalResourceId = event.PhysicalResourceId ?? secretId ?? event.LogicalResourceId;
  const base = {
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    const secretReplaced =
      event.RequestType === 'Update' && event.OldResourceProperties?.SecretId !== secretId;
    if (event.RequestType === 'Create' || secretReplaced) {
      if (!secretId) {
        throw new Error(
          'ResourceProperties.SecretId is missing; the custom resource must name the secret to fill.',
        );
      }
      const jwk = createSigningJwk();
      await writeSecret(secretId, JSON.stringify(jwk));
      return {
        ...base,
        Status: 'SUCCESS',
        PhysicalResourceId: secretId,
        Data: { SecretArn: secretId, KeyId: jwk.kid },
      };
    }
    return {
      ...base,
      Status: 'SUCCESS',
      PhysicalResourceId: physicalResourceId,
      Data: { SecretArn: secretId ?? '' },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      Status: 'FAILED',
      Reason: `Signing key generation failed: ${reason}`,
      PhysicalResourceId: physicalResourceId,
    };
  }
}

/** Sends the response to CloudFormation's presigned S3 URL; the URL is signed without a content type. */
export async function sendResponse(responseUrl: string, body: CustomResourceResponse): Promise<void> {
  const payload = JSON.stringify(body);
  const response = await fetch(responseUrl, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(payload)) },
    body: payload,
  });
  if (!response.ok) {
    throw new Error(
      `CloudFormation response upload failed with HTTP ${response.status}: ${await response.text()}`,
    );
  }
}

const secretsManager = new SecretsManagerClient({});

export async function handler(event: CustomResourceEvent): Promise<void> {
  const body = await processRequest(event, async (secretId, secretString) => {
    await secretsManager.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }));
  });
  // Only the request type, status and reason are logged: the response body never contains the key.
  console.log(JSON.stringify({ requestType: event.RequestType, status: body.Status, reason: body.Reason }));
  await sendResponse(event.ResponseURL, body);
}
