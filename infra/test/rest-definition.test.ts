import { describe, expect, it } from 'vitest';
import {
  executeApiPath,
  listAuthorizerFunctions,
  listRestOperations,
  type RestApiDefinition,
  RestDefinitionError,
  substituteFunctionUris,
} from '../src/contract/rest-definition.js';

const placeholder = (fn: string) => `\${KatAppFunctionUri:${fn}}`;
const lambdaIntegration = (fn: string) => ({ type: 'aws_proxy', httpMethod: 'POST', uri: placeholder(fn) });

const definition = (paths: RestApiDefinition['paths']): RestApiDefinition => ({ openapi: '3.0.3', paths });

describe('listRestOperations', () => {
  it('lists methods with their functions', () => {
    const operations = listRestOperations(
      definition({
        '/patients/{patientId}': {
          parameters: [],
          get: {
            operationId: 'getPatient',
            'x-amazon-apigateway-integration': lambdaIntegration('patients'),
          },
          options: { 'x-amazon-apigateway-integration': { type: 'mock' } },
        },
      }),
    );
    expect(operations).toEqual([
      {
        operationId: 'getPatient',
        method: 'GET',
        path: '/patients/{patientId}',
        functionName: 'patients',
        integrationType: 'aws_proxy',
      },
      {
        operationId: 'OPTIONS /patients/{patientId}',
        method: 'OPTIONS',
        path: '/patients/{patientId}',
        functionName: undefined,
        integrationType: 'mock',
      },
    ]);
  });

  it('rejects a method without integration', () => {
    const call = () =>
      listRestOperations(
        definition({ '/accountProfiles/{id}': { get: { operationId: 'getAccountProfile' } } }),
      );
    expect(call).toThrow(RestDefinitionError);
    expect(call).toThrow(
      'Methods without x-amazon-apigateway-integration: GET /accountProfiles/{id} (getAccountProfile).',
    );
  });

  it('rejects the any-method extension', () => {
    const call = () =>
      listRestOperations(
        definition({
          '/x': {
            'x-amazon-apigateway-any-method': {
              'x-amazon-apigateway-integration': lambdaIntegration('health'),
            },
          },
        }),
      );
    expect(call).toThrow('/x uses x-amazon-apigateway-any-method');
  });

  it('rejects a Lambda integration with the operation method', () => {
    const call = () =>
      listRestOperations(
        definition({
          '/x': {
            get: {
              operationId: 'x',
              'x-amazon-apigateway-integration': { ...lambdaIntegration('health'), httpMethod: 'GET' },
            },
          },
        }),
      );
    expect(call).toThrow('GET /x: Lambda integrations must use httpMethod POST, got "GET".');
  });

  it('rejects a literal integration URI', () => {
    const call = () =>
      listRestOperations(
        definition({
          '/x': {
            get: {
              operationId: 'x',
              'x-amazon-apigateway-integration': { ...lambdaIntegration('health'), uri: 'arn:aws:lambda:x' },
            },
          },
        }),
      );
    expect(call).toThrow(`is not a ${placeholder('<function>')} placeholder`);
  });
});

describe('executeApiPath', () => {
  it.each([
    ['/patients/{patientId}', '/patients/*'],
    ['/disasters/{disasterId}/patients', '/disasters/*/patients'],
    ['/users/{userId}/roles/{roleId}', '/users/*/roles/*'],
    ['/{proxy+}', '/*'],
    ['/health', '/health'],
  ])('maps %s to %s', (path, expected) => {
    expect(executeApiPath(path)).toBe(expected);
  });
});

describe('substituteFunctionUris', () => {
  it('replaces placeholders only where they are the whole string', () => {
    const input = {
      a: placeholder('auth'),
      b: [placeholder('health'), `prefix ${placeholder('auth')}`],
      c: { d: 1, e: null },
    };
    const output = substituteFunctionUris(input, (name) => `uri-of-${name}`);
    expect(output).toEqual({
      a: 'uri-of-auth',
      b: ['uri-of-health', `prefix ${placeholder('auth')}`],
      c: { d: 1, e: null },
    });
    expect(input.a).toBe(placeholder('auth'));
  });
});

describe('listAuthorizerFunctions', () => {
  it('reads authorizer URIs from the security schemes', () => {
    const names = listAuthorizerFunctions({
      ...definition({}),
      components: {
        securitySchemes: {
          bearer: {
            'x-amazon-apigateway-authorizer': {
              type: 'request',
              authorizerUri: placeholder('authorizer'),
            },
          },
          other: { type: 'http' },
        },
      },
    });
    expect(names).toEqual(['authorizer']);
  });
});
