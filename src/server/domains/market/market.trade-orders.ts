import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { instrument, marketCommand, marketFunding, marketTrade, organization, stockReservation } from '../../db/schema/index.ts';
import { announce } from '../../integrations/live/live.jobs.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import { createContractOrder } from '../orders/orders.service.ts';

/**
 * Job body of `market.trade-orders`: each trade becomes an ordinary order between the two disclosed
 * parties, holding the reservation the matching transaction wrote for the buyer (`market:<trade>`).
 * On net terms it is paid on terms at once (the terms were checked when the buy was placed); funded by
 * card it is authorised with the buyer's payment method. The seller then accepts and ships it (capture
 * on shipment, a carrier shipment) and the buyer confirms delivery. One transaction per trade; a trade
 * that already has its order is skipped, so the job may run again.
 */
export async function createTradeOrders(db: Db, tradeIds: readonly string[]): Promise<void> {
  for (const tradeId of tradeIds) await createTradeOrder(db, tradeId);
}

async function createTradeOrder(db: Db, tradeId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [trade] = await tx
      .select()
      .from(marketTrade)
      .where(and(eq(marketTrade.id, tradeId), isNull(marketTrade.orderId)))
      .for('update');
    if (!trade) return;
    const reservationKey = `market:${tradeId}`;
    const [reservation] = await tx
      .select({ id: stockReservation.id, lotId: stockReservation.lotId })
      .from(stockReservation)
      .where(and(eq(stockReservation.buyerOrgId, trade.buyerOrgId), eq(stockReservation.idempotencyKey, reservationKey)));
    if (!reservation) return;
    const [ins] = await tx.select({ name: instrument.name, form: instrument.form }).from(instrument).where(eq(instrument.id, trade.instrumentId));
    const [seller] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, trade.sellerOrgId));
    const [funding] = await tx.select({ method: marketFunding.method, paymentMethod: marketFunding.paymentMethod }).from(marketFunding).where(eq(marketFunding.orderId, trade.buyOrderId));
    const [placed] = await tx
      .select({ userId: marketCommand.userId })
      .from(marketCommand)
      .where(and(eq(marketCommand.instrumentId, trade.instrumentId), eq(marketCommand.orderId, trade.buyOrderId), eq(marketCommand.kind, 'place')));
    const card = funding?.method !== 'net_terms';
    const created = await createContractOrder(tx, { orgId: trade.buyerOrgId, userId: placed?.userId ?? null }, {
      source: 'market',
      callOffId: null,
      sellerOrgId: trade.sellerOrgId,
      sellerName: seller?.name ?? trade.sellerOrgId,
      paymentMethod: card ? 'card' : 'net_terms',
      checkoutKey: tradeId,
      idempotencyKey: reservationKey,
      line: { productName: ins?.name ?? trade.instrumentId, grams: trade.grams, priceFenPerKg: trade.fenPerKg, form: ins?.form ?? null, stock: { lotId: reservation.lotId, reservationId: reservation.id, reservationKey } },
      payment: card ? { kind: 'authorise_with', paymentMethod: funding?.paymentMethod ?? 'pm_card_visa' } : { kind: 'backed_on_terms' },
    });
    await tx.update(marketTrade).set({ orderId: created.id }).where(eq(marketTrade.id, tradeId));
    for (const party of [trade.buyerOrgId, trade.sellerOrgId]) await announce(tx, liveTopics.marketOrg(party), 'market.trade_order');
  });
}
