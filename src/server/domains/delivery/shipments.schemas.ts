import { z } from 'zod';
import { CARRIER_CODES } from '../../integrations/carriers/carriers.port.ts';
import { SIM_SCENARIOS } from '../../integrations/carriers/simulated.core.ts';
import { EXCEPTION_REASONS, SHIPMENT_STATES } from './shipments.core.ts';

/** Inputs of the delivery API (zod at the edge: integer grams, enums, ISO times). */
const id = z.string().trim().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);

export const shipmentAddressInput = z.object({
  name: text(100),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'digits, spaces, + and - only').optional(),
  address: text(300),
  regionCode: z.string().regex(/^\d{6}$/).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});

/**
 * What the shipping party enters when it ships (the orders "ship" step and the pharmacy's hand-over
 * merge this into their input): carrier, its tracking number (generated for the simulated carrier),
 * parcels, weight, cold chain, ETA, the delivery address when it is not the receiver's address.
 */
export const shipmentDetailsInput = z.object({
  carrier: z.enum(CARRIER_CODES),
  trackingNumber: z.string().trim().toUpperCase().min(6).max(40).optional(),
  parcels: z.number().int().min(1).max(10_000).default(1),
  /** Integer grams; up to 100 t (a tender call-off of five tonnes fits many times). */
  weightG: z.number().int().positive().max(100_000_000),
  coldChain: z.boolean().optional(),
  eta: z.iso.datetime({ offset: true }).optional(),
  toAddress: shipmentAddressInput.optional(),
  /** Simulated carrier only: the scenario it plays (default normal). */
  scenario: z.enum(SIM_SCENARIOS).optional(),
});
export type ShipmentDetails = z.input<typeof shipmentDetailsInput>;

export const shipmentIdInput = z.object({ id });

export const listShipmentsInput = z.object({
  side: z.enum(['all', 'sent', 'received']).default('all'),
  late: z.boolean().optional(),
  exception: z.boolean().optional(),
  coldChain: z.boolean().optional(),
  state: z.enum(SHIPMENT_STATES).optional(),
  orderId: id.optional(),
  prescriptionId: id.optional(),
  cursor: id.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const reportExceptionInput = z.object({ id, reason: z.enum(EXCEPTION_REASONS), note: z.string().trim().max(500).optional() });
/** Deliver again, optionally to a corrected address (after an address problem). */
export const redeliverInput = z.object({ id, toAddress: shipmentAddressInput.optional(), note: z.string().trim().max(500).optional() });
export const returnInput = z.object({ id, note: z.string().trim().max(500).optional() });
