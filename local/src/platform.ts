// startPlatform: boots a synthesized stack on one machine (DynamoDB Local, s3rver, Secrets Manager,
// Lambda runners, REST and WebSocket gateways, stream mappings, static sites) and stops it again.

import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalServiceError } from './errors.js';
import {
  loadCustomResourceResults,
  pendingCustomResources,
  runCustomResources,
} from './lambda/custom-resources.js';
import { functionDefinitions, type LocalEndpoints } from './lambda/functions.js';
import { InvokePermissions } from './lambda/permissions.js';
import { FunctionRegistry } from './lambda/registry.js';
import type { FunctionOutput } from './lambda/runtime.js';
import { StreamPoller } from './lambda/streams.js';
import { consoleLogger, type Logger, type LogLevel } from './log.js';
import { loadRestApis } from './rest/definition.js';
import { RestGateway } from './rest/server.js';
import { type DemoData, seedDemoData } from './seed.js';
import { type DynamoDbLocal, ensureTables, startDynamoDbLocal } from './services/dynamodb.js';
import { type LocalS3, startS3 } from './services/s3.js';
import { initialSecretString } from './services/secret-values.js';
import { SecretStore, SecretsManagerServer } from './services/secrets.js';
import { distributionBehaviours, type SiteBehaviour, SiteServer } from './sites/server.js';
import { LocalStack } from './template/stack.js';
import { HandlerWatcher } from './watch.js';
import { loadWebSocketApis } from './websocket/definition.js';
import { WebSocketGateway } from './websocket/server.js';

/** The repository root (this file is local/src/platform.ts). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface Ports {
  rest: number;
  websocket: number;
  dashboard: number;
  apiDocs: number;
  docs: number;
  secretsManager: number;
  s3: number;
  dynamodb: number;
}

/** The fixed ports of `make up`; tests pass `ports: 0` to get free ports instead. */
export const DEFAULT_PORTS: Ports = {
  rest: 3000,
  websocket: 3001,
  dashboard: 3002,
  apiDocs: 3003,
  docs: 3004,
  secretsManager: 3005,
  s3: 4569,
  dynamodb: 8000,
};

export interface PlatformOptions {
  /** 0 picks a free port for every service; a partial object overrides single ports. Default: DEFAULT_PORTS. */
  ports?: 0 | Partial<Ports>;
  /** Folder for tables, objects, secrets and stream positions. Default: `.katapp` at the repository root. */
  dataDir?: string;
  /** Deletes `dataDir` before starting. Default: false. */
  fresh?: boolean;
  /** Folder of the synthesized app. Default: infra/cdk.out. */
  cdkOutDir?: string;
  /** Default: KatApp-dev. */
  stackName?: string;
  /** Default: readable lines on stderr. */
  logger?: Logger;
  /** Receives the functions' own log lines. Default: the platform log, structured lines below WARN at debug level. */
  functionOutput?: FunctionOutput;
  /** Seeds the demo tenant, users and device. Default: true. */
  seed?: boolean;
  /**
   * Rebuilds and reloads functions when handlers/src changes (`make -s synth`). An object sets another
   * folder and rebuild command. Default: false.
   */
  watch?: boolean | { dir: string; rebuildCommand: string[] };
  /** Serves the dashboard and the two documentation sites. Default: true. */
  sites?: boolean;
  /** Replaces the build folder of a site (dashboard/dist, site/dist/api, site/dist/docs). */
  siteRoots?: Partial<Record<'dashboard' | 'apiDocs' | 'docs', string>>;
  /** WebSocket idle timeout and maximum connection duration; default 10 minutes and 2 hours. */
  websocket?: { idleTimeoutMs?: number; maxDurationMs?: number };
  /** Overrides every REST integration timeout (default: the definition's, else 29 s). */
  integrationTimeoutMs?: number;
}

export interface PlatformUrls {
  rest: string;
  websocket: string;
  /** Base URL of the @connections management API (the functions' WEBSOCKET_CALLBACK_URL). */
  connections: string;
  dashboard?: string;
  apiDocs?: string;
  docs?: string;
  dynamodb: string;
  s3: string;
  secretsManager: string;
}

export interface Platform {
  urls: PlatformUrls;
  stack: LocalStack;
  functions: FunctionRegistry;
  demo: DemoData | undefined;
  dataDir: string;
  /** Milliseconds from the call to the platform being ready. */
  startupMs: number;
  /**
   * Stops the WebSocket gateway and starts it again on the same port, as a redeployment or an outage of
   * the endpoint would: open connections drop, and their records stay until @connections returns 410 for them.
   */
  restartWebSocket(): Promise<void>;
  stop(): Promise<void>;
}

/** Sites the infra deploys, with their build folder and the words that name their distribution. */
const SITES = [
  { key: 'dashboard', folder: 'dashboard/dist', target: 'dashboard', words: ['dashboard'], spa: true },
  {
    key: 'apiDocs',
    folder: 'site/dist/api',
    target: 'docs',
    words: ['apidoc', 'apidocs', 'api'],
    spa: false,
  },
  {
    key: 'docs',
    folder: 'site/dist/docs',
    target: 'docs',
    words: ['userdocs', 'docs', 'documentation'],
    spa: false,
  },
] as const;

/** Starts the platform. On any failure everything started so far is stopped again. */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const started = performance.now();
  const logger = options.logger ?? consoleLogger();
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.katapp'));
  if (options.fresh) {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const customResourceFile = join(dataDir, 'custom-resources.json');
  const loadStack = () => {
    const loaded = new LocalStack({
      cdkOutDir: options.cdkOutDir ?? join(REPO_ROOT, 'infra', 'cdk.out'),
      stackName: options.stackName ?? 'KatApp-dev',
    });
    return { stack: loaded, customResults: loadCustomResourceResults(loaded, customResourceFile) };
  };
  const { stack, customResults } = loadStack();
  const ports = await resolvePorts(options.ports);
  const stoppers: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) {
      try {
        await stopOne();
      } catch (error) {
        logger.log('warn', `Stopping a service failed: ${String(error)}`);
      }
    }
    stoppers.length = 0;
  };

  try {
    const secretStore = new SecretStore(join(dataDir, 'secrets.json'));
    const secrets = new SecretsManagerServer(secretStore, logger);
    const [dynamodb, s3, secretsUrl] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb, dataDir: join(dataDir, 'dynamodb'), logger }),
      startS3({ stack, port: ports.s3, directory: join(dataDir, 's3'), logger }),
      secrets.start(ports.secretsManager),
    ]);
    stoppers.push(
      () => (dynamodb as DynamoDbLocal).stop(),
      () => (s3 as LocalS3).stop(),
      () => secrets.stop(),
    );
    await ensureTables(stack, dynamodb.client, logger);

    const webSocketApis = loadWebSocketApis(stack);
    const restApis = loadRestApis(stack);
    const [webSocketApi] = webSocketApis;
    const [restApi] = restApis;
    if (webSocketApis.length > 1 || restApis.length > 1) {
      logger.log(
        'warn',
        'The stack has more than one REST or WebSocket API; only the first of each is served locally.',
      );
    }
    const restUrl = `http://127.0.0.1:${ports.rest}`;
    const connectionsUrl = `http://127.0.0.1:${ports.websocket}/${webSocketApi?.stageName ?? 'dev'}`;
    const executeApi = (apiId: string, stage?: string) =>
      new RegExp(
        `https://${apiId}\\.execute-api\\.${stack.region}\\.amazonaws\\.com${stage ? `/${stage}` : ''}`,
        'g',
      );
    const endpoints: LocalEndpoints = {
      dynamodb: dynamodb.endpoint,
      s3: s3.endpoint,
      secretsManager: secretsUrl,
      apiGatewayManagement: connectionsUrl,
      apiUrlRewrites: [
        ...webSocketApis.flatMap((api) => [
          { pattern: executeApi(api.apiId), replacement: `http://127.0.0.1:${ports.websocket}` },
          {
            pattern: new RegExp(`wss://${api.apiId}\\.execute-api\\.${stack.region}\\.amazonaws\\.com`, 'g'),
            replacement: `ws://127.0.0.1:${ports.websocket}`,
          },
        ]),
        // The local REST API has no stage prefix, like an API behind a custom domain.
        ...restApis.map((api) => ({ pattern: executeApi(api.apiId, api.stageName), replacement: restUrl })),
      ],
    };

    declareSecrets(stack, secretStore);
    const output = options.functionOutput ?? functionOutputToLog(logger);
    const functions = new FunctionRegistry(functionDefinitions(stack, endpoints), output, logger);
    stoppers.push(() => functions.stop());
    const pending = pendingCustomResources(stack, customResults);
    if (pending.length > 0) {
      await runCustomResources({
        stack,
        functions,
        logger,
        file: customResourceFile,
        results: customResults,
        logicalIds: pending,
      });
    }
    const definitions = functionDefinitions(stack, endpoints);
    functions.update(definitions);

    let websocketUrl = '';
    let webSocketGateway: WebSocketGateway | undefined;
    const startWebSocketGateway = async (port: number): Promise<string> => {
      if (!webSocketApi) {
        return '';
      }
      webSocketGateway = new WebSocketGateway({
        api: webSocketApi,
        functions,
        logger,
        region: stack.region,
        accountId: stack.accountId,
        port,
        ...options.websocket,
      });
      return webSocketGateway.start();
    };
    websocketUrl = await startWebSocketGateway(ports.websocket);
    stoppers.push(() => webSocketGateway?.stop() ?? Promise.resolve());
    const restartWebSocket = async (): Promise<void> => {
      if (!webSocketGateway) {
        throw new Error('The stack has no WebSocket API, so there is no WebSocket gateway to restart.');
      }
      await webSocketGateway.stop();
      logger.log('info', `WebSocket gateway restarting on ${websocketUrl}`);
      await startWebSocketGateway(Number(new URL(websocketUrl).port));
    };
    if (restApi) {
      const gateway = new RestGateway({
        api: restApi,
        functions,
        logger,
        region: stack.region,
        accountId: stack.accountId,
        port: ports.rest,
        permissions: new InvokePermissions(stack, functions),
        ...(options.integrationTimeoutMs === undefined
          ? {}
          : { integrationTimeoutMs: options.integrationTimeoutMs }),
      });
      await gateway.start();
      stoppers.push(() => gateway.stop());
    }

    const poller = new StreamPoller({
      stack,
      dynamodb: dynamodb.client,
      endpoint: dynamodb.endpoint,
      functions,
      logger,
      checkpointFile: join(dataDir, 'streams.json'),
    });
    poller.start();
    // A finished invocation may have written stream records; read them now instead of after the poll pause.
    const stopNudging = functions.onInvocationEnd(() => poller.nudge());
    stoppers.push(() => {
      stopNudging();
      return poller.stop();
    });

    const siteUrls: Partial<Record<(typeof SITES)[number]['key'], string>> = {};
    const awsHost = (service: string) =>
      new RegExp(`https://\\*\\.${service}\\.${stack.region}\\.amazonaws\\.com`, 'g');
    const siteOriginRewrites = [
      ...endpoints.apiUrlRewrites,
      { pattern: awsHost('execute-api'), replacement: new URL(restUrl).origin },
      {
        pattern: new RegExp(`wss://\\*\\.execute-api\\.${stack.region}\\.amazonaws\\.com`, 'g'),
        replacement: `ws://127.0.0.1:${ports.websocket}`,
      },
      { pattern: awsHost('s3'), replacement: new URL(s3.endpoint).origin },
    ];
    if (options.sites !== false) {
      const behaviours = distributionBehaviours(stack);
      for (const site of SITES) {
        const server = new SiteServer({
          name: site.key,
          root: options.siteRoots?.[site.key] ?? join(REPO_ROOT, site.folder),
          buildTarget: site.target,
          behaviour: withLocalOrigins(behaviourFor(site, behaviours), siteOriginRewrites),
          port: ports[site.key],
          logger,
        });
        siteUrls[site.key] = await server.start();
        stoppers.push(() => server.stop());
      }
    }

    if (options.watch) {
      const watcher = new HandlerWatcher({
        reloadStack: () => loadStack().stack,
        endpoints,
        functions,
        logger,
        repoRoot: REPO_ROOT,
        ...(typeof options.watch === 'object'
          ? { watchDir: options.watch.dir, rebuildCommand: options.watch.rebuildCommand }
          : {}),
      });
      watcher.start();
      stoppers.push(() => watcher.stop());
    }

    const urls: PlatformUrls = {
      rest: restUrl,
      websocket: websocketUrl,
      connections: connectionsUrl,
      ...siteUrls,
      dynamodb: dynamodb.endpoint,
      s3: s3.endpoint,
      secretsManager: secretsUrl,
    };
    const demo = options.seed === false ? undefined : await seedDemoData({ definitions, logger });
    return {
      urls,
      stack,
      functions,
      demo,
      dataDir,
      startupMs: performance.now() - started,
      restartWebSocket,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Each secret starts with its template value (SecretString or GenerateSecretString). Custom resources
// such as the signing-key generator then write their values through the local Secrets Manager.
function declareSecrets(stack: LocalStack, store: SecretStore): void {
  for (const secret of stack.resourcesOfType('AWS::SecretsManager::Secret')) {
    const arn = String(stack.getAtt(secret.logicalId, 'Arn'));
    store.declare(arn, stack.physicalName(secret.logicalId), () => initialSecretString(secret.properties));
  }
}

/**
 * Prints function output through the platform log. Structured JSON lines (Powertools logs, metrics)
 * print at debug level unless their level is WARN, ERROR or CRITICAL; plain lines print at info level.
 */
function functionOutputToLog(logger: Logger): FunctionOutput {
  return (name, line) => {
    let level: LogLevel = 'info';
    if (line.startsWith('{')) {
      try {
        const declared = String((JSON.parse(line) as { level?: unknown }).level ?? '').toUpperCase();
        level = 'debug';
        if (declared === 'WARN') {
          level = 'warn';
        }
        if (declared === 'ERROR' || declared === 'CRITICAL') {
          level = 'error';
        }
      } catch {
        level = 'info';
      }
    }
    logger.log(level, `  [${name}] ${line}`);
  };
}

/**
 * Points a site's security headers at the local services: the AWS origins in its Content-Security-Policy
 * become the loopback URLs, and upgrade-insecure-requests is dropped because every local site and API is
 * plain HTTP on 127.0.0.1.
 */
function withLocalOrigins(
  behaviour: SiteBehaviour,
  rewrites: ReadonlyArray<{ pattern: RegExp; replacement: string }>,
): SiteBehaviour {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(behaviour.headers)) {
    let local = rewrites.reduce((text, rewrite) => text.replace(rewrite.pattern, rewrite.replacement), value);
    if (name.toLowerCase() === 'content-security-policy') {
      local = local
        .split(';')
        .map((directive) => directive.trim())
        .filter((directive) => directive !== '' && directive !== 'upgrade-insecure-requests')
        .join('; ');
    }
    headers[name] = local;
  }
  return { ...behaviour, headers };
}

function behaviourFor(
  site: (typeof SITES)[number],
  behaviours: Array<{ path: string; behaviour: SiteBehaviour }>,
): SiteBehaviour {
  const segmentsOf = (path: string) => path.toLowerCase().split(/[/\-_]/);
  for (const word of site.words) {
    const found = behaviours.find((candidate) =>
      segmentsOf(candidate.path).some((segment) => segment.startsWith(word)),
    );
    if (found) {
      return found.behaviour;
    }
  }
  return {
    headers: {},
    defaultRootObject: 'index.html',
    errorResponses: site.spa ? [{ errorCode: 404, responseCode: 200, pagePath: '/index.html' }] : [],
  };
}

// Fixed ports are checked up front so that a second `make up` fails with a clear message, not EADDRINUSE.
async function resolvePorts(requested: PlatformOptions['ports']): Promise<Ports> {
  const base: Ports = requested === 0 ? { ...zeroPorts() } : { ...DEFAULT_PORTS, ...requested };
  const entries = await Promise.all(
    Object.entries(base).map(async ([key, port]) => {
      if (port === 0) {
        return [key, await freePort()] as const;
      }
      if (!(await isPortFree(port))) {
        throw new LocalServiceError(
          `Port ${port} for ${key} is already in use on 127.0.0.1, probably by another "make up". Stop that process, or pass other ports to startPlatform.`,
        );
      }
      return [key, port] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as Ports;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

function zeroPorts(): Ports {
  return Object.fromEntries(Object.keys(DEFAULT_PORTS).map((key) => [key, 0])) as unknown as Ports;
}

/** Asks the kernel for a free loopback port. The port is released again, so another process could take it first. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(new LocalServiceError('Failed to find a free port.', { cause: error })),
    );
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
