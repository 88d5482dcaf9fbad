import { z } from 'zod';
import { msg } from '../../../lib/messages.ts';
import { CARRIER_CODES } from '../../integrations/carriers/carriers.port.ts';
import { SIM_SCENARIOS } from '../../integrations/carriers/simulated.core.ts';
import { DECOCTION_STEPS, MAX_VALIDITY_DAYS, RX_STATUSES } from './prescriptions.core.ts';
import { MAX_DOSES, MAX_ITEMS, rxScreenItemSchema } from './screening.types.ts';

/**
 * Inputs of the prescriptions API (zod at the edge). Items reuse the screening contract's item rules:
 * grams > 0 with at most 3 decimals (stored as milligrams), handling one of 先煎 后下 包煎 另煎 烊化 冲服.
 */
const id = z.string().trim().min(1).max(64);
const reason = z.string({ message: msg('rx.reasonRequired') }).trim().min(1, { message: msg('rx.reasonRequired') }).max(500);
export const rxIdempotencyKey = z.string().trim().min(8).max(100);

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** A delivery address line (1–300 characters) and a phone (digits, spaces, + and -, 5–20 characters). */
const addressText = z.string({ message: msg('rx.deliveryAddressLength') }).trim().min(1, { message: msg('rx.deliveryAddressLength') }).max(300, { message: msg('rx.deliveryAddressLength') });
const phoneText = z.string({ message: msg('rx.phoneFormat') }).trim().regex(/^[0-9+\- ]{5,20}$/, { message: msg('rx.phoneFormat') });

export const rxDeliveryAddressInput = z.object({ address: addressText, phone: phoneText.optional() });

export const rxPatientInput = z
  .object({
    /** Full name as the hospital knows it; only the masked form (张**) is stored. */
    name: z.string().trim().min(1).max(40),
    sex: z.enum(['M', 'F']),
    ageYears: z.number().int().min(0).max(150),
    pregnant: z.boolean().default(false),
    allergies: z.string().trim().max(200).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.pregnant && p.sex !== 'F') ctx.addIssue({ code: 'custom', path: ['pregnant'], message: 'can only be true for a female patient (sex "F")' });
  });

export const createPrescriptionInput = z
  .object({
    patient: rxPatientInput,
    items: z.array(rxScreenItemSchema).min(1).max(MAX_ITEMS),
    doses: z.number().int().min(1).max(MAX_DOSES),
    usage: z.string().trim().min(1).max(200),
    decoction: z.boolean(),
    decoctionBags: z.number().int().min(1).max(200).optional(),
    decoctionMl: z.number().int().min(20).max(500).optional(),
    fulfilment: z.enum(['pickup', 'delivery']),
    /** Patient location (delivery address, or where the patient is). */
    location: z.object({ lat: latitude, lng: longitude }),
    /**
     * Delivery only: where the medicine goes. The physician's form requires it for delivery; the
     * hospital system may leave it out (the pharmacy enters it at hand-over).
     */
    deliveryAddress: rxDeliveryAddressInput.optional(),
    /** A pharmacy organisation the patient picked for pickup. */
    storeId: id.optional(),
    validDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS).default(MAX_VALIDITY_DAYS),
    /** Same key → the first prescription (REST: the `Idempotency-Key` header wins). */
    idempotencyKey: rxIdempotencyKey.optional(),
    /** API only: the signing physician (a physician member of the hospital). */
    physicianEmail: z.email().optional(),
  })
  .superRefine((rx, ctx) => {
    if (rx.decoction && (rx.decoctionBags === undefined || rx.decoctionMl === undefined)) {
      ctx.addIssue({ code: 'custom', path: [rx.decoctionBags === undefined ? 'decoctionBags' : 'decoctionMl'], message: 'is required when decoction is true (bags × ml)' });
    }
    if (rx.storeId && rx.fulfilment !== 'pickup') ctx.addIssue({ code: 'custom', path: ['storeId'], message: 'only for pickup' });
    if (rx.deliveryAddress && rx.fulfilment !== 'delivery') ctx.addIssue({ code: 'custom', path: ['deliveryAddress'], message: msg('rx.deliveryAddressOnlyForDelivery') });
  });
export type CreatePrescriptionInput = z.output<typeof createPrescriptionInput>;
export type CreatePrescriptionInputRaw = z.input<typeof createPrescriptionInput>;

export const rxIdInput = z.object({ id });
export const overrideInput = z.object({ id, reason });
export const reviewInput = z
  .object({ id, decision: z.enum(['approved', 'rejected']), reason: reason.optional() })
  .superRefine((r, ctx) => {
    if (r.decision === 'rejected' && !r.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: msg('rx.reasonRequired') });
  });
export const cancelInput = z.object({ id, reason });
export const listInput = z.object({ status: z.enum(RX_STATUSES).optional() });
export const offerIdInput = z.object({ offerId: id });
export const rejectOfferInput = z.object({ offerId: id, reason });
export const itemInput = z.object({ id, itemId: id });
export const decoctionStepInput = z.object({
  id,
  step: z.enum(DECOCTION_STEPS),
  minutes: z.number().int().min(0).max(600).optional(),
  bags: z.number().int().min(1).max(200).optional(),
  note: z.string().trim().max(200).optional(),
});
/**
 * What the pharmacy enters when it hands a delivery prescription to a carrier (finishing dispensing
 * without 代煎, or finishing the decoction): carrier, tracking number (generated for the demo
 * carrier), parcels, weight (default: an estimate), the address (default: the prescription's) and
 * phone, and for the demo carrier the scenario it plays.
 */
export const rxShipmentInput = z.object({
  carrier: z.enum(CARRIER_CODES),
  trackingNumber: z.string().trim().toUpperCase().min(6).max(40).optional(),
  parcels: z.number().int().min(1).max(50).default(1),
  /** Integer grams (up to 100 kg). */
  weightG: z.number().int().min(1).max(100_000).optional(),
  address: addressText.optional(),
  phone: phoneText.optional(),
  scenario: z.enum(SIM_SCENARIOS).optional(),
});
export type RxShipmentInput = z.output<typeof rxShipmentInput>;
/** Finishing dispensing or decoction; `shipment` when the next step hands the medicine to a carrier. */
export const finishStepInput = z.object({ id, shipment: rxShipmentInput.optional() });
export type FinishStepInput = z.input<typeof finishStepInput>;

export const pickupInput = z.object({ id, code: z.string().trim().regex(/^\d{6}$/) });
export const statusTokenInput = z.object({ token: z.string().trim().min(20).max(100) });

export const capabilityInput = z.object({
  decoction: z.boolean(),
  dailyCapacity: z.number().int().min(0).max(100_000),
  opensAtMin: z.number().int().min(0).max(1439),
  closesAtMin: z.number().int().min(0).max(1439),
  serviceRadiusKm: z.number().int().min(1).max(5000),
  active: z.boolean().default(true),
});
export type CapabilityInput = z.output<typeof capabilityInput>;
