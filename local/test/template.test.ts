// Intrinsic functions and local identities of a synthesized template, and REST resource routing.

import { describe, expect, it } from 'vitest';
import { ResourceRouter } from '../src/rest/router.js';
import { type ReferenceResolver, resolveIntrinsics } from '../src/template/intrinsics.js';
import { LocalStack } from '../src/template/stack.js';
import { FIXTURE_STACK_DIR } from './support/fixture-platform.js';

const resolver: ReferenceResolver = {
  ref: (id) => (id === 'AWS::Region' ? 'eu-central-1' : `ref:${id}`),
  getAtt: (id, attribute) => `att:${id}.${attribute}`,
  condition: (name) => name === 'IsProd',
};

describe('resolveIntrinsics', () => {
  const table: Array<[string, unknown, unknown]> = [
    ['Ref', { Ref: 'Table' }, 'ref:Table'],
    ['GetAtt list', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'att:Fn.Arn'],
    ['GetAtt string', { 'Fn::GetAtt': 'Fn.Arn' }, 'att:Fn.Arn'],
    ['Join', { 'Fn::Join': ['/', ['a', { Ref: 'B' }]] }, 'a/ref:B'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders are plain strings
    ['Sub', { 'Fn::Sub': 'x-${AWS::Region}-${Fn.Arn}-${!Literal}' }, 'x-eu-central-1-att:Fn.Arn-${Literal}'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders are plain strings
    ['Sub with variables', { 'Fn::Sub': ['${A}-${B}', { A: 'one', B: { Ref: 'Two' } }] }, 'one-ref:Two'],
    ['Select', { 'Fn::Select': [1, ['a', 'b']] }, 'b'],
    ['Split', { 'Fn::Split': [',', 'a,b'] }, ['a', 'b']],
    ['Select of Split', { 'Fn::Select': [2, { 'Fn::Split': [':', 'arn:aws:lambda'] }] }, 'lambda'],
    ['If', { 'Fn::If': ['IsProd', 'prod', 'dev'] }, 'prod'],
    ['NoValue drops a key', { a: 1, b: { Ref: 'AWS::NoValue' } }, { a: 1 }],
  ];
  it.each(table)('%s', (_name, input, expected) => {
    expect(resolveIntrinsics(input, resolver)).toEqual(expected);
  });

  it('unknown function names itself and the path', () => {
    expect(() => resolveIntrinsics({ a: { 'Fn::ImportValue': 'x' } }, resolver)).toThrow(
      /Fn::ImportValue \(at \/a\)/,
    );
  });
});

describe('LocalStack', () => {
  const stack = new LocalStack({ cdkOutDir: FIXTURE_STACK_DIR, stackName: 'Fixture' });

  it('names resources after stack and logical id', () => {
    expect(stack.ref('DataTable')).toBe('Fixture-DataTable');
    expect(stack.ref('PhotoBucket')).toBe('fixture-photobucket');
    expect(stack.ref('SigningKeySecret')).toBe(
      'arn:aws:secretsmanager:eu-central-1:000000000000:secret:fixture/signing-key-local',
    );
  });

  it('finds function bundles through the asset manifest', () => {
    expect(stack.functionAssetDir('EchoFunction')).toBe(`${FIXTURE_STACK_DIR}/asset.echo`);
  });

  it('missing template names the make target', () => {
    expect(() => new LocalStack({ cdkOutDir: FIXTURE_STACK_DIR, stackName: 'Missing' })).toThrow(
      /make synth/,
    );
  });
});

describe('ResourceRouter', () => {
  const router = new ResourceRouter(
    ['/patients/{id}', '/patients/by-code/{code}', '/{proxy+}', '/patients'].map((resource) => ({
      resource,
    })),
  );
  const best = (path: string) => router.matchAll(path)[0];

  it('prefers literals over parameters', () => {
    expect(best('/patients/by-code/17')?.route.resource).toBe('/patients/by-code/{code}');
  });

  it('keeps %2F inside one segment', () => {
    expect(best('/patients/a%2Fb')?.pathParameters).toEqual({ id: 'a%2Fb' });
  });

  it('falls back to the greedy resource', () => {
    expect(best('/patients/1/extra')?.pathParameters).toEqual({ proxy: 'patients/1/extra' });
  });

  it('greedy needs at least one segment', () => {
    expect(router.matchAll('/')).toEqual([]);
  });
});
