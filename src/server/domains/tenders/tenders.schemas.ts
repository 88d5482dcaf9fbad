import { z } from 'zod';
import { PAYMENT_METHODS } from '../orders/orders.core.ts';
import { TENDER_METHODS } from './evaluation.types.ts';

/** Inputs of the tenders API (zod at the edge: integer grams and fen, ISO times, region codes). */
const id = z.string().trim().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);
const grams = z.number().int().min(0).max(1_000_000_000_000);
const fenPerKg = z.number().int().positive().max(100_000_000);
const region = z.string().regex(/^\d{6}$/);
const when = z.coerce.date();
export const idempotencyKey = z.string().trim().min(8).max(100);

const documents = z.array(z.object({ name: text(200), uploadId: id.nullish() })).max(50).default([]);

export const tenderLotInput = z.object({
  herbName: text(40),
  spec: text(200),
  qualityTier: text(40),
  ceilingFenPerKg: fenPerKg,
  deliveryRegions: z.array(region).min(1).max(100),
});

const weights = z.object({ price: z.number().int().min(0).max(100), quality: z.number().int().min(0).max(100) });

const rules = {
  title: text(200),
  method: z.enum(TENDER_METHODS),
  weights: weights.nullish(),
  demandDeadline: when,
  bidDeadline: when,
  openingAt: when,
  publicityEndsAt: when,
  contractTermMonths: z.number().int().min(1).max(60).default(12),
  documents,
  lots: z.array(tenderLotInput).min(1).max(500),
};

export const createTenderInput = z.object(rules);
export const updateTenderInput = z.object({ id, ...rules });
export const tenderIdInput = z.object({ id });
/** The alliance invites a hospital or pharmacy (the organisation's id). */
export const addMemberInput = z.object({ memberOrgId: id });
/** The invited organisation answers an invitation addressed to it (the invitation's `alm_…` id). */
export const invitationIdInput = z.object({ id });
export const reportDemandInput = z.object({
  tenderId: id,
  lots: z.array(z.object({ lotId: id, grams })).min(1).max(500),
});
export const registerSupplierInput = z.object({
  tenderId: id,
  lots: z.array(z.object({ lotId: id, capacityG: grams })).min(1).max(500),
  documents,
});
export const qualifyInput = z.object({
  tenderId: id,
  supplierOrgId: id,
  qualified: z.boolean(),
  reason: text(500),
  /** 0–100 with at most 2 decimals; required to qualify in a weighted_score tender. */
  qualityScore: z.number().min(0).max(100).nullish(),
});
export const submitBidInput = z.object({
  tenderId: id,
  lotId: id,
  /** The bidding organisation; defaults to the caller's. Another organisation is refused. */
  supplierOrgId: id.optional(),
  fenPerKg: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  idempotencyKey,
});
export const complaintInput = z.object({ tenderId: id, lotId: id.nullish(), body: text(2000) });
export const retenderInput = z.object({ id, demandDeadline: when, bidDeadline: when, openingAt: when, publicityEndsAt: when });
export const answerComplaintInput = z.object({ complaintId: id, answer: text(2000) });

export const contractIdInput = z.object({ contractId: id });
/** A call-off becomes an order: paid like one (card by default; net terms within the seller's credit line). */
export const placeCallOffInput = z.object({ contractId: id, grams: z.number().int().positive().max(1_000_000_000), idempotencyKey, paymentMethod: z.enum(PAYMENT_METHODS).default('card') });
export const tenderRefInput = z.object({ tenderId: id });

export type CreateTenderInput = z.input<typeof createTenderInput>;
export type UpdateTenderInput = z.input<typeof updateTenderInput>;
export type TenderRules = z.output<typeof createTenderInput>;
export type ReportDemandInput = z.output<typeof reportDemandInput>;
export type RegisterSupplierInput = z.input<typeof registerSupplierInput>;
export type QualifyInput = z.output<typeof qualifyInput>;
export type SubmitBidInput = z.output<typeof submitBidInput>;
export type ComplaintInput = z.output<typeof complaintInput>;
export type PlaceCallOffInput = z.output<typeof placeCallOffInput>;
export type AnswerComplaintInput = z.output<typeof answerComplaintInput>;
