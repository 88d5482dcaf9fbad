import { describe, expect, it } from 'vitest';
import { estimateParcelWeightG, planHandover } from './handover.core.ts';

const rx = { patientName: '张**', patientLat: 30.26, patientLng: 120.17, decoction: true, decoctionBags: 14, doses: 7, deliveryAddress: { address: '解放路 18 号', phone: '13800001234' } };
const demo = { simulatedAvailable: true };
const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { details?: { field?: string } }).details?.field;
  }
  return null;
};

describe('hand-over plan', () => {
  it('estimates the parcel: bags × 220 g decocted, herbs for all doses plus the box otherwise', () => {
    expect(estimateParcelWeightG(rx, [9000, 9000])).toBe(14 * 220);
    expect(estimateParcelWeightG({ decoction: false, decoctionBags: null, doses: 7 }, [9000, 9000, 12000, 6000])).toBe(252 + 200);
    expect(estimateParcelWeightG({ decoction: false, decoctionBags: null, doses: 3 }, [333])).toBe(1 + 200);
  });

  it('needs the shipment exactly when the next status is shipped', () => {
    expect(planHandover('ready', rx, [], undefined, demo)).toBeNull();
    expect(field(() => planHandover('ready', rx, [], { carrier: 'sim', parcels: 1 }, demo))).toBe('shipment');
    expect(field(() => planHandover('shipped', rx, [], undefined, demo))).toBe('shipment');
    expect(field(() => planHandover('shipped', rx, [], { carrier: 'sim', parcels: 1 }, { simulatedAvailable: false }))).toBe('shipment.carrier');
    expect(field(() => planHandover('shipped', rx, [], { carrier: 'sf', trackingNumber: 'SF1234567890123', parcels: 1, scenario: 'excursion' }, demo))).toBe('shipment.scenario');
    expect(field(() => planHandover('shipped', { ...rx, deliveryAddress: null }, [], { carrier: 'sim', parcels: 1 }, demo))).toBe('shipment.address');
  });

  it('takes the prescription’s address and phone unless new ones are given', () => {
    expect(planHandover('shipped', rx, [], { carrier: 'sim', parcels: 1, scenario: 'excursion' }, demo)).toEqual({
      deliveryAddress: rx.deliveryAddress,
      details: { carrier: 'sim', parcels: 1, weightG: 3080, scenario: 'excursion', toAddress: { name: '张**', address: '解放路 18 号', phone: '13800001234', lat: 30.26, lng: 120.17 } },
    });
    // A new address drops the old phone (it may not reach the new place); a new phone is kept.
    expect(planHandover('shipped', rx, [], { carrier: 'sim', parcels: 2, weightG: 900, address: '文三路 90 号' }, demo)?.deliveryAddress).toEqual({ address: '文三路 90 号' });
    expect(planHandover('shipped', rx, [], { carrier: 'sim', parcels: 1, phone: '0571-88886666' }, demo)?.deliveryAddress).toEqual({ address: '解放路 18 号', phone: '0571-88886666' });
  });
});
