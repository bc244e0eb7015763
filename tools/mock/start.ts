// Starts the contract mock: Prism serving the examples of api/openapi.yaml with request validation, behind a
// loopback front proxy that fixes what Prism gets wrong (see src/front-proxy.ts).
//
// As a module: `const mock = await startMock({ port: 0 }); ...; await mock.stop();`
// As a program (`make mock`): `tsx tools/mock/start.ts --port 4010` runs in the foreground until Ctrl-C.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { binPath, openapiPath } from '../docs/src/paths.js';
import { prepareMockContract } from './src/contract.js';
import { createFrontProxy } from './src/front-proxy.js';

/** The mock binds only to the loopback interface. */
const HOST = '127.0.0.1';
const DEFAULT_CLI_PORT = 4010;
const STOP_GRACE_MS = 5_000;
/** Lines of Prism output kept to explain a failed start. */
const OUTPUT_TAIL_LINES = 40;

export interface StartMockOptions {
  /** Port of the mock's front proxy on 127.0.0.1. Default: 0, a free port chosen by the OS. */
  port?: number;
  /** OpenAPI document to serve. Default: api/openapi.yaml. */
  openapiPath?: string;
  /** Time to wait for Prism to listen. Default: 60 s. Prism took 4 to 16 s to load the contract on a shared 2-core machine. */
  readyTimeoutMs?: number;
  /** Receives every line Prism prints. Default: lines are kept only to explain a failed start. */
  onPrismOutput?: (line: string) => void;
  /** Receives one line per response the front proxy wrote or rewrote. Default: no logging. */
  log?: (line: string) => void;
}

export interface MockServer {
  /** Base URL of the mock, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  port: number;
  /** Bundled contract that Prism serves. Removed by stop(). */
  contractPath: string;
  /** Process id of Prism. */
  prismPid: number;
  /** Stops the proxy and Prism and removes the bundled contract. Safe to call twice. */
  stop: () => Promise<void>;
}

async function findFreePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, HOST);
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

function waitForListening(
  prism: ChildProcess,
  timeoutMs: number,
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const tail: string[] = [];
    const explain = () => tail.join('\n');
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Prism did not start listening within ${timeoutMs} ms. Its output:\n${explain()}`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new Error(`Prism exited during start (code ${code}, signal ${signal}). Its output:\n${explain()}`),
      );
    };
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        onLine(line);
        tail.push(line);
        if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
        if (line.includes('Prism is listening on')) {
          cleanup();
          resolvePromise();
        }
      }
    };
    function cleanup() {
      clearTimeout(timer);
      prism.off('exit', onExit);
      prism.stdout?.off('data', onData);
      prism.stderr?.off('data', onData);
      // Keep reading the pipes after the start, so Prism never blocks on a full pipe. The lines go to onLine only.
      const forward = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') onLine(line);
      };
      prism.stdout?.on('data', forward);
      prism.stderr?.on('data', forward);
    }
    prism.on('exit', onExit);
    prism.stdout?.on('data', onData);
    prism.stderr?.on('data', onData);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}

/** Starts Prism and the front proxy, and resolves once both accept requests. */
export async function startMock(options: StartMockOptions = {}): Promise<MockServer> {
  const contract = await prepareMockContract(resolve(options.openapiPath ?? openapiPath));
  const prismPort = await findFreePort();

  // The binary is started directly (not through npx) so `prism.pid` is Prism itself. Its shebang runs the
  // `node` found first on PATH, which must be the project's Node 24.
  const prism = spawn(
    binPath('prism'),
    ['mock', '--host', HOST, '--port', String(prismPort), '--errors', 'false', contract.path],
    {
      env: { ...process.env, PATH: `${binPath('')}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const proxy = createFrontProxy({
    upstream: new URL(`http://${HOST}:${prismPort}`),
    parameterNames: contract.parameterNames,
    ...(options.log ? { log: options.log } : {}),
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await closeServer(proxy);
      await stopProcess(prism);
      await contract.remove();
    })();
    return stopped;
  };

  try {
    await waitForListening(prism, options.readyTimeoutMs ?? 60_000, options.onPrismOutput ?? (() => {}));
    proxy.listen(options.port ?? 0, HOST);
    await Promise.race([
      once(proxy, 'listening'),
      once(proxy, 'error').then(([error]) => Promise.reject(error)),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }

  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    port,
    contractPath: contract.path,
    prismPid: prism.pid ?? -1,
    stop,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_CLI_PORT) },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: tsx tools/mock/start.ts [--port ${DEFAULT_CLI_PORT}] [--quiet]
Serves the examples of api/openapi.yaml on http://${HOST}:PORT with request validation until Ctrl-C.
  --port N   TCP port on ${HOST} (default ${DEFAULT_CLI_PORT})
  --quiet    do not print Prism's log lines`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}".`);
  }

  const started = performance.now();
  const mock = await startMock({
    port,
    log: (line) => console.log(`[front proxy] ${line}`),
    ...(values.quiet ? {} : { onPrismOutput: (line: string) => console.log(line) }),
  });
  console.log(
    `Mock of the KatApp API listening on ${mock.url} (Prism pid ${mock.prismPid}, ready in ${Math.round(performance.now() - started)} ms). Ctrl-C stops it.`,
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`Received ${signal}, stopping the mock.`);
      mock.stop().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
