// Command line of the local runtime: `tsx local/src/cli.ts up [--fresh] [--data-dir DIR] [--no-watch]`.

import { parseArgs } from 'node:util';
import { consoleLogger, type LogLevel } from './log.js';
import { type Platform, startPlatform } from './platform.js';

const USAGE = `Usage: tsx local/src/cli.ts up [options]

Runs the KatApp platform from infra/cdk.out on this machine.

Options:
  --fresh            delete the data folder first (tables, objects, secrets)
  --data-dir DIR     folder for local data (default: .katapp in the repository root)
  --stack NAME       stack to boot (default: KatApp-dev)
  --no-watch         do not reload functions when handlers/src changes
  --log-level LEVEL  debug, info, warn or error (default: info)
  -h, --help         show this text`;

function printSummary(platform: Platform): void {
  const { urls, demo } = platform;
  const lines = [
    '',
    `KatApp platform is up (${(platform.startupMs / 1000).toFixed(1)} s). Data: ${platform.dataDir}`,
    '',
    `  REST API        ${urls.rest}`,
    `  WebSocket       ${urls.websocket}`,
    `  @connections    ${urls.connections}/@connections/{id}`,
    `  Dashboard       ${urls.dashboard ?? '(not served)'}`,
    `  API docs        ${urls.apiDocs ?? '(not served)'}`,
    `  User docs       ${urls.docs ?? '(not served)'}`,
    `  DynamoDB Local  ${urls.dynamodb}`,
    `  S3 (s3rver)     ${urls.s3}`,
    `  Secrets Manager ${urls.secretsManager}`,
    '',
  ];
  if (demo) {
    lines.push(
      'Demo accounts (local only; the passwords are public):',
      `  tenant admin    ${demo.admin.email} / ${demo.admin.password}`,
      `  dashboard user  ${demo.dashboardUser.email} / ${demo.dashboardUser.password}`,
      `  operator        ${demo.operator.email} / ${demo.operator.password}`,
      `  device          IMEI ${demo.device.imei}, device token ${demo.device.deviceToken}`,
      `  tenant id       ${demo.tenantId}`,
      '',
    );
  } else {
    lines.push('No demo data was seeded (see the warning above).', '');
  }
  lines.push('Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));
}

async function up(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fresh: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      stack: { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const level = values['log-level'] as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new Error(`Invalid --log-level ${level}; use debug, info, warn or error.`);
  }
  const logger = consoleLogger(level);
  const platform = await startPlatform({
    fresh: values.fresh || process.env.FRESH === '1',
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.stack ? { stackName: values.stack } : {}),
    watch: !values['no-watch'],
    logger,
  });
  printSummary(platform);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.log('info', `Received ${signal}; stopping every service`);
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('uncaughtException', (error) => {
    logger.log('error', `Unexpected error, stopping: ${error.stack ?? String(error)}`);
    void platform.stop().finally(() => process.exit(1));
  });
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'up') {
  up(rest).catch((error: unknown) => {
    process.stderr.write(`make up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`${USAGE}\n`);
  process.exit(command === undefined || command === '--help' || command === '-h' ? 0 : 2);
}
