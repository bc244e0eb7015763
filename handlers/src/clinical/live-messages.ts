/**
 * Messages to WebSocket clients through the API Gateway `@connections` API at WEBSOCKET_CALLBACK_URL
 * (`https://{domain}/{stage}`; AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI is not needed because the callback URL
 * is the endpoint).
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';

/** API Gateway's maximum WebSocket message size. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

let client: ApiGatewayManagementApiClient | undefined;
let clientEndpoint: string | undefined;

function callbackUrl(): string {
  const url = process.env.WEBSOCKET_CALLBACK_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'Environment variable WEBSOCKET_CALLBACK_URL is missing; it must hold https://{domain}/{stage} of the WebSocket API.',
    );
  }
  return url;
}

/** Returns the management API client, rebuilt when the callback URL changes (tests switch it per file). */
function managementApi(): ApiGatewayManagementApiClient {
  const endpoint = callbackUrl();
  if (client === undefined || clientEndpoint !== endpoint) {
    client?.destroy();
    client = new ApiGatewayManagementApiClient({ endpoint });
    clientEndpoint = endpoint;
  }
  return client;
}

export type PostResult = 'sent' | 'gone';

/**
 * Sends one JSON message to a connection. Returns `gone` when API Gateway responds with 410 (the connection no longer
 * exists; the caller deletes it); other failures are thrown.
 */
export async function postToConnection(connectionId: string, message: unknown): Promise<PostResult> {
  const data = Buffer.from(JSON.stringify(message), 'utf8');
  if (data.byteLength > MAX_MESSAGE_BYTES) {
    throw new Error(
      `Message for connection ${connectionId} has ${data.byteLength} bytes; API Gateway accepts at most ${MAX_MESSAGE_BYTES}.`,
    );
  }
  try {
    await managementApi().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    return 'sent';
  } catch (error) {
    if (error instanceof GoneException) return 'gone';
    throw error;
  }
}
