// Given → expected tables for the individual transforms of the pipeline.

import { describe, expect, it } from 'vitest';
import { lowerToDraft4 } from '../src/emit/apigateway/draft4-model.js';
import { checkGatewayPaths } from '../src/emit/apigateway/path-rules.js';
import { GatewayReport } from '../src/emit/apigateway/report.js';
import { collectOperations } from '../src/model/operations.js';
import { dispatchSchemas } from '../src/transforms/ajv-discriminator.js';
import { findDiscriminators } from '../src/transforms/discriminator-mapping.js';
import { convertOpenApi30Schema } from '../src/transforms/openapi30-schema.js';
import { componentsNeedingWriteView, viewSchema } from '../src/transforms/read-write-views.js';
import { withoutAnnotations } from '../src/transforms/validation-annotations.js';
import { ContractRuleError } from '../src/util/errors.js';
import type { JsonObject, JsonValue } from '../src/util/json.js';

describe('convertOpenApi30Schema', () => {
  const table: [string, JsonObject, JsonObject][] = [
    ['nullable type', { type: 'string', nullable: true }, { type: ['string', 'null'] }],
    [
      'nullable enum',
      { type: 'string', nullable: true, enum: ['a'] },
      { type: ['string', 'null'], enum: ['a', null] },
    ],
    [
      'nullable without type',
      { nullable: true, description: 'd', allOf: [{ $ref: '#/components/schemas/W' }] },
      { description: 'd', anyOf: [{ allOf: [{ $ref: '#/components/schemas/W' }] }, { type: 'null' }] },
    ],
    ['nullable false', { type: 'string', nullable: false }, { type: 'string' }],
    [
      'exclusive minimum',
      { type: 'number', minimum: 0, exclusiveMinimum: true },
      { type: 'number', exclusiveMinimum: 0 },
    ],
    [
      'exclusive maximum false',
      { type: 'number', maximum: 5, exclusiveMaximum: false },
      { type: 'number', maximum: 5 },
    ],
    ['unchanged', { type: 'integer', example: 3 }, { type: 'integer', example: 3 }],
  ];
  it.each(table)('%s', (_label, given, expected) => {
    expect(convertOpenApi30Schema(given)).toEqual(expected);
  });
});

function documentWith(schemas: JsonObject): JsonObject {
  return { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } };
}

describe('withoutAnnotations', () => {
  const table: [string, JsonObject, JsonObject][] = [
    [
      'metadata keywords',
      {
        type: 'string',
        title: 't',
        description: 'd',
        default: 'a',
        examples: ['a'],
        example: 'a',
        $comment: 'c',
      },
      { type: 'string' },
    ],
    [
      'OpenAPI and extension keywords',
      {
        type: 'object',
        readOnly: true,
        xml: { name: 'x' },
        externalDocs: { url: 'u' },
        'x-katapp-rights': [],
      },
      { type: 'object' },
    ],
    [
      'nested subschemas',
      {
        properties: { a: { type: 'integer', description: 'd' } },
        allOf: [{ deprecated: true, minimum: 1 }],
        items: { writeOnly: true, maxLength: 3 },
      },
      { properties: { a: { type: 'integer' } }, allOf: [{ minimum: 1 }], items: { maxLength: 3 } },
    ],
    [
      'property and enum value named like an annotation',
      {
        properties: { description: { type: 'string' } },
        required: ['description'],
        enum: [{ description: 'kept' }],
        const: { title: 'kept' },
      },
      {
        properties: { description: { type: 'string' } },
        required: ['description'],
        enum: [{ description: 'kept' }],
        const: { title: 'kept' },
      },
    ],
    [
      'validation keywords kept',
      { $id: 'https://katapp.invalid/x', type: 'string', format: 'uuid', pattern: '^a', maxLength: 36 },
      { $id: 'https://katapp.invalid/x', type: 'string', format: 'uuid', pattern: '^a', maxLength: 36 },
    ],
  ];
  it.each(table)('%s', (_name, given, expected) => {
    expect(withoutAnnotations(given)).toEqual(expected);
  });

  it('leaves its input unchanged', () => {
    const given: JsonObject = { type: 'string', description: 'd' };
    withoutAnnotations(given);
    expect(given).toEqual({ type: 'string', description: 'd' });
  });
});

describe('findDiscriminators', () => {
  const open = { type: 'object', properties: { kind: { type: 'string' } } };
  const table: [string, JsonObject, Record<string, string[]>][] = [
    [
      'values from each variant enum',
      {
        U: {
          oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }],
          discriminator: { propertyName: 'kind' },
        },
        A: { type: 'object', properties: { kind: { enum: ['a'] } } },
        B: { type: 'object', properties: { kind: { const: 'b' } } },
      },
      { '#/components/schemas/A': ['a'], '#/components/schemas/B': ['b'] },
    ],
    [
      'schema name when the variant leaves the tag open',
      {
        U: { anyOf: [{ $ref: '#/components/schemas/A' }], discriminator: { propertyName: 'kind' } },
        A: open,
      },
      { '#/components/schemas/A': ['A'] },
    ],
    [
      'explicit mapping with a bare name',
      {
        U: {
          oneOf: [{ $ref: '#/components/schemas/A' }],
          discriminator: { propertyName: 'kind', mapping: { x: 'A', y: '#/components/schemas/A' } },
        },
        A: open,
      },
      { '#/components/schemas/A': ['x', 'y'] },
    ],
    [
      'allOf inheritance',
      {
        Base: {
          type: 'object',
          properties: { kind: { type: 'string' } },
          discriminator: { propertyName: 'kind' },
        },
        A: { allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { kind: { enum: ['a'] } } }] },
      },
      { '#/components/schemas/A': ['a'] },
    ],
  ];
  it.each(table)('%s', (_label, schemas, expected) => {
    const [site] = findDiscriminators(documentWith(schemas));
    expect(Object.fromEntries(site?.variants.map((variant) => [variant.ref, variant.values]) ?? [])).toEqual(
      expected,
    );
  });

  it('rejects a mapping that contradicts the variant enum', () => {
    const schemas = {
      U: {
        oneOf: [{ $ref: '#/components/schemas/A' }],
        discriminator: { propertyName: 'kind', mapping: { b: 'A' } },
      },
      A: { type: 'object', properties: { kind: { enum: ['a'] } } },
    };
    expect(() => findDiscriminators(documentWith(schemas))).toThrow(
      /"b" select #\/components\/schemas\/A, but that schema only allows kind = "a"/,
    );
  });

  it('rejects one value for two variants', () => {
    const schemas = {
      U: {
        oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }],
        discriminator: { propertyName: 'kind' },
      },
      A: { type: 'object', properties: { kind: { enum: ['a'] } } },
      B: { type: 'object', properties: { kind: { enum: ['a'] } } },
    };
    expect(() => findDiscriminators(documentWith(schemas))).toThrow(ContractRuleError);
  });
});

describe('read and write views', () => {
  const document = documentWith({
    Item: {
      type: 'object',
      required: ['id', 'name', 'secret'],
      properties: {
        id: { type: 'string', readOnly: true },
        name: { type: 'string' },
        secret: { $ref: '#/components/schemas/Secret' },
      },
    },
    Secret: { type: 'string', writeOnly: true },
    Box: { type: 'object', properties: { item: { $ref: '#/components/schemas/Item' } } },
    Plain: { type: 'object', properties: { n: { type: 'number' } } },
  });
  const needing = componentsNeedingWriteView(document);

  it('finds components that reach directional properties', () => {
    expect([...needing].sort()).toEqual(['Box', 'Item']);
  });

  const table: [string, JsonValue, 'read' | 'write', JsonValue][] = [
    [
      'read view keeps component references',
      { $ref: '#/components/schemas/Item' },
      'read',
      { $ref: '#/components/schemas/Item' },
    ],
    [
      'write view points at the write component',
      { $ref: '#/components/schemas/Box' },
      'write',
      { $ref: '#/components/schemas/BoxWrite' },
    ],
    [
      'unaffected component keeps its name',
      { $ref: '#/components/schemas/Plain' },
      'write',
      { $ref: '#/components/schemas/Plain' },
    ],
    [
      'inline object in write direction',
      {
        type: 'object',
        required: ['id', 'x'],
        properties: { id: { readOnly: true }, x: { type: 'string' } },
      },
      'write',
      { type: 'object', required: ['x'], properties: { x: { type: 'string' } } },
    ],
    [
      'inline object in read direction',
      {
        type: 'object',
        required: ['pw'],
        properties: { pw: { $ref: '#/components/schemas/Secret' }, x: {} },
      },
      'read',
      { type: 'object', properties: { x: {} } },
    ],
  ];
  it.each(table)('%s', (_label, given, direction, expected) => {
    expect(viewSchema(document, given, direction, needing)).toEqual(expected);
  });
});

describe('dispatchSchemas', () => {
  it('checks the tag, then applies one branch per variant', () => {
    // biome-ignore-start lint/suspicious/noThenProperty: `then` is the JSON Schema keyword.
    expect(dispatchSchemas('t', { a: '#/A', b: '#/B', c: '#/B' })).toEqual([
      { required: ['t'], properties: { t: { enum: ['a', 'b', 'c'] } } },
      { if: { required: ['t'], properties: { t: { const: 'a' } } }, then: { $ref: '#/A' } },
      { if: { required: ['t'], properties: { t: { enum: ['b', 'c'] } } }, then: { $ref: '#/B' } },
    ]);
    // biome-ignore-end lint/suspicious/noThenProperty: `then` is the JSON Schema keyword.
  });
});

describe('lowerToDraft4', () => {
  const lower = (schema: JsonValue) => {
    const report = new GatewayReport();
    const model = lowerToDraft4(schema, '/components/schemas/M', {
      report,
      model: 'M',
      modelName: (name) => name.replace(/[^A-Za-z0-9]/g, ''),
      sourcePointer: (location) => location,
    });
    return { model, report: report.sorted().map((entry) => `${entry.kind} ${entry.pointer}`) };
  };
  const table: [string, JsonValue, JsonObject, string[]][] = [
    ['const', { const: 'x' }, { enum: ['x'] }, ['rewritten /components/schemas/M/const']],
    [
      'numeric exclusiveMinimum',
      { type: 'number', exclusiveMinimum: 0 },
      { type: 'number', minimum: 0, exclusiveMinimum: true },
      ['rewritten /components/schemas/M/exclusiveMinimum'],
    ],
    ['looser exclusiveMaximum next to maximum', { maximum: 5, exclusiveMaximum: 9 }, { maximum: 5 }, []],
    [
      'nullable type',
      { type: ['string', 'null'], maxLength: 3 },
      { maxLength: 3 },
      ['not-enforced /components/schemas/M/type'],
    ],
    ['single-entry type array', { type: ['integer'] }, { type: 'integer' }, []],
    [
      'format and example',
      { type: 'string', format: 'uuid', example: 'x' },
      { type: 'string' },
      ['annotation /components/schemas/M/example', 'not-enforced /components/schemas/M/format'],
    ],
    [
      'composition',
      { oneOf: [{ type: 'string' }], discriminator: { propertyName: 'k' } },
      {},
      ['not-enforced /components/schemas/M/discriminator', 'not-enforced /components/schemas/M/oneOf'],
    ],
    [
      'patternProperties takes additionalProperties with it',
      { type: 'object', patternProperties: { '^x': {} }, additionalProperties: false },
      { type: 'object' },
      [
        'not-enforced /components/schemas/M/additionalProperties',
        'not-enforced /components/schemas/M/patternProperties',
      ],
    ],
    [
      'reference',
      { $ref: '#/components/schemas/Item_Write', description: 'd' },
      { $ref: '#/components/schemas/ItemWrite' },
      [],
    ],
    [
      'nested properties',
      { type: 'object', properties: { a: { const: 1 } }, required: ['a'] },
      { type: 'object', properties: { a: { enum: [1] } }, required: ['a'] },
      ['rewritten /components/schemas/M/properties/a/const'],
    ],
  ];
  it.each(table)('%s', (_label, given, expected, reported) => {
    const { model, report } = lower(given);
    expect(model).toEqual(expected);
    expect(report).toEqual(reported);
  });
});

describe('lowerToDraft4 allOf merging', () => {
  const components: JsonObject = {
    Fields: {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
    },
    Open: { type: 'object', properties: { c: {} }, additionalProperties: { type: 'string' } },
    Choice: { oneOf: [{ type: 'object' }] },
  };
  const lower = (schema: JsonValue) =>
    lowerToDraft4(schema, '/components/schemas/M', {
      report: new GatewayReport(),
      model: 'M',
      modelName: (name) => name,
      sourcePointer: (location) => location,
      components,
    });
  const table: [string, JsonValue, JsonObject][] = [
    [
      'closed allOf becomes one closed model',
      { allOf: [{ $ref: '#/components/schemas/Fields' }, { required: ['b'] }], unevaluatedProperties: false },
      {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'integer' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
    ],
    [
      'single part with annotations only',
      { allOf: [{ $ref: '#/components/schemas/Fields' }], readOnly: true },
      { $ref: '#/components/schemas/Fields' },
    ],
    [
      'part with an additionalProperties schema is not merged',
      {
        allOf: [{ $ref: '#/components/schemas/Open' }, { $ref: '#/components/schemas/Fields' }],
        unevaluatedProperties: false,
      },
      {},
    ],
    [
      'part with oneOf is not merged',
      { allOf: [{ $ref: '#/components/schemas/Choice' }, { $ref: '#/components/schemas/Fields' }] },
      {},
    ],
  ];
  it.each(table)('%s', (_label, given, expected) => {
    expect(lower(given)).toEqual(expected);
  });
});

describe('checkGatewayPaths', () => {
  const table: [string[], RegExp | null][] = [
    [['/patients/{patientId}', '/patients/{patientId}/triages', '/patients/by-code/{cardCode}'], null],
    [['/files/{proxy+}'], null],
    [['/photos/{photoId}.png'], /whole segment/],
    [['/e{id}'], /whole segment/],
    [['/a/{x}', '/a/{y}/b'], /sibling path parameters/],
    [['/files/{proxy+}/meta'], /must be the last segment/],
    [['/a b'], /not allowed/],
    [['/a//b'], /not allowed/],
  ];
  it.each(table)('%j', (paths, error) => {
    if (error === null) expect(() => checkGatewayPaths(paths)).not.toThrow();
    else expect(() => checkGatewayPaths(paths)).toThrow(error);
  });
});

describe('collectOperations rules', () => {
  const operation = (extra: JsonObject): JsonObject => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/x': {
        get: { operationId: 'getX', tags: ['things'], responses: { '200': { description: 'OK' } }, ...extra },
      },
    },
  });
  const table: [string, JsonObject, RegExp | null][] = [
    ['public operation', {}, null],
    ['two tags', { tags: ['a', 'b'] }, /exactly one lower-camel-case tag/],
    ['authenticated without rights', { security: [{ bearer: [] }] }, /needs x-katapp-rights/],
    ['unknown right', { security: [{ bearer: [] }], 'x-katapp-rights': ['Fly'] }, /unknown right "Fly"/],
    ['public with rights', { 'x-katapp-rights': ['Read'] }, /public operation .* cannot require rights/],
    ['optional authentication', { security: [{}, { bearer: [] }] }, /optional authentication/],
    ['no 2xx response', { responses: { '404': { description: 'No' } } }, /at least one 2xx/],
  ];
  it.each(table)('%s', (_label, extra, error) => {
    const collect = () => collectOperations(operation(extra), ['Read']);
    if (error === null) expect(collect()).toHaveLength(1);
    else expect(collect).toThrow(error);
  });
});
