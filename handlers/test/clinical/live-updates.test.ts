/**
 * Live updates end to end: WebSocket routes through the real authorizer, a triage upload, the Data table's
 * stream read from DynamoDB Local, and the broadcaster posting to a small `@connections` HTTP server on
 * 127.0.0.1. That server replaces API Gateway, which cannot run here: it responds with 200 for live connection
 * ids and 410 with `x-amzn-errortype: GoneException` for stale ones, as API Gateway documents.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { APIGatewayRequestAuthorizerEvent, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageName } from '../../../generated/validators/index.js';
import { messages as messageValidators } from '../../../generated/validators/index.js';
import { getConnection, listSubscribers } from '../../src/data/connections.js';
import { createAuthorizer } from '../../src/functions/authorizer.js';
import { handler as broadcast, toLiveEvent } from '../../src/functions/broadcaster.js';
import { type WebSocketEvent, handler as websocket } from '../../src/functions/websocket.js';
import { TestGateway, testAccount } from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';
import {
  call,
  createDisaster,
  type Disaster,
  newCardCode,
  roleTokens,
  triageBody,
  upload,
} from './support.js';

type Message = Record<string, unknown> & { type: string };

/** The `@connections` stand-in: records posted messages per connection id. */
class ConnectionsServer {
  readonly live = new Set<string>();
  readonly received = new Map<string, Message[]>();
  readonly goneAnswers: string[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const match = /^\/dev\/@connections\/([^/?]+)$/.exec(request.url ?? '');
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (match?.[1] === undefined || request.method !== 'POST') {
          response.writeHead(404).end();
          return;
        }
        const connectionId = decodeURIComponent(match[1]);
        if (!this.live.has(connectionId)) {
          this.goneAnswers.push(connectionId);
          response.writeHead(410, {
            'x-amzn-errortype': 'GoneException',
            'content-type': 'application/json',
          });
          response.end(JSON.stringify({ message: 'Gone' }));
          return;
        }
        const list = this.received.get(connectionId) ?? [];
        list.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Message);
        this.received.set(connectionId, list);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/dev`;
  }

  /** Returns and clears the messages a connection received. */
  take(connectionId: string): Message[] {
    const list = this.received.get(connectionId) ?? [];
    this.received.delete(connectionId);
    return list;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Reads the Data table's stream from DynamoDB Local, continuing where the previous read stopped. */
class StreamReader {
  private readonly client = new DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
  private readonly iterators = new Map<string, string>();

  constructor(private readonly streamArn: string) {}

  async read(): Promise<StreamRecord[]> {
    const { StreamDescription } = await this.client.send(
      new DescribeStreamCommand({ StreamArn: this.streamArn }),
    );
    const records: StreamRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId ?? '';
      let iterator = this.iterators.get(shardId);
      if (iterator === undefined) {
        const started = await this.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        iterator = started.ShardIterator;
      }
      // Reads until a page comes back empty; DynamoDB Local returns what is written at the time of the call.
      while (iterator !== undefined) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        records.push(...(page.Records ?? []));
        if (page.NextShardIterator !== undefined) this.iterators.set(shardId, page.NextShardIterator);
        iterator = (page.Records ?? []).length === 0 ? undefined : page.NextShardIterator;
      }
    }
    return records;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** Repeats the broadcaster's reading steps for failed records, so a failure names its cause. */
async function describeFailures(
  records: StreamRecord[],
  failures: { itemIdentifier: string }[],
): Promise<string> {
  const reasons: string[] = [];
  for (const failure of failures) {
    const record = records.find((candidate) => candidate.dynamodb?.SequenceNumber === failure.itemIdentifier);
    try {
      const event = toLiveEvent(record as unknown as DynamoDBRecord);
      if (event !== undefined) await listSubscribers(event.tenantId, event.disasterId, new Date());
      reasons.push(`${failure.itemIdentifier}: no error on a second attempt`);
    } catch (error) {
      reasons.push(
        `${failure.itemIdentifier}: ${(error as Error).stack} in ${JSON.stringify(record).slice(0, 2000)}`,
      );
    }
  }
  return reasons.join('\n');
}

function expectValidMessage(message: Message): void {
  const validate = messageValidators[message.type as MessageName];
  expect(validate, `no validator for message type ${message.type}`).toBeDefined();
  expect(validate(message), `${message.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe('live updates', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  const connections = new ConnectionsServer();
  const authorize = createAuthorizer();
  let stream: StreamReader;
  let tenantId: string;
  let disaster: Disaster;
  let physicianToken: string;
  const identityViewer = 'IdentityViewer1=';
  const dashboardViewer = 'DashboardView1=';
  const staleViewer = 'StaleViewer001=';

  /** Runs $connect the way API Gateway does: the authorizer first, then the route with its context. */
  async function connect(connectionId: string, token: string): Promise<number> {
    const authorizerEvent = {
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-central-1:${testAccount}:wsapi01/dev/$connect`,
      headers: {},
      queryStringParameters: { token },
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId },
    } as unknown as APIGatewayRequestAuthorizerEvent;
    const policy = await authorize(authorizerEvent);
    const result = await websocket({
      requestContext: {
        routeKey: '$connect',
        connectionId,
        connectedAt: Date.now(),
        requestId: randomUUID(),
        authorizer: { ...policy.context, principalId: policy.principalId },
      },
    });
    return result.statusCode;
  }

  async function send(connectionId: string, routeKey: string, body: unknown): Promise<Message> {
    const event: WebSocketEvent = {
      requestContext: { routeKey, connectionId, requestId: randomUUID() },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    };
    expect((await websocket(event)).statusCode).toBe(200);
    const replies = connections.take(connectionId);
    expect(replies).toHaveLength(1);
    const reply = replies[0] as Message;
    expectValidMessage(reply);
    return reply;
  }

  /** Feeds every new stream record to the broadcaster, as the event source mapping would. */
  async function broadcastNewRecords(): Promise<void> {
    const records = await stream.read();
    expect(records.length).toBeGreaterThan(0);
    const result = await broadcast({ Records: records as unknown as DynamoDBRecord[] });
    expect(result.batchItemFailures, await describeFailures(records, result.batchItemFailures)).toEqual([]);
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    tenantId = demoOf(platform.seed).tenantId;
    const tokens = await roleTokens(tenantId);
    physicianToken = tokens.physician;
    disaster = await createDisaster(gateway, tokens.commandStaff, { name: 'Live drill' });
    process.env.WEBSOCKET_CALLBACK_URL = await connections.start();
    stream = new StreamReader(platform.tables.dataStreamArn);
    await stream.read();

    connections.live.add(identityViewer);
    connections.live.add(dashboardViewer);
    connections.live.add(staleViewer);
    expect(await connect(identityViewer, tokens.commandStaff)).toBe(200);
    expect(await connect(dashboardViewer, tokens.dashboard)).toBe(200);
    expect(await connect(staleViewer, tokens.dashboard)).toBe(200);
  });

  afterAll(async () => {
    stream.destroy();
    await connections.stop();
    await platform.stop();
  });

  it('rejects a token without the WebSocket right', async () => {
    const medic = await accessTokenFor({ tenantId, roles: ['DeviceUser'] });
    const policy = await authorize({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-central-1:${testAccount}:wsapi01/dev/$connect`,
      headers: {},
      queryStringParameters: { token: medic },
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId: 'NoRight000001=' },
    } as unknown as APIGatewayRequestAuthorizerEvent);
    expect(policy.policyDocument.Statement.every((statement) => statement.Effect !== 'Allow')).toBe(true);
    const routeResult = await websocket({
      requestContext: {
        routeKey: '$connect',
        connectionId: 'NoRight000001=',
        authorizer: { ...policy.context, principalId: policy.principalId },
      },
    });
    expect(routeResult.statusCode).toBe(403);
    expect(await getConnection('NoRight000001=', new Date())).toBeUndefined();
  });

  it('acknowledges subscriptions', async () => {
    for (const connectionId of [identityViewer, dashboardViewer, staleViewer]) {
      const ack = await send(connectionId, 'subscribe', {
        action: 'subscribe',
        disasterId: disaster.id,
        requestId: 'r-1',
      });
      expect(ack).toEqual({ type: 'ack', action: 'subscribe', requestId: 'r-1', disasterId: disaster.id });
    }
    const again = await send(dashboardViewer, 'subscribe', { action: 'subscribe', disasterId: disaster.id });
    expect(again.type).toBe('ack');
    const subscribers = await listSubscribers(tenantId, disaster.id, new Date());
    expect(subscribers.map((subscriber) => subscriber.connectionId).sort()).toEqual(
      [dashboardViewer, identityViewer, staleViewer].sort(),
    );
  });

  it('rejects a disaster of another tenant', async () => {
    const otherToken = await accessTokenFor({ tenantId: randomUUID(), roles: ['CommandStaff'] });
    const otherDisaster = await createDisaster(gateway, otherToken, { name: 'Other tenant drill' });
    const reply = await send(identityViewer, 'subscribe', {
      action: 'subscribe',
      disasterId: otherDisaster.id,
      requestId: 'r-2',
    });
    expect(reply).toMatchObject({ type: 'error', code: 'NOT_FOUND', requestId: 'r-2' });
  });

  it('answers malformed messages with errors', async () => {
    const notJson = await send(identityViewer, '$default', 'hello');
    expect(notJson).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED', requestId: null });
    const unknown = await send(identityViewer, '$default', { action: 'subscibe', requestId: 'r-3' });
    expect(unknown).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED', requestId: 'r-3' });
    expect(unknown.detail).toContain('subscibe');
    const invalid = await send(identityViewer, 'subscribe', {
      action: 'subscribe',
      disasterId: 'not-a-uuid',
    });
    expect(invalid).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
  });

  it('answers ping with pong', async () => {
    const pong = await send(dashboardViewer, 'ping', { action: 'ping', requestId: 'r-4' });
    expect(pong).toMatchObject({ type: 'pong', requestId: 'r-4' });
  });

  it('reports the first unreadable record and posts only earlier ones', async () => {
    const { result } = await upload(gateway, physicianToken, triageBody(disaster.id, newCardCode()));
    expect(result.status).toBe(201);
    const records = (await stream.read()) as unknown as DynamoDBRecord[];
    const live = records.filter((record) => {
      const event = toLiveEvent(record);
      return event?.disasterId === disaster.id && event.type !== 'disaster.changed';
    });
    expect(live).toHaveLength(2);
    const [first, second] = live as [DynamoDBRecord, DynamoDBRecord];
    // An attribute of an unknown type cannot be unmarshalled, so reading this record fails.
    const broken = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: 'unreadable-1', NewImage: { type: { S: 'Triage' }, id: { X: '1' } } },
    } as unknown as DynamoDBRecord;
    connections.take(dashboardViewer);

    const response = await broadcast({ Records: [first, broken, second] });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'unreadable-1' }]);
    const received = connections.take(dashboardViewer);
    expect(received.map((message) => message.type)).toEqual([toLiveEvent(first)?.type]);
    // The other connections got the same message; the following tests start from empty queues.
    connections.take(identityViewer);
    connections.take(staleViewer);
  });

  it('pushes a triage and its patient, and removes a stale connection', async () => {
    // The stale viewer's socket closed without $disconnect, so API Gateway now responds with 410 for it.
    connections.live.delete(staleViewer);
    const cardCode = newCardCode();
    const body = triageBody(disaster.id, cardCode, { identity: { firstName: 'Jonas', lastName: 'Becker' } });
    const { triageId, result } = await upload(gateway, physicianToken, body);
    expect(result.status).toBe(201);

    await broadcastNewRecords();

    for (const [connectionId, withIdentity] of [
      [identityViewer, true],
      [dashboardViewer, false],
    ] as const) {
      const received = connections.take(connectionId);
      for (const message of received) expectValidMessage(message);
      const triageEvent = received.find((message) => message.type === 'triage.created');
      expect(triageEvent, connectionId).toBeDefined();
      expect(triageEvent).toMatchObject({ disasterId: disaster.id, triage: { id: triageId, cardCode } });
      const patientEvent = received.find((message) => message.type === 'patient.changed');
      expect(patientEvent).toMatchObject({
        disasterId: disaster.id,
        patient: { cardCode, currentTriageId: triageId },
      });
      const raw = JSON.stringify(received);
      if (withIdentity) expect(raw).toContain('Becker');
      else expect(raw).not.toContain('Becker');
    }

    expect(connections.goneAnswers).toContain(staleViewer);
    expect(await getConnection(staleViewer, new Date())).toBeUndefined();
    const subscribers = await listSubscribers(tenantId, disaster.id, new Date());
    expect(subscribers.map((subscriber) => subscriber.connectionId)).not.toContain(staleViewer);
  });

  it('pushes a confirmation as a new triage event', async () => {
    const { triageId } = await upload(
      gateway,
      physicianToken,
      triageBody(disaster.id, newCardCode(), { category: 'dead', decidingCriterion: 'signs-of-death' }),
    );
    await broadcastNewRecords();
    connections.take(identityViewer);
    connections.take(dashboardViewer);

    const confirmed = await call(gateway, 'confirmTriage', {
      token: physicianToken,
      path: { triageId },
      body: {},
    });
    expect(confirmed.status).toBe(200);
    await broadcastNewRecords();
    const received = connections.take(dashboardViewer);
    const triageEvent = received.find((message) => message.type === 'triage.created');
    expect(triageEvent).toMatchObject({ triage: { id: triageId, status: 'final' } });
    const patientEvent = received.find((message) => message.type === 'patient.changed');
    expect(patientEvent).toMatchObject({ patient: { pendingConfirmation: false } });
  });

  it('stops events after unsubscribe and pushes closure', async () => {
    const ack = await send(dashboardViewer, 'unsubscribe', {
      action: 'unsubscribe',
      disasterId: disaster.id,
    });
    expect(ack).toMatchObject({ type: 'ack', action: 'unsubscribe' });

    const commandStaff = await accessTokenFor({ tenantId, roles: ['CommandStaff'] });
    await call(gateway, 'closeDisaster', { token: commandStaff, path: { disasterId: disaster.id } });
    await broadcastNewRecords();

    expect(connections.take(dashboardViewer)).toEqual([]);
    const received = connections.take(identityViewer);
    for (const message of received) expectValidMessage(message);
    expect(received).toContainEqual(
      expect.objectContaining({
        type: 'disaster.changed',
        disaster: expect.objectContaining({ status: 'closed' }),
      }),
    );
  });

  it('removes the connection on $disconnect', async () => {
    await websocket({ requestContext: { routeKey: '$disconnect', connectionId: identityViewer } });
    expect(await getConnection(identityViewer, new Date())).toBeUndefined();
    expect(
      (await listSubscribers(tenantId, disaster.id, new Date())).map((subscriber) => subscriber.connectionId),
    ).toEqual([]);
  });
});
