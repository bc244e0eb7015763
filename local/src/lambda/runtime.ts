// Runs Lambda functions locally: one child process per warm instance, reused between invocations.

import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { LambdaInvocationError, LambdaTimeoutError } from '../errors.js';

const RUNNER_PATH = fileURLToPath(new URL('./runner.mjs', import.meta.url));
// Packages resolve from here when a bundle imports an @aws-sdk/ package it does not contain (see runner.mjs).
const RUNTIME_PACKAGES_ANCHOR = fileURLToPath(new URL('../../package.json', import.meta.url));

export interface FunctionDefinition {
  logicalId: string;
  /** Physical function name, which the handler reads as context.functionName. */
  name: string;
  /** Short name for log lines, e.g. "auth". */
  displayName: string;
  arn: string;
  assetDir: string;
  /** The Handler setting, e.g. "index.handler". */
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
  /** The complete process environment of an instance. */
  environment: Record<string, string>;
}

export interface InvocationResult {
  payload: unknown;
  cold: boolean;
  durationMs: number;
  requestId: string;
}

/** Receives each line a function writes to stdout or stderr. */
export type FunctionOutput = (functionName: string, line: string) => void;

interface PendingInvocation {
  resolve(payload: unknown): void;
  reject(error: Error): void;
}

/** One warm instance: a runner process that handles one invocation at a time. */
class Instance {
  readonly process: ChildProcess;
  private pending: PendingInvocation | undefined;
  private readonly ready: Promise<void>;
  exited = false;

  constructor(
    readonly definition: FunctionDefinition,
    readonly generation: number,
    output: FunctionOutput,
  ) {
    this.process = fork(RUNNER_PATH, [definition.assetDir, definition.handler, RUNTIME_PACKAGES_ANCHOR], {
      cwd: definition.assetDir,
      env: definition.environment,
      execArgv: ['--enable-source-maps'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          output(definition.displayName, line);
        }
      });
    }
    this.ready = new Promise((resolve, reject) => {
      this.process.once('message', () => resolve());
      this.process.once('exit', (code, signal) =>
        reject(
          new LambdaInvocationError(
            `The runner of ${definition.displayName} exited before it was ready (code ${code}, signal ${signal}).`,
            'Runtime.ExitError',
          ),
        ),
      );
    });
    this.ready.catch(() => {});
    this.process.on('message', (message: { type: string; result?: unknown; error?: SerializedError }) => {
      const pending = this.pending;
      this.pending = undefined;
      if (!pending || message.type === 'ready') {
        return;
      }
      if (message.type === 'result') {
        pending.resolve(message.result);
      } else if (message.type === 'error') {
        const error = message.error ?? { errorType: 'Error', errorMessage: 'unknown error' };
        pending.reject(new LambdaInvocationError(error.errorMessage, error.errorType));
      }
    });
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(
        new LambdaInvocationError(
          `The process of ${definition.displayName} exited during an invocation (code ${code}, signal ${signal}).`,
          'Runtime.ExitError',
        ),
      );
    });
  }

  async invoke(event: unknown, requestId: string, deadline: number): Promise<unknown> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.process.send({
        type: 'invoke',
        id: requestId,
        requestId,
        event,
        deadline,
        functionName: this.definition.name,
        functionArn: this.definition.arn,
        memorySize: this.definition.memorySize,
        traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
      });
    });
  }

  /** Kills the process; the instance counts as exited at once, so it is never reused. */
  kill(): void {
    if (!this.exited) {
      this.exited = true;
      this.process.kill('SIGKILL');
    }
  }
}

interface SerializedError {
  errorType: string;
  errorMessage: string;
}

/**
 * The warm instances of one function. An invocation takes an idle instance or starts a new one (a cold
 * start). A timeout kills the instance, so the next invocation starts cold, as on Lambda.
 */
export class LocalFunction {
  private idle: Instance[] = [];
  private readonly busy = new Set<Instance>();
  private generation = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    public definition: FunctionDefinition,
    private readonly output: FunctionOutput,
    /** Maximum concurrent instances; further invocations wait for a free one. */
    private readonly maxInstances = 8,
  ) {}

  /**
   * Runs one invocation on a free instance. `onStart` is called when an instance takes it: up to then it waits
   * in this function's queue, which exists only locally (Lambda starts more instances instead).
   */
  async invoke(event: unknown, onStart?: () => void): Promise<InvocationResult> {
    const started = performance.now();
    const requestId = randomUUID();
    const { instance, cold } = await this.acquire();
    onStart?.();
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          instance.kill();
          reject(new LambdaTimeoutError(this.definition.displayName, this.definition.timeoutSeconds));
        }, timeoutMs);
      });
      const invocation = instance.invoke(event, requestId, Date.now() + timeoutMs);
      // After a timeout the killed process also rejects the invocation; that late rejection is expected.
      invocation.catch(() => {});
      const payload = await Promise.race([invocation, timeout]);
      return { payload, cold, durationMs: performance.now() - started, requestId };
    } finally {
      clearTimeout(timer);
      this.release(instance);
    }
  }

  /** Replaces the bundle or environment; running invocations finish on the old instances. */
  recycle(definition?: FunctionDefinition): void {
    if (definition) {
      this.definition = definition;
    }
    this.generation += 1;
    for (const instance of this.idle) {
      instance.kill();
    }
    this.idle = [];
  }

  /** Number of live instances, idle and busy. */
  get instanceCount(): number {
    return this.idle.length + this.busy.size;
  }

  stop(): void {
    this.generation += 1;
    for (const instance of [...this.idle, ...this.busy]) {
      instance.kill();
    }
    this.idle = [];
    this.busy.clear();
  }

  private async acquire(): Promise<{ instance: Instance; cold: boolean }> {
    for (;;) {
      const warm = this.idle.pop();
      if (warm && !warm.exited) {
        this.busy.add(warm);
        return { instance: warm, cold: false };
      }
      if (this.busy.size < this.maxInstances) {
        const instance = new Instance(this.definition, this.generation, this.output);
        this.busy.add(instance);
        return { instance, cold: true };
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(instance: Instance): void {
    this.busy.delete(instance);
    if (instance.exited || instance.generation !== this.generation) {
      instance.kill();
    } else {
      this.idle.push(instance);
    }
    this.waiting.shift()?.();
  }
}
