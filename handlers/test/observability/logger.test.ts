/** The structured logger: line format, levels, appended keys and error serialisation. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger, logLevelFromEnvironment, parseLogLevel } from '../../src/observability/logger.js';

interface CapturedLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

describe('logger', () => {
  const captured: CapturedLine[] = [];
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);
  const originalTraceHeader = process.env._X_AMZN_TRACE_ID;

  beforeEach(() => {
    captured.length = 0;
    delete process.env._X_AMZN_TRACE_ID;
    process.stdout.write = ((chunk: string) => {
      captured.push({ stream: 'stdout', text: String(chunk) });
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => {
      captured.push({ stream: 'stderr', text: String(chunk) });
      return true;
    }) as typeof process.stderr.write;
  });

  afterEach(() => {
    process.stdout.write = originalStdout;
    process.stderr.write = originalStderr;
    if (originalTraceHeader === undefined) {
      delete process.env._X_AMZN_TRACE_ID;
    } else {
      process.env._X_AMZN_TRACE_ID = originalTraceHeader;
    }
  });

  function parsedLines(): Record<string, unknown>[] {
    return captured.map((line) => JSON.parse(line.text) as Record<string, unknown>);
  }

  it('writes one JSON line with the fixed keys', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.info('request completed', { status: 201 });

    expect(captured).toHaveLength(1);
    const text = captured[0]?.text ?? '';
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().includes('\n')).toBe(false);
    const line = parsedLines()[0];
    expect(Object.keys(line ?? {})).toEqual(['level', 'message', 'timestamp', 'service', 'status']);
    expect(line?.level).toBe('INFO');
    expect(line?.message).toBe('request completed');
    expect(line?.service).toBe('katapp-unit');
    expect(line?.status).toBe(201);
    expect(new Date(String(line?.timestamp)).toISOString()).toBe(line?.timestamp);
  });

  it('writes DEBUG and INFO to stdout, WARN and ERROR to stderr', () => {
    const logger = new Logger({ serviceName: 'katapp-unit', logLevel: 'DEBUG' });
    logger.debug('one');
    logger.info('two');
    logger.warn('three');
    logger.error('four');

    expect(captured.map((line) => line.stream)).toEqual(['stdout', 'stdout', 'stderr', 'stderr']);
    expect(parsedLines().map((line) => line.level)).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR']);
  });

  it('drops lines below the level', () => {
    const logger = new Logger({ serviceName: 'katapp-unit', logLevel: 'WARN' });
    logger.debug('hidden debug');
    logger.info('hidden info');
    expect(captured).toEqual([]);

    logger.warn('shown');
    expect(parsedLines().map((line) => line.message)).toEqual(['shown']);
  });

  it('writes nothing at SILENT', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.setLogLevel('SILENT');
    logger.error('hidden error');
    expect(captured).toEqual([]);
    expect(logger.getLogLevel()).toBe('SILENT');
  });

  it('changes the level with setLogLevel', () => {
    const logger = new Logger({ serviceName: 'katapp-unit', logLevel: 'ERROR' });
    logger.info('hidden');
    logger.setLogLevel('DEBUG');
    logger.debug('shown');
    expect(parsedLines().map((line) => line.message)).toEqual(['shown']);
  });

  it('rejects an unknown level in setLogLevel', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    expect(() => logger.setLogLevel('VERBOSE' as never)).toThrow(/Log level VERBOSE is invalid/);
    expect(logger.getLogLevel()).toBe('INFO');
  });

  it('adds appended keys until resetKeys', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.appendKeys({ requestId: 'req-1', tenantId: undefined, operationId: 'login' });
    logger.appendKeys({ tenantId: 'tenant-1' });
    logger.info('inside', { durationMs: 12 });
    logger.resetKeys();
    logger.info('after');

    const [inside, after] = parsedLines();
    expect(inside?.requestId).toBe('req-1');
    expect(inside?.tenantId).toBe('tenant-1');
    expect(inside?.operationId).toBe('login');
    expect(inside?.durationMs).toBe(12);
    expect(Object.keys(after ?? {})).toEqual(['level', 'message', 'timestamp', 'service']);
  });

  it('leaves out undefined keys and fields', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.appendKeys({ tenantId: undefined });
    logger.info('anonymous', { principalId: undefined });
    expect(captured[0]?.text).not.toContain('tenantId');
    expect(captured[0]?.text).not.toContain('principalId');
  });

  it('keeps its own keys when a field has the same name', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.appendKeys({ service: 'spoofed' });
    logger.warn('real message', { level: 'DEBUG', message: 'spoofed', timestamp: 'yesterday' });

    const line = parsedLines()[0];
    expect(line?.level).toBe('WARN');
    expect(line?.message).toBe('real message');
    expect(line?.service).toBe('katapp-unit');
    expect(line?.timestamp).not.toBe('yesterday');
  });

  it('serialises an error with its cause chain', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    const root = new TypeError('socket hang up');
    const error = Object.assign(new Error('operation failed', { cause: root }), {
      $metadata: { attempts: 3 },
      secretValue: 'must-not-be-logged',
    });
    logger.error('operation failed', { error });

    const logged = parsedLines()[0]?.error as Record<string, unknown>;
    expect(Object.keys(logged)).toEqual(['name', 'message', 'stack', 'cause']);
    expect(logged.name).toBe('Error');
    expect(logged.message).toBe('operation failed');
    expect(logged.stack).toBe(error.stack);
    const cause = logged.cause as Record<string, unknown>;
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toBe('socket hang up');
    expect(cause.stack).toBe(root.stack);
    expect(captured[0]?.text).not.toContain('must-not-be-logged');
    expect(captured[0]?.text).not.toContain('attempts');
  });

  it('serialises errors nested in fields', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.warn('retry', { attempts: [{ number: 1, error: new RangeError('throttled') }] });
    const attempts = parsedLines()[0]?.attempts as { error: { name: string; message: string } }[];
    expect(attempts[0]?.error.name).toBe('RangeError');
    expect(attempts[0]?.error.message).toBe('throttled');
  });

  it('keeps a non-error cause as it is', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.error('failed', { error: new Error('outer', { cause: { code: 'E42' } }) });
    const logged = parsedLines()[0]?.error as { cause: unknown };
    expect(logged.cause).toEqual({ code: 'E42' });
  });

  it('marks circular references instead of throwing', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    const looping: Record<string, unknown> = { name: 'loop' };
    looping.self = looping;
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    first.cause = second;
    const shared = { id: 7 };
    logger.info('circular', { looping, error: first, left: shared, right: shared });

    const line = parsedLines()[0] as {
      looping: { self: unknown };
      error: { cause: { cause: unknown } };
      left: unknown;
      right: unknown;
    };
    expect(line.looping.self).toBe('[Circular]');
    expect(line.error.cause.cause).toBe('[Circular]');
    // An object referenced twice side by side is no cycle and is written both times.
    expect(line.left).toEqual({ id: 7 });
    expect(line.right).toEqual({ id: 7 });
  });

  it('writes bigints as strings', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.info('big', { count: 12345678901234567890n });
    expect(parsedLines()[0]?.count).toBe('12345678901234567890');
  });

  it('keeps the fixed keys when a field cannot be serialised', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    logger.appendKeys({ requestId: 'req-2' });
    logger.error('broken field', {
      value: {
        toJSON() {
          throw new Error('toJSON exploded');
        },
      },
    });
    const line = parsedLines()[0];
    expect(line?.message).toBe('broken field');
    expect(line?.level).toBe('ERROR');
    expect(line?.logFieldsError).toBe('The fields could not be serialized: toJSON exploded');
  });

  it('adds the X-Ray trace id from the Lambda trace header', () => {
    const logger = new Logger({ serviceName: 'katapp-unit' });
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    logger.info('traced');
    expect(parsedLines()[0]?.xray_trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });
});

describe('log level from the environment', () => {
  it('defaults to INFO', () => {
    expect(logLevelFromEnvironment({})).toBe('INFO');
  });

  it('reads LOG_LEVEL case-insensitively', () => {
    expect(logLevelFromEnvironment({ LOG_LEVEL: 'debug' })).toBe('DEBUG');
  });

  it('prefers POWERTOOLS_LOG_LEVEL over LOG_LEVEL', () => {
    expect(logLevelFromEnvironment({ POWERTOOLS_LOG_LEVEL: 'WARN', LOG_LEVEL: 'DEBUG' })).toBe('WARN');
  });

  it('prefers AWS_LAMBDA_LOG_LEVEL over both', () => {
    expect(
      logLevelFromEnvironment({
        AWS_LAMBDA_LOG_LEVEL: 'ERROR',
        POWERTOOLS_LOG_LEVEL: 'WARN',
        LOG_LEVEL: 'DEBUG',
      }),
    ).toBe('ERROR');
  });

  it('skips unknown and empty names', () => {
    expect(
      logLevelFromEnvironment({ AWS_LAMBDA_LOG_LEVEL: 'LOUD', POWERTOOLS_LOG_LEVEL: '', LOG_LEVEL: 'warn' }),
    ).toBe('WARN');
    expect(parseLogLevel('NOISY')).toBeUndefined();
    expect(parseLogLevel(' silent ')).toBe('SILENT');
  });
});
