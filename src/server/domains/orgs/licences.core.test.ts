import { describe, expect, it } from 'vitest';
import { chinaToday, tradingBlock } from './licences.core.ts';

const lic = (type: string, validFrom: string, expiresOn: string) => ({ type, validFrom, expiresOn });

describe('trading eligibility', () => {
  it('needs KYB approval first', () => {
    expect(tradingBlock('pharmacy', 'pending', [], '2026-11-23')).toEqual({ reason: 'kyb_pending' });
    expect(tradingBlock('pharmacy', 'rejected', [], '2026-11-23')).toEqual({ reason: 'kyb_rejected' });
  });

  it('needs the kind’s licence, valid through its expiry day', () => {
    expect(tradingBlock('pharmacy', 'approved', [], '2026-11-23')).toEqual({ reason: 'licence_missing', licence: 'drug_distribution' });
    expect(tradingBlock('pharmacy', 'approved', [lic('drug_distribution', '2021-01-01', '2026-11-23')], '2026-11-23')).toBeNull();
    expect(tradingBlock('pharmacy', 'approved', [lic('drug_distribution', '2021-01-01', '2026-11-22')], '2026-11-23')).toEqual({ reason: 'licence_expired', licence: 'drug_distribution' });
    expect(tradingBlock('supplier', 'approved', [lic('drug_distribution', '2021-01-01', '2030-01-01')], '2026-11-23')).toEqual({ reason: 'licence_missing', licence: 'drug_manufacturing' });
    expect(tradingBlock('pharmacy', 'approved', [lic('drug_distribution', '2027-01-01', '2030-01-01')], '2026-11-23')).toEqual({ reason: 'licence_expired', licence: 'drug_distribution' });
  });

  it('one valid licence among expired ones is enough; growers need none', () => {
    const licences = [lic('medical_institution', '2010-01-01', '2015-01-01'), lic('medical_institution', '2020-01-01', '2030-01-01')];
    expect(tradingBlock('hospital', 'approved', licences, '2026-11-23')).toBeNull();
    expect(tradingBlock('grower', 'approved', [], '2026-11-23')).toBeNull();
  });

  it('uses the China calendar day', () => {
    expect(chinaToday(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(chinaToday(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
  });
});
