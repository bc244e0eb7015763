// A small contract in openapi-typescript's output shape with the serialization cases the KatApp contract
// does not use (pipeDelimited, multipart, text/plain bodies), so they are tested on real requests too.
import type { OperationDescriptor } from '../../src/core/types.js';

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Empty = { headers: { [name: string]: unknown }; content?: never };
type ProblemResponse = {
  headers: { [name: string]: unknown };
  content: { 'application/problem+json': unknown };
};

export interface TestPaths {
  '/hello/{slug}': {
    get: {
      parameters: { query?: never; header?: never; path: { slug: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ slug: string }>; 404: ProblemResponse };
    };
  };
  '/items': {
    get: {
      parameters: {
        query?: {
          ids?: number[];
          tags?: string[];
          pipes?: number[];
          spaced?: string[];
          q?: string;
          near?: number[];
          filter?: { status?: string; mode?: string };
        };
        header?: { 'X-Trace'?: string[] };
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: { 200: Json<{ count: number }> };
    };
  };
  '/ping': {
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'text/plain': string } } };
    };
    head: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Empty };
    };
  };
  '/empty/{status}': {
    get: {
      parameters: { query?: { mode?: string }; header?: never; path: { status: number }; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ never: true }>; 204: Empty; 205: Empty };
    };
  };
  '/echo': {
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'text/plain': string } };
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'text/plain': string } } };
    };
  };
  '/upload': {
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'multipart/form-data': { file: string; note?: string } } };
      responses: { 201: Json<{ size: number }> };
    };
  };
  '/records/{recordId}': {
    patch: {
      parameters: { query?: never; header?: never; path: { recordId: string }; cookie?: never };
      requestBody: { content: { 'application/merge-patch+json': { name?: string | null } } };
      responses: { 200: Json<{ recordId: string; name: string | null }> };
    };
  };
  '/secure': {
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ user: string }>; 401: ProblemResponse };
    };
  };
  '/public': {
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ ok: boolean }> };
    };
  };
}

export const testOperations: OperationDescriptor[] = [
  {
    operationId: 'hello',
    method: 'GET',
    path: '/hello/{slug}',
    parameters: [{ name: 'slug', in: 'path' }],
    requestContentTypes: [],
    public: false,
  },
  {
    operationId: 'listItems',
    method: 'GET',
    path: '/items',
    parameters: [
      { name: 'ids', in: 'query', style: 'form', explode: false },
      { name: 'tags', in: 'query', style: 'form', explode: true },
      { name: 'pipes', in: 'query', style: 'pipeDelimited', explode: false },
      { name: 'spaced', in: 'query', style: 'spaceDelimited', explode: false },
      { name: 'q', in: 'query' },
      { name: 'near', in: 'query', style: 'form', explode: false },
      { name: 'filter', in: 'query', style: 'deepObject', explode: true },
      { name: 'X-Trace', in: 'header' },
    ],
    requestContentTypes: [],
    public: false,
  },
  {
    operationId: 'ping',
    method: 'GET',
    path: '/ping',
    parameters: [],
    requestContentTypes: [],
    public: true,
  },
  {
    operationId: 'pingHead',
    method: 'HEAD',
    path: '/ping',
    parameters: [],
    requestContentTypes: [],
    public: true,
  },
  {
    operationId: 'empty',
    method: 'GET',
    path: '/empty/{status}',
    parameters: [
      { name: 'status', in: 'path' },
      { name: 'mode', in: 'query' },
    ],
    requestContentTypes: [],
    public: true,
  },
  {
    operationId: 'echo',
    method: 'POST',
    path: '/echo',
    parameters: [],
    requestContentTypes: ['text/plain'],
    public: true,
  },
  {
    operationId: 'upload',
    method: 'POST',
    path: '/upload',
    parameters: [],
    requestContentTypes: ['multipart/form-data'],
    public: true,
  },
  {
    operationId: 'patchRecord',
    method: 'PATCH',
    path: '/records/{recordId}',
    parameters: [{ name: 'recordId', in: 'path' }],
    requestContentTypes: ['application/merge-patch+json'],
    public: false,
  },
  {
    operationId: 'secure',
    method: 'GET',
    path: '/secure',
    parameters: [],
    requestContentTypes: [],
    public: false,
  },
  {
    operationId: 'public',
    method: 'GET',
    path: '/public',
    parameters: [],
    requestContentTypes: [],
    public: true,
  },
];
