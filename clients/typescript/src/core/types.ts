// Types of the contract client: openapi-fetch's request typing with a result that only carries success.
import type { MaybeOptionalInit, ParseAsResponse } from 'openapi-fetch';
import type {
  HttpMethod,
  MediaType,
  PathsWithMethod,
  Readable,
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from 'openapi-typescript-helpers';
import type { ParameterSerialization } from './params.js';

export type HttpMethodUpper = Uppercase<HttpMethod>;

/** Per-operation metadata beyond the types: parameter serialization, body media types and security. */
export interface OperationDescriptor {
  operationId: string;
  method: HttpMethodUpper;
  /** Path template exactly as the contract spells it, such as `/patients/{patientId}`. */
  path: string;
  parameters: readonly ParameterSerialization[];
  /** Media types of the request body in the contract's order; empty without a body. */
  requestContentTypes: readonly string[];
  /** `true` for operations without security (login, registration): no Authorization header is sent. */
  public: boolean;
}

// Mirrors openapi-fetch's InitParam, which the package does not export: the init argument is optional
// exactly when the operation has no required parameters and no required body.
type InitParam<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & { [key: string]: unknown })?]
    : [Init & { [key: string]: unknown }];

type ResponsesOf<Operation> =
  // biome-ignore lint/suspicious/noExplicitAny: the constraint openapi-typescript-helpers puts on responses.
  ResponseObjectMap<Operation> extends infer R extends Record<string | number, any>
    ? R
    : Record<string, never>;

/** The data of the 2xx response, typed from the contract (`undefined` for empty responses). */
export type SuccessData<Operation, Init> = ParseAsResponse<
  Readable<SuccessResponse<ResponsesOf<Operation>, MediaType>>,
  Init
>;

/** A successful call: non-2xx responses are thrown as `KatAppProblemError` instead. */
export interface SuccessResult<Operation, Init> {
  data: SuccessData<Operation, Init>;
  response: Response;
}

// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's `paths` members are indexed generically.
type AnyPaths = Record<string, any>;

export type ContractMethod<Paths extends AnyPaths, Method extends HttpMethod> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalInit<Paths[Path], Method>,
>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<SuccessResult<Paths[Path][Method], Init>>;

/** Typed calls per HTTP method, as in openapi-fetch, that resolve to the 2xx result or throw. */
export interface ContractMethods<Paths extends AnyPaths> {
  GET: ContractMethod<Paths, 'get'>;
  PUT: ContractMethod<Paths, 'put'>;
  POST: ContractMethod<Paths, 'post'>;
  DELETE: ContractMethod<Paths, 'delete'>;
  PATCH: ContractMethod<Paths, 'patch'>;
  HEAD: ContractMethod<Paths, 'head'>;
  OPTIONS: ContractMethod<Paths, 'options'>;
}
