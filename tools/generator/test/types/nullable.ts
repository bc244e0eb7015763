// Type test: OpenAPI 3.0 nullable becomes `T | null` for composed schemas, enums and plain types.

import type { components } from './generated/nullable/types/openapi.js';

type Thing = components['schemas']['Thing'];

export const allNull: Thing = { prop: null, status: null, note: null };
export const allSet: Thing = { prop: { value: 'v' }, status: 'foo', note: 'abc' };
// @ts-expect-error "baz" is outside the enum
export const outside: Thing = { prop: null, status: 'baz', note: null };
