// Tables of given → expected for the pure helpers of the mock's front proxy.

import { describe, expect, it } from 'vitest';
import { collectParameterNames } from '../src/contract.js';
import { isJsonMediaType, parseMediaType } from '../src/media-type.js';
import { clip, createProblem } from '../src/problem.js';
import { type PrismViolation, parseViolations, toFieldErrors, violationPointer } from '../src/violations.js';

describe('parseMediaType', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=utf-8', 'application/json'],
    ['application/merge-patch+json', 'application/merge-patch+json'],
    ['multipart/form-data; boundary="a b"', 'multipart/form-data'],
  ])('accepts %j', (value, essence) => {
    expect(parseMediaType(value)?.essence).toBe(essence);
  });

  it.each([
    ['undefined'],
    [''],
    ['application/'],
    ['application/json;'],
    ['application/json; charset'],
    ['a/b c'],
  ])('rejects %j', (value) => {
    expect(parseMediaType(value)).toBeUndefined();
  });

  it('detects JSON media types', () => {
    expect(isJsonMediaType({ essence: 'application/json' })).toBe(true);
    expect(isJsonMediaType({ essence: 'application/problem+json' })).toBe(true);
    expect(isJsonMediaType({ essence: 'text/plain' })).toBe(false);
  });
});

describe('violationPointer', () => {
  const names = new Map([
    ['triageid', 'triageId'],
    ['updatedsince', 'updatedSince'],
  ]);
  const violation = (location: string[], message = 'is invalid'): PrismViolation => ({
    location,
    message,
    severity: 'Error',
    code: 'x',
  });

  it.each([
    [['request', 'body', 'category'], 'is invalid', '/category'],
    [['request', 'body', 'injuries', '0', 'region'], 'is invalid', '/injuries/0/region'],
    [['request', 'body'], "Request body must have required property 'cardCode'", '/cardCode'],
    [
      ['request', 'body', 'position'],
      "Request body property position must have required property 'lat'",
      '/position/lat',
    ],
    [['request', 'body'], "Request body must NOT have additional properties; found 'foo'", '/foo'],
    [['request', 'body', 'a/b~c'], 'is invalid', '/a~1b~0c'],
    [['request', 'path', 'triageid'], 'is invalid', '/path/triageId'],
    [['request', 'query', 'updatedsince'], 'is invalid', '/query/updatedSince'],
    [['request', 'header', 'if-match'], 'is invalid', '/header/if-match'],
    [['request'], 'is invalid', ''],
  ])('maps %j', (location, message, pointer) => {
    expect(violationPointer(violation(location, message), names)).toBe(pointer);
  });
});

describe('toFieldErrors', () => {
  it('keeps errors and drops warnings and security violations', () => {
    const header = JSON.stringify([
      { location: ['request'], severity: 'Error', code: 401, message: 'Invalid security scheme used' },
      {
        location: ['request', 'body', 'stage'],
        severity: 'Error',
        code: 'enum',
        message: 'stage is invalid',
      },
      { location: ['request', 'body', 'note'], severity: 'Warning', code: 'x', message: 'note is odd' },
    ]);
    expect(toFieldErrors(parseViolations(header), new Map())).toEqual([
      { pointer: '/stage', message: 'stage is invalid' },
    ]);
  });

  it.each([[undefined], ['not json'], ['{"location":[]}'], ['[{"message":1}]']])(
    'ignores the header %j',
    (header) => {
      expect(parseViolations(header)).toEqual([]);
    },
  );
});

describe('createProblem', () => {
  it('fills type and request id and clips long text', () => {
    const problem = createProblem({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Request validation failed',
      detail: 'x'.repeat(3000),
      instance: '/health',
      errors: [{ pointer: '/a', message: `  ${'y'.repeat(600)}  ` }],
    });
    expect(problem.type).toBe('/problems/validation-failed');
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.detail).toHaveLength(2000);
    expect(problem.errors?.[0]?.message).toHaveLength(500);
  });

  it('clip collapses whitespace', () => {
    expect(clip('  a \n  b  ', 10)).toBe('a b');
  });
});

describe('collectParameterNames', () => {
  it('finds inline and component parameters', () => {
    const document = {
      paths: { '/x/{itemId}': { get: { parameters: [{ name: 'itemId', in: 'path' }] } } },
      components: {
        parameters: { Limit: { name: 'pageSize', in: 'query' } },
        schemas: { S: { properties: { name: { type: 'string' } } } },
      },
    };
    expect([...collectParameterNames(document).entries()]).toEqual([
      ['itemid', 'itemId'],
      ['pagesize', 'pageSize'],
    ]);
  });
});
