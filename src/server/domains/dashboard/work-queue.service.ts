import { and, count, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { OrgKind, Permission } from '../../../lib/permissions.ts';
import type { DbOrTx } from '../../db/client.ts';
import { allianceMember, order, orgProfile, outboxEvent, prescription, rxOffer, shipment, tender } from '../../db/schema/index.ts';
import { PENDING_STATUS } from '../tenders/membership.core.ts';
import { tenderTodoCount } from '../tenders/tenders.service.ts';
import { workItemsFor, type WorkCount, type WorkItemKey } from './work-queue.core.ts';

/**
 * Counts behind the dashboard's "waiting for you" items. Only the items the caller's permissions and
 * organisation kind allow are counted (work-queue.core decides which), each with one count query
 * scoped to the caller's active organisation (tender to-dos with the tender list's own rules, so the
 * card and the filtered list agree); the operator's queues (KYB, failed jobs) are the platform's own
 * and are counted only for holders of the operator permissions.
 */
export interface WorkQueueActor {
  orgId: string;
  kind: OrgKind;
  permissions: ReadonlySet<Permission> | readonly Permission[];
}

export interface WorkQueueEntry {
  key: WorkItemKey;
  href: string;
  count: number;
}

async function countWhere(db: DbOrTx, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** One count for the caller's organisation `orgId`. */
export function countWork(db: DbOrTx, orgId: string, spec: WorkCount): Promise<number> {
  switch (spec.of) {
    case 'hospitalPrescriptions':
      return countWhere(
        db,
        prescription,
        and(
          eq(prescription.hospitalOrgId, orgId),
          inArray(prescription.status, [...spec.statuses]),
          ...(spec.awaitingCountersign ? [eq(prescription.blocked, true), isNull(prescription.overrideAt)] : []),
        ),
      );
    case 'pharmacyPrescriptions':
      return countWhere(db, prescription, and(eq(prescription.pharmacyOrgId, orgId), inArray(prescription.status, [...spec.statuses])));
    case 'openOffers':
      return countWhere(db, rxOffer, and(eq(rxOffer.pharmacyOrgId, orgId), eq(rxOffer.status, 'offered')));
    case 'orders':
      return countWhere(db, order, and(spec.side === 'buyer' ? eq(order.buyerOrgId, orgId) : eq(order.sellerOrgId, orgId), eq(order.status, spec.status)));
    case 'sentShipments':
      return countWhere(db, shipment, and(eq(shipment.senderOrgId, orgId), eq(shipment.state, spec.state)));
    case 'allianceTenders':
      return countWhere(db, tender, and(eq(tender.allianceOrgId, orgId), inArray(tender.status, [...spec.statuses])));
    case 'tenderTodo':
      return tenderTodoCount(db, orgId, spec.todo);
    case 'allianceInvitations':
      return countWhere(db, allianceMember, and(eq(allianceMember.memberOrgId, orgId), eq(allianceMember.status, PENDING_STATUS)));
    case 'kybPending':
      return countWhere(db, orgProfile, eq(orgProfile.kybStatus, 'pending'));
    case 'failedJobs':
      return countWhere(db, outboxEvent, eq(outboxEvent.status, 'failed'));
  }
}

/** The caller's items with their counts, in dashboard order. */
export async function workQueue(db: DbOrTx, actor: WorkQueueActor): Promise<WorkQueueEntry[]> {
  const items = workItemsFor(actor.permissions, actor.kind);
  const counts = await Promise.all(items.map((item) => countWork(db, actor.orgId, item.count)));
  return items.map((item, i) => ({ key: item.key, href: item.href, count: counts[i]! }));
}
