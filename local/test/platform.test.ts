// Platform-level behaviour on the fixture stack: tables, secrets and custom resources, stream mappings,
// persistence across restarts, and the static sites.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixturePlatform, startFixturePlatform } from './support/fixture-platform.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const dataDir = mkdtempSync(join(tmpdir(), 'katapp-local-platform-'));
const siteDir = mkdtempSync(join(tmpdir(), 'katapp-local-site-'));
let platform: FixturePlatform;

beforeAll(async () => {
  mkdirSync(join(siteDir, 'assets'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(siteDir, 'assets', 'app.js'), 'console.log(1);');
  platform = await startFixturePlatform({
    dataDir,
    sites: true,
    siteRoots: { dashboard: siteDir, apiDocs: join(siteDir, 'missing') },
  });
});

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(siteDir, { recursive: true, force: true });
});

const dynamodb = () =>
  new DynamoDBClient({ endpoint: platform.urls.dynamodb, region: 'eu-central-1', credentials });

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('Condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('resources from the template', () => {
  it('table has keys, index, stream and TTL', async () => {
    const client = dynamodb();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Fixture-DataTable' }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'Fixture-DataTable' }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    client.destroy();
  });

  it('custom resource wrote the secret', async () => {
    const client = new SecretsManagerClient({
      endpoint: platform.urls.secretsManager,
      region: 'eu-central-1',
      credentials,
    });
    const secret = await client.send(new GetSecretValueCommand({ SecretId: 'fixture/signing-key' }));
    expect(secret.SecretString).toBe('generated-by-custom-resource');
    client.destroy();
  });

  it('custom resource attribute reaches the environment', () => {
    const echo = platform.functions.get('EchoFunction').definition;
    expect(echo.environment.SIGNING_KEY_SECRET_ARN).toBe(
      'arn:aws:secretsmanager:eu-central-1:000000000000:secret:fixture/signing-key-local',
    );
    expect(echo.environment.AWS_ENDPOINT_URL_DYNAMODB).toBe(platform.urls.dynamodb);
  });

  it('callback URL points at the local @connections API', () => {
    const websocket = platform.functions.get('WebSocketFunction').definition;
    expect(websocket.environment.WEBSOCKET_CALLBACK_URL).toBe(platform.urls.connections);
  });
});

describe('stream mapping', () => {
  it('delivers inserts and retries a reported failure', async () => {
    const client = dynamodb();
    await client.send(
      new PutItemCommand({
        TableName: 'Fixture-DataTable',
        Item: {
          pk: { S: 'stream' },
          sk: { S: '1' },
          fail: { S: 'once' },
          details: { M: {} },
          nested: { L: [{ M: { inner: { M: {} } } }] },
        },
      }),
    );
    const deliveries = await waitFor(() => {
      const found = platform
        .printed('Stream')
        .flatMap(
          (line) =>
            line.stream as Array<{
              keys: { sk: { S: string } };
              image: Record<string, unknown>;
              eventName: string;
              source: string;
            }>,
        )
        .filter((record) => record.keys.sk.S === '1');
      return found.length >= 2 ? found : undefined;
    });
    expect(deliveries[0]?.eventName).toBe('INSERT');
    expect(deliveries[0]?.source).toBe('aws:dynamodb');
    expect(deliveries[0]?.image.details).toEqual({ M: {} });
    expect(deliveries[0]?.image.nested).toEqual({ L: [{ M: { inner: { M: {} } } }] });
    client.destroy();
  });
});

describe('sites', () => {
  it('serves files with the policy headers', async () => {
    const response = await fetch(`${platform.urls.dashboard}/assets/app.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'");
  });

  it('falls back to index.html for app routes', async () => {
    const response = await fetch(`${platform.urls.dashboard}/disasters/123`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>dashboard</title>');
  });

  it('names the make target of a missing build', async () => {
    const response = await fetch(`${platform.urls.apiDocs}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('make docs');
  });
});

describe('restart', () => {
  it('keeps every record and the secret', async () => {
    const client = dynamodb();
    await client.send(
      new PutItemCommand({ TableName: 'Fixture-DataTable', Item: { pk: { S: 'kept' }, sk: { S: 'item' } } }),
    );
    client.destroy();
    await platform.stop();
    const functionLines: string[] = [];
    platform = await startFixturePlatform({
      dataDir,
      functionOutput: (name, line) => functionLines.push(`[${name}] ${line}`),
    });
    const again = dynamodb();
    const item = await again.send(
      new GetItemCommand({ TableName: 'Fixture-DataTable', Key: { pk: { S: 'kept' }, sk: { S: 'item' } } }),
    );
    expect(item.Item?.pk?.S).toBe('kept');
    again.destroy();
    expect(functionLines.filter((line) => line.startsWith('[Keygen]'))).toEqual([]);
    const secrets = new SecretsManagerClient({
      endpoint: platform.urls.secretsManager,
      region: 'eu-central-1',
      credentials,
    });
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'fixture/signing-key' }));
    expect(secret.SecretString).toBe('generated-by-custom-resource');
    secrets.destroy();
  });
});
