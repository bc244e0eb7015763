// Readable one-line logging for the local runtime (a developer reads it in a terminal).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes `HH:MM:SS.mmm LEVEL message` lines to stderr, skipping levels below `minimum`. */
export function consoleLogger(minimum: LogLevel = 'info'): Logger {
  return {
    log(level, message) {
      if (LEVEL_ORDER[level] < LEVEL_ORDER[minimum]) {
        return;
      }
      const time = new Date().toISOString().slice(11, 23);
      const label = level === 'info' ? '' : ` ${level.toUpperCase()}`;
      process.stderr.write(`${time}${label} ${message}\n`);
    },
  };
}

/** Keeps log lines in memory; tests read them back. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log(level, message) {
      lines.push(`${level} ${message}`);
    },
  };
}

/** Formats one request line: method, path, status, duration, function and whether it started cold. */
export function formatRequestLine(fields: {
  protocol: string;
  method: string;
  path: string;
  status: number | string;
  durationMs: number;
  functionName?: string | undefined;
  cold?: boolean | undefined;
}): string {
  const target =
    fields.functionName === undefined ? '' : ` ${fields.functionName} (${fields.cold ? 'cold' : 'warm'})`;
  return `${fields.protocol} ${fields.method} ${fields.path} ${fields.status} ${Math.round(fields.durationMs)} ms${target}`;
}
