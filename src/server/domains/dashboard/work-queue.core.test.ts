import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import en from '../../../../messages/en/dashboard.json';
import zh from '../../../../messages/zh/dashboard.json';
import { visibleNav } from '../../../lib/navigation.core.ts';
import { ORG_KINDS, PERMISSIONS, permissionsFor, ROLES, type OrgKind, type Role } from '../../../lib/permissions.ts';
import { FINAL_SHIPMENT_STATES, isShipmentState } from '../delivery/shipments.core.ts';
import { FINAL_ORDER_STATUSES, isOrderStatus } from '../orders/orders.core.ts';
import { FINAL_RX_STATUSES, isRxStatus } from '../prescriptions/prescriptions.core.ts';
import { isTenderTodo } from '../tenders/tender-todo.core.ts';
import { isTenderStatus } from '../tenders/tenders.core.ts';
import { TENDERS_IN_PROGRESS, WORK_ITEMS, WORK_ITEM_KEYS, workItemsFor, workTone } from './work-queue.core.ts';

const keysFor = (roles: Role[], kind: OrgKind) => workItemsFor(permissionsFor(roles, kind), kind).map((i) => i.key);

describe('which work each person sees', () => {
  it('a hospital pharmacist: the prescriptions waiting for review', () => {
    expect(keysFor(['pharmacist'], 'hospital')).toEqual(['rxReview']);
  });

  it('a physician: blocked prescriptions waiting for a countersignature', () => {
    expect(keysFor(['physician'], 'hospital')).toEqual(['rxCountersign']);
  });

  it('a pharmacy pharmacist: offers, dispensing, decoctions and its shipments in exception', () => {
    expect(keysFor(['pharmacist'], 'pharmacy')).toEqual(['rxOffers', 'rxDispensing', 'rxDecocting', 'rxShipmentExceptions']);
  });

  it('a pharmacy buyer: orders to pay, to pay again, to receive, and alliance invitations', () => {
    expect(keysFor(['buyer'], 'pharmacy')).toEqual(['ordersToPay', 'ordersPaymentFailed', 'ordersToReceive', 'allianceInvitations']);
  });

  it('a hospital buyer does not see pharmacy shipments (a hospital sends none)', () => {
    expect(keysFor(['buyer'], 'hospital')).toEqual(['ordersToPay', 'ordersPaymentFailed', 'ordersToReceive', 'allianceInvitations']);
  });

  it('a supplier’s sales: orders to accept, ship and settle, shipments in exception, tenders to register for and bid on', () => {
    expect(keysFor(['sales'], 'supplier')).toEqual(['ordersToAccept', 'ordersToShip', 'ordersDisputed', 'shipmentExceptions', 'tendersToRegister', 'tendersToBid']);
    // Growers do not bid in alliance tenders (only suppliers may register).
    expect(keysFor(['sales'], 'grower')).toEqual(['ordersToAccept', 'ordersToShip', 'ordersDisputed', 'shipmentExceptions']);
  });

  it('an alliance officer: suppliers’ registrations to qualify and tenders in progress', () => {
    expect(keysFor(['alliance_officer'], 'alliance')).toEqual(['registrationsToQualify', 'tendersInProgress']);
  });

  it('the operator: KYB waiting and failed jobs, and nothing of an organisation’s trade', () => {
    expect(keysFor(['operator_admin'], 'operator')).toEqual(['kybPending', 'failedJobs']);
    expect(keysFor(['owner'], 'operator')).toEqual(['kybPending', 'failedJobs']);
  });

  it('an owner sees every queue of its kind', () => {
    expect(keysFor(['owner'], 'hospital')).toEqual(['rxReview', 'rxCountersign', 'ordersToPay', 'ordersPaymentFailed', 'ordersToReceive', 'allianceInvitations']);
    expect(keysFor(['owner'], 'pharmacy')).toEqual(['rxOffers', 'rxDispensing', 'rxDecocting', 'rxShipmentExceptions', 'ordersToPay', 'ordersPaymentFailed', 'ordersToReceive', 'allianceInvitations']);
    expect(keysFor(['owner'], 'alliance')).toEqual(['registrationsToQualify', 'tendersInProgress']);
  });

  it('nobody without a role sees anything', () => {
    for (const kind of ORG_KINDS) expect(workItemsFor([], kind)).toEqual([]);
  });
});

describe('what is counted and where it leads', () => {
  it('counts only statuses the domain has, and only ones with work still to do', () => {
    for (const item of WORK_ITEMS) {
      const c = item.count;
      if (c.of === 'hospitalPrescriptions' || c.of === 'pharmacyPrescriptions') {
        for (const s of c.statuses) {
          expect(isRxStatus(s)).toBe(true);
          expect(FINAL_RX_STATUSES).not.toContain(s);
        }
      }
      if (c.of === 'orders') {
        expect(isOrderStatus(c.status)).toBe(true);
        expect(FINAL_ORDER_STATUSES).not.toContain(c.status);
      }
      if (c.of === 'sentShipments') {
        expect(isShipmentState(c.state)).toBe(true);
        expect(FINAL_SHIPMENT_STATES).not.toContain(c.state);
      }
      if (c.of === 'allianceTenders') for (const s of c.statuses) expect(isTenderStatus(s)).toBe(true);
    }
  });

  it('tenders in progress are those the state machine can still move', () => {
    expect(TENDERS_IN_PROGRESS).toEqual(['draft', 'demand_collection', 'published', 'opened', 'publicised']);
  });

  it('a filtered link filters on exactly what the card counts', () => {
    for (const item of WORK_ITEMS) {
      const url = new URL(item.href, 'http://x');
      const c = item.count;
      if (c.of === 'orders') {
        expect(url.pathname).toBe('/orders');
        expect(Object.fromEntries(url.searchParams)).toEqual({ side: c.side, status: c.status });
      }
      if (c.of === 'sentShipments') {
        expect(url.pathname).toBe('/shipments');
        expect(Object.fromEntries(url.searchParams)).toEqual({ side: 'sent', state: c.state });
      }
      if (c.of === 'kybPending') expect(Object.fromEntries(url.searchParams)).toEqual({ status: 'pending' });
      if (c.of === 'tenderTodo') {
        expect(url.pathname).toBe('/tenders');
        expect(Object.fromEntries(url.searchParams)).toEqual({ todo: c.todo });
        expect(isTenderTodo(c.todo)).toBe(true);
      }
    }
  });

  it('every item has its label in Chinese and English', () => {
    for (const key of WORK_ITEM_KEYS) {
      expect((zh.work.items as Record<string, string>)[key], `zh ${key}`).toBeTruthy();
      expect((en.work.items as Record<string, string>)[key], `en ${key}`).toBeTruthy();
    }
    expect(Object.keys(zh.work.items).sort()).toEqual([...WORK_ITEM_KEYS].sort());
    expect(Object.keys(en.work.items).sort()).toEqual([...WORK_ITEM_KEYS].sort());
  });

  it('an empty queue is calm, work waiting draws attention', () => {
    expect(workTone(0)).toBe('calm');
    expect(workTone(1)).toBe('attention');
    expect(workTone(250)).toBe('attention');
  });
});

describe('properties', () => {
  const permissionSets = fc.subarray([...PERMISSIONS]);
  const kinds = fc.constantFrom(...ORG_KINDS);

  it('every item shown needs a permission held and serves the organisation’s kind; no item twice; dashboard order kept', () => {
    fc.assert(
      fc.property(permissionSets, kinds, (permissions, kind) => {
        const items = workItemsFor(permissions, kind);
        const keys = items.map((i) => i.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const item of items) {
          expect(permissions).toContain(item.permission);
          const def = WORK_ITEMS.find((d) => d.key === item.key)!;
          expect(def.kinds as readonly string[]).toContain(kind);
          expect(item.href).toBe(def.href);
        }
        const positions = keys.map((k) => WORK_ITEM_KEYS.indexOf(k));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        // Exactly the applicable items: nothing the person may do is left out.
        const expected = WORK_ITEMS.filter((d) => permissions.includes(d.permission) && (d.kinds as readonly string[]).includes(kind)).map((d) => d.key);
        expect(keys).toEqual(expected);
      }),
    );
  });

  it('more permissions never hide an item', () => {
    fc.assert(
      fc.property(permissionSets, permissionSets, kinds, (a, b, kind) => {
        const fewer = workItemsFor(a, kind).map((i) => i.key);
        const more = workItemsFor([...a, ...b], kind).map((i) => i.key);
        for (const key of fewer) expect(more).toContain(key);
      }),
    );
  });

  it('whoever sees an item may open the page it links to', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES], { minLength: 1 }), kinds, (roles, kind) => {
        const permissions = [...permissionsFor(roles, kind)];
        const pages = visibleNav(permissions, kind).map((n) => n.href);
        for (const item of workItemsFor(permissions, kind)) expect(pages).toContain(new URL(item.href, 'http://x').pathname);
      }),
    );
  });
});
