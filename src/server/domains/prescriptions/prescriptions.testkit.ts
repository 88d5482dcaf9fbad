import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { newId } from '../../../lib/ids.ts';
import { member, orgProfile } from '../../db/schema/index.ts';
import { lotInput, productInput } from '../../testing/catalog-inputs.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestOrg, type TestOrgKind } from '../../testing/test-orgs.ts';
import { herbIdFor } from '../catalog/herbs.seed.ts';

/** Fixtures of the prescription tests: hospitals with physicians and pharmacists, pharmacies with stock. */
const tag = () => randomBytes(4).toString('hex');

export async function addMember(app: TestApp, orgId: string, role: string) {
  const email = `${role}-${tag()}@example.cn`;
  const user = await app.signUp(email);
  await app.handle.db.insert(member).values({ id: newId('member'), organizationId: orgId, userId: user.userId, role });
  return { api: await app.caller(user.headers), userId: user.userId, email, headers: user.headers };
}
export type Member = Awaited<ReturnType<typeof addMember>>;

export async function orgAt(app: TestApp, kind: TestOrgKind, lat: number, lng: number) {
  const org = await createTestOrg(app, kind, { tag: `rx-${kind}` });
  await app.handle.db.update(orgProfile).set({ lat, lng }).where(eq(orgProfile.orgId, org.id));
  return { ...org, api: await app.caller(org.headers) };
}

export async function hospitalWithStaff(app: TestApp, lat = 30.27, lng = 120.15) {
  const org = await orgAt(app, 'hospital', lat, lng);
  return { ...org, physician: await addMember(app, org.id, 'physician'), physician2: await addMember(app, org.id, 'physician'), pharmacist: await addMember(app, org.id, 'pharmacist') };
}
export type TestHospital = Awaited<ReturnType<typeof hospitalWithStaff>>;

/** A pharmacy at (lat, lng), open around the clock, with lots of `stock` (herb name → grams) and two pharmacists. */
export async function pharmacyWith(app: TestApp, at: { lat: number; lng: number }, capability: { decoction: boolean; dailyCapacity?: number; serviceRadiusKm?: number; opensAtMin?: number; closesAtMin?: number }, stock: Record<string, number>) {
  const org = await orgAt(app, 'pharmacy', at.lat, at.lng);
  await org.api.prescriptions.setCapability({ decoction: capability.decoction, dailyCapacity: capability.dailyCapacity ?? 20, opensAtMin: capability.opensAtMin ?? 0, closesAtMin: capability.closesAtMin ?? 0, serviceRadiusKm: capability.serviceRadiusKm ?? 30, active: true });
  const lots: Record<string, string> = {};
  for (const [name, grams] of Object.entries(stock)) {
    const product = await org.api.catalog.createProduct({ ...productInput, herbId: herbIdFor(name), origin: '安徽亳州', daoDi: false });
    const lot = await org.api.catalog.createLot({ ...lotInput(`RX-${tag()}`, grams), productId: product.id });
    lots[name] = lot.id;
  }
  return { ...org, lots, pharmacist: await addMember(app, org.id, 'pharmacist'), pharmacist2: await addMember(app, org.id, 'pharmacist') };
}
export type TestPharmacy = Awaited<ReturnType<typeof pharmacyWith>>;

/** 四君子汤: 人参 另煎, 白术, 茯苓, 炙甘草. */
export const SIJUNZI = [
  { herb: '人参', grams: 9, handling: '另煎' as const },
  { herb: '白术', grams: 9 },
  { herb: '茯苓', grams: 12 },
  { herb: '炙甘草', grams: 6 },
];

export const RX_ADDRESS = { address: '杭州市上城区解放路 18 号 3 单元 501', phone: '13800001234' };

/** A delivery prescription of 四君子汤 (7 doses, 代煎) with the patient's address; pickup leaves the address out. */
export const rxInput = (overrides: Record<string, unknown> = {}) => {
  const input = {
    patient: { name: '张三丰', sex: 'M' as const, ageYears: 52, pregnant: false, allergies: '青霉素' },
    items: SIJUNZI,
    doses: 7,
    usage: '每日1剂，水煎分2次服',
    decoction: true,
    decoctionBags: 14,
    decoctionMl: 200,
    fulfilment: 'delivery' as const,
    location: { lat: 30.27, lng: 120.15 },
    deliveryAddress: RX_ADDRESS as { address: string; phone?: string } | undefined,
    ...overrides,
  };
  if (input.fulfilment !== 'delivery' && !('deliveryAddress' in overrides)) input.deliveryAddress = undefined;
  return input;
};
