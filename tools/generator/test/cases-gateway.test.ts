// Cases where the API Gateway importer rejected or silently weakened a definition: OpenAPI 3.1 and draft-6+
// keywords, keywords models do not support, and resource path rules.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportEntry } from '../src/emit/apigateway/report.js';
import { generate } from '../src/generate.js';
import { ContractRuleError } from '../src/util/errors.js';
import { compileGatewayModels } from './support/draft4.js';
import { generateFixture, loadValidators, outputJson, validator } from './support/fixtures.js';

interface GatewayDocument {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
  [key: string]: unknown;
}

async function gateway(name: string) {
  const result = await generateFixture(name);
  const document = outputJson<GatewayDocument>(result, 'apigateway/openapi.json');
  const report = outputJson<{ entries: ReportEntry[] }>(result, 'apigateway/report.json').entries;
  return { result, document, report, models: compileGatewayModels(document.components.schemas) };
}

describe('draft-4 lowering', () => {
  it('emits an OpenAPI 3.0.x document with draft-04 models', async () => {
    const { document, models } = await gateway('draft4-lowering');
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    for (const [name, model] of Object.entries(document.components.schemas)) {
      expect(models.meta(model), name).toBe(true);
    }
  });

  it('rewrites exclusiveMinimum and const', async () => {
    const { document } = await gateway('draft4-lowering');
    const measurement = document.components.schemas.Measurement as { properties: Record<string, unknown> };
    expect(measurement.properties.n).toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true });
    expect(measurement.properties.unit).toEqual({ enum: ['x'] });
    expect(measurement).not.toHaveProperty('examples');
  });

  it('keeps null accepted where the type union admits it', async () => {
    const { document } = await gateway('draft4-lowering');
    const measurement = document.components.schemas.Measurement as { properties: Record<string, unknown> };
    expect(measurement.properties.note).toEqual({ maxLength: 10 });
    expect(measurement.properties.tags).toEqual({ items: { type: 'string' } });
  });

  const bodies: [string, unknown, boolean][] = [
    ['n = 0', { n: 0, unit: 'x' }, false],
    ['n > 0', { n: 0.1, unit: 'x' }, true],
    ['null note and tags', { n: 1, unit: 'x', note: null, tags: null }, true],
    ['wrong const', { n: 1, unit: 'y' }, false],
    ['missing unit', { n: 1 }, false],
    ['long note', { n: 1, unit: 'x', note: 'x'.repeat(11) }, false],
  ];
  it.each(bodies)('gateway and Ajv agree: %s', async (_label, body, valid) => {
    const { result, models } = await gateway('draft4-lowering');
    const ajv = (await loadValidators(result)).operations.createMeasurement?.body;
    expect(ajv?.(body)).toBe(valid);
    expect(models.model('Measurement')(body)).toBe(valid);
  });
});

describe('unsupported model keywords', () => {
  it('removes discriminator, example and array descriptions', async () => {
    const { document } = await gateway('gateway-keywords');
    const text = JSON.stringify(document.components.schemas);
    expect(text).not.toContain('"discriminator"');
    expect(text).not.toContain('"example"');
    expect(text).not.toContain('"description"');
  });

  it('reports each removal with a JSON pointer', async () => {
    const { report } = await gateway('gateway-keywords');
    const find = (pointer: string, keyword: string) =>
      report.find((entry) => entry.pointer === pointer && entry.keyword === keyword);
    expect(find('/components/schemas/Shape/discriminator', 'discriminator')?.kind).toBe('not-enforced');
    expect(find('/components/schemas/Note/properties/updatedOn/example', 'example')?.kind).toBe('annotation');
    expect(find('/components/schemas/Note/properties/labels/description', 'description')?.kind).toBe(
      'annotation',
    );
  });

  it('lists the not-enforced constraints in report.md', async () => {
    const { result } = await gateway('gateway-keywords');
    const markdown = result.files.get('apigateway/report.md') ?? '';
    expect(markdown).toContain('`/components/schemas/Shape/discriminator`');
    expect(markdown).toMatch(/## Annotations removed \(\d+\)/);
  });

  const notes: [string, unknown, boolean][] = [
    ['valid note', { text: 'hi', labels: ['a'] }, true],
    ['missing text', { labels: [] }, false],
    ['text too long', { text: 'x'.repeat(21) }, false],
    ['extra property', { text: 'hi', color: 'red' }, false],
    ['label of wrong type', { text: 'hi', labels: [1] }, false],
  ];
  it.each(notes)('gateway and Ajv reject the same bodies: %s', async (_label, body, valid) => {
    const { result, models } = await gateway('gateway-keywords');
    const validators = await loadValidators(result);
    expect(validator(validators, 'Note')(body)).toBe(valid);
    expect(models.model('Note')(body)).toBe(valid);
  });

  it('passes the draft-04 meta-schema for every model', async () => {
    const { document, models } = await gateway('gateway-keywords');
    for (const [name, model] of Object.entries(document.components.schemas))
      expect(models.meta(model), name).toBe(true);
  });
});

describe('nullable in gateway models', () => {
  const things: [string, unknown, boolean][] = [
    ['all null', { prop: null, status: null, note: null }, true],
    ['all set', { prop: { value: 'v' }, status: 'foo', note: 'abc' }, true],
    ['status outside the enum', { prop: null, status: 'baz', note: null }, false],
  ];
  it.each(things)(
    'Ajv verdict %s; the gateway never rejects what Ajv accepts',
    async (_label, body, valid) => {
      const { result, models } = await gateway('nullable');
      const ajv = (await loadValidators(result)).operations.createThing?.body;
      expect(ajv?.(body)).toBe(valid);
      if (valid) expect(models.model('Thing')(body)).toBe(true);
    },
  );

  it('adds null to the nullable enum in the model', async () => {
    const { document } = await gateway('nullable');
    const thing = document.components.schemas.Thing as { properties: Record<string, { enum?: unknown[] }> };
    expect(thing.properties.status?.enum).toEqual(['foo', 'bar', null]);
  });
});

describe('gateway definition structure', () => {
  it('wires every operation to its function with a proxy integration', async () => {
    const { document } = await gateway('websocket');
    const operation = document.paths['/disasters/{disasterId}']?.get;
    expect(operation?.['x-amazon-apigateway-integration']).toEqual({
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: '${KatAppFunctionUri:disasters}',
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 29000,
    });
    expect(operation?.security).toEqual([{ katappAuthorizer: [] }]);
    expect(operation?.['x-katapp-rights']).toEqual(['ActionViewDisaster']);
    expect(operation?.['x-amazon-apigateway-request-validator']).toBe('parameters');
  });

  it('declares the Lambda REQUEST authorizer', async () => {
    const { document } = await gateway('websocket');
    expect(document.components.securitySchemes.katappAuthorizer).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: 'method.request.header.Authorization',
        authorizerUri: '${KatAppFunctionUri:authorizer}',
        authorizerResultTtlInSeconds: 300,
      },
    });
  });

  it('answers CORS preflights with a mock integration', async () => {
    const { document } = await gateway('websocket');
    const options = document.paths['/disasters/{disasterId}']?.options as Record<
      string,
      Record<string, unknown>
    >;
    const integration = options['x-amazon-apigateway-integration'] as {
      type: string;
      responses: Record<string, unknown>;
    };
    expect(integration.type).toBe('mock');
    expect(JSON.stringify(integration.responses)).toContain("'GET,OPTIONS'");
  });

  it('defines problem+json gateway responses with CORS', async () => {
    const { document } = await gateway('websocket');
    const responses = document['x-amazon-apigateway-gateway-responses'] as Record<
      string,
      Record<string, Record<string, string>>
    >;
    for (const type of [
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'BAD_REQUEST_BODY',
      'BAD_REQUEST_PARAMETERS',
      'UNAUTHORIZED',
      'ACCESS_DENIED',
      'THROTTLED',
      'REQUEST_TOO_LARGE',
      'MISSING_AUTHENTICATION_TOKEN',
      'INTEGRATION_TIMEOUT',
    ]) {
      const response = responses[type];
      expect(response?.responseParameters?.['gatewayresponse.header.Content-Type'], type).toBe(
        "'application/problem+json'",
      );
      expect(response?.responseParameters?.['gatewayresponse.header.Access-Control-Allow-Origin'], type).toBe(
        "'*'",
      );
      const template = response?.responseTemplates?.['application/json'] ?? '';
      const sample = template
        .replace('$context.error.messageString', '"message"')
        .replace('$context.requestId', 'r-1');
      expect(JSON.parse(sample).code, type).toMatch(/^[A-Z_]+$/);
    }
    expect(responses.BAD_REQUEST_BODY?.statusCode).toBe('400');
  });

  it('names models with alphanumerics only', async () => {
    const { document } = await gateway('read-write');
    for (const name of Object.keys(document.components.schemas)) expect(name).toMatch(/^[A-Za-z0-9]+$/);
    expect(document.paths['/items']?.post?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemWrite' } } },
    });
  });
});

describe('resource path rules', () => {
  function specWithPaths(paths: string[]): string {
    const directory = mkdtempSync(join(tmpdir(), 'katapp-paths-'));
    const operations = paths.map((path, index) => {
      const parameters = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map(
        (match) => `        - {name: ${match[1]}, in: path, required: true, schema: {type: string}}`,
      );
      return [
        `  '${path}':`,
        '    get:',
        `      operationId: op${index}`,
        '      tags: [things]',
        ...(parameters.length > 0 ? ['      parameters:', ...parameters] : []),
        "      responses: {'200': {description: OK}}",
      ].join('\n');
    });
    const file = join(directory, 'openapi.yaml');
    writeFileSync(
      file,
      ['openapi: 3.1.0', 'info: {title: paths, version: 1.0.0}', 'paths:', ...operations].join('\n'),
    );
    return file;
  }

  it('rejects a parameter that is not a whole segment', async () => {
    const attempt = generate({ openapiPath: specWithPaths(['/photos/{photoId}.png']) });
    await expect(attempt).rejects.toThrow(ContractRuleError);
    await expect(attempt).rejects.toThrow(/whole segment/);
  });

  it('rejects sibling parameters with different names', async () => {
    const attempt = generate({ openapiPath: specWithPaths(['/user/{bizId}/x', '/user/{userId}/y']) });
    await expect(attempt).rejects.toThrow(/\{userId\} sits where \/user\/\{bizId\}\/x uses \{bizId\}/);
  });

  it('accepts siblings that share a name', async () => {
    const result = await generate({ openapiPath: specWithPaths(['/user/{id}/x', '/user/{id}/y']) });
    expect(result.files.has('apigateway/openapi.json')).toBe(true);
  });
});
