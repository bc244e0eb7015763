// Errors raised by the local runtime. Each names what failed and what to do next.

/** Base class of every error the local runtime raises on purpose. */
export class LocalRuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The synthesized template or its asset manifest is missing or uses something the runtime cannot run. */
export class LocalTemplateError extends LocalRuntimeError {}

/** A local service (DynamoDB Local, s3rver, a site server) failed to start or stopped unexpectedly. */
export class LocalServiceError extends LocalRuntimeError {}

/** A Lambda invocation failed: the handler threw, returned an invalid result, timed out or its process died. */
export class LambdaInvocationError extends LocalRuntimeError {
  constructor(
    message: string,
    readonly errorType: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A Lambda invocation ran longer than the function's Timeout. */
export class LambdaTimeoutError extends LambdaInvocationError {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`Function ${functionName} timed out after ${timeoutSeconds} seconds.`, 'Sandbox.Timedout');
  }
}
