/**
 * Structured logger: one JSON line per event with `level`, `message`, `timestamp` (ISO 8601, UTC), `service`,
 * `xray_trace_id` when Lambda sets `_X_AMZN_TRACE_ID`, the appended keys and the event's fields.
 * DEBUG and INFO lines go to stdout, WARN and ERROR lines to stderr.
 */

/** Log levels from the most verbose to none; the names are those of Lambda's `AWS_LAMBDA_LOG_LEVEL`. */
export const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'SILENT'] as const;

export type LogLevel = (typeof logLevels)[number];

/** Fields of one log event; `Error` values anywhere in them are written as name, message, stack and cause. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface LoggerOptions {
  /** Value of the `service` key on every line. */
  readonly serviceName: string;
  /** Lines below this level are dropped. Default: INFO. */
  readonly logLevel?: LogLevel;
}

/** Keys the logger sets itself; appended keys and fields with these names are dropped. */
const reservedKeys: ReadonlySet<string> = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'xray_trace_id',
]);

/** Returns the level named by `value` (case-insensitive), or undefined for an empty or unknown name. */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const name = value?.trim().toUpperCase();
  return logLevels.find((level) => level === name);
}

/**
 * Returns the log level the environment sets. `AWS_LAMBDA_LOG_LEVEL` (Lambda's advanced logging controls) comes
 * first because Lambda drops lines below it anyway, then `POWERTOOLS_LOG_LEVEL`, then `LOG_LEVEL`; INFO when none
 * of them names a level.
 */
export function logLevelFromEnvironment(environment: NodeJS.ProcessEnv): LogLevel {
  return (
    parseLogLevel(environment.AWS_LAMBDA_LOG_LEVEL) ??
    parseLogLevel(environment.POWERTOOLS_LOG_LEVEL) ??
    parseLogLevel(environment.LOG_LEVEL) ??
    'INFO'
  );
}

/** Returns the `Root` part of an X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`), or undefined. */
function traceRoot(header: string | undefined): string | undefined {
  const root = header?.split(';').find((part) => part.startsWith('Root='));
  return root?.slice('Root='.length);
}

/** Returns a plain object with an error's name, message, stack and cause; other members are dropped. */
function serializeError(error: Error): Record<string, unknown> {
  const serialized: Record<string, unknown> = {
    name: error.name,
    message: error.message,
    stack: error.stack,
  };
  if (error.cause !== undefined) {
    serialized.cause = error.cause;
  }
  return serialized;
}

/**
 * Returns a JSON.stringify replacer that writes errors with `serializeError` and bigints as strings. A cause that
 * is an error passes through the replacer again. A reference back to an enclosing object or error becomes
 * "[Circular]", because JSON.stringify would throw on it.
 */
function jsonReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function replace(this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') {
      return value.toString();
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    // `this` is the object that contains `value`, so everything pushed after it has been left already.
    while (ancestors.length > 0 && ancestors.at(-1) !== this) {
      ancestors.pop();
    }
    if (ancestors.includes(value)) {
      return '[Circular]';
    }
    if (value instanceof Error) {
      // Both go on the stack: the error to find a cause chain that loops, the copy as the holder of its members.
      const serialized = serializeError(value);
      ancestors.push(value, serialized);
      return serialized;
    }
    ancestors.push(value);
    return value;
  };
}

export class Logger {
  readonly #serviceName: string;
  #threshold: number;
  #keys: Record<string, unknown> = {};

  constructor(options: LoggerOptions) {
    this.#serviceName = options.serviceName;
    this.#threshold = logLevels.indexOf(options.logLevel ?? 'INFO');
  }

  /** Sets the level below which lines are dropped; SILENT drops every line. */
  setLogLevel(level: LogLevel): void {
    const threshold = logLevels.indexOf(level);
    if (threshold < 0) {
      throw new RangeError(`Log level ${String(level)} is invalid; use one of ${logLevels.join(', ')}.`);
    }
    this.#threshold = threshold;
  }

  /** Returns the level below which lines are dropped. */
  getLogLevel(): LogLevel {
    return logLevels[this.#threshold] ?? 'INFO';
  }

  /** Adds keys to every following line until `resetKeys`; an undefined value is left out of the line. */
  appendKeys(keys: LogFields): void {
    this.#keys = { ...this.#keys, ...keys };
  }

  /** Removes every appended key, for example at the end of a request. */
  resetKeys(): void {
    this.#keys = {};
  }

  debug(message: string, fields?: LogFields): void {
    this.#write('DEBUG', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#write('INFO', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#write('WARN', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#write('ERROR', message, fields);
  }

  #write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (logLevels.indexOf(level) < this.#threshold) {
      return;
    }
    const fixedKeys = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#serviceName,
      xray_trace_id: traceRoot(process.env._X_AMZN_TRACE_ID),
    };
    const entry: Record<string, unknown> = { ...fixedKeys };
    for (const source of [this.#keys, fields ?? {}]) {
      for (const [key, value] of Object.entries(source)) {
        if (!reservedKeys.has(key)) {
          entry[key] = value;
        }
      }
    }

    let line: string;
    try {
      line = JSON.stringify(entry, jsonReplacer());
    } catch (error) {
      // A field whose toJSON throws must not fail the request, so the line keeps only the fixed keys.
      const reason = error instanceof Error ? error.message : String(error);
      line = JSON.stringify({
        ...fixedKeys,
        logFieldsError: `The fields could not be serialized: ${reason}`,
      });
    }
    // Looked up on every call, so a test that replaces process.stdout.write captures the line.
    const stream = level === 'WARN' || level === 'ERROR' ? process.stderr : process.stdout;
    stream.write(`${line}\n`);
  }
}
