import { z } from 'zod';
import { CARRIER_STATUS_TYPES, EXCEPTION_REASONS } from '../../domains/delivery/shipments.core.ts';
import type { CarrierAdapter } from './carriers.port.ts';
import { createHmacAdapter, type HmacAdapterOptions } from './hmac-adapter.ts';

/**
 * The simulated carrier (模拟承运商) for the demo and tests: the platform plays it with delayed jobs
 * (`simulated.core.ts` plans the events, `domains/delivery/shipments.jobs.ts` sends them), and its
 * deliveries come through the same webhook route and checks as a real carrier's. Body: the platform's
 * own event shape, a list of events. Signed `X-Bencao-Signature: v1=<hex HMAC-SHA256>` over
 * `<X-Bencao-Timestamp>.<raw body>` (seconds).
 */
const iso = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const text = (max: number) => z.string().trim().max(max);

const event = z.object({
  id: text(64).min(1),
  trackingNumber: text(40).min(1),
  type: z.enum([...CARRIER_STATUS_TYPES, 'temperature']),
  at: iso,
  location: text(200).optional(),
  description: text(500).optional(),
  exceptionReason: z.enum(EXCEPTION_REASONS).optional(),
  pod: z.object({ signer: text(64).optional(), photoRef: text(300).optional(), recipientCode: text(16).optional() }).optional(),
  eta: iso.optional(),
  temperatures: z.array(z.object({ at: iso, celsius: z.number().min(-80).max(80) })).max(500).optional(),
});

const body = z.object({ events: z.array(event).min(1).max(100) });

export type SimulatedEvent = z.input<typeof event>;

export function createSimulatedAdapter(options: HmacAdapterOptions): CarrierAdapter {
  return createHmacAdapter(
    {
      code: 'sim',
      name: '模拟承运商',
      signatureHeader: 'x-bencao-signature',
      timestampHeader: 'x-bencao-timestamp',
      timestampUnit: 's',
      encoding: 'hex',
      signaturePrefix: 'v1=',
      simulated: true,
      trackingPattern: /^SIM\d{10,14}$/,
      body,
      normalize: (b) =>
        b.events.map((e, i) => ({
          carrierEventId: e.id,
          trackingNumber: e.trackingNumber,
          trackingField: `events.${i}.trackingNumber`,
          type: e.type,
          carrierCode: null,
          eventAt: e.at,
          location: e.location ?? null,
          description: e.description ?? null,
          exceptionReason: e.type === 'exception' ? (e.exceptionReason ?? 'other') : null,
          pod: e.type === 'delivered' ? { signer: e.pod?.signer ?? null, photoRef: e.pod?.photoRef ?? null, check: e.pod?.recipientCode ? 'code' : 'signature', recipientCode: e.pod?.recipientCode ?? null } : null,
          temperatures: (e.temperatures ?? []).map((t) => ({ at: t.at, celsius: t.celsius })),
          eta: e.eta ?? null,
          raw: e,
        })),
    },
    options,
  );
}
