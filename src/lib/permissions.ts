/**
 * Roles inside an organisation and the permission strings each grants (DOMAIN.md "Organisations and
 * people"). The server checks these for every procedure; the UI uses them only to shape navigation.
 */
export const ORG_KINDS = ['grower', 'supplier', 'pharmacy', 'hospital', 'alliance', 'operator'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ROLES = ['owner', 'buyer', 'sales', 'pharmacist', 'physician', 'alliance_officer', 'operator_admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org:read',
  'org:manage',
  'member:invite',
  'apikey:manage',
  'licence:manage',
  'catalog:read',
  'listing:manage',
  'order:create',
  'order:read',
  'market:trade',
  'market:operate',
  'tender:manage',
  'tender:demand',
  'tender:bid',
  'rx:create',
  'rx:sign',
  'rx:read',
  'rx:review',
  'rx:dispense',
  'shipment:read',
  'kyb:review',
  'audit:read',
  'jobs:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const PLATFORM_PERMISSIONS: readonly Permission[] = ['kyb:review', 'audit:read', 'jobs:manage', 'market:operate'];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS.filter((p) => !PLATFORM_PERMISSIONS.includes(p)),
  buyer: ['org:read', 'catalog:read', 'order:create', 'order:read', 'market:trade', 'tender:demand', 'shipment:read'],
  sales: ['org:read', 'catalog:read', 'listing:manage', 'order:read', 'market:trade', 'tender:bid', 'shipment:read'],
  pharmacist: ['org:read', 'catalog:read', 'rx:read', 'rx:review', 'rx:dispense', 'shipment:read'],
  physician: ['org:read', 'catalog:read', 'rx:create', 'rx:sign', 'rx:read', 'shipment:read'],
  alliance_officer: ['org:read', 'catalog:read', 'tender:manage', 'order:read'],
  operator_admin: ['org:read', 'catalog:read', ...PLATFORM_PERMISSIONS],
};

/** Which roles make sense in which kind of organisation (owner everywhere). */
export const ROLES_BY_KIND: Record<OrgKind, readonly Role[]> = {
  grower: ['owner', 'sales'],
  supplier: ['owner', 'sales', 'buyer', 'pharmacist'],
  pharmacy: ['owner', 'pharmacist', 'buyer'],
  hospital: ['owner', 'physician', 'pharmacist', 'buyer'],
  alliance: ['owner', 'alliance_officer'],
  operator: ['owner', 'operator_admin'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Permissions of a member holding `roles` (better-auth stores several roles comma-separated). */
export function permissionsFor(roles: string | readonly string[], kind?: OrgKind): Set<Permission> {
  const list = typeof roles === 'string' ? roles.split(',').map((r) => r.trim()) : roles;
  const out = new Set<Permission>();
  for (const role of list) {
    if (!isRole(role)) continue;
    for (const p of ROLE_PERMISSIONS[role]) out.add(p);
    // The owner of the platform operator organisation administers the platform.
    if (role === 'owner' && kind === 'operator') for (const p of PLATFORM_PERMISSIONS) out.add(p);
  }
  return out;
}

export function hasPermission(granted: ReadonlySet<Permission>, needed: Permission): boolean {
  return granted.has(needed);
}
