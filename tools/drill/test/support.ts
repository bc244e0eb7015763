// Boots the local platform on free ports for the drill tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

interface LocalPlatform {
  urls: { rest: string; websocket: string; dynamodb: string };
  functions: { all(): Array<{ definition: { displayName: string }; stop(): void }> };
  demo?: { admin: { email: string; password: string }; dashboardUser: { email: string; password: string } };
  stop(): Promise<void>;
}

export interface DrillPlatform {
  api: string;
  websocket: string;
  dynamodb: string;
  admin: { email: string; password: string };
  viewer: { email: string; password: string };
  /** Kills every running instance of a function (such as `triages`), in the middle of its invocations. */
  killFunction(displayName: string): void;
  /** Kills the DynamoDB Local Java process with SIGKILL and starts a new one on the same port and data. */
  killDynamoDb(): Promise<{ restart(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startDrillPlatform(dataDir: string): Promise<DrillPlatform> {
  const { startPlatform } = (await import(join(REPO_ROOT, 'local/src/platform.ts'))) as {
    startPlatform: (options: object) => Promise<LocalPlatform>;
  };
  const platform = await startPlatform({
    ports: 0,
    dataDir,
    fresh: true,
    sites: false,
    // KATAPP_DRILL_LOG=1 prints the functions' log lines, for debugging a failed run.
    functionOutput: process.env.KATAPP_DRILL_LOG
      ? (name: string, line: string) => process.stderr.write(`[${name}] ${line}\n`)
      : () => undefined,
    logger: {
      log: (level: string, message: string) =>
        process.env.KATAPP_DRILL_LOG && process.stderr.write(`${level} ${message}\n`),
    },
  });
  const restartedServices: Array<{ stop(): Promise<void> }> = [];
  const demo = platform.demo;
  if (!demo) {
    await platform.stop();
    throw new Error(
      'The local platform seeded no demo tenant; the drill needs its admin and dashboard user.',
    );
  }
  return {
    api: platform.urls.rest,
    websocket: platform.urls.websocket,
    dynamodb: platform.urls.dynamodb,
    admin: { email: demo.admin.email, password: demo.admin.password },
    viewer: { email: demo.dashboardUser.email, password: demo.dashboardUser.password },
    killFunction(displayName) {
      const found = platform.functions
        .all()
        .find(
          (candidate) =>
            candidate.definition.displayName === displayName ||
            candidate.definition.displayName.endsWith(`-${displayName}`),
        );
      if (!found) throw new Error(`The platform has no function named ${displayName}.`);
      found.stop();
    },
    async killDynamoDb() {
      const port = new URL(platform.urls.dynamodb).port;
      const pid = javaPid(port);
      process.kill(pid, 'SIGKILL');
      while (existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')) {
        await new Promise((done) => setTimeout(done, 50));
      }
      return {
        async restart() {
          const { startDynamoDbLocal } = (await import(
            join(REPO_ROOT, 'local/src/services/dynamodb.ts')
          )) as {
            startDynamoDbLocal: (options: object) => Promise<{ stop(): Promise<void> }>;
          };
          const restarted = await startDynamoDbLocal({
            port: Number(port),
            dataDir: join(dataDir, 'dynamodb'),
            logger: { log: () => undefined },
          });
          restartedServices.push(restarted);
        },
      };
    },
    async stop() {
      await platform.stop();
      for (const service of restartedServices) await service.stop();
    },
  };
}

/** Finds the DynamoDB Local Java process that listens on `port`, by its command line. */
function javaPid(port: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const portIndex = args.indexOf('-port');
    if (
      args[0] === 'java' &&
      args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) &&
      args[portIndex + 1] === port
    ) {
      return Number(entry);
    }
  }
  throw new Error(`No DynamoDB Local Java process listens on port ${port}.`);
}
