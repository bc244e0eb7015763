// Errors the generator raises: each names what was found, where (a JSON Pointer) and what to change.

export class GeneratorError extends Error {
  override name = 'GeneratorError';
}

/** The contract is valid YAML/JSON but breaks a rule one of the outputs depends on. */
export class ContractRuleError extends GeneratorError {
  override name = 'ContractRuleError';
  constructor(
    readonly location: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${location}: ${message}`, options);
  }
}

/** A schema fails to compile with Ajv (unknown keyword, invalid format, broken $ref). */
export class SchemaCompileError extends GeneratorError {
  override name = 'SchemaCompileError';
}
