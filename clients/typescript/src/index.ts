// Entry point of @katapp/client: the typed REST client, its errors and token storage.
export {
  type AuthOptions,
  AuthSession,
  MemoryTokenStore,
  type TokenSet,
  type TokenStore,
} from './core/auth.js';
export { type ContractClient, type ContractClientOptions, createContractClient } from './core/client.js';
export {
  KatAppError,
  KatAppNetworkError,
  KatAppProblemError,
  KatAppRequestError,
  KatAppResponseError,
  type ProblemDetails,
  type ProblemFieldError,
} from './core/errors.js';
export type { ParameterLocation, ParameterSerialization, ParameterStyle } from './core/params.js';
export type {
  ContractMethod,
  ContractMethods,
  OperationDescriptor,
  SuccessData,
  SuccessResult,
} from './core/types.js';
export {
  type components,
  createKatAppClient,
  type KatAppClient,
  type KatAppClientOptions,
  katappOperations,
  type operations,
  type ProblemCode,
  type paths,
  type Schemas,
  type TokenResponse,
} from './katapp.js';
export type { Observable } from './shared/observable.js';
