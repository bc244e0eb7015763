// The Lambda runtime: warm reuse, timeouts that kill the instance, and handler errors.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LambdaInvocationError, LambdaTimeoutError } from '../src/errors.js';
import { type FunctionDefinition, LocalFunction } from '../src/lambda/runtime.js';
import { FIXTURE_STACK_DIR } from './support/fixture-platform.js';

const definition: FunctionDefinition = {
  logicalId: 'EchoFunction',
  name: 'echo',
  displayName: 'Echo',
  arn: 'arn:aws:lambda:eu-central-1:000000000000:function:echo',
  assetDir: join(FIXTURE_STACK_DIR, 'asset.echo'),
  handler: 'index.handler',
  timeoutSeconds: 1,
  memorySize: 128,
  environment: { PATH: process.env.PATH ?? '/usr/bin:/bin', DATA_TABLE: 'runtime-test' },
};
const lines: string[] = [];
const echo = new LocalFunction(definition, (name, line) => lines.push(`[${name}] ${line}`));

afterAll(() => {
  echo.stop();
});

const event = (headers: Record<string, string> = {}) => ({ headers, path: '/runtime' });

describe('LocalFunction', () => {
  it('reuses a warm instance', async () => {
    const first = await echo.invoke(event());
    const second = await echo.invoke(event());
    expect(first.cold).toBe(true);
    expect(second.cold).toBe(false);
    expect(echo.instanceCount).toBe(1);
    const payload = second.payload as { statusCode: number; headers: Record<string, string> };
    expect(payload.statusCode).toBe(200);
    expect(payload.headers['X-Function-Env-Table']).toBe('runtime-test');
  });

  it('timeout kills the instance', async () => {
    const error = await echo.invoke(event({ 'x-echo-sleep-ms': '3000' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LambdaTimeoutError);
    expect((error as LambdaTimeoutError).errorType).toBe('Sandbox.Timedout');
    const next = await echo.invoke(event());
    expect(next.cold).toBe(true);
  });

  it('handler error keeps the instance warm', async () => {
    const error = await echo.invoke(event({ 'x-echo-throw': '1' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LambdaInvocationError);
    expect((error as Error).message).toBe('echo failed on request');
    expect((await echo.invoke(event())).cold).toBe(false);
  });

  it('recycle starts the next invocation cold', async () => {
    echo.recycle();
    expect((await echo.invoke(event())).cold).toBe(true);
  });

  it('missing bundle reports the module', async () => {
    const broken = new LocalFunction({ ...definition, handler: 'missing.handler' }, () => {});
    const error = await broken.invoke(event()).catch((caught: unknown) => caught);
    broken.stop();
    expect((error as LambdaInvocationError).errorType).toBe('Runtime.ImportModuleError');
  });
});
