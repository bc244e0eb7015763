// Type test: discriminated unions take variant literals from the enum/const, never from schema names.

import type { components } from './generated/discriminator-types/types/openapi.js';

type Schemas = components['schemas'];
type IsNever<T> = [T] extends [never] ? true : false;

export const text: Schemas['TextComment'] = { kind: 'text', text: 'hello' };
// @ts-expect-error the literal is the enum value "text", not the schema name
export const namedAfterSchema: Schemas['TextComment'] = { kind: 'TextComment' };

export const post: Schemas['Post'] = { comments: [{ kind: 'text' }, { kind: 'quote', source: 'a' }] };
// @ts-expect-error an item must be one of the variants
export const badPost: Schemas['Post'] = { comments: [{ kind: 'QuoteComment' }] };

// allOf inheritance from a base with a discriminator: the tag is the variant's enum, never `never`.
export const external: Schemas['ConfirmationDataExternal'] = { type: 'external', url: 'https://a.example' };
export const externalTagIsNotNever: IsNever<Schemas['ConfirmationDataExternal']['type']> = false;
// @ts-expect-error the schema name is not a tag value
export const externalByName: Schemas['ConfirmationDataExternal'] = { type: 'ConfirmationDataExternal' };

// A mapping onto variants whose tag is a plain string pins the mapped value.
export const round: Schemas['Shape'] = { shape: 'round', radius: 1 };
// @ts-expect-error "Circle" is the schema name; the mapping value is "round"
export const circleByName: Schemas['Shape'] = { shape: 'Circle', radius: 1 };
