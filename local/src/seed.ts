// Seeds the demo tenant through the handlers' own seed module (handlers/src/admin/seed.ts).

import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalServiceError } from './errors.js';
import type { FunctionDefinition } from './lambda/runtime.js';
import type { Logger } from './log.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SEED_MODULE = join(REPO_ROOT, 'handlers', 'src', 'admin', 'seed.ts');
const RUNNER = fileURLToPath(new URL('./seed-runner.mjs', import.meta.url));

export interface DemoAccount {
  email: string;
  password: string;
  tenantId: string;
  userId: string;
}

export interface DemoData {
  tenantId: string;
  operator: DemoAccount;
  admin: DemoAccount;
  dashboardUser: DemoAccount;
  device: { id: string; imei: string; deviceToken: string };
}

interface SeedModuleOutput {
  result: {
    operator: { tenantId: string; userId: string; email: string };
    demo?: {
      tenantId: string;
      admin: { tenantId: string; userId: string; email: string };
      dashboardUser: { tenantId: string; userId: string; email: string };
      device: { id: string; imei: string; deviceToken: string };
    };
  };
  seed: {
    operator: { password: string };
    demo?: { admin: { password: string }; dashboardUser: { password: string } };
  };
}

/**
 * Runs the seed with the environment of the function that reads the data table (DATA_TABLE) and returns
 * the demo accounts. Idempotent: the seed keeps records that exist. Returns undefined, with a warning,
 * when the seed module is missing.
 */
export async function seedDemoData(options: {
  definitions: FunctionDefinition[];
  logger: Logger;
}): Promise<DemoData | undefined> {
  if (!existsSync(SEED_MODULE)) {
    options.logger.log('warn', `Demo data not seeded: ${SEED_MODULE} does not exist.`);
    return undefined;
  }
  const withTable = options.definitions.find((definition) => definition.environment.DATA_TABLE);
  if (!withTable) {
    options.logger.log('warn', 'Demo data not seeded: no function of the stack has a DATA_TABLE variable.');
    return undefined;
  }
  const output = await new Promise<SeedModuleOutput>((resolveOutput, reject) => {
    const child = fork(RUNNER, [SEED_MODULE], {
      cwd: REPO_ROOT,
      env: { ...withTable.environment, POWERTOOLS_LOG_LEVEL: 'WARN', LOG_LEVEL: 'WARN' },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (message: { type: string; message?: string } & Partial<SeedModuleOutput>) => {
      settled = true;
      if (message.type === 'result') {
        resolveOutput(message as SeedModuleOutput);
      } else {
        reject(new LocalServiceError(`Seeding the demo data failed: ${message.message}`));
      }
    });
    child.on('exit', (code) => {
      if (!settled) {
        reject(
          new LocalServiceError(`The seed process exited with code ${code} before it reported a result.`),
        );
      }
    });
  });
  const demo = output.result.demo;
  if (!demo || !output.seed.demo) {
    return undefined;
  }
  return {
    tenantId: demo.tenantId,
    operator: { ...output.result.operator, password: output.seed.operator.password },
    admin: { ...demo.admin, password: output.seed.demo.admin.password },
    dashboardUser: { ...demo.dashboardUser, password: output.seed.demo.dashboardUser.password },
    device: demo.device,
  };
}
