import type { Permission } from './permissions.ts';

/** The shell's navigation: each item shows only to callers holding its permission. */
export interface NavItem {
  key: 'dashboard' | 'herbs' | 'catalog' | 'cart' | 'orders' | 'organisation' | 'licences' | 'members' | 'apiKeys' | 'kyb' | 'audit' | 'jobs' | 'health' | 'help' | 'tenders' | 'prescriptions' | 'rxReview' | 'pharmacy' | 'shipments' | 'market' | 'instruments';
  href: string;
  needs: Permission | null;
  needsOrg: boolean;
  /** Shown when the caller holds any of these (in addition to `needs`). */
  needsAny?: readonly Permission[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', href: '/dashboard', needs: null, needsOrg: true },
  { key: 'herbs', href: '/herbs', needs: null, needsOrg: false },
  { key: 'catalog', href: '/catalog', needs: 'catalog:read', needsOrg: true },
  { key: 'cart', href: '/cart', needs: 'order:create', needsOrg: true },
  { key: 'orders', href: '/orders', needs: 'order:read', needsOrg: true },
  { key: 'market', href: '/market', needs: 'market:trade', needsOrg: true },
  { key: 'tenders', href: '/tenders', needs: null, needsAny: ['tender:manage', 'tender:demand', 'tender:bid'], needsOrg: true },
  { key: 'prescriptions', href: '/prescriptions', needs: 'rx:read', needsOrg: true },
  { key: 'rxReview', href: '/prescriptions/review', needs: 'rx:review', needsOrg: true },
  { key: 'pharmacy', href: '/pharmacy', needs: 'rx:dispense', needsOrg: true },
  { key: 'shipments', href: '/shipments', needs: 'shipment:read', needsOrg: true },
  { key: 'organisation', href: '/org', needs: 'org:read', needsOrg: true },
  { key: 'licences', href: '/org/licences', needs: 'org:read', needsOrg: true },
  { key: 'members', href: '/org/members', needs: 'org:read', needsOrg: true },
  { key: 'apiKeys', href: '/org/api-keys', needs: 'apikey:manage', needsOrg: true },
  { key: 'kyb', href: '/operator/kyb', needs: 'kyb:review', needsOrg: true },
  { key: 'audit', href: '/operator/audit', needs: 'audit:read', needsOrg: true },
  { key: 'jobs', href: '/operator/jobs', needs: 'jobs:manage', needsOrg: true },
  { key: 'health', href: '/operator/health', needs: 'jobs:manage', needsOrg: true },
  { key: 'instruments', href: '/operator/instruments', needs: 'market:operate', needsOrg: true },
  { key: 'help', href: '/help', needs: null, needsOrg: false },
];

export function visibleNav(permissions: readonly string[], hasOrg: boolean): NavItem[] {
  return NAV_ITEMS.filter((item) => (!item.needsOrg || hasOrg) && (item.needs === null || permissions.includes(item.needs)) && (item.needsAny === undefined || item.needsAny.some((p) => permissions.includes(p))));
}
