// The KatApp client: the contract client bound to the generated KatApp types and route table, plus sign-in.
import { routes } from '../../../generated/operations/index.js';
import type { components, operations, paths } from '../../../generated/types/openapi.js';
import type { AuthOptions, TokenSet } from './core/auth.js';
import { type ContractClient, createContractClient } from './core/client.js';
import type { ParameterSerialization } from './core/params.js';
import type { HttpMethodUpper, OperationDescriptor } from './core/types.js';

export type { components, operations, paths };
export type Schemas = components['schemas'];
export type TokenResponse = Schemas['TokenResponse'];
export type ProblemCode = Schemas['ProblemCode'];

/** Serialization and security of every KatApp operation, taken from the generated route table. */
export const katappOperations: readonly OperationDescriptor[] = routes.map((route) => ({
  operationId: route.operationId,
  method: route.method.toUpperCase() as HttpMethodUpper,
  path: route.path,
  parameters: route.parameters.map(
    (parameter): ParameterSerialization => ({
      name: parameter.name,
      in: parameter.in,
      style: parameter.style as ParameterSerialization['style'],
      explode: parameter.explode,
    }),
  ),
  requestContentTypes: route.requestBody ? [route.requestBody.contentType] : [],
  public: !route.authenticated,
}));

export interface KatAppClientOptions {
  /** Base URL of the REST API including the stage, such as `https://api.example.org` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Defaults to the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  auth?: AuthOptions;
}

export interface KatAppClient extends ContractClient<paths> {
  /** Signs in a user (`POST /auth/login`) and stores the tokens. */
  login(email: string, password: string): Promise<TokenResponse>;
  /** Signs in a device with the token a tenant admin created for it (`POST /auth/device-token`). */
  exchangeDeviceToken(deviceToken: string, imei: string): Promise<TokenResponse>;
  /** Revokes the session's refresh token (`POST /auth/logout`) and clears the stored tokens, even if the call fails. */
  logout(): Promise<void>;
}

function toTokenSet(response: TokenResponse): TokenSet {
  return {
    accessToken: response.accessToken,
    refreshToken: response.refreshToken,
    expiresAt: Date.now() + response.expiresIn * 1000,
  };
}

/**
 * Creates a client for the KatApp REST API. Calls are typed from the contract and throw
 * `KatAppProblemError` for non-2xx responses:
 * ```ts
 * const katapp = createKatAppClient({ baseUrl: 'http://127.0.0.1:3000' });
 * await katapp.login('anna.schmidt@klinikum-nord.example', 'correct-horse-battery-staple');
 * const { data } = await katapp.GET('/disasters/{disasterId}/triages', { params: { path: { disasterId } } });
 * ```
 */
export function createKatAppClient(options: KatAppClientOptions): KatAppClient {
  const client = createContractClient<paths>({ ...options, operations: katappOperations });
  const { auth } = client;

  auth.useRefresh(async (refreshToken) => {
    const { data } = await client.POST('/auth/refresh', { body: { refreshToken } });
    return toTokenSet(data);
  });

  return Object.assign(client, {
    async login(email: string, password: string) {
      const { data } = await client.POST('/auth/login', { body: { email, password } });
      await auth.store.set(toTokenSet(data));
      return data;
    },
    async exchangeDeviceToken(deviceToken: string, imei: string) {
      const { data } = await client.POST('/auth/device-token', { body: { deviceToken, imei } });
      await auth.store.set(toTokenSet(data));
      return data;
    },
    async logout() {
      try {
        if (await auth.tokens()) await client.POST('/auth/logout');
      } finally {
        await auth.store.set(undefined);
      }
    },
  });
}
