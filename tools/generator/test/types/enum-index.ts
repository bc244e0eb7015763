// Type test: enum values that are not identifiers compile and round-trip; an index signature admits the named
// properties next to it. Compiling this file under `strict` is the main assertion.

import type { components } from './generated/enum-index/types/openapi.js';

type Schemas = components['schemas'];

export const operators: Schemas['Operator'][] = ['=', '!=', '<', '>', '~', 'IN'];
// @ts-expect-error "_" is not one of the operators (other generators renamed symbols to "_")
export const renamed: Schemas['Operator'] = '_';

export const escaped: Schemas['Escaped'][] = ['a', '\\', '"', "'", '${x}', '*/'];
// @ts-expect-error two backslashes are not the one-backslash value
export const doubled: Schemas['Escaped'] = '\\\\';

export const report: Schemas['Report'] = { operator: 'IN', totals: { count: 1 }, extra: ['a', 'b'] };
