import { count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { herb, listing, organization, orgProfile } from '../schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../../domains/catalog/herbs.seed.ts';
import { createListing, setListingStatus } from '../../domains/catalog/listings.service.ts';
import type { ProductCut, ProductForm, ProductGrade, ProductProcessing } from '../../domains/catalog/products.core.ts';
import { createLot, createProduct } from '../../domains/catalog/products.service.ts';
import { DEMO_ORGS } from './demo-world.data.ts';

/**
 * Demo catalogue: products, lots and active listings for ~15 common herbs, offered by the demo
 * suppliers and growers through the same services the app uses (so everything is audited). Prices
 * are fen per kg in the range of Chinese wholesale markets (亳州/安国) in 2025. Idempotent: does
 * nothing when products exist.
 */
interface DemoOffer {
  seller: string; // demo org key
  herb: string;
  form: ProductForm;
  cut: ProductCut;
  processing: ProductProcessing;
  grade: ProductGrade;
  origin: string;
  daoDi: boolean;
  kg: number;
  yuanPerKg: number;
  /** Quality report: 含量 %, 水分 %, 总灰分 %, 重金属 ppm, 农残 ppm, SO₂ ppm. */
  q: [string, string, string, string, string, number];
  base?: string;
}

const OFFERS: DemoOffer[] = [
  { seller: 'grower-07', herb: '黄芪', form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded', origin: '甘肃陇西', daoDi: true, kg: 800, yuanPerKg: 48, q: ['0.082', '9.6', '4.1', '7.2', '0.010', 12], base: '陇西首阳镇黄芪基地' },
  { seller: 'supplier-01', herb: '黄芪', form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '甘肃陇西', daoDi: true, kg: 300, yuanPerKg: 72, q: ['0.095', '9.2', '3.8', '6.5', '0.008', 10], base: '陇西首阳镇黄芪基地' },
  { seller: 'supplier-02', herb: '黄芪', form: 'decoction_piece', cut: 'slice', processing: 'adjuvant_fried', grade: 'ungraded', origin: '内蒙古固阳', daoDi: false, kg: 200, yuanPerKg: 58, q: ['0.081', '10.1', '4.4', '8.0', '0.012', 15] },
  { seller: 'grower-08', herb: '当归', form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded', origin: '甘肃岷县', daoDi: true, kg: 600, yuanPerKg: 62, q: ['0.072', '12.0', '6.1', '9.0', '0.015', 20], base: '岷县梅川镇当归基地' },
  { seller: 'supplier-05', herb: '当归', form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '甘肃岷县', daoDi: true, kg: 250, yuanPerKg: 96, q: ['0.088', '11.2', '5.6', '8.2', '0.011', 18] },
  { seller: 'supplier-03', herb: '党参', form: 'decoction_piece', cut: 'segment', processing: 'raw', grade: 'ungraded', origin: '甘肃渭源', daoDi: false, kg: 400, yuanPerKg: 85, q: ['0.62', '13.5', '4.3', '7.9', '0.013', 30] },
  { seller: 'supplier-01', herb: '甘草', form: 'decoction_piece', cut: 'slice', processing: 'adjuvant_fried', grade: 'ungraded', origin: '内蒙古杭锦旗', daoDi: true, kg: 500, yuanPerKg: 36, q: ['2.10', '8.8', '5.2', '6.8', '0.009', 14] },
  { seller: 'grower-10', herb: '白芍', form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded', origin: '安徽亳州', daoDi: true, kg: 700, yuanPerKg: 28, q: ['1.85', '12.6', '3.9', '9.5', '0.020', 60], base: '亳州十八里镇白芍基地' },
  { seller: 'supplier-01', herb: '白芍', form: 'decoction_piece', cut: 'slice', processing: 'stir_fried', grade: 'selected', origin: '安徽亳州', daoDi: true, kg: 300, yuanPerKg: 45, q: ['2.05', '11.8', '3.6', '8.7', '0.015', 45] },
  { seller: 'supplier-04', herb: '川芎', form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'ungraded', origin: '四川都江堰', daoDi: true, kg: 350, yuanPerKg: 52, q: ['0.15', '11.5', '5.4', '9.1', '0.014', 25] },
  { seller: 'supplier-02', herb: '茯苓', form: 'decoction_piece', cut: 'chunk', processing: 'raw', grade: 'ungraded', origin: '云南普洱', daoDi: false, kg: 600, yuanPerKg: 24, q: ['2.6', '13.2', '1.8', '5.2', '0.006', 8] },
  { seller: 'supplier-03', herb: '白术', form: 'decoction_piece', cut: 'slice', processing: 'stir_fried', grade: 'ungraded', origin: '浙江磐安', daoDi: true, kg: 300, yuanPerKg: 58, q: ['0.30', '12.4', '4.6', '8.3', '0.017', 35] },
  { seller: 'grower-11', herb: '枸杞子', form: 'raw', cut: 'none', processing: 'raw', grade: 'selected', origin: '宁夏中宁', daoDi: true, kg: 500, yuanPerKg: 68, q: ['1.9', '12.8', '4.0', '6.1', '0.030', 40], base: '中宁宁安镇枸杞基地' },
  { seller: 'grower-09', herb: '三七', form: 'raw', cut: 'none', processing: 'raw', grade: 'graded', origin: '云南文山', daoDi: true, kg: 150, yuanPerKg: 320, q: ['6.2', '11.0', '5.3', '9.6', '0.012', 10], base: '文山东山乡三七基地' },
  { seller: 'supplier-06', herb: '三七', form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '云南文山', daoDi: true, kg: 80, yuanPerKg: 460, q: ['7.1', '10.2', '4.8', '8.8', '0.010', 8] },
  { seller: 'supplier-02', herb: '金银花', form: 'raw', cut: 'none', processing: 'raw', grade: 'selected', origin: '山东平邑', daoDi: true, kg: 120, yuanPerKg: 260, q: ['1.8', '10.6', '7.2', '7.5', '0.025', 20] },
  { seller: 'supplier-03', herb: '连翘', form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded', origin: '山西安泽', daoDi: true, kg: 300, yuanPerKg: 110, q: ['0.20', '9.5', '3.8', '6.9', '0.018', 12] },
  { seller: 'supplier-04', herb: '黄芩', form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'ungraded', origin: '山西绛县', daoDi: false, kg: 400, yuanPerKg: 38, q: ['10.5', '11.3', '5.5', '8.4', '0.016', 22] },
  { seller: 'supplier-05', herb: '丹参', form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'ungraded', origin: '山东临朐', daoDi: false, kg: 450, yuanPerKg: 30, q: ['3.4', '11.9', '8.6', '9.2', '0.019', 28] },
  { seller: 'supplier-01', herb: '半夏', form: 'decoction_piece', cut: 'slice', processing: 'prepared', grade: 'ungraded', origin: '甘肃西和', daoDi: false, kg: 150, yuanPerKg: 180, q: ['0.28', '11.7', '3.2', '7.0', '0.011', 50] },
];

export interface CatalogSeedReport {
  skipped: boolean;
  products: number;
  lots: number;
  listings: number;
}

/** Tiers: −5 % from 10 kg, −10 % from 50 kg (rounded to whole yuan). */
function tiersFor(priceFenPerKg: number, kg: number) {
  const tiers = [{ minG: 10_000, priceFenPerKg: Math.round((priceFenPerKg * 0.95) / 100) * 100 }];
  if (kg >= 100) tiers.push({ minG: 50_000, priceFenPerKg: Math.round((priceFenPerKg * 0.9) / 100) * 100 });
  return tiers;
}

export async function seedDemoCatalog(db: Db): Promise<CatalogSeedReport> {
  // Market listings mark the catalogue as seeded (pharmacies' own stock, seeded with the world, has none).
  const [existing] = await db.select({ n: count() }).from(listing);
  if ((existing?.n ?? 0) > 0) return { skipped: true, products: 0, lots: 0, listings: 0 };

  const sellerNames = new Map(DEMO_ORGS.filter((o) => o.kind === 'supplier' || o.kind === 'grower').map((o) => [o.key, o.name]));
  const names = [...new Set(sellerNames.values())];
  const orgs = names.length ? await db.select({ id: organization.id, name: organization.name }).from(organization).innerJoin(orgProfile, eq(orgProfile.orgId, organization.id)).where(inArray(organization.name, names)) : [];
  const orgIdByName = new Map(orgs.map((o) => [o.name, o.id]));

  const herbIds = [...new Set(OFFERS.map((o) => herbIdFor(o.herb)))];
  const present = await db.select({ id: herb.id }).from(herb).where(inArray(herb.id, herbIds));
  if (present.length < herbIds.length) await upsertHerbMasterData(db);

  const report: CatalogSeedReport = { skipped: false, products: 0, lots: 0, listings: 0 };
  for (const [i, offer] of OFFERS.entries()) {
    const orgId = orgIdByName.get(sellerNames.get(offer.seller) ?? '');
    if (!orgId) continue; // the demo world is not seeded (or was changed): skip this seller
    const actor = { userId: null, orgId };
    const prd = await createProduct(db, actor, {
      herbId: herbIdFor(offer.herb),
      form: offer.form,
      cut: offer.cut,
      processing: offer.processing,
      grade: offer.grade,
      origin: offer.origin,
      daoDi: offer.daoDi,
    });
    report.products += 1;
    const [content, moisture, ash, metals, pesticide, so2] = offer.q;
    const l = await createLot(db, actor, {
      productId: prd.id,
      batchNo: `DEMO-2025-${String(i + 1).padStart(3, '0')}`,
      quantityG: offer.kg * 1000,
      productionDate: '2025-11-10',
      expiryDate: '2027-11-09',
      contentPct: content,
      moisturePct: moisture,
      totalAshPct: ash,
      heavyMetalsPpm: metals,
      pesticidePpm: pesticide,
      so2Ppm: so2,
      ...(offer.base ? { growerBase: offer.base } : {}),
      harvestDate: '2025-10-15',
    });
    report.lots += 1;
    const priceFenPerKg = offer.yuanPerKg * 100;
    const lst = await createListing(db, actor, {
      lotId: l.id,
      priceFenPerKg,
      tiers: tiersFor(priceFenPerKg, offer.kg),
      minOrderG: offer.yuanPerKg >= 200 ? 500 : 1000,
      deliveryRegions: ['330100', '330106', '310101', '341602', '510107'],
      leadTimeDays: offer.form === 'raw' ? 5 : 3,
    });
    await setListingStatus(db, actor, { id: lst.id, status: 'active' });
    report.listings += 1;
  }
  return report;
}
