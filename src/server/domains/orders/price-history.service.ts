import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { DbOrTx } from '../../db/client.ts';
import { findProductSpec } from '../catalog/product-page.repo.ts';
import { historyStart, MAX_PRICE_HISTORY_WEEKS, weeklyPriceHistory } from './price-history.core.ts';
import { tradedLinesOfProduct } from './price-history.repo.ts';

/** The product's spec and the weekly min/median/max of its traded prices over the last `weeks` ISO weeks. */
export async function productPriceHistory(db: DbOrTx, input: { productId: string; weeks: number }, now = new Date()) {
  const spec = await findProductSpec(db, input.productId);
  if (!spec) throw new AppError('NOT_FOUND', msg('catalog.productNotFound'), { field: 'productId' });
  const weeks = Math.min(Math.max(1, Math.trunc(input.weeks)), MAX_PRICE_HISTORY_WEEKS);
  const from = historyStart(now, weeks);
  const lines = await tradedLinesOfProduct(db, input.productId, from);
  return { product: spec, from: from.toISOString(), weeks: weeklyPriceHistory(lines) };
}
export type ProductPriceHistory = Awaited<ReturnType<typeof productPriceHistory>>;
