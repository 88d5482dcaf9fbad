import { z } from 'zod';
import { msg } from '../../../lib/messages.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '../catalog/products.core.ts';
import { isCalendarDay } from './ohlc.core.ts';

/** Inputs of the market's read side and of the operator's instrument management (zod at the edge). */
const id = z.string().trim().min(1).max(64);
const day = z.string().refine(isCalendarDay, { message: msg('marketData.badDay') });

export const instrumentIdInput = z.object({ instrumentId: id });
export const recentTradesInput = z.object({ instrumentId: id, limit: z.number().int().min(1).max(200).default(50) });
/** A China-time date range, both ends included; the range itself is checked by `checkDayRange`. */
export const ohlcInput = z.object({ instrumentId: id, from: day.optional(), to: day.optional() });
export const createInstrumentInput = z.object({
  herbId: id,
  form: z.enum(PRODUCT_FORMS),
  cut: z.enum(PRODUCT_CUTS),
  processing: z.enum(PRODUCT_PROCESSINGS),
  grade: z.enum(PRODUCT_GRADES),
});
export const instrumentStatusInput = z.object({ instrumentId: id, status: z.enum(['active', 'halted']) });
