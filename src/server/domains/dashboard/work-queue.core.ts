import type { OrgKind, Permission } from '../../../lib/permissions.ts';
import type { ShipmentState } from '../delivery/shipments.core.ts';
import type { OrderStatus } from '../orders/orders.core.ts';
import type { RxStatus } from '../prescriptions/prescriptions.core.ts';
import type { TenderTodo } from '../tenders/tender-todo.core.ts';
import { TENDER_STATUSES, TENDER_TRANSITIONS, type TenderStatus } from '../tenders/tenders.core.ts';

/**
 * "Waiting for you" on the dashboard: which queues of work a person sees, decided from the
 * permissions their role grants in the active organisation and that organisation's kind. Each item
 * names the permission the work itself needs (the procedures doing it check the same one), the page
 * where it is done (with that page's filter when it takes one) and what is counted, in the statuses
 * of the domain's own state machines.
 */

/** Tenders still moving: every status the tender state machine has a way out of. */
export const TENDERS_IN_PROGRESS: readonly TenderStatus[] = TENDER_STATUSES.filter((s) => TENDER_TRANSITIONS.some((t) => t.from === s && t.to !== s));

/** What one item counts, always within the caller's active organisation (platform queues for operators). */
export type WorkCount =
  /** The hospital's prescriptions in these statuses; `awaitingCountersign`: blocked and not yet countersigned. */
  | { of: 'hospitalPrescriptions'; statuses: readonly RxStatus[]; awaitingCountersign?: boolean }
  /** Prescriptions the pharmacy accepted, in these statuses. */
  | { of: 'pharmacyPrescriptions'; statuses: readonly RxStatus[] }
  /** Routing offers made to the pharmacy and still open (as its workbench lists them). */
  | { of: 'openOffers' }
  /** The organisation's orders as buyer or seller in one status (the orders page filters by one). */
  | { of: 'orders'; side: 'buyer' | 'seller'; status: OrderStatus }
  /** Shipments the organisation sent, in one state. */
  | { of: 'sentShipments'; state: ShipmentState }
  /** The alliance's own tenders in these statuses. */
  | { of: 'allianceTenders'; statuses: readonly TenderStatus[] }
  /** Tenders a supplier may register for or still has lots to bid on, or registrations waiting for an alliance's decision (the tender list's "to do" filters). */
  | { of: 'tenderTodo'; todo: TenderTodo }
  /** Alliances' invitations the organisation has not answered. */
  | { of: 'allianceInvitations' }
  /** Organisations waiting for KYB review (platform-wide). */
  | { of: 'kybPending' }
  /** Background jobs that gave up (platform-wide). */
  | { of: 'failedJobs' };

export interface WorkItemDefinition {
  key: string;
  permission: Permission;
  kinds: readonly OrgKind[];
  href: string;
  count: WorkCount;
}

/** Kinds that buy herbs (cart, call-offs, the market) and kinds that sell them (listings, lots). */
const BUYING_KINDS: readonly OrgKind[] = ['hospital', 'pharmacy', 'supplier'];
const SELLING_KINDS: readonly OrgKind[] = ['supplier', 'grower'];

/** Every item, in the order the dashboard shows them. */
export const WORK_ITEMS = [
  // Hospital: 审方 by its pharmacists; 双签 of blocking flags by its physicians.
  { key: 'rxReview', permission: 'rx:review', kinds: ['hospital'], href: '/prescriptions/review', count: { of: 'hospitalPrescriptions', statuses: ['screened'] } },
  { key: 'rxCountersign', permission: 'rx:sign', kinds: ['hospital'], href: '/prescriptions?status=screened', count: { of: 'hospitalPrescriptions', statuses: ['screened'], awaitingCountersign: true } },
  // Pharmacy workbench: offers to answer, prescriptions to dispense, decoctions under way.
  { key: 'rxOffers', permission: 'rx:dispense', kinds: ['pharmacy'], href: '/pharmacy', count: { of: 'openOffers' } },
  { key: 'rxDispensing', permission: 'rx:dispense', kinds: ['pharmacy'], href: '/pharmacy', count: { of: 'pharmacyPrescriptions', statuses: ['accepted', 'dispensing'] } },
  { key: 'rxDecocting', permission: 'rx:dispense', kinds: ['pharmacy'], href: '/pharmacy', count: { of: 'pharmacyPrescriptions', statuses: ['decocting'] } },
  // The pharmacists hand delivery prescriptions to the carrier, so theirs are the exceptions to deal with.
  { key: 'rxShipmentExceptions', permission: 'rx:dispense', kinds: ['pharmacy'], href: '/shipments?side=sent&state=exception', count: { of: 'sentShipments', state: 'exception' } },
  // Seller workbench: accept or reject paid orders, ship accepted ones, settle disputes.
  { key: 'ordersToAccept', permission: 'listing:manage', kinds: SELLING_KINDS, href: '/orders?side=seller&status=paid', count: { of: 'orders', side: 'seller', status: 'paid' } },
  { key: 'ordersToShip', permission: 'listing:manage', kinds: SELLING_KINDS, href: '/orders?side=seller&status=accepted', count: { of: 'orders', side: 'seller', status: 'accepted' } },
  { key: 'ordersDisputed', permission: 'listing:manage', kinds: SELLING_KINDS, href: '/orders?side=seller&status=disputed', count: { of: 'orders', side: 'seller', status: 'disputed' } },
  { key: 'shipmentExceptions', permission: 'listing:manage', kinds: SELLING_KINDS, href: '/shipments?side=sent&state=exception', count: { of: 'sentShipments', state: 'exception' } },
  // Buyer: pay (or pay again after a decline), confirm what arrived.
  { key: 'ordersToPay', permission: 'order:create', kinds: BUYING_KINDS, href: '/orders?side=buyer&status=pending_payment', count: { of: 'orders', side: 'buyer', status: 'pending_payment' } },
  { key: 'ordersPaymentFailed', permission: 'order:create', kinds: BUYING_KINDS, href: '/orders?side=buyer&status=payment_failed', count: { of: 'orders', side: 'buyer', status: 'payment_failed' } },
  { key: 'ordersToReceive', permission: 'order:create', kinds: BUYING_KINDS, href: '/orders?side=buyer&status=shipped', count: { of: 'orders', side: 'buyer', status: 'shipped' } },
  // Tenders: suppliers register and bid; the alliance qualifies them and runs its own tenders; hospitals
  // and pharmacies answer alliances' invitations.
  { key: 'tendersToRegister', permission: 'tender:bid', kinds: ['supplier'], href: '/tenders?todo=register', count: { of: 'tenderTodo', todo: 'register' } },
  { key: 'tendersToBid', permission: 'tender:bid', kinds: ['supplier'], href: '/tenders?todo=bid', count: { of: 'tenderTodo', todo: 'bid' } },
  { key: 'registrationsToQualify', permission: 'tender:manage', kinds: ['alliance'], href: '/tenders?todo=qualify', count: { of: 'tenderTodo', todo: 'qualify' } },
  { key: 'tendersInProgress', permission: 'tender:manage', kinds: ['alliance'], href: '/tenders', count: { of: 'allianceTenders', statuses: TENDERS_IN_PROGRESS } },
  { key: 'allianceInvitations', permission: 'tender:demand', kinds: ['hospital', 'pharmacy'], href: '/tenders', count: { of: 'allianceInvitations' } },
  // Platform operator.
  { key: 'kybPending', permission: 'kyb:review', kinds: ['operator'], href: '/operator/kyb?status=pending', count: { of: 'kybPending' } },
  { key: 'failedJobs', permission: 'jobs:manage', kinds: ['operator'], href: '/operator/jobs', count: { of: 'failedJobs' } },
] as const satisfies readonly WorkItemDefinition[];

export type WorkItemKey = (typeof WORK_ITEMS)[number]['key'];
export const WORK_ITEM_KEYS: readonly WorkItemKey[] = WORK_ITEMS.map((i) => i.key);

export interface WorkItem {
  key: WorkItemKey;
  href: string;
  permission: Permission;
  count: WorkCount;
}

/** The items a person holding `permissions` in an organisation of `kind` sees, in dashboard order. */
export function workItemsFor(permissions: Iterable<string>, kind: OrgKind): WorkItem[] {
  const held = new Set<string>(permissions);
  return WORK_ITEMS.filter((item) => held.has(item.permission) && (item.kinds as readonly OrgKind[]).includes(kind)).map((item) => ({
    key: item.key,
    href: item.href,
    permission: item.permission,
    count: item.count,
  }));
}

/** How the dashboard shows a count: an empty queue is calm, work waiting draws the eye. */
export function workTone(count: number): 'calm' | 'attention' {
  return count > 0 ? 'attention' : 'calm';
}
