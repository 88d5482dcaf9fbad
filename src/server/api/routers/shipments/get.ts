import { z } from 'zod';
import { SHIPMENT_STATES } from '../../../domains/delivery/shipments.core.ts';
import { shipmentIdInput } from '../../../domains/delivery/shipments.schemas.ts';
import { getShipment } from '../../../domains/delivery/shipments.service.ts';
import { orgProcedure } from '../../trpc.ts';

const address = z.object({ name: z.string(), phone: z.string().nullable().optional(), address: z.string(), regionCode: z.string().nullable().optional(), lat: z.number().nullable().optional(), lng: z.number().nullable().optional() });

export const shipmentDetailOutput = z.object({
  id: z.string(),
  state: z.enum(SHIPMENT_STATES),
  direction: z.enum(['forward', 'return']),
  side: z.enum(['sender', 'receiver', 'observer']),
  carrier: z.string(),
  carrierName: z.string(),
  trackingNumber: z.string(),
  orderId: z.string().nullable(),
  prescriptionId: z.string().nullable(),
  sender: z.object({ id: z.string(), name: z.string() }),
  receiver: z.object({ id: z.string().nullable(), name: z.string() }),
  parcels: z.number().int(),
  weightG: z.number().int(),
  coldChain: z.boolean(),
  hasExcursion: z.boolean(),
  eta: z.string().nullable(),
  late: z.boolean(),
  exceptionReason: z.string().nullable(),
  lastEventAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  deliveryAttempts: z.number().int(),
  fromAddress: address,
  toAddress: address,
  pod: z.object({ signer: z.string().nullable(), at: z.string(), photoRef: z.string().nullable(), check: z.string().nullable() }).nullable(),
  recipientCheck: z.boolean(),
  timeline: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      source: z.string(),
      carrierCode: z.string().nullable(),
      at: z.string(),
      receivedAt: z.string(),
      location: z.string().nullable(),
      description: z.string().nullable(),
      from: z.string(),
      to: z.string().nullable(),
      applied: z.boolean(),
      ignoredReason: z.string().nullable(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  temperatures: z.array(z.object({ at: z.string(), celsius: z.number(), excursion: z.boolean() })),
  alerts: z.array(z.object({ id: z.string(), kind: z.string(), startedAt: z.string(), lastAt: z.string(), readings: z.number().int(), minCelsius: z.number().nullable(), maxCelsius: z.number().nullable(), data: z.record(z.string(), z.unknown()) })),
});

/** `GET /api/v1/shipments/{id}`: state, proof of delivery, the timeline (late events marked), readings and alerts; parties only. */
export const get = orgProcedure('shipment:read')
  .meta({ openapi: { method: 'GET', path: '/shipments/{id}', tags: ['shipments'], summary: 'Shipment tracking timeline', protect: true } })
  .input(shipmentIdInput)
  .output(shipmentDetailOutput)
  .query(({ ctx, input }) => getShipment(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.id));
