import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../src/domain/content-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined properties', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak \u2028' })).toBe(
      JSON.stringify({ 'k"ey': 'line\nbreak \u2028' }),
    );
  });

  it('round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('contentHash', () => {
  it('ignores key order', () => {
    expect(contentHash({ category: 'red', stage: 'incident' })).toBe(
      contentHash({ stage: 'incident', category: 'red' }),
    );
  });

  it('differs when a value differs', () => {
    expect(contentHash({ category: 'red' })).not.toBe(contentHash({ category: 'yellow' }));
  });

  it('is the SHA-256 of the canonical text', () => {
    // sha256('{"a":1}') computed with `printf '{"a":1}' | sha256sum`.
    expect(contentHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});
