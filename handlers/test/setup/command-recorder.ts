/**
 * Records the name of every command the handlers send through the shared DynamoDB client (its middleware stack
 * also serves the document client), so tests can assert that no request path issues a Scan.
 */
import { dynamoDbClient } from '../../src/data/table.js';

const recorded: string[] = [];
let installed = false;

/** Installs the recorder on the handlers' client once per test file. */
export function installCommandRecorder(): void {
  if (installed) {
    return;
  }
  installed = true;
  dynamoDbClient().middlewareStack.add(
    (next, context) => async (args) => {
      recorded.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'katappTestCommandRecorder' },
  );
}

/** Returns the commands recorded so far, in order. */
export function recordedCommands(): readonly string[] {
  return recorded;
}

/** Returns the recorded commands that read a whole table or index. */
export function recordedScans(): string[] {
  return recorded.filter((name) => /Scan/i.test(name));
}

/** Removes the last recorded command of this name; for a test that sends a Scan on purpose. */
export function forgetRecordedCommand(name: string): void {
  const index = recorded.lastIndexOf(name);
  if (index >= 0) {
    recorded.splice(index, 1);
  }
}
