import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { lot, order, orderLine } from '../../db/schema/index.ts';
import { TRADED_ORDER_STATUSES } from './price-history.core.ts';

/**
 * Traded order lines of one product since `from` (market data: price, grams and time only; no buyer,
 * seller or order ids leave this query). Tender call-offs are left out: their price is a framework
 * contract's, not the market's.
 */
export async function tradedLinesOfProduct(db: DbOrTx, productId: string, from: Date) {
  return db
    .select({ at: order.createdAt, priceFenPerKg: orderLine.priceFenPerKg, grams: orderLine.grams })
    .from(orderLine)
    .innerJoin(order, eq(order.id, orderLine.orderId))
    .innerJoin(lot, eq(lot.id, orderLine.lotId))
    .where(and(eq(lot.productId, productId), eq(order.source, 'cart'), inArray(order.status, [...TRADED_ORDER_STATUSES]), gte(order.createdAt, from)))
    .orderBy(asc(order.createdAt));
}
