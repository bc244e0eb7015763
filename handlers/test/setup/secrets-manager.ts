/**
 * A minimal Secrets Manager endpoint for tests: an HTTP server on 127.0.0.1 that answers the GetSecretValue
 * call of the AWS JSON 1.1 protocol. It stands in for AWS Secrets Manager, which cannot run here; the handlers
 * reach it through the standard AWS_ENDPOINT_URL_SECRETS_MANAGER variable, as they reach AWS in production.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface SecretsManagerStandIn {
  readonly endpoint: string;
  /** ARN of the signing-key secret, also set as SIGNING_KEY_SECRET_ARN. */
  readonly signingKeySecretArn: string;
  /** The private JWK stored in the secret. */
  readonly signingKey: JWK;
  /** Number of GetSecretValue calls served so far. */
  readonly calls: () => number;
  stop(): Promise<void>;
}

/** Returns a fresh ES256 private JWK with a random key id. */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

function sendJson(
  response: import('node:http').ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
) {
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    ...(errorType === undefined ? {} : { 'x-amzn-ErrorType': errorType }),
  });
  response.end(JSON.stringify(body));
}

/**
 * Starts the stand-in with one secret holding a new ES256 private JWK, and points the AWS SDK and the handlers
 * at it through AWS_ENDPOINT_URL_SECRETS_MANAGER and SIGNING_KEY_SECRET_ARN.
 */
export async function startSecretsManager(): Promise<SecretsManagerStandIn> {
  const signingKey = await generateSigningJwk();
  const signingKeySecretArn = `arn:aws:secretsmanager:eu-central-1:000000000000:secret:katapp-test-signing-key-${randomUUID().slice(0, 6)}`;
  const secrets = new Map<string, string>([[signingKeySecretArn, JSON.stringify(signingKey)]]);
  let calls = 0;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        sendJson(
          response,
          400,
          { __type: 'UnknownOperationException', message: `Unsupported ${String(target)}` },
          'UnknownOperationException',
        );
        return;
      }
      calls++;
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: string };
      const secret = input.SecretId === undefined ? undefined : secrets.get(input.SecretId);
      if (secret === undefined) {
        sendJson(
          response,
          400,
          {
            __type: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret.",
          },
          'ResourceNotFoundException',
        );
        return;
      }
      sendJson(response, 200, {
        ARN: input.SecretId,
        Name: input.SecretId?.split(':').at(-1),
        SecretString: secret,
        VersionId: '00000000-0000-4000-8000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint;
  process.env.SIGNING_KEY_SECRET_ARN = signingKeySecretArn;

  return {
    endpoint,
    signingKeySecretArn,
    signingKey,
    calls: () => calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
