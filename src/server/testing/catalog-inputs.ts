import { herbIdFor } from '../domains/catalog/herbs.seed.ts';

/** Catalogue inputs the tests share: a 黄芪 选货 product, a lot with a full quality report, a tiered listing. */
export const productInput = {
  herbId: herbIdFor('黄芪'),
  form: 'decoction_piece',
  cut: 'slice',
  processing: 'raw',
  grade: 'selected',
  origin: '甘肃陇西',
  daoDi: true,
} as const;

export const lotInput = (batchNo: string, quantityG = 100_000) => ({
  batchNo,
  quantityG,
  productionDate: '2025-10-01',
  expiryDate: '2027-09-30',
  contentPct: '0.085',
  moisturePct: '9.8',
  totalAshPct: '4.2',
  heavyMetalsPpm: '8.5',
  pesticidePpm: '0.02',
  so2Ppm: 40,
  growerBase: '陇西首阳镇基地',
  harvestDate: '2025-09-20',
});

export const listingInput = (lotId: string) => ({
  lotId,
  priceFenPerKg: 6800,
  tiers: [
    { minG: 10_000, priceFenPerKg: 6500 },
    { minG: 50_000, priceFenPerKg: 6200 },
  ],
  minOrderG: 1000,
  deliveryRegions: ['330106', '310101'],
  leadTimeDays: 3,
});
