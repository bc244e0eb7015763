// Reloads functions when handler sources change: re-runs the synth (which rebuilds every bundle with the
// esbuild options the CDK app uses), reloads the template and recycles the functions whose bundle changed.

import { spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import { functionDefinitions, type LocalEndpoints } from './lambda/functions.js';
import type { FunctionRegistry } from './lambda/registry.js';
import type { Logger } from './log.js';
import type { LocalStack } from './template/stack.js';

export interface HandlerWatcherOptions {
  /** Loads the freshly synthesized template with the attributes known from earlier runs. */
  reloadStack: () => LocalStack;
  endpoints: LocalEndpoints;
  functions: FunctionRegistry;
  logger: Logger;
  repoRoot: string;
  /** Command that rebuilds the bundles. Default: `make -s synth` in the repository root. */
  rebuildCommand?: string[];
  /** Quiet period after the last change before rebuilding. Default: 300 ms. */
  debounceMs?: number;
  /** Folder whose changes trigger a rebuild. Default: handlers/src in the repository root. */
  watchDir?: string;
}

export class HandlerWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private rebuilding: Promise<void> | undefined;
  private changedAgain = false;

  constructor(private readonly options: HandlerWatcherOptions) {}

  start(): void {
    const folder = this.options.watchDir ?? join(this.options.repoRoot, 'handlers', 'src');
    this.watcher = watch(folder, { recursive: true }, () => this.schedule());
    this.options.logger.log('debug', `Watching ${folder} for handler changes`);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.rebuilding;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.rebuilding) {
        this.changedAgain = true;
        return;
      }
      this.rebuilding = this.rebuild().finally(() => {
        this.rebuilding = undefined;
        if (this.changedAgain) {
          this.changedAgain = false;
          this.schedule();
        }
      });
    }, this.options.debounceMs ?? 300);
  }

  private async rebuild(): Promise<void> {
    const { logger } = this.options;
    const [command, ...args] = this.options.rebuildCommand ?? ['make', '-s', 'synth'];
    const started = performance.now();
    logger.log('info', `Handler sources changed; rebuilding with ${[command, ...args].join(' ')}`);
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(command as string, args, {
        cwd: this.options.repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.on('exit', resolve);
      child.on('error', () => resolve(null));
    });
    if (code !== 0) {
      logger.log(
        'error',
        `Rebuild failed (exit code ${code}); the functions keep their previous bundles.\n${output.join('').slice(-3000)}`,
      );
      return;
    }
    this.options.functions.update(functionDefinitions(this.options.reloadStack(), this.options.endpoints));
    logger.log('info', `Rebuilt the bundles in ${Math.round(performance.now() - started)} ms`);
  }
}
