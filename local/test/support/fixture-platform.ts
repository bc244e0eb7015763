// Starts the local platform on the fixture stack (test/fixtures/stack) with free ports and a temporary data folder.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryLogger } from '../../src/log.js';
import { type Platform, type PlatformOptions, startPlatform } from '../../src/platform.js';

export const FIXTURE_STACK_DIR = fileURLToPath(new URL('../fixtures/stack', import.meta.url));

export interface FixturePlatform extends Platform {
  /** Lines the fixture functions printed, as `[function] line`. */
  functionLines: string[];
  logLines: string[];
  /** Parsed JSON lines one function printed. */
  printed(functionName: string): Array<Record<string, unknown>>;
  /** Stops the platform and deletes its data folder. */
  dispose(): Promise<void>;
}

export async function startFixturePlatform(options: PlatformOptions = {}): Promise<FixturePlatform> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'katapp-local-test-'));
  const logger = memoryLogger();
  const functionLines: string[] = [];
  const platform = await startPlatform({
    ports: 0,
    cdkOutDir: FIXTURE_STACK_DIR,
    stackName: 'Fixture',
    seed: false,
    sites: false,
    logger,
    functionOutput: (name, line) => functionLines.push(`[${name}] ${line}`),
    ...options,
    dataDir,
  });
  return {
    ...platform,
    functionLines,
    logLines: logger.lines,
    printed(functionName) {
      const prefix = `[${functionName}] `;
      return functionLines
        .filter((line) => line.startsWith(prefix) && line.slice(prefix.length).startsWith('{'))
        .map((line) => JSON.parse(line.slice(prefix.length)) as Record<string, unknown>);
    },
    async dispose() {
      await platform.stop();
      if (options.dataDir === undefined) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
