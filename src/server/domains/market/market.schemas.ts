import { z } from 'zod';
import { kgText, yuanText } from '../../../lib/amount-text.ts';
import { msg } from '../../../lib/messages.ts';
import { LISTING_CERTIFICATES } from '../../integrations/search/search.documents.ts';
import { PRODUCT_GRADES } from '../catalog/products.core.ts';
import { EXPIRY_CANCEL_PREFIX, MAX_FEN_PER_KG, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_QTY_G } from './market.core.ts';

/** Inputs of the market API (zod at the edge: integer grams and fen per kg; the service checks again). */
const id = z.string().trim().min(1).max(64);
// Keys starting with the expiry job's prefix are the platform's: a caller's own cancel must not read as an
// expiry in "my orders", nor take the key the job will cancel the order with.
const idempotencyKey = z
  .string()
  .min(1)
  .max(MAX_IDEMPOTENCY_KEY_LENGTH)
  .refine((key) => !key.startsWith(EXPIRY_CANCEL_PREFIX), { error: msg('market.reservedIdempotencyKey', { prefix: EXPIRY_CANCEL_PREFIX }) });
// One message for every way a quantity or price is wrong, in the units the order form shows.
const badQty = msg('market.badQuantity', { max: kgText(MAX_QTY_G) });
const badPrice = msg('market.badPrice', { max: yuanText(MAX_FEN_PER_KG) });
const qtyG = z.number({ error: badQty }).int({ error: badQty }).positive({ error: badQty }).max(MAX_QTY_G, { error: badQty });
const fenPerKg = z.number({ error: badPrice }).int({ error: badPrice }).positive({ error: badPrice }).max(MAX_FEN_PER_KG, { error: badPrice });

export const instrumentInput = z.object({ instrumentId: id, depth: z.number().int().min(1).max(200).default(20) });
/** What a buyer requires of the lots it buys (DOMAIN.md "Market"): a resting sell that fails is skipped. */
export const buyConstraintsInput = z.object({
  /** Acceptable origins (产地), e.g. 甘肃陇西; empty or absent: any origin. */
  origins: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  /** Lowest acceptable grade: ungraded 统货 < graded 等级 < selected 选货. */
  minGrade: z.enum(PRODUCT_GRADES).optional(),
  /** A certificate the lot must carry: gap (GAP base) or quality_report (含量/水分 measured). */
  certificate: z.enum(LISTING_CERTIFICATES).optional(),
});
/**
 * A sell names the lot that backs it; a buy names how it is funded (`card`: a payment authorisation of
 * quantity × limit price made at placing; `net_terms`: only sellers that granted the buyer net terms
 * with room for the whole order match it) and may carry constraints. A GTC order may expire.
 */
export const placeInput = z.object({
  instrumentId: id,
  idempotencyKey,
  side: z.enum(['buy', 'sell']),
  qtyG,
  fenPerKg,
  tif: z.enum(['GTC', 'IOC']).default('GTC'),
  lotId: id.optional(),
  funding: z.enum(['card', 'net_terms']).optional(),
  constraints: buyConstraintsInput.optional(),
  /** GTC only: when the order stops resting (ISO 8601, in the future, at most 90 days ahead). */
  expiresAt: z.string().datetime({ offset: true }).optional(),
});
export const cancelInput = z.object({ instrumentId: id, idempotencyKey, orderId: id });
export const amendInput = z.object({ instrumentId: id, idempotencyKey, orderId: id, qtyG });
export const listInput = z.object({ limit: z.number().int().min(1).max(500).default(200) }).default({ limit: 200 });
