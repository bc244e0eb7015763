// Starts long-running helper processes (Java) so that they never outlive the platform.

import { type ChildProcess, spawn } from 'node:child_process';
import { LocalServiceError } from '../errors.js';

export interface GuardedProcess {
  child: ChildProcess;
  /** Sends SIGTERM to the whole process group, then SIGKILL after `graceMs`. Resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `command` in its own process group behind a small shell that waits on its stdin. When the
 * platform exits for any reason, even SIGKILL, the pipe closes, `read` returns and the shell kills the
 * command, so no Java process is left behind.
 */
export function spawnGuarded(
  command: string,
  args: string[],
  options: { cwd?: string } = {},
): GuardedProcess {
  const script = '"$@" </dev/null & child=$!; read -r _line; kill "$child" 2>/dev/null; wait "$child"';
  const child = spawn('/bin/sh', ['-c', script, 'guard', command, ...args], {
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    }
    child.once('exit', () => resolve());
  });
  return {
    child,
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        return;
      }
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // The shell may exit before the Java process it started; the group signal reaches both.
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw new LocalServiceError(`Failed to send ${signal} to process group ${pid}.`, { cause: error });
    }
  }
}
