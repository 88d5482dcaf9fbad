import { randomBytes } from 'node:crypto';
import { usccCheckChar } from '../orgs/identity.core.ts';
import { decideKyb } from '../orgs/orgs.service.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { herbIdFor } from './herbs.seed.ts';

/** Test fixtures shared by the trace and import tests: an approved, licensed organisation and a lot. */
let n = 0;

export async function sellerOrg(app: TestApp, kind: 'supplier' | 'pharmacy' | 'grower' = 'supplier') {
  n += 1;
  const tag = `${n}-${randomBytes(3).toString('hex')}`;
  const owner = await app.signUp(`trace-${tag}@example.cn`);
  const api0 = await app.caller(owner.headers);
  const stem = `91330106MA${randomBytes(4).toString('hex').toUpperCase().replace(/[IOSVZ]/g, 'A').slice(0, 7)}`;
  const { id } = await api0.orgs.create({ name: `追溯测试${kind} ${tag}`, kind, uscc: stem + usccCheckChar(stem), regionCode: '330106', address: '杭州市西湖区文三路 1 号', lat: 30.27, lng: 120.15 });
  const op = await app.signUp(`trace-op-${tag}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  await decideKyb(app.handle.db, { userId: op.userId, orgId: opOrg }, { orgId: id, decision: 'approved' });
  const api = await app.caller(owner.headers);
  if (kind !== 'grower') {
    await api.orgs.addLicence({ type: kind === 'supplier' ? 'drug_manufacturing' : 'drug_distribution', number: `LIC-${tag}`, scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01' });
  }
  return { id, api, headers: owner.headers, userId: owner.userId };
}

export type Seller = Awaited<ReturnType<typeof sellerOrg>>;

export const HUANGQI_PRODUCT = { herbId: herbIdFor('黄芪'), form: 'decoction_piece', cut: 'slice', processing: 'stir_fried', grade: 'selected', origin: '甘肃陇西', daoDi: true } as const;

export async function lotOf(seller: Seller, batchNo: string, quality: Partial<{ contentPct: string; so2Ppm: number; moisturePct: string }> = {}) {
  const product = await seller.api.catalog.createProduct(HUANGQI_PRODUCT);
  const created = await seller.api.catalog.createLot({
    productId: product.id,
    batchNo,
    quantityG: 100_000,
    productionDate: '2025-10-01',
    expiryDate: '2027-09-30',
    contentPct: '0.085',
    moisturePct: '9.8',
    totalAshPct: '4.2',
    so2Ppm: 40,
    growerBase: '陇西首阳镇基地',
    harvestDate: '2025-09-20',
    ...quality,
  });
  return { productId: product.id, lotId: created.id };
}
