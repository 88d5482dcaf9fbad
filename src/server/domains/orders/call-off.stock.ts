import { eq } from 'drizzle-orm';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { kgText } from '../../../lib/amount-text.ts';
import { msg } from '../../../lib/messages.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { orderLine } from '../../db/schema/index.ts';
import { reserveLotStock } from '../catalog/lots.service.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { lotUnfitReason } from './call-off.core.ts';
import { callOffOfOrder, sellerLotsOfHerb, type CallOffOfOrder } from './call-off.repo.ts';
import { linesOf, type OrderRow } from './orders.repo.ts';
import { nested } from './orders.transitions.ts';

/**
 * Stock for call-off orders. A framework contract is not bound to a lot: the call-off's order line
 * names none, and the seller allocates one of its lots when it accepts the order (paid → accepted),
 * reserving the grams then — the same conditional update as every reservation, so stock never goes
 * negative. Cancelling or rejecting the order releases it like any other order's stock.
 */

/** The seller's lots that can fill this call-off now (variety, form, unexpired, enough stock). */
export async function lotChoicesFor(db: DbOrTx, sellerOrgId: string, callOff: Pick<CallOffOfOrder, 'herbName' | 'spec' | 'grams'>, now = new Date()) {
  const today = chinaToday(now);
  const lots = await sellerLotsOfHerb(db, sellerOrgId, callOff.herbName);
  return lots
    .map((l) => ({ ...l, availableG: l.quantityG - l.reservedG }))
    .filter((l) => lotUnfitReason(l, { herbName: callOff.herbName, spec: callOff.spec, grams: callOff.grams, today }) === null)
    .map((l) => ({ lotId: l.lotId, batchNo: l.batchNo, productName: l.productName, availableG: l.availableG, expiryDate: l.expiryDate }));
}

/**
 * In the acceptance transaction of a call-off order: checks the seller's `lotId` fits the tender
 * lot, reserves the line's grams on it (key `<orderId>:<lineNo>`) and writes the lot and
 * reservation on the line. Refusals name `lotId` (or `grams` when the stock ran out meanwhile).
 */
export async function allocateCallOffLot(tx: Tx, row: OrderRow, lotId: string | undefined, actorUserId: string | null): Promise<void> {
  const lines = await linesOf(tx, row.id);
  const open = lines.filter((l) => l.reservationId === null);
  if (open.length === 0) return;
  if (!lotId) throw new AppError('VALIDATION', msg('callOffs.lotRequired'), { field: 'lotId' });
  const callOff = await callOffOfOrder(tx, row.id);
  if (!callOff) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'id' });
  const [candidate] = await sellerLotsOfHerb(tx, row.sellerOrgId, callOff.herbName, lotId);
  const today = chinaToday(new Date());
  for (const line of open) {
    if (!candidate) throw new AppError('VALIDATION', msg('callOffs.lotNotFit', { herb: callOff.herbName, spec: callOff.spec }), { field: 'lotId' });
    const reason = lotUnfitReason({ ...candidate, availableG: candidate.quantityG - candidate.reservedG }, { herbName: callOff.herbName, spec: callOff.spec, grams: line.grams, today });
    if (reason === 'stock') throw new AppError('CONFLICT', msg('catalog.insufficientStock', { available: kgText(candidate.quantityG - candidate.reservedG), kg: kgText(line.grams) }), { field: 'lotId' });
    if (reason === 'expired') throw new AppError('VALIDATION', msg('callOffs.lotExpired', { batchNo: candidate.batchNo }), { field: 'lotId' });
    if (reason) throw new AppError('VALIDATION', msg('callOffs.lotNotFit', { herb: callOff.herbName, spec: callOff.spec }), { field: 'lotId' });
    const reservationKey = `${row.id}:${line.lineNo}`;
    let reservation;
    try {
      reservation = await reserveLotStock(nested(tx), {
        lotId: candidate.lotId,
        sellerOrgId: row.sellerOrgId,
        buyerOrgId: row.buyerOrgId,
        grams: line.grams,
        unitPriceFenPerKg: line.priceFenPerKg,
        totalFen: line.lineTotalFen,
        idempotencyKey: reservationKey,
        actorUserId,
      });
    } catch (error) {
      if (isAppError(error) && error.field === 'grams') throw new AppError(error.code, error.message, { ...error.details, field: 'lotId' });
      throw error;
    }
    await tx.update(orderLine).set({ lotId: candidate.lotId, reservationId: reservation.reservationId, reservationKey }).where(eq(orderLine.id, line.id));
  }
}
