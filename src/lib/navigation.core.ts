import type { OrgKind, Permission } from './permissions.ts';

/** The shell's navigation: each item shows only to callers holding its permission (and in the kinds of organisation it serves). */
export interface NavItem {
  key: 'dashboard' | 'herbs' | 'catalog' | 'cart' | 'orders' | 'organisation' | 'licences' | 'members' | 'apiKeys' | 'kyb' | 'audit' | 'jobs' | 'health' | 'help' | 'tenders' | 'prescriptions' | 'rxReview' | 'pharmacy' | 'shipments' | 'market' | 'instruments';
  href: string;
  needs: Permission | null;
  needsOrg: boolean;
  /** Shown when the caller holds any of these (in addition to `needs`). */
  needsAny?: readonly Permission[];
  /** Shown only in these kinds of organisation (a pharmacist of a hospital reviews, one of a pharmacy fills). */
  kinds?: readonly OrgKind[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', href: '/dashboard', needs: null, needsOrg: true },
  { key: 'herbs', href: '/herbs', needs: null, needsOrg: false },
  { key: 'catalog', href: '/catalog', needs: 'catalog:read', needsOrg: true },
  { key: 'cart', href: '/cart', needs: 'order:create', needsOrg: true },
  { key: 'orders', href: '/orders', needs: 'order:read', needsOrg: true },
  { key: 'market', href: '/market', needs: 'market:trade', needsOrg: true },
  { key: 'tenders', href: '/tenders', needs: null, needsAny: ['tender:manage', 'tender:demand', 'tender:bid'], needsOrg: true },
  { key: 'prescriptions', href: '/prescriptions', needs: 'rx:read', needsOrg: true, kinds: ['hospital'] },
  { key: 'rxReview', href: '/prescriptions/review', needs: 'rx:review', needsOrg: true, kinds: ['hospital'] },
  { key: 'pharmacy', href: '/pharmacy', needs: 'rx:dispense', needsOrg: true, kinds: ['pharmacy'] },
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

/** The items for a caller with `permissions` in an organisation of `orgKind` (null: none active). */
export function visibleNav(permissions: readonly string[], orgKind: string | null): NavItem[] {
  return NAV_ITEMS.filter(
    (item) =>
      (!item.needsOrg || orgKind !== null) &&
      (item.needs === null || permissions.includes(item.needs)) &&
      (item.needsAny === undefined || item.needsAny.some((p) => permissions.includes(p))) &&
      (item.kinds === undefined || (orgKind !== null && (item.kinds as readonly string[]).includes(orgKind))),
  );
}
