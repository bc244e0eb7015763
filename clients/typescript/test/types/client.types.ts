// Type tests, checked by `tsc -p clients/typescript` (make typecheck): each @ts-expect-error line must fail.
import { type KatAppClient, KatAppProblemError } from '../../src/index.js';
import { clientTransport } from '../../src/outbox/index.js';
import { KatAppSocket } from '../../src/ws/index.js';

declare const katapp: KatAppClient;

export async function restTypes(): Promise<void> {
  const { data: triage } = await katapp.GET('/triages/{triageId}', { params: { path: { triageId: 't' } } });
  const category: string = triage.category;
  void category;

  // @ts-expect-error the path parameter triageId is required
  await katapp.GET('/triages/{triageId}');
  // @ts-expect-error the contract has no such path
  await katapp.GET('/unknown');
  // @ts-expect-error login needs the password
  await katapp.POST('/auth/login', { body: { email: 'anna@example.org' } });

  const { data: logout } = await katapp.POST('/auth/logout');
  const empty: undefined = logout;
  void empty;

  const { data: health } = await katapp.GET('/health');
  void health;

  const error = new KatAppProblemError({
    type: 'about:blank',
    title: 'Conflict',
    status: 409,
    code: 'CONFLICT',
  });
  const status: number = error.status;
  void status;
}

export function outboxTypes(): void {
  // A KatApp client is an outbox client without casts.
  clientTransport(katapp);
}

type ServerMessage = { type: 'triage.created'; triageId: string } | { type: 'pong' };

export function socketTypes(): void {
  const socket = new KatAppSocket<ServerMessage>({ url: 'ws://127.0.0.1:1/dev', token: 't' });
  socket.on('triage.created', (message) => {
    const triageId: string = message.triageId;
    void triageId;
  });
  // @ts-expect-error the server sends no such message type
  socket.on('disaster.deleted', () => undefined);
}
