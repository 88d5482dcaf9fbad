import { z } from 'zod';

/**
 * Input and output of tender evaluation (CONTRACTS.md `bencao tender-evaluate`, DOMAIN.md "Alliance
 * tenders"). The schemas are the single gate: `evaluateTender` assumes an input they accepted.
 *
 * Field rules:
 * - ids (`lots[].id`, `bids[].id`, `bids[].lotId`, `bids[].supplierId`): strings of 1–64 characters;
 *   lot ids and bid ids are unique (a duplicate is reported at the later occurrence, e.g. `bids.7.id`);
 *   every `bids[].lotId` names a lot (reported as e.g. `bids.3.lotId`).
 * - money and mass are integers: `ceilingFenPerKg` and `fenPerKg` positive safe integers (a fraction of a
 *   fen is refused), `demandG` a non-negative safe integer.
 * - `submittedAt`: ISO-8601 / RFC 3339 date-time with seconds and an explicit `Z` or `±hh:mm` offset
 *   (any number of fraction digits); bids are compared by the instant, not by the text.
 * - `weighted_score` only: `weights` (`price`, `quality`: non-negative safe integers, sum > 0) and a
 *   `qualityScore` on every bid: 0–100 with at most 2 decimals (technical-review scores such as 86.25).
 *   For `vbp_price` both are optional and ignored, but checked when present.
 * Unknown keys are ignored (stripped).
 */

export const TENDER_METHODS = ['vbp_price', 'weighted_score'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

const id = (what: string) =>
  z
    .string({ error: `must be a string (${what})` })
    .min(1, { error: `must not be empty (${what})` })
    .max(64, { error: `must be at most 64 characters (${what})` });

const positiveFen = (what: string) =>
  z
    .number({ error: `must be a number (${what}, integer fen per kg)` })
    .max(Number.MAX_SAFE_INTEGER, { error: `must be at most 2^53 − 1 (${what})` })
    .int({ error: `must be a whole number of fen per kg (${what}); fractions of a fen are refused` })
    .positive({ error: `must be positive (${what})` });

const nonNegativeInt = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .max(Number.MAX_SAFE_INTEGER, { error: `must be at most 2^53 − 1 (${what})` })
    .int({ error: `must be a whole number (${what})` })
    .min(0, { error: `must not be negative (${what})` });

const qualityScore = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? 'required for method weighted_score (0–100 technical-review quality score)'
        : 'must be a number from 0 to 100 (technical-review quality score)',
  })
  .min(0, { error: 'must be from 0 to 100' })
  .max(100, { error: 'must be from 0 to 100' })
  .refine((q) => Math.round(q * 100) / 100 === q, { error: 'must have at most 2 decimals' });

export const tenderLotSchema = z.object(
  {
    id: id('lot id'),
    ceilingFenPerKg: positiveFen('ceiling price'),
    demandG: nonNegativeInt('demand in grams'),
  },
  { error: 'must be a lot object {"id","ceilingFenPerKg","demandG"}' },
);

const bidFields = {
  id: id('bid id'),
  lotId: id('lot id'),
  supplierId: id('supplier id'),
  fenPerKg: positiveFen('bid price'),
  submittedAt: z.iso.datetime({
    offset: true,
    error: 'must be an ISO-8601 date-time with seconds and a Z or ±hh:mm offset, e.g. 2026-01-01T08:00:00Z',
  }),
  qualified: z.boolean({ error: 'must be true or false' }),
};

const bidObject = { error: 'must be a bid object {"id","lotId","supplierId","fenPerKg","submittedAt","qualified"}' };
export const vbpBidSchema = z.object({ ...bidFields, qualityScore: qualityScore.optional() }, bidObject);
export const weightedBidSchema = z.object({ ...bidFields, qualityScore }, bidObject);

export const tenderWeightsSchema = z
  .object(
    {
      price: nonNegativeInt('price weight'),
      quality: nonNegativeInt('quality weight'),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'required for method weighted_score: {"price":…,"quality":…} (non-negative integers)'
          : 'must be an object {"price":…,"quality":…}',
    },
  )
  .refine((w) => w.price + w.quality > 0, { error: 'price + quality must be greater than 0' });

const lotsSchema = z.array(tenderLotSchema, { error: 'must be an array of lots' }).min(1, { error: 'must list at least one lot' });

const vbpInputSchema = z.object({
  method: z.literal('vbp_price'),
  lots: lotsSchema,
  bids: z.array(vbpBidSchema, { error: 'must be an array of bids' }),
  weights: tenderWeightsSchema.optional(),
});

const weightedInputSchema = z.object({
  method: z.literal('weighted_score'),
  lots: lotsSchema,
  bids: z.array(weightedBidSchema, { error: 'must be an array of bids' }),
  weights: tenderWeightsSchema,
});

interface IdCarrier {
  lots: ReadonlyArray<{ id: string }>;
  bids: ReadonlyArray<{ id: string; lotId: string }>;
}

function checkReferences(input: IdCarrier, ctx: z.RefinementCtx): void {
  const lotAt = new Map<string, number>();
  input.lots.forEach((lot, i) => {
    const first = lotAt.get(lot.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lots', i, 'id'], message: `duplicate lot id "${lot.id}" (first at lots.${first})` });
    } else lotAt.set(lot.id, i);
  });
  const bidAt = new Map<string, number>();
  input.bids.forEach((bid, i) => {
    const first = bidAt.get(bid.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bids', i, 'id'], message: `duplicate bid id "${bid.id}" (first at bids.${first})` });
    } else bidAt.set(bid.id, i);
    if (!lotAt.has(bid.lotId)) {
      ctx.addIssue({ code: 'custom', path: ['bids', i, 'lotId'], message: `unknown lot "${bid.lotId}" (not in lots)` });
    }
  });
}

export const tenderInputSchema = z
  .discriminatedUnion('method', [vbpInputSchema, weightedInputSchema], {
    error: (issue) =>
      typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
        ? `must be one of ${TENDER_METHODS.join(', ')}`
        : 'must be a JSON object {"method":…,"lots":[…],"bids":[…]}',
  })
  .superRefine(checkReferences);

export type TenderLot = z.output<typeof tenderLotSchema>;
export type TenderWeights = z.output<typeof tenderWeightsSchema>;
export type TenderInput = z.output<typeof tenderInputSchema>;
export type TenderBid = TenderInput['bids'][number];

export type RejectReason = 'NOT_QUALIFIED' | 'ABOVE_CEILING' | 'SUPERSEDED' | 'ABOVE_ANCHOR_LIMIT' | 'OUT_OF_SHORTLIST';

export interface LotWinner {
  rank: number;
  bidId: string;
  supplierId: string;
  fenPerKg: number;
}

export interface LotRejection {
  bidId: string;
  reason: RejectReason;
}

export interface LotResult {
  lotId: string;
  status: 'awarded' | 'failed';
  validSuppliers: number;
  anchorFenPerKg: number | null;
  maxWinners: number;
  share: number;
  agreedG: number;
  winners: LotWinner[];
  rejected: LotRejection[];
}

export interface TenderResult {
  lots: LotResult[];
  /** Hex SHA-256 of `canonicalJson(lots)`. */
  sha256: string;
}
