import { z } from 'zod';
import { msg } from '../../../lib/messages.ts';
import { regionCodeSchema } from '../orgs/orgs.schemas.ts';
import { LISTING_STATUSES, SELLER_TARGETS } from './listings.core.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from './products.core.ts';

/** zod schemas for products, lots and listings (the tRPC edge validates with these). */
const idSchema = z.string().trim().min(1).max(64);
export const gramsSchema = z.number({ message: msg('field.positiveGrams') }).int({ message: msg('field.positiveGrams') }).positive({ message: msg('field.positiveGrams') }).max(1_000_000_000);
export const fenPerKgSchema = z.number({ message: msg('field.integerFen') }).int({ message: msg('field.integerFen') }).positive({ message: msg('field.integerFen') }).max(100_000_000);
const isoDate = z.iso.date();
const decimal = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, { message: msg('field.decimal') })
    .refine((v) => Number(v) <= max, { message: msg('field.decimal') });

export const createProductInput = z.object({
  herbId: idSchema,
  form: z.enum(PRODUCT_FORMS),
  cut: z.enum(PRODUCT_CUTS),
  processing: z.enum(PRODUCT_PROCESSINGS),
  grade: z.enum(PRODUCT_GRADES),
  origin: z.string().trim().min(2).max(40),
  daoDi: z.boolean().default(false),
});
export type CreateProductInput = z.infer<typeof createProductInput>;

export const createLotInput = z.object({
  productId: idSchema,
  batchNo: z.string().trim().min(1).max(40).regex(/^[\w\-./]+$/u),
  quantityG: gramsSchema,
  productionDate: isoDate,
  expiryDate: isoDate,
  contentPct: decimal(100).optional(),
  moisturePct: decimal(100).optional(),
  totalAshPct: decimal(100).optional(),
  heavyMetalsPpm: decimal(100_000).optional(),
  pesticidePpm: decimal(100_000).optional(),
  so2Ppm: z.number().int().min(0).max(100_000).optional(),
  growerBase: z.string().trim().min(1).max(80).optional(),
  harvestDate: isoDate.optional(),
});
export type CreateLotInput = z.infer<typeof createLotInput>;

export const tierSchema = z.object({ minG: gramsSchema, priceFenPerKg: fenPerKgSchema });

export const createListingInput = z.object({
  lotId: idSchema,
  priceFenPerKg: fenPerKgSchema,
  tiers: z.array(tierSchema).max(10).default([]),
  minOrderG: gramsSchema,
  deliveryRegions: z.array(regionCodeSchema).min(1).max(50),
  leadTimeDays: z.number().int().min(0).max(365),
});
export type CreateListingInput = z.infer<typeof createListingInput>;

export const updateListingInput = createListingInput.omit({ lotId: true }).partial().extend({ id: idSchema });
export type UpdateListingInput = z.infer<typeof updateListingInput>;

export const setListingStatusInput = z.object({ id: idSchema, status: z.enum(SELLER_TARGETS) });
export type SetListingStatusInput = z.infer<typeof setListingStatusInput>;

export const listingStatusSchema = z.enum(LISTING_STATUSES);
