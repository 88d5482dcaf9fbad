import { z } from 'zod';
import type { CarrierEventType, ExceptionReason } from '../../domains/delivery/shipments.core.ts';
import type { CarrierAdapter, NormalizedCarrierEvent } from './carriers.port.ts';
import { createHmacAdapter, type HmacAdapterOptions } from './hmac-adapter.ts';

/**
 * SF Express (顺丰速运), shaped after its route push (路由推送): one POST carries a `WaybillRoute`
 * list, each route with its id, waybill number (`mailno`), the scan time in Beijing time
 * (`yyyy-MM-dd HH:mm:ss`), the place, an operation code (`opCode`) and a remark. Cold-chain waybills
 * (顺丰冷运) add temperature readings. Signed with HMAC-SHA256, base64, over
 * `<X-SF-Timestamp>.<raw body>` (the timestamp in milliseconds).
 *
 * opCodes mapped (anything else is recorded as `unknown`, never refused): 50 收件 → picked_up;
 * 30/31/36 装车/到达/发出 → in_transit; 44/204 派件 → out_for_delivery; 80/8000 签收 → delivered;
 * 70/33 派送不成功/滞留 → exception (reasonCode 1 拒收, 2 地址问题, 3 破损, 4 遗失); 99/648 退回签收 →
 * returned; TEMP → readings only.
 */
const OP_CODES: Record<string, CarrierEventType> = {
  '50': 'picked_up',
  '30': 'in_transit',
  '31': 'in_transit',
  '36': 'in_transit',
  '44': 'out_for_delivery',
  '204': 'out_for_delivery',
  '80': 'delivered',
  '8000': 'delivered',
  '70': 'exception',
  '33': 'exception',
  '99': 'returned',
  '648': 'returned',
  TEMP: 'temperature',
};

const REASONS: Record<string, ExceptionReason> = { '1': 'refused', '2': 'address_problem', '3': 'damaged', '4': 'lost' };

const BEIJING = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving) → an instant. */
export function parseBeijingTime(value: string): Date | null {
  const m = BEIJING.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h - 8, mi, s));
  // Reject impossible dates (2026-02-30) rather than let them roll over.
  const back = new Date(date.getTime() + 8 * 3600_000);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return date;
}

/** An instant → `yyyy-MM-dd HH:mm:ss` in Beijing time. */
export function formatBeijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const beijingTime = z.string().refine((v) => parseBeijingTime(v) !== null, 'must be yyyy-MM-dd HH:mm:ss (Beijing time)');
const text = (max: number) => z.string().trim().max(max);

const route = z.object({
  id: text(64).min(1),
  mailno: text(40).min(1),
  acceptTime: beijingTime,
  acceptAddress: text(200).optional(),
  opCode: text(16).min(1),
  remark: text(500).optional(),
  reasonCode: text(16).optional(),
  signer: text(64).optional(),
  podImage: text(300).optional(),
  recipientCode: text(16).optional(),
  estimatedDeliveryTime: beijingTime.optional(),
  temperatures: z.array(z.object({ time: beijingTime, value: z.number().min(-80).max(80) })).max(500).optional(),
});

const body = z.object({ requestId: text(64).optional(), WaybillRoute: z.array(route).min(1).max(100) });

export type SfRoute = z.input<typeof route>;

export function createSfAdapter(options: HmacAdapterOptions): CarrierAdapter {
  return createHmacAdapter(
    {
      code: 'sf',
      name: '顺丰速运',
      signatureHeader: 'x-sf-signature',
      timestampHeader: 'x-sf-timestamp',
      timestampUnit: 'ms',
      encoding: 'base64',
      trackingPattern: /^SF\d{12,13}$/,
      body,
      normalize: (b) =>
        b.WaybillRoute.map((r, i): NormalizedCarrierEvent => {
          const type = OP_CODES[r.opCode] ?? 'unknown';
          return {
            carrierEventId: r.id,
            trackingNumber: r.mailno,
            trackingField: `WaybillRoute.${i}.mailno`,
            type,
            carrierCode: r.opCode,
            eventAt: parseBeijingTime(r.acceptTime)!,
            location: r.acceptAddress ?? null,
            description: r.remark ?? null,
            exceptionReason: type === 'exception' ? (REASONS[r.reasonCode ?? ''] ?? 'other') : null,
            pod:
              type === 'delivered'
                ? { signer: r.signer ?? null, photoRef: r.podImage ?? null, check: r.recipientCode ? 'code' : 'signature', recipientCode: r.recipientCode ?? null }
                : null,
            temperatures: (r.temperatures ?? []).map((t) => ({ at: parseBeijingTime(t.time)!, celsius: t.value })),
            eta: r.estimatedDeliveryTime ? parseBeijingTime(r.estimatedDeliveryTime) : null,
            raw: r,
          };
        }),
    },
    options,
  );
}
