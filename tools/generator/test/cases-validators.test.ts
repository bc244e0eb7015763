// Cases where Ajv-based validation broke on OpenAPI input: annotation keywords in strict mode, discriminators,
// date-time strictness and OpenAPI formats, parameter coercion, and parameter collection by style.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate.js';
import { SchemaCompileError } from '../src/util/errors.js';
import { fixturePath, generateFixture, loadValidators, validator, writeOutput } from './support/fixtures.js';

interface OperationsModule {
  routes: readonly {
    operationId: string;
    parameters: readonly {
      name: string;
      in: string;
      style: string;
      explode: boolean;
      type: string;
      itemType?: string;
    }[];
  }[];
  collectParameters: (
    operationId: string,
    raw: Record<string, Record<string, string | string[] | undefined> | null>,
  ) => { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
}

async function loadOperations(name: string): Promise<OperationsModule> {
  const directory = await writeOutput(await generateFixture(name));
  return (await import(join(directory, 'operations/index.ts'))) as OperationsModule;
}

describe('parameter styles and collectParameters', () => {
  it('records style, explode and types per parameter', async () => {
    const { routes } = await loadOperations('parameter-styles');
    const parameters = routes.find((route) => route.operationId === 'getHello')?.parameters ?? [];
    const byName = Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter]));
    expect(byName.slug).toMatchObject({ in: 'path', style: 'simple', explode: false, type: 'string' });
    expect(byName.ids).toMatchObject({
      in: 'query',
      style: 'form',
      explode: false,
      type: 'array',
      itemType: 'integer',
    });
    expect(byName.tags).toMatchObject({ style: 'form', explode: true, type: 'array', itemType: 'string' });
    expect(byName.piped).toMatchObject({ style: 'pipeDelimited', explode: false });
    expect(byName.spaced).toMatchObject({ style: 'spaceDelimited', explode: false });
    expect(byName.filter).toMatchObject({ style: 'deepObject', explode: true, type: 'object' });
    expect(byName['X-Request-Tags']).toMatchObject({ in: 'header', style: 'simple', type: 'array' });
  });

  it('collects serialized values back into declared shapes', async () => {
    const { collectParameters } = await loadOperations('parameter-styles');
    const collected = collectParameters('getHello', {
      // API Gateway passes the path value percent-encoded as sent and decodes query values.
      pathParameters: { slug: '%2Ffoo%3Fbar' },
      queryStringParameters: {
        ids: '1,2,3',
        tags: 'b',
        piped: '4|5',
        spaced: 'x y',
        limit: '10',
        'filter[values]': 'v',
      },
      multiValueQueryStringParameters: {
        ids: ['1,2,3'],
        tags: ['a', 'b'],
        piped: ['4|5'],
        spaced: ['x y'],
        limit: ['7', '10'],
        'filter[values]': ['v'],
      },
      headers: { 'x-request-tags': 'red, green', 'if-match': '"v1"' },
      multiValueHeaders: null,
    });
    expect(collected.path).toEqual({ slug: '/foo?bar' });
    expect(collected.query).toEqual({
      ids: ['1', '2', '3'],
      tags: ['a', 'b'],
      piped: ['4', '5'],
      spaced: ['x', 'y'],
      limit: '10',
      filter: { values: 'v' },
    });
    expect(collected.header).toEqual({ 'X-Request-Tags': ['red', 'green'], 'If-Match': '"v1"' });
  });

  it('feeds the parameter validators, which coerce to the declared types', async () => {
    const { collectParameters } = await loadOperations('parameter-styles');
    const validators = await loadValidators(await generateFixture('parameter-styles'));
    const collected = collectParameters('getHello', {
      pathParameters: { slug: 'x' },
      queryStringParameters: null,
      multiValueQueryStringParameters: { ids: ['1,2,3'], piped: ['4|5'], limit: ['10'] },
      headers: null,
    });
    const query = validators.operations.getHello?.query;
    expect(query?.(collected.query)).toBe(true);
    expect(collected.query).toEqual({ ids: [1, 2, 3], piped: [4, 5], limit: 10 });
    expect(query?.({ limit: '0' })).toBe(false);
    expect(query?.({ ids: ['x'] })).toBe(false);
  });

  it('reads a single query value when no multi-value map is given', async () => {
    const { collectParameters } = await loadOperations('parameter-styles');
    const collected = collectParameters('getHello', {
      pathParameters: null,
      queryStringParameters: { tags: 'a' },
    });
    expect(collected.query).toEqual({ tags: ['a'] });
  });
});

describe('OpenAPI keywords in strict mode', () => {
  it('compiles annotation and x- keywords and still validates', async () => {
    const contact = validator(await loadValidators(await generateFixture('annotation-keywords')), 'Contact');
    expect(contact({ email: 'a@b.c', name: 'abc' })).toBe(true);
    expect(contact({ email: 5 })).toBe(false);
    expect(contact({ name: 'abcd' })).toBe(false);
  });

  it('rejects a misspelled keyword at generate time', async () => {
    const attempt = generate({ openapiPath: fixturePath('keyword-typo.yaml') });
    await expect(attempt).rejects.toThrow(SchemaCompileError);
    await expect(attempt).rejects.toThrow(/maxLenght/);
  });
});

describe('discriminator validation', () => {
  it('validates the branch the mapping selects', async () => {
    const validators = await loadValidators(await generateFixture('discriminator-validation'));
    for (const name of ['PetChoice', 'PetAny']) {
      const pet = validator(validators, name);
      expect(pet({ petType: 'cat', huntingSkill: 'lazy' }), name).toBe(true);
      expect(pet({ petType: 'dog', packSize: 3 }), name).toBe(true);
      expect(pet({ petType: 'cat', packSize: 3 }), name).toBe(false);
      expect(pet({ petType: 'bird' }), name).toBe(false);
    }
  });

  it('reports errors from the selected branch only', async () => {
    const pet = validator(
      await loadValidators(await generateFixture('discriminator-validation')),
      'PetChoice',
    );
    expect(pet({ petType: 'cat', packSize: 3 })).toBe(false);
    const errors = pet.errors ?? [];
    expect(errors.some((error) => error.params.missingProperty === 'huntingSkill')).toBe(true);
    expect(errors.some((error) => JSON.stringify(error).includes('packSize'))).toBe(false);
    expect(errors.some((error) => error.keyword === 'oneOf')).toBe(false);
  });

  it('rejects an unknown tag with an enum error', async () => {
    const pet = validator(
      await loadValidators(await generateFixture('discriminator-validation')),
      'PetChoice',
    );
    expect(pet({ petType: 'bird' })).toBe(false);
    expect(pet.errors?.map((error) => error.keyword)).toEqual(['enum']);
  });

  it('dispatches a base schema to its allOf-inheriting variants', async () => {
    const vehicle = validator(
      await loadValidators(await generateFixture('discriminator-validation')),
      'Vehicle',
    );
    expect(vehicle({ kind: 'car', doors: 4 })).toBe(true);
    expect(vehicle({ kind: 'car' })).toBe(false);
    expect(vehicle({ kind: 'bike', gears: 3 })).toBe(true);
    expect(vehicle({ kind: 'bike' })).toBe(false);
    expect(vehicle({ kind: 'boat' })).toBe(false);
  });

  it('keeps variants valid on their own', async () => {
    const validators = await loadValidators(await generateFixture('discriminator-validation'));
    expect(validator(validators, 'Car')({ kind: 'car', doors: 2 })).toBe(true);
    expect(validator(validators, 'Bike')({ kind: 'car', gears: 2 })).toBe(false);
  });
});

describe('formats', () => {
  const dateTimes: [string, boolean][] = [
    ['2018-01-26T00:18:49.000Z', true],
    ['2024-01-15T14:30:00+05:30', true],
    ['2024-01-15t14:30:00z', true],
    // A leap second is valid RFC 3339, but JavaScript dates cannot hold it, so the platform rejects it.
    ['2016-12-31T23:59:60Z', false],
    ['2026-12-05T00:25:60Z', false],
    ['2018-01-26T00:18:49.000', false],
    ['2024-01-15T14:30:00+0530', false],
    ['2023-12-11T23:03:23.568+09', false],
    ['2023-02-29T10:00:00Z', false],
    ['2024-02-29T10:00:00Z', true],
    ['2024-01-15T24:00:00Z', false],
    ['2024-01-15', false],
  ];
  it.each(dateTimes)('date-time %s → %s', async (value, valid) => {
    const event = validator(await loadValidators(await generateFixture('formats')), 'Event');
    expect(event({ at: value })).toBe(valid);
  });

  const others: [string, unknown, boolean][] = [
    ['day', '2024-02-29', true],
    ['day', '2023-02-29', false],
    ['id', '0b6f3d4e-2c1a-4f7e-9a55-3c2d1e0f9a87', true],
    ['id', '0b6f3d4e2c1a4f7e9a553c2d1e0f9a87', false],
    ['contact', 'anna.schmidt@klinikum-nord.example', true],
    ['contact', 'anna@', false],
    ['link', 'https://example.com/a?b=c', true],
    ['link', '/relative', false],
    ['relative', '/problems/validation-failed', true],
    ['relative', 'has space', false],
    ['count', 2147483647, true],
    ['count', 2147483648, false],
    ['total', 2 ** 40, true],
    ['ratio', 0.5, true],
    ['precise', 1e300, true],
    ['blob', 'aGVsbG8=', true],
    ['blob', 'not base64!', false],
    ['file', 'anything', true],
    ['secret', 'anything', true],
  ];
  it.each(others)('%s = %j → %s', async (property, value, valid) => {
    const event = validator(await loadValidators(await generateFixture('formats')), 'Event');
    expect(event({ [property]: value })).toBe(valid);
  });

  it('bundles validators without run-time imports', async () => {
    const code = (await generateFixture('formats')).files.get('validators/index.js') ?? '';
    expect(code).not.toMatch(/\brequire\(["']/);
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/\bimport\(/);
  });
});

describe('parameter coercion', () => {
  it('coerces query strings but never JSON bodies', async () => {
    const operation = (await loadValidators(await generateFixture('coercion'))).operations.search;
    const single = { tags: 'a' };
    expect(operation?.query?.(single)).toBe(true);
    expect(single).toEqual({ tags: ['a'] });
    const many = { tags: ['a', 'b'], limit: '10' };
    expect(operation?.query?.(many)).toBe(true);
    expect(many).toEqual({ tags: ['a', 'b'], limit: 10 });
    expect(operation?.query?.({ filter: { values: 'v' } })).toBe(true);
    expect(operation?.query?.({ limit: 'ten' })).toBe(false);
    // Ajv coerces "Infinity" to a number and skips range checks for it; the adapter rejects non-finite values.
    const infinite: Record<string, unknown> = { limit: 'Infinity' };
    expect(operation?.query?.(infinite)).toBe(true);
    expect(infinite.limit).toBe(Number.POSITIVE_INFINITY);
    expect(operation?.body?.({ count: '5' })).toBe(false);
    expect(operation?.body?.({ count: 5 })).toBe(true);
  });
});
