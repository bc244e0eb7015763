// A minimal AWS Secrets Manager endpoint (JSON 1.1 protocol) for the template's AWS::SecretsManager::Secret
// resources: GetSecretValue, PutSecretValue and DescribeSecret, persisted in one JSON file.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';

export interface StoredSecret {
  arn: string;
  name: string;
  versionId: string;
  secretString: string;
  createdDate: number;
}

/** Secrets by ARN, kept in `file` (or only in memory when `file` is undefined). */
export class SecretStore {
  private secrets: Record<string, StoredSecret>;

  constructor(private readonly file: string | undefined) {
    this.secrets =
      file !== undefined && existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredSecret>)
        : {};
  }

  /** Finds a secret by ARN, name, or ARN without the random suffix. */
  find(secretId: string): StoredSecret | undefined {
    return Object.values(this.secrets).find(
      (secret) =>
        secret.arn === secretId || secret.name === secretId || secret.arn.startsWith(`${secretId}-`),
    );
  }

  has(arn: string): boolean {
    return arn in this.secrets;
  }

  /** Declares a secret; an existing one keeps its value. */
  declare(arn: string, name: string, initialValue: () => string): void {
    if (this.secrets[arn]) {
      return;
    }
    this.put(arn, name, initialValue());
  }

  put(arn: string, name: string, secretString: string): StoredSecret {
    const secret: StoredSecret = {
      arn,
      name,
      versionId: randomUUID(),
      secretString,
      createdDate: Date.now() / 1000,
    };
    this.secrets[arn] = secret;
    this.save();
    return secret;
  }

  private save(): void {
    if (this.file === undefined) {
      return;
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.secrets, null, 2), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

/** Serves the Secrets Manager JSON protocol on 127.0.0.1. Signatures are not checked. */
export class SecretsManagerServer {
  private server: Server | undefined;

  constructor(
    readonly store: SecretStore,
    private readonly logger: Logger,
  ) {}

  async start(port: number): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.logger.log('error', `Secrets Manager endpoint failed: ${String(error)}`);
        reply(response, 500, { __type: 'InternalServiceError', message: 'Internal error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^secretsmanager\./, '');
    let input: { SecretId?: string; SecretString?: string };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      reply(response, 400, {
        __type: 'SerializationException',
        message: 'The request body is not valid JSON.',
      });
      return;
    }
    const secret = input.SecretId ? this.store.find(input.SecretId) : undefined;
    if (!['GetSecretValue', 'PutSecretValue', 'DescribeSecret'].includes(operation)) {
      reply(response, 400, {
        __type: 'UnknownOperationException',
        message: `The local Secrets Manager supports GetSecretValue, PutSecretValue and DescribeSecret, not ${operation || '(no X-Amz-Target)'}.`,
      });
      return;
    }
    if (!secret) {
      reply(response, 400, {
        __type: 'ResourceNotFoundException',
        message: `Secrets Manager can't find the specified secret: ${input.SecretId ?? '(no SecretId)'}.`,
      });
      return;
    }
    switch (operation) {
      case 'GetSecretValue':
        reply(response, 200, {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          SecretString: secret.secretString,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdDate,
        });
        return;
      case 'PutSecretValue': {
        if (typeof input.SecretString !== 'string') {
          reply(response, 400, { __type: 'InvalidParameterException', message: 'SecretString is required.' });
          return;
        }
        const updated = this.store.put(secret.arn, secret.name, input.SecretString);
        reply(response, 200, {
          ARN: updated.arn,
          Name: updated.name,
          VersionId: updated.versionId,
          VersionStages: ['AWSCURRENT'],
        });
        return;
      }
      default:
        reply(response, 200, { ARN: secret.arn, Name: secret.name, CreatedDate: secret.createdDate });
    }
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}
