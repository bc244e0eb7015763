/** Reading the WebSocket route table that `make generate` writes to generated/websocket/index.ts. */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** One route of the WebSocket API. */
export interface WebSocketRoute {
  readonly routeKey: string;
  /** Lambda function group that handles the route. */
  readonly function: string;
  /** True where API Gateway runs the authorizer; it can only do that on `$connect`. */
  readonly authorizer: boolean;
}

export interface WebSocketRouteTable {
  readonly routeSelectionExpression: string;
  readonly routes: readonly WebSocketRoute[];
}

export class WebSocketRoutesError extends Error {
  override readonly name = 'WebSocketRoutesError';
}

/** Imports the generated module at `file` and checks the members the CDK app reads. */
export async function loadWebSocketRouteTable(file: string): Promise<WebSocketRouteTable> {
  if (!existsSync(file)) {
    throw new WebSocketRoutesError(
      `WebSocket route table ${file} does not exist. Run "make generate" to write it from asyncapi/.`,
    );
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (typeof module.routeSelectionExpression !== 'string') {
    throw new WebSocketRoutesError(`${file} does not export a string "routeSelectionExpression".`);
  }
  if (!Array.isArray(module.routes)) {
    throw new WebSocketRoutesError(`${file} does not export a "routes" array.`);
  }
  const routes = module.routes.map((entry: unknown, index: number): WebSocketRoute => {
    const route = entry as Partial<WebSocketRoute>;
    if (
      typeof route.routeKey !== 'string' ||
      typeof route.function !== 'string' ||
      typeof route.authorizer !== 'boolean'
    ) {
      throw new WebSocketRoutesError(
        `${file}: routes[${index}] must have a string routeKey, a string function and a boolean authorizer.`,
      );
    }
    return { routeKey: route.routeKey, function: route.function, authorizer: route.authorizer };
  });
  return { routeSelectionExpression: module.routeSelectionExpression, routes };
}
