// Compiles API Gateway models with Ajv's draft-04 support, as a stand-in for the gateway's own model validation.

import AjvDraft04Module from 'ajv-draft-04';
import { isObject, type JsonObject, type JsonValue } from '../../src/util/json.js';
import { mapSchema } from '../../src/util/schema-walk.js';

// CommonJS module: at run time the import is the class itself, while TypeScript types it as the namespace.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ??
  AjvDraft04Module) as unknown as typeof AjvDraft04Module.default;

export type Draft04Validate = ((data: unknown) => boolean) & { errors?: unknown };

/** Compiles the draft-04 meta-schema check and one validator per model. */
export function compileGatewayModels(models: Record<string, unknown>): {
  meta: (schema: unknown) => boolean;
  model: (name: string) => Draft04Validate;
} {
  const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false });
  const meta = ajv.getSchema('http://json-schema.org/draft-04/schema');
  if (meta === undefined) throw new Error('Ajv draft-04 lacks its meta-schema.');
  for (const [name, schema] of Object.entries(models)) {
    // Models reference each other as #/components/schemas/X; here each model is its own schema with id X.
    const rewritten = mapSchema(schema as JsonValue, '', (node) =>
      typeof node.$ref === 'string'
        ? { ...node, $ref: `${node.$ref.replace('#/components/schemas/', '')}#` }
        : node,
    );
    ajv.addSchema({ ...(isObject(rewritten) ? rewritten : {}), id: `${name}#` } as JsonObject, name);
  }
  return {
    meta: (schema) => meta(schema) as boolean,
    model: (name) => {
      const compiled = ajv.getSchema(name);
      if (compiled === undefined) throw new Error(`No gateway model ${name}.`);
      return compiled as Draft04Validate;
    },
  };
}
