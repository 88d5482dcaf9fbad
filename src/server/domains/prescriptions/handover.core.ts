import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { RxDeliveryAddress } from '../../db/schema/prescriptions.ts';
import type { RxStatus } from './prescriptions.core.ts';
import type { RxShipmentInput } from './prescriptions.schemas.ts';

/**
 * The hand-over of a delivery prescription to a carrier, pure: whether the next step needs shipment
 * details, a parcel weight estimate, and the shipment the pharmacy asks for (address from the input or
 * the prescription). Refusals name the field under `shipment.`.
 */

/** One bag of decocted medicine (about 200 ml) with its share of the cold pack and box. */
export const DECOCTION_BAG_G = 220;
/** Box and filling of a parcel of decoction pieces. */
const PACKAGING_G = 200;

/** A sensible parcel weight: bags × 220 g for decocted medicine; otherwise the herbs (all doses) plus the box. */
export function estimateParcelWeightG(rx: { decoction: boolean; decoctionBags: number | null; doses: number }, itemsMg: readonly number[]): number {
  if (rx.decoction && rx.decoctionBags) return rx.decoctionBags * DECOCTION_BAG_G;
  const herbsG = Math.ceil((itemsMg.reduce((sum, mg) => sum + mg, 0) * rx.doses) / 1000);
  return herbsG + PACKAGING_G;
}

export interface HandoverPlan {
  /** The address stored on the prescription after the hand-over. */
  deliveryAddress: RxDeliveryAddress;
  details: {
    carrier: RxShipmentInput['carrier'];
    trackingNumber?: string;
    parcels: number;
    weightG: number;
    scenario?: RxShipmentInput['scenario'];
    toAddress: { name: string; address: string; phone?: string; lat?: number; lng?: number };
  };
}

/**
 * Checks the shipment input against the step: `shipped` needs it (refused naming `shipment`), any
 * other next status refuses it. Returns null when nothing is handed to a carrier.
 */
export function planHandover(
  next: RxStatus,
  rx: { patientName: string; patientLat: number; patientLng: number; decoction: boolean; decoctionBags: number | null; doses: number; deliveryAddress: RxDeliveryAddress | null },
  itemsMg: readonly number[],
  input: RxShipmentInput | undefined,
  carriers: { simulatedAvailable: boolean },
): HandoverPlan | null {
  if (next !== 'shipped') {
    if (input) throw new AppError('VALIDATION', msg('rx.shipmentNotExpected', { next }), { field: 'shipment' });
    return null;
  }
  if (!input) throw new AppError('VALIDATION', msg('rx.shipmentRequired'), { field: 'shipment' });
  if (input.carrier === 'sim' && !carriers.simulatedAvailable) throw new AppError('VALIDATION', msg('shipments.simulatedUnavailable'), { field: 'shipment.carrier' });
  if (input.scenario && input.carrier !== 'sim') throw new AppError('VALIDATION', msg('rx.scenarioOnlySimulated'), { field: 'shipment.scenario' });
  const address = input.address ?? rx.deliveryAddress?.address;
  if (!address) throw new AppError('VALIDATION', msg('rx.deliveryAddressRequired'), { field: 'shipment.address' });
  // A new address without a phone keeps the prescription's phone only when the address is unchanged.
  const phone = input.phone ?? (rx.deliveryAddress && (!input.address || input.address === rx.deliveryAddress.address) ? rx.deliveryAddress.phone : undefined);
  const deliveryAddress: RxDeliveryAddress = { address, ...(phone ? { phone } : {}) };
  return {
    deliveryAddress,
    details: {
      carrier: input.carrier,
      ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
      parcels: input.parcels,
      weightG: input.weightG ?? estimateParcelWeightG(rx, itemsMg),
      ...(input.scenario ? { scenario: input.scenario } : {}),
      toAddress: { name: rx.patientName, address, ...(phone ? { phone } : {}), lat: rx.patientLat, lng: rx.patientLng },
    },
  };
}
