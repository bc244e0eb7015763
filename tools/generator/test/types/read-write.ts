// Type test: readOnly properties are absent from request types, writeOnly ones from response types, and
// `required` applies per direction.

import type { OperationRequest, OperationResponse } from './generated/read-write/operations/index.js';

type ItemRequest = OperationRequest<'createItem'>['body'];
type ItemResponse = Extract<OperationResponse<'createItem'>, { status: 201 }>['body'];

export const request: ItemRequest = { name: 'n', secret: 'abcd' };
// @ts-expect-error the server generates id; a request does not carry it
export const requestWithId: ItemRequest = { id: 'i', name: 'n', secret: 'abcd' };
// @ts-expect-error secret is required when writing
export const requestWithoutSecret: ItemRequest = { name: 'n' };

export const response: ItemResponse = { id: 'i', name: 'n' };
// @ts-expect-error a writeOnly secret never appears in a response
export const leakedSecret: ItemResponse = { id: 'i', name: 'n', secret: 'abcd' };
// @ts-expect-error id is required in responses
export const responseWithoutId: ItemResponse = { name: 'n' };

// Nested references follow the direction too.
type OrderRequest = OperationRequest<'createOrder'>['body'];
export const order: OrderRequest = { items: [{ name: 'n', secret: 'abcd' }] };
// @ts-expect-error the nested item is a write view as well
export const orderWithId: OrderRequest = { items: [{ id: 'i', name: 'n', secret: 'abcd' }] };
