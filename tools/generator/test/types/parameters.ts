// Type test: parameter types per location as handlers receive them after validation.

import type { OperationRequest } from './generated/parameter-styles/operations/index.js';
import { collectParameters, routes } from './generated/parameter-styles/operations/index.js';

type Request = OperationRequest<'getHello'>;

export const query: Request['query'] = { ids: [1, 2], tags: ['a'], limit: 10, filter: { values: 'v' } };
// @ts-expect-error limit is an integer after coercion
export const stringLimit: Request['query'] = { limit: '10' };
export const path: Request['path'] = { slug: '/foo?bar' };
// @ts-expect-error slug is required
export const noSlug: Request['path'] = {};

export const collected = collectParameters('getHello', { pathParameters: { slug: 'x' } });
// @ts-expect-error only declared operation ids are accepted
collectParameters('getGoodbye', {});

export const firstParameterStyle: string = routes[0].parameters[1].style;
