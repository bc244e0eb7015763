/** The built-in roles every tenant gets at creation. Their id is their name; they cannot be changed. */
import type { Right } from '../../../generated/operations/index.js';

export type BuiltInRoleId =
  | 'DashboardUser'
  | 'DeviceUser'
  | 'Physician'
  | 'CommandStaff'
  | 'TenantAdmin'
  | 'KatAppOperator';

export interface BuiltInRole {
  readonly id: BuiltInRoleId;
  readonly description: string;
  readonly rights: readonly Right[];
}

const dashboardUserRights: readonly Right[] = [
  'AccessDashboard',
  'WebSocket',
  'ActionViewDisaster',
  'ActionViewPatient',
  'ActionViewTriage',
  'ActionViewPhoto',
];

const deviceUserRights: readonly Right[] = [
  'ActionViewDisaster',
  'ActionViewPatient',
  'ActionViewTriage',
  'ActionCreateDisaster',
  'ActionCreatePatient',
  'ActionCreateTriage',
];

export const builtInRoles: readonly BuiltInRole[] = [
  {
    id: 'DashboardUser',
    description: 'Watches disasters, patients and triages on the dashboard.',
    rights: dashboardUserRights,
  },
  {
    id: 'DeviceUser',
    description: 'Runs the KatApp app in the field: scans cards and records triages.',
    rights: deviceUserRights,
  },
  {
    id: 'Physician',
    description: 'Records physician triages, confirms blue and dead categories, and sees patient identities.',
    rights: [
      ...deviceUserRights,
      'ActionConfirmTriage',
      'ActionUpdatePatient',
      'ActionViewPatientIdentity',
      'ActionViewPhoto',
    ],
  },
  {
    id: 'CommandStaff',
    description: 'Leads the response: dashboard, patient identities and updates, opens and closes disasters.',
    rights: [
      ...dashboardUserRights,
      'ActionViewPatientIdentity',
      'ActionUpdatePatient',
      'ActionCloseDisaster',
      'ActionCreateDisaster',
    ],
  },
  {
    id: 'TenantAdmin',
    description: 'Manages the users, roles and devices of the tenant and reads its audit log.',
    rights: [
      'AccessTenantConsole',
      'AccessDashboard',
      'WebSocket',
      'ActionViewDisaster',
      'ActionViewUser',
      'ActionDeleteUser',
      'ActionActivateUser',
      'ActionViewRole',
      'ActionCreateRole',
      'ActionAssignRole',
      'ActionViewDevice',
      'ActionCreateDevice',
      'ActionRevokeDevice',
      'ActionCreateDeviceToken',
      'ActionViewAuditLog',
      'ActionPurgeDrill',
    ],
  },
  {
    id: 'KatAppOperator',
    description: 'Operates the platform: reviews and activates tenants.',
    rights: ['AccessManagementConsole', 'ActionViewTenant', 'ActionActivateTenant'],
  },
];

const byId = new Map<string, BuiltInRole>(builtInRoles.map((role) => [role.id, role]));

/** Returns the built-in role with this id, or undefined for a custom role id. */
export function builtInRole(id: string): BuiltInRole | undefined {
  return byId.get(id);
}
