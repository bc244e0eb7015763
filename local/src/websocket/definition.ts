// Reads a WebSocket API (AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET) and its routes from the template.

import { LocalTemplateError } from '../errors.js';
import { functionArnOfUri } from '../rest/definition.js';
import type { LocalStack } from '../template/stack.js';

export interface WebSocketAuthorizer {
  functionArn: string;
  /** Identity sources such as `route.request.querystring.token` or `route.request.header.Authorization`. */
  identitySources: string[];
}

export interface WebSocketRoute {
  routeKey: string;
  functionArn: string;
  authorizer?: WebSocketAuthorizer;
  /** True when a `$default` route response sends the integration's result back to the client. */
  sendsResponse: boolean;
}

export interface WebSocketApiDefinition {
  logicalId: string;
  apiId: string;
  stageName: string;
  routeSelectionExpression: string;
  routes: Map<string, WebSocketRoute>;
}

/** Collects every WebSocket API of the stack with its stage, routes, integrations and authorizer. */
export function loadWebSocketApis(stack: LocalStack): WebSocketApiDefinition[] {
  return stack
    .resourcesOfType('AWS::ApiGatewayV2::Api')
    .filter((api) => api.properties.ProtocolType === 'WEBSOCKET')
    .map((api) => {
      const apiRef = stack.ref(api.logicalId);
      const belongs = (properties: Record<string, unknown>) => properties.ApiId === apiRef;
      const integrations = new Map<unknown, string>();
      for (const integration of stack.resourcesOfType('AWS::ApiGatewayV2::Integration')) {
        if (!belongs(integration.properties)) {
          continue;
        }
        const uri = String(integration.properties.IntegrationUri ?? '');
        const type = String(integration.properties.IntegrationType ?? '');
        if (type !== 'AWS_PROXY') {
          throw new LocalTemplateError(
            `WebSocket integration ${integration.logicalId} has type ${type}; the local runtime runs only AWS_PROXY Lambda integrations.`,
          );
        }
        integrations.set(stack.ref(integration.logicalId), functionArnOfUri(uri) ?? uri);
      }
      const authorizers = new Map<unknown, WebSocketAuthorizer>();
      for (const authorizer of stack.resourcesOfType('AWS::ApiGatewayV2::Authorizer')) {
        if (!belongs(authorizer.properties)) {
          continue;
        }
        const uri = String(authorizer.properties.AuthorizerUri ?? '');
        const sources = authorizer.properties.IdentitySource;
        authorizers.set(stack.ref(authorizer.logicalId), {
          functionArn: functionArnOfUri(uri) ?? uri,
          identitySources: Array.isArray(sources) ? sources.map(String) : String(sources ?? '').split(','),
        });
      }
      const routeResponses = new Set(
        stack
          .resourcesOfType('AWS::ApiGatewayV2::RouteResponse')
          .filter(
            (response) => belongs(response.properties) && response.properties.RouteResponseKey === '$default',
          )
          .map((response) => response.properties.RouteId),
      );
      const routes = new Map<string, WebSocketRoute>();
      for (const route of stack.resourcesOfType('AWS::ApiGatewayV2::Route')) {
        if (!belongs(route.properties)) {
          continue;
        }
        const routeKey = String(route.properties.RouteKey);
        const target = String(route.properties.Target ?? '');
        const integrationId = target.replace(/^integrations\//, '');
        const functionArn = integrations.get(integrationId);
        if (!functionArn) {
          throw new LocalTemplateError(
            `WebSocket route ${routeKey} targets ${target}, which is not a Lambda integration of the same API.`,
          );
        }
        const authorizer =
          route.properties.AuthorizationType === 'CUSTOM'
            ? authorizers.get(route.properties.AuthorizerId)
            : undefined;
        routes.set(routeKey, {
          routeKey,
          functionArn,
          ...(authorizer ? { authorizer } : {}),
          sendsResponse: routeResponses.has(stack.ref(route.logicalId)),
        });
      }
      const stage = stack
        .resourcesOfType('AWS::ApiGatewayV2::Stage')
        .find((candidate) => belongs(candidate.properties));
      return {
        logicalId: api.logicalId,
        apiId: stack.apiId(api.logicalId),
        stageName: String(stage?.properties.StageName ?? '$default'),
        routeSelectionExpression: String(api.properties.RouteSelectionExpression ?? '$request.body.action'),
        routes,
      };
    });
}
