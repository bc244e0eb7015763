/**
 * The Lambda functions of the platform and what each one may touch. The grants here are the only
 * permissions a function role receives besides writing its own log group.
 */

export type TableAccess = 'none' | 'read' | 'readWrite';

export interface FunctionSpec {
  /** Function name; its entry file is handlers/src/functions/<name>.ts. */
  readonly name: FunctionName;
  readonly description: string;
  readonly dataTable: TableAccess;
  readonly connectionsTable: TableAccess;
  /** S3 actions on the photo objects: `read` = GetObject, `write` = PutObject + PutObjectTagging, `delete` = DeleteObject. */
  readonly photoBucket: readonly ('read' | 'write' | 'delete')[];
  /** Whether the function reads the ES256 signing key (to sign or verify tokens). */
  readonly signingKey: boolean;
  /** Whether the function posts to or deletes WebSocket connections through the @connections API. */
  readonly manageConnections: boolean;
  /** Memory in MiB. */
  readonly memorySize: number;
  /** Timeout in seconds; REST functions stay below API Gateway's 29-second integration timeout. */
  readonly timeoutSeconds: number;
}

export const REST_FUNCTION_NAMES = [
  'auth',
  'tenants',
  'users',
  'roles',
  'devices',
  'disasters',
  'patients',
  'triages',
  'photos',
  'audit',
  'health',
] as const;

export type RestFunctionName = (typeof REST_FUNCTION_NAMES)[number];
export type FunctionName = RestFunctionName | 'authorizer' | 'websocket' | 'broadcaster';

const rest = (
  name: RestFunctionName,
  description: string,
  grants: Partial<Pick<FunctionSpec, 'dataTable' | 'photoBucket' | 'signingKey' | 'memorySize'>> = {},
): FunctionSpec => ({
  name,
  description,
  dataTable: grants.dataTable ?? 'readWrite',
  connectionsTable: 'none',
  photoBucket: grants.photoBucket ?? [],
  signingKey: grants.signingKey ?? false,
  manageConnections: false,
  // Password hashing (argon2id in WASM) in `auth` needs more memory than the other handlers.
  memorySize: grants.memorySize ?? 512,
  timeoutSeconds: 28,
});

// Every REST function except `audit` and `health` writes audit events, so they need write access to the
// Data table even when the operation itself only reads.
export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  rest('auth', 'Registration, login, token refresh, logout and device-token exchange', {
    signingKey: true,
    memorySize: 1024,
  }),
  rest('tenants', 'Tenant registration, activation and settings'),
  rest('users', 'User listing, activation, deletion and role assignment'),
  rest('roles', 'Role listing and creation'),
  rest('devices', 'Device registration, revocation and device tokens'),
  rest('disasters', 'Disasters, stages, overview and drill purge', { photoBucket: ['delete'] }),
  rest('patients', 'Patients by disaster, card code and id; identity updates'),
  rest('triages', 'Idempotent triage upload, confirmation and listings'),
  rest('photos', 'Presigned photo upload and download URLs', { photoBucket: ['read', 'write'] }),
  rest('audit', 'Audit event listing', { dataTable: 'read' }),
  rest('health', 'Health check', { dataTable: 'read', memorySize: 256 }),
  {
    name: 'authorizer',
    description: 'REQUEST authorizer for the REST API and WebSocket $connect',
    dataTable: 'read',
    connectionsTable: 'none',
    photoBucket: [],
    signingKey: true,
    manageConnections: false,
    memorySize: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'websocket',
    description: 'WebSocket routes: $connect, $disconnect, $default, subscribe, unsubscribe, ping',
    dataTable: 'read',
    connectionsTable: 'readWrite',
    photoBucket: [],
    signingKey: false,
    manageConnections: true,
    memorySize: 512,
    timeoutSeconds: 28,
  },
  {
    name: 'broadcaster',
    description: 'Sends Data table changes to subscribed WebSocket connections',
    dataTable: 'read',
    connectionsTable: 'readWrite',
    photoBucket: [],
    signingKey: false,
    manageConnections: true,
    memorySize: 512,
    timeoutSeconds: 60,
  },
];
