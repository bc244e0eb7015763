// Type test over the real contract's generated code: route table, handler signatures and read/write views.

import type {
  FunctionOperations,
  OperationHandler,
  OperationHandlers,
  OperationId,
  OperationRequest,
  Right,
} from '../../../../generated/operations/index.js';
import { collectParameters, rights, routes } from '../../../../generated/operations/index.js';
import type { components } from '../../../../generated/types/openapi.js';
import { messages as clientMessages } from '../../../../generated/validators/client-messages.js';
import { operations as triageValidators } from '../../../../generated/validators/functions/triages.js';
import type { ValidateFunction } from '../../../../generated/validators/index.js';
import { operations, schemas } from '../../../../generated/validators/index.js';
import type { ClientMessage, ServerMessage } from '../../../../generated/websocket/index.js';

export const health: OperationHandler<'getHealth', { requestId: string }> = async () => ({
  status: 200,
  body: { status: 'ok', version: '1.0.0', time: '2025-06-14T09:42:17Z' },
});

// @ts-expect-error the declared health response has a `status` of "ok" only
export const wrongHealth: OperationHandler<'getHealth', unknown> = async () => ({
  status: 200,
  body: { status: 'down' },
});

// A function module implements exactly its tag's operations.
export type TriageHandlers = Pick<OperationHandlers<unknown>, FunctionOperations['triages']>;
export const uploadIsATriageOperation: FunctionOperations['triages'] = 'uploadTriage';
// @ts-expect-error login belongs to the auth function
export const loginIsNotATriageOperation: FunctionOperations['triages'] = 'login';

// @ts-expect-error unknown operation ids do not compile
export const unknownOperation: OperationId = 'notAnOperation';

export const right: Right = 'ActionCreateTriage';
// @ts-expect-error rights come from the Right enum
export const unknownRight: Right = 'ActionFlyToTheMoon';
export const allRights: readonly Right[] = rights;
export const firstRoute: (typeof routes)[number]['operationId'] = routes[0].operationId;

// The upload body is the write view: the server sets receivedAt, so a request cannot carry it.
type UploadBody = OperationRequest<'uploadTriage'>['body'];
export type UploadHasNoReceivedAt = 'receivedAt' extends keyof UploadBody ? never : true;
export const uploadHasNoReceivedAt: UploadHasNoReceivedAt = true;
export type TriageHasReceivedAt = 'receivedAt' extends keyof components['schemas']['Triage'] ? true : never;
export const triageHasReceivedAt: TriageHasReceivedAt = true;

export const bodyValidator: ValidateFunction | undefined = operations.uploadTriage.body;
export const triageValidator: ValidateFunction = schemas.Triage;

// A function's validator module is keyed by exactly that function's operations and has no response validators.
export const triageOperationIds: readonly FunctionOperations['triages'][] = Object.keys(
  triageValidators,
) as never;
export const uploadBodyValidator: ValidateFunction | undefined = triageValidators.uploadTriage.body;
// @ts-expect-error login belongs to the auth function's validator module
export const loginNotInTriages = triageValidators.login;
// @ts-expect-error function modules contain request validators only
export const noResponses = triageValidators.uploadTriage.responses;
export const subscribeValidator: ValidateFunction = clientMessages.subscribe;
// @ts-expect-error the server sends pong; clients never do
export const pongNotAClientMessage = clientMessages.pong;
export const collected = collectParameters('getTriage', { pathParameters: { triageId: 'x' } });

export const ping: ClientMessage = { action: 'ping' };
export type ServerTypes = ServerMessage['type'];
