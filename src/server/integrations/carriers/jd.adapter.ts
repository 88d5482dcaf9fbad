import { z } from 'zod';
import type { CarrierEventType, ExceptionReason } from '../../domains/delivery/shipments.core.ts';
import type { CarrierAdapter } from './carriers.port.ts';
import { createHmacAdapter, type HmacAdapterOptions } from './hmac-adapter.ts';

/**
 * JD Logistics (京东物流), shaped after its track push (运单轨迹推送): one POST per event with the
 * event id, waybill code (`waybillCode`), operation type, operation time in epoch milliseconds, the
 * site and a description; abnormal events name the abnormality, signed-for events the signer and
 * photo, cold-chain (京东冷链) events a temperature list. Signed with HMAC-SHA256, hex, over
 * `<X-JD-Timestamp>.<raw body>` (the timestamp in seconds).
 *
 * operateType mapped: COLLECT → picked_up; TRANSIT, ARRIVE, DEPART → in_transit; DELIVERING →
 * out_for_delivery; SIGNED → delivered; ABNORMAL → exception (abnormalType DAMAGE, ADDRESS, LOST,
 * OTHER); REJECT → exception (refused); RETURNED → returned; TEMPERATURE → readings only; anything
 * else is recorded as `unknown`.
 */
const TYPES: Record<string, CarrierEventType> = {
  COLLECT: 'picked_up',
  TRANSIT: 'in_transit',
  ARRIVE: 'in_transit',
  DEPART: 'in_transit',
  DELIVERING: 'out_for_delivery',
  SIGNED: 'delivered',
  ABNORMAL: 'exception',
  REJECT: 'exception',
  RETURNED: 'returned',
  TEMPERATURE: 'temperature',
};

const ABNORMAL: Record<string, ExceptionReason> = { DAMAGE: 'damaged', ADDRESS: 'address_problem', LOST: 'lost', OTHER: 'other' };

const epochMs = z.number().int().min(946_684_800_000).max(4_102_444_800_000);
const text = (max: number) => z.string().trim().max(max);

const body = z.object({
  eventId: text(64).min(1),
  waybillCode: text(40).min(1),
  operateType: text(32).min(1),
  operateTime: epochMs,
  operateSite: text(200).optional(),
  operateDesc: text(500).optional(),
  abnormalType: text(32).optional(),
  signInfo: z.object({ signer: text(64).optional(), photoUrl: text(300).optional(), verifyCode: text(16).optional() }).optional(),
  estimatedArrival: epochMs.optional(),
  temperatureList: z.array(z.object({ time: epochMs, value: z.number().min(-80).max(80) })).max(500).optional(),
});

export type JdEvent = z.input<typeof body>;

export function createJdAdapter(options: HmacAdapterOptions): CarrierAdapter {
  return createHmacAdapter(
    {
      code: 'jd',
      name: '京东物流',
      signatureHeader: 'x-jd-signature',
      timestampHeader: 'x-jd-timestamp',
      timestampUnit: 's',
      encoding: 'hex',
      trackingPattern: /^JD[0-9A-Z]{10,18}$/,
      body,
      normalize: (e) => {
        const type = TYPES[e.operateType] ?? 'unknown';
        const reason: ExceptionReason | null = e.operateType === 'REJECT' ? 'refused' : type === 'exception' ? (ABNORMAL[e.abnormalType ?? ''] ?? 'other') : null;
        return [
          {
            carrierEventId: e.eventId,
            trackingNumber: e.waybillCode,
            trackingField: 'waybillCode',
            type,
            carrierCode: e.operateType,
            eventAt: new Date(e.operateTime),
            location: e.operateSite ?? null,
            description: e.operateDesc ?? null,
            exceptionReason: reason,
            pod:
              type === 'delivered'
                ? { signer: e.signInfo?.signer ?? null, photoRef: e.signInfo?.photoUrl ?? null, check: e.signInfo?.verifyCode ? 'code' : 'signature', recipientCode: e.signInfo?.verifyCode ?? null }
                : null,
            temperatures: (e.temperatureList ?? []).map((t) => ({ at: new Date(t.time), celsius: t.value })),
            eta: e.estimatedArrival ? new Date(e.estimatedArrival) : null,
            raw: e,
          },
        ];
      },
    },
    options,
  );
}
