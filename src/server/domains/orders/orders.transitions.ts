import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, Tx } from '../../db/client.ts';
import { order, orderEvent } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { lockLots } from '../catalog/lots.repo.ts';
import { releaseStock } from '../catalog/lots.service.ts';
import { assertTransition, type OrderActorRole, type OrderStatus } from './orders.core.ts';
import { linesOf, type OrderRow } from './orders.repo.ts';

/** Who moves an order: a party (buyer/seller, with user and org) or the system (jobs, webhooks). */
export interface OrderMover {
  role: OrderActorRole;
  userId: string | null;
  orgId: string | null;
}

export const SYSTEM: OrderMover = { role: 'system', userId: null, orgId: null };

/**
 * Catalog services open their own transaction; inside ours that is a savepoint, so a failing
 * reservation rolls back with the order and nothing is half-written.
 */
export function nested(tx: Tx): Db {
  return tx as unknown as Db;
}

/**
 * Moves a (locked) order along the transition table: conditional update on the current status, one
 * timeline event and one audit entry. A forbidden move throws before anything is written.
 */
export async function moveOrder(
  tx: Tx,
  current: OrderRow,
  to: OrderStatus,
  mover: OrderMover,
  extra: { reason?: string | null; set?: Partial<typeof order.$inferInsert>; data?: Record<string, unknown> } = {},
): Promise<OrderRow> {
  const from = assertTransition(current.status, to, mover.role);
  const now = new Date();
  const [updated] = await tx
    .update(order)
    .set({ ...extra.set, status: to, updatedAt: now })
    .where(and(eq(order.id, current.id), eq(order.status, from)))
    .returning();
  if (!updated) throw new AppError('CONFLICT', msg('orders.invalidTransition', { from, to }), { field: 'id' });
  await recordEvent(tx, updated, { from, to, mover, reason: extra.reason ?? null, data: extra.data ?? {}, at: now });
  return updated;
}

/** A timeline entry (status change or payment note) with its audit entry. */
export async function recordEvent(
  tx: Tx,
  row: OrderRow,
  event: { from: string | null; to: string; mover: OrderMover; reason?: string | null; data?: Record<string, unknown>; at?: Date },
): Promise<void> {
  const at = event.at ?? new Date();
  await tx.insert(orderEvent).values({
    id: newId('oev'),
    orderId: row.id,
    fromStatus: event.from,
    toStatus: event.to,
    actorRole: event.mover.role,
    actorUserId: event.mover.userId,
    actorOrgId: event.mover.orgId,
    reason: event.reason ?? null,
    data: event.data ?? {},
    at,
  });
  await appendAudit(tx, {
    actorUserId: event.mover.userId,
    actorOrgId: event.mover.orgId,
    orgId: row.sellerOrgId,
    action: event.from === event.to ? `order.${String(event.data?.payment ?? 'noted')}` : event.from === null ? 'order.created' : 'order.status_changed',
    entityType: 'order',
    entityId: row.id,
    data: { from: event.from, to: event.to, role: event.mover.role, reason: event.reason ?? null, buyerOrgId: row.buyerOrgId, ...event.data },
  });
}

/**
 * Locks the lots this order holds stock on. Call it before the order's first audit entry in a
 * transaction that releases the stock later (cancel, reject, expiry): see `lockLots`.
 */
export async function lockOrderStock(tx: Tx, orderId: string): Promise<void> {
  const lines = await linesOf(tx, orderId);
  await lockLots(tx, lines.flatMap((l) => (l.reservationId && l.lotId ? [l.lotId] : [])));
}

/** Gives every line's reserved grams back (releasing an already released reservation is a no-op). */
export async function releaseOrderStock(tx: Tx, row: OrderRow, actorUserId: string | null): Promise<void> {
  for (const line of await linesOf(tx, row.id)) {
    // A call-off line has no reservation until the seller allocates a lot at acceptance.
    if (!line.reservationId) continue;
    await releaseStock(nested(tx), { reservationId: line.reservationId, buyerOrgId: row.buyerOrgId, actorUserId });
  }
}
