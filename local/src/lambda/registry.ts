// The local functions of a stack, found by ARN or name the way integrations and mappings reference them.

import { LocalTemplateError } from '../errors.js';
import type { Logger } from '../log.js';
import {
  type FunctionDefinition,
  type FunctionOutput,
  type InvocationResult,
  LocalFunction,
} from './runtime.js';

export interface Invocation extends InvocationResult {
  functionName: string;
}

export class FunctionRegistry {
  private readonly functions = new Map<string, LocalFunction>();
  private readonly invocationListeners = new Set<() => void>();

  constructor(
    definitions: FunctionDefinition[],
    output: FunctionOutput,
    private readonly logger: Logger,
  ) {
    for (const definition of definitions) {
      this.functions.set(definition.logicalId, new LocalFunction(definition, output));
    }
  }

  /** Finds a function by its ARN (also a qualified or alias ARN), physical name or logical id. */
  find(reference: string): LocalFunction | undefined {
    for (const localFunction of this.functions.values()) {
      const { arn, name, logicalId } = localFunction.definition;
      if (
        reference === arn ||
        reference === name ||
        reference === logicalId ||
        reference.startsWith(`${arn}:`)
      ) {
        return localFunction;
      }
    }
    return undefined;
  }

  get(reference: string): LocalFunction {
    const found = this.find(reference);
    if (!found) {
      throw new LocalTemplateError(
        `No function of the stack matches ${reference}; check the integration or mapping that references it.`,
      );
    }
    return found;
  }

  /** Invokes a function; `onStart` is called when an instance takes the invocation off the local queue. */
  async invoke(reference: string, event: unknown, onStart?: () => void): Promise<Invocation> {
    const localFunction = this.get(reference);
    try {
      const result = await localFunction.invoke(event, onStart);
      return { ...result, functionName: localFunction.definition.displayName };
    } finally {
      for (const listener of this.invocationListeners) listener();
    }
  }

  /**
   * Calls `listener` after every invocation, successful or not, because any of them may have written to a
   * table. Returns the function that removes the listener.
   */
  onInvocationEnd(listener: () => void): () => void {
    this.invocationListeners.add(listener);
    return () => this.invocationListeners.delete(listener);
  }

  all(): LocalFunction[] {
    return [...this.functions.values()];
  }

  /** Applies new definitions; a function whose bundle or environment changed is recycled. */
  update(definitions: FunctionDefinition[]): void {
    for (const definition of definitions) {
      const localFunction = this.functions.get(definition.logicalId);
      if (localFunction && JSON.stringify(localFunction.definition) !== JSON.stringify(definition)) {
        // Functions that never ran have nothing to reload, so their update is not worth a line.
        const level = localFunction.instanceCount > 0 ? 'info' : 'debug';
        localFunction.recycle(definition);
        this.logger.log(level, `Reloaded ${definition.displayName}; the next invocation starts cold`);
      }
    }
  }

  stop(): void {
    for (const localFunction of this.functions.values()) {
      localFunction.stop();
    }
  }
}
