/** The WebSocket API: generated route keys, all routed to one function, with the authorizer on $connect. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WebSocketRoute, WebSocketRouteTable } from '../contract/websocket-routes.js';
import { acknowledgeRule } from '../nag.js';

export interface KatAppWebSocketApiProps {
  /** Route table from generated/websocket: `$connect`, `$disconnect`, `$default` and one route per client action. */
  readonly routeTable: WebSocketRouteTable;
  /** Returns the function for a name in the route table, or undefined if there is none. */
  readonly functionFor: (name: string) => lambda.IFunction | undefined;
  /** REQUEST authorizer run on $connect with the `token` query string parameter as identity source. */
  readonly authorizer: lambda.IFunction;
  /** API name, e.g. `katapp-dev-ws`. */
  readonly apiName: string;
  /** Stage name, e.g. `dev`; the callback URL is `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly stageName: string;
  /** Steady-state messages per second and burst size of the stage. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  /**
   * Removal policy of the access log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Custom domain (`ws.<domain>`) with a certificate in the stack's region.
   * @default - none, the execute-api endpoint only
   */
  readonly customDomain?: { readonly domainName: string; readonly certificate: acm.ICertificate };
}

/** The identity source of the $connect authorizer: browsers cannot set headers on a WebSocket handshake. */
export const CONNECT_IDENTITY_SOURCE = 'route.request.querystring.token';

const REQUIRED_ROUTES = ['$connect', '$disconnect', '$default'];

export class KatAppWebSocketApi extends Construct {
  readonly api: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;
  /** Endpoint of the @connections management API: `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly callbackUrl: string;
  readonly domainName?: apigwv2.DomainName;

  constructor(scope: Construct, id: string, props: KatAppWebSocketApiProps) {
    super(scope, id);
    const routes = props.routeTable.routes;
    validateRoutes(routes);

    // One integration per function, shared by all of its routes.
    const integrations = new Map<string, WebSocketLambdaIntegration>();
    const integrationFor = (route: WebSocketRoute) => {
      let integration = integrations.get(route.function);
      if (!integration) {
        const fn = props.functionFor(route.function);
        if (!fn) {
          throw new Error(
            `KatAppWebSocketApi: route ${route.routeKey} names function "${route.function}", which the app does not define.`,
          );
        }
        integration = new WebSocketLambdaIntegration(`${route.function}Integration`, fn);
        integrations.set(route.function, integration);
      }
      return integration;
    };
    const route = (key: string) => routes.find((candidate) => candidate.routeKey === key) as WebSocketRoute;

    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      apiName: props.apiName,
      routeSelectionExpression: props.routeTable.routeSelectionExpression,
      connectRouteOptions: {
        integration: integrationFor(route('$connect')),
        authorizer: new WebSocketLambdaAuthorizer('Authorizer', props.authorizer, {
          identitySource: [CONNECT_IDENTITY_SOURCE],
        }),
      },
      disconnectRouteOptions: { integration: integrationFor(route('$disconnect')) },
      defaultRouteOptions: { integration: integrationFor(route('$default')) },
    });
    for (const candidate of routes) {
      if (!REQUIRED_ROUTES.includes(candidate.routeKey)) {
        this.api.addRoute(candidate.routeKey, { integration: integrationFor(candidate) });
      }
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.customDomain) {
      this.domainName = new apigwv2.DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: props.customDomain.certificate,
        securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      });
    }
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // No headers and no query string: the query string carries the access token.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: apigateway.AccessLogField.contextRequestId(),
            requestTime: apigateway.AccessLogField.contextRequestTime(),
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            connectionId: '$context.connectionId',
            status: apigateway.AccessLogField.contextStatus(),
            integrationError: '$context.integration.error',
            authorizerError: apigateway.AccessLogField.contextAuthorizerError(),
            sourceIp: apigateway.AccessLogField.contextIdentitySourceIp(),
          }),
        ),
      },
      domainMapping: this.domainName ? { domainName: this.domainName } : undefined,
    });
    this.callbackUrl = this.stage.callbackUrl;

    acknowledgeRule(
      this.api,
      'AwsSolutions-APIG4',
      'API Gateway authorizes WebSocket connections only on $connect; the other routes run on a connection the authorizer already admitted.',
    );
  }
}

function validateRoutes(routes: readonly WebSocketRoute[]): void {
  const routeKeys = routes.map((route) => route.routeKey);
  const missing = REQUIRED_ROUTES.filter((key) => !routeKeys.includes(key));
  if (missing.length > 0) {
    throw new Error(
      `KatAppWebSocketApi: the route table must include ${missing.join(', ')}; got ${routeKeys.join(', ')}.`,
    );
  }
  const duplicates = routeKeys.filter((key, index) => routeKeys.indexOf(key) !== index);
  if (duplicates.length > 0) {
    throw new Error(`KatAppWebSocketApi: duplicated route keys ${duplicates.join(', ')}.`);
  }
  for (const route of routes) {
    const key = route.routeKey;
    if (key.startsWith('$') ? !REQUIRED_ROUTES.includes(key) : !/^[A-Za-z0-9_.:-]{1,128}$/.test(key)) {
      throw new Error(
        `KatAppWebSocketApi: route key "${key}" is not valid; use $connect, $disconnect, $default or an action name of letters, digits, "_", ".", ":" and "-".`,
      );
    }
    if (route.authorizer !== (key === '$connect')) {
      throw new Error(
        `KatAppWebSocketApi: route ${key} has authorizer ${route.authorizer}, but API Gateway runs WebSocket authorizers on $connect only.`,
      );
    }
  }
}
