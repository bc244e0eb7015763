// Reloading functions after a rebuild, and the guard that stops helper processes when the platform dies.

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_STACK_DIR, type FixturePlatform, startFixturePlatform } from './support/fixture-platform.js';

const workDir = mkdtempSync(join(tmpdir(), 'katapp-local-watch-'));
let platform: FixturePlatform | undefined;

afterAll(async () => {
  await platform?.dispose();
  rmSync(workDir, { recursive: true, force: true });
});

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('handler watch', () => {
  it('reloads a function after a rebuild', async () => {
    const stackDir = join(workDir, 'stack');
    const sources = join(workDir, 'src');
    cpSync(FIXTURE_STACK_DIR, stackDir, { recursive: true });
    mkdirSync(sources);
    // The rebuild mimics cdk synth: the changed bundle lands in a new asset folder named in the manifest.
    const rebuild = [
      'const fs = require("node:fs");',
      `const dir = ${JSON.stringify(stackDir)};`,
      'fs.cpSync(dir + "/asset.echo", dir + "/asset.echo2", { recursive: true });',
      'const file = dir + "/asset.echo2/index.mjs";',
      'fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("X-Function-Env-Table", "X-Rebuilt"));',
      'const manifest = JSON.parse(fs.readFileSync(dir + "/Fixture.assets.json", "utf8"));',
      'manifest.files.echo.source.path = "asset.echo2";',
      'fs.writeFileSync(dir + "/Fixture.assets.json", JSON.stringify(manifest));',
    ].join('\n');
    platform = await startFixturePlatform({
      cdkOutDir: stackDir,
      watch: { dir: sources, rebuildCommand: [process.execPath, '-e', rebuild] },
    });
    const before = await fetch(`${platform.urls.rest}/accounts/1`);
    expect(before.headers.get('x-function-env-table')).toBe('Fixture-DataTable');

    writeFileSync(join(sources, 'handler.ts'), 'export const changed = true;\n');
    const after = await waitFor(async () => {
      const response = await fetch(`${platform?.urls.rest}/accounts/1`);
      return response.headers.get('x-rebuilt') ?? undefined;
    });
    expect(after).toBe('Fixture-DataTable');
    expect(platform.logLines.some((line) => line.includes('Reloaded Echo'))).toBe(true);
    expect(platform.logLines.filter((line) => line.includes('REST GET /accounts/1 200')).at(-1)).toContain(
      '(cold)',
    );
  });
});

describe('process guard', () => {
  it('stops the helper when the platform is killed', async () => {
    const pidFile = join(workDir, 'helper.pid');
    const guardModule = fileURLToPath(new URL('../src/services/process.ts', import.meta.url));
    const script = `
      import { writeFileSync } from 'node:fs';
      import { spawnGuarded } from ${JSON.stringify(guardModule)};
      const helper = spawnGuarded('sleep', ['300']);
      setTimeout(() => writeFileSync(${JSON.stringify(pidFile)}, String(helper.child.pid)), 300);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: 'ignore',
    });
    const guardPid = await waitFor(() => {
      try {
        return Number(readFileSync(pidFile, 'utf8'));
      } catch {
        return undefined;
      }
    });
    const sleepPid = await waitFor(() => {
      const children = readFileSync(`/proc/${guardPid}/task/${guardPid}/children`, 'utf8').trim();
      return children ? Number(children.split(' ')[0]) : undefined;
    });
    expect(isAlive(sleepPid)).toBe(true);

    parent.kill('SIGKILL');
    await waitFor(() => (isAlive(sleepPid) ? undefined : true), 10_000);
    expect(isAlive(sleepPid)).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
