// Cases where other generators emitted wrong or non-compiling TypeScript: discriminator literals, readOnly and
// writeOnly per direction, enum escaping, index signatures, nullable. The compile-time half lives in types/*.ts.

import { describe, expect, it } from 'vitest';
import { generateFixture, loadValidators, validator } from './support/fixtures.js';

function schemaBlock(types: string, name: string): string {
  const start = types.indexOf(`        ${name}:`);
  if (start === -1) throw new Error(`No schema ${name} in the emitted types.`);
  const end = types.indexOf('\n        };', start);
  return types.slice(start, end === -1 ? undefined : end);
}

describe('discriminator literals in types', () => {
  it('takes variant literals from the enum, never the schema name', async () => {
    const types = (await generateFixture('discriminator-types')).files.get('types/openapi.d.ts') ?? '';
    expect(types).not.toContain('"TextComment"];\n            kind');
    expect(types).not.toMatch(/kind\??: "TextComment"/);
    expect(types).not.toMatch(/type\??: "ConfirmationData(External|Internal)"/);
    expect(schemaBlock(types, 'TextComment')).toContain('kind: "text"');
  });

  it('pins mapped values onto variants that leave the tag open', async () => {
    const types = (await generateFixture('discriminator-types')).files.get('types/openapi.d.ts') ?? '';
    const shape = schemaBlock(types, 'Shape');
    expect(shape).toContain('shape: "round"');
    expect(shape).toContain('shape: "square"');
    expect(shape).not.toContain('"Circle";');
  });

  it('emits no never type for any schema', async () => {
    const types = (await generateFixture('discriminator-types')).files.get('types/openapi.d.ts') ?? '';
    const schemas = types.slice(types.indexOf('    schemas: {'), types.indexOf('    responses: never;'));
    expect(schemas).not.toContain('never');
  });

  it('accepts the typed payload in the validator', async () => {
    const validators = await loadValidators(await generateFixture('discriminator-types'));
    const post = validator(validators, 'Post');
    expect(post({ comments: [{ kind: 'text', text: 'hello' }, { kind: 'quote' }] })).toBe(true);
    expect(post({ comments: [{ kind: 'TextComment' }] })).toBe(false);
    const shape = validator(validators, 'Shape');
    expect(shape({ shape: 'round', radius: 2 })).toBe(true);
    expect(shape({ shape: 'Circle', radius: 2 })).toBe(false);
  });
});

describe('readOnly and writeOnly views', () => {
  it('emits a write view without readOnly properties', async () => {
    const types = (await generateFixture('read-write')).files.get('types/openapi.d.ts') ?? '';
    const write = schemaBlock(types, 'ItemWrite');
    expect(write).not.toContain('id');
    expect(write).toContain('secret: components["schemas"]["Secret"]');
    const read = schemaBlock(types, 'Item');
    expect(read).not.toContain('secret');
    expect(read).toContain('readonly id: string');
  });

  it('points request bodies at write views, responses at read views', async () => {
    const types = (await generateFixture('read-write')).files.get('types/openapi.d.ts') ?? '';
    const createItem = types.slice(types.indexOf('    createItem: {'), types.indexOf('    createOrder: {'));
    expect(createItem).toContain('"application/json": components["schemas"]["ItemWrite"]');
    expect(createItem).toContain('"application/json": components["schemas"]["Item"]');
    expect(schemaBlock(types, 'OrderWrite')).toContain('components["schemas"]["ItemWrite"][]');
  });

  it('validates each direction with its own required list', async () => {
    const validators = await loadValidators(await generateFixture('read-write'));
    const operation = validators.operations.createItem;
    expect(operation?.body?.({ name: 'n', secret: 'abcd' })).toBe(true);
    expect(operation?.body?.({ name: 'n' })).toBe(false);
    expect(operation?.body?.({ id: 'server-made', name: 'n', secret: 'abcd' })).toBe(false);
    const created = operation?.responses['201'];
    expect(created?.({ id: 'i', name: 'n' })).toBe(true);
    expect(created?.({ name: 'n' })).toBe(false);
    expect(created?.({ id: 'i', name: 'n', secret: 'abcd' })).toBe(false);
  });
});

describe('enum escaping and index signatures', () => {
  it('keeps every enum value as an exact string literal', async () => {
    const types = (await generateFixture('enum-index')).files.get('types/openapi.d.ts') ?? '';
    expect(types).toContain('Operator: "=" | "!=" | "<" | ">" | "~" | "IN";');
    expect(types).toContain('"a" | "\\\\" | "\\"" | "\'" | "${x}" | "*/"');
  });

  it('validates the backslash value exactly', async () => {
    const escaped = validator(await loadValidators(await generateFixture('enum-index')), 'Escaped');
    expect(escaped('\\')).toBe(true);
    expect(escaped('\\\\')).toBe(false);
    expect(escaped('${x}')).toBe(true);
  });

  it('widens the index signature to the named property types', async () => {
    const types = (await generateFixture('enum-index')).files.get('types/openapi.d.ts') ?? '';
    const report = schemaBlock(types, 'Report');
    expect(report).toMatch(/\[key: string\]: string\[\] \| components\["schemas"\]\["Operator"\] \| \{/);
  });
});

describe('nullable from OpenAPI 3.0', () => {
  it('types nullable schemas as T | null', async () => {
    const types = (await generateFixture('nullable')).files.get('types/openapi.d.ts') ?? '';
    const thing = schemaBlock(types, 'Thing');
    expect(thing).toContain('prop: components["schemas"]["Wrapper"] | null;');
    expect(thing).toContain('status: "foo" | "bar" | null;');
    expect(thing).toContain('note: string | null;');
  });
});
