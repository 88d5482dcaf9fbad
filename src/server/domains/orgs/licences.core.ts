import type { OrgKind } from '../../../lib/permissions.ts';

/** Licence types (DOMAIN.md) and which one each kind of organisation needs before it may trade. */
export const LICENCE_TYPES = ['drug_manufacturing', 'drug_distribution', 'medical_institution', 'gap_base'] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];

export const LICENCE_LABELS: Record<LicenceType, { zh: string; en: string }> = {
  drug_manufacturing: { zh: '药品生产许可证', en: 'Drug manufacturing licence' },
  drug_distribution: { zh: '药品经营许可证', en: 'Drug distribution licence' },
  medical_institution: { zh: '医疗机构执业许可证', en: 'Medical institution practice licence' },
  gap_base: { zh: 'GAP 基地证书', en: 'GAP base certificate' },
};

export const REQUIRED_LICENCE: Record<OrgKind, LicenceType | null> = {
  supplier: 'drug_manufacturing',
  pharmacy: 'drug_distribution',
  hospital: 'medical_institution',
  grower: null,
  alliance: null,
  operator: null,
};

export interface LicenceFacts {
  type: string;
  expiresOn: string; // YYYY-MM-DD
  validFrom: string;
}

export type TradingBlock = { reason: 'kyb_pending' | 'kyb_rejected' } | { reason: 'licence_missing' | 'licence_expired'; licence: LicenceType };

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in China (Asia/Shanghai), as YYYY-MM-DD: licences expire by the local calendar. */
export function chinaToday(now: Date): string {
  return CHINA_DATE.format(now);
}

/**
 * Whether an organisation may list, bid, sell or dispense: KYB approved and, for kinds that need one,
 * a licence of the required type valid today (valid through its expiry date). Null means it may trade.
 */
export function tradingBlock(kind: OrgKind, kybStatus: string, licences: readonly LicenceFacts[], today: string): TradingBlock | null {
  if (kybStatus === 'rejected') return { reason: 'kyb_rejected' };
  if (kybStatus !== 'approved') return { reason: 'kyb_pending' };
  const required = REQUIRED_LICENCE[kind];
  if (!required) return null;
  const ofType = licences.filter((l) => l.type === required);
  if (ofType.length === 0) return { reason: 'licence_missing', licence: required };
  const valid = ofType.some((l) => l.validFrom <= today && l.expiresOn >= today);
  return valid ? null : { reason: 'licence_expired', licence: required };
}
