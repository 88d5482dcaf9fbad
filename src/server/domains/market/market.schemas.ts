import { z } from 'zod';
import { MAX_FEN_PER_KG, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_QTY_G } from './market.core.ts';

/** Inputs of the market API (zod at the edge: integer grams and fen per kg; the service checks again). */
const id = z.string().trim().min(1).max(64);
const idempotencyKey = z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH);
const qtyG = z.number().int().positive().max(MAX_QTY_G);
const fenPerKg = z.number().int().positive().max(MAX_FEN_PER_KG);

export const instrumentInput = z.object({ instrumentId: id, depth: z.number().int().min(1).max(200).default(20) });
/** A sell names the lot that backs it; a buy names none. */
export const placeInput = z.object({
  instrumentId: id,
  idempotencyKey,
  side: z.enum(['buy', 'sell']),
  qtyG,
  fenPerKg,
  tif: z.enum(['GTC', 'IOC']).default('GTC'),
  lotId: id.optional(),
});
export const cancelInput = z.object({ instrumentId: id, idempotencyKey, orderId: id });
export const amendInput = z.object({ instrumentId: id, idempotencyKey, orderId: id, qtyG });
export const listInput = z.object({ limit: z.number().int().min(1).max(500).default(200) }).default({ limit: 200 });
