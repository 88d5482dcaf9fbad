import { count, eq } from 'drizzle-orm';
import { newId } from '../../../lib/ids.ts';
import type { Auth } from '../../auth/auth.ts';
import { herb, member, prescription, user } from '../schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../../domains/catalog/herbs.seed.ts';
import { createLot, createProduct } from '../../domains/catalog/products.service.ts';
import { acceptOffer, checkItem, confirmPickup, dispenseItem, finishDecoction, finishDispensing, logDecoctionStep, startDispensing } from '../../domains/prescriptions/pharmacy.service.ts';
import * as repo from '../../domains/prescriptions/prescriptions.repo.ts';
import { createPrescriptionInput, type CreatePrescriptionInputRaw } from '../../domains/prescriptions/prescriptions.schemas.ts';
import { createPrescription, overrideFlags, reviewPrescription, setCapability } from '../../domains/prescriptions/prescriptions.service.ts';
import { expirePrescription } from '../../domains/prescriptions/prescriptions.transitions.ts';
import type { Db } from '../client.ts';
import { DEMO_PASSWORD } from './demo-world.data.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Herbs the demo pharmacies in Hangzhou stock (grams per lot); 四君子汤 and the common formulas fit. */
const STOCK: [string, number][] = [
  ['人参', 3_000],
  ['白术', 8_000],
  ['茯苓', 10_000],
  ['甘草', 8_000],
  ['黄芪', 12_000],
  ['当归', 8_000],
  ['川芎', 6_000],
  ['白芍', 6_000],
];

const SIJUNZI = [
  { herb: '人参', grams: 9, handling: '另煎' as const },
  { herb: '白术', grams: 9 },
  { herb: '茯苓', grams: 12 },
  { herb: '炙甘草', grams: 6 },
];

async function userId(db: Db, email: string): Promise<string | null> {
  const row = await db.query.user.findFirst({ where: eq(user.email, email) });
  return row?.id ?? null;
}

/**
 * Prescription routing in the demo world (CONTRACTS.md "Demo mode": prescriptions in several states),
 * through the same services the app uses. Every pharmacy gets a capability (decoction at every other
 * one, the stocked Hangzhou stores around the clock so routing works at any hour of the demo), four
 * Hangzhou pharmacies get stock lots, 药房 01 a second pharmacist for 复核, and 浙江省中医院 prescriptions in
 * review, blocked until countersigned, routed, decocting, ready for pickup, completed, rejected and
 * expired. Runs inside `seedDemoWorld`, so only into an empty database.
 */
export async function seedDemoPrescriptions(db: Db, auth: Auth, orgIds: ReadonlyMap<string, string>, now = new Date()): Promise<{ prescriptions: number; pharmacies: number }> {
  const [existing] = await db.select({ n: count() }).from(prescription);
  const hospitalId = orgIds.get('hospital-01');
  const storeId = orgIds.get('pharmacy-01');
  if ((existing?.n ?? 0) > 0 || !hospitalId || !storeId) return { prescriptions: 0, pharmacies: 0 };
  const [herbs] = await db.select({ n: count() }).from(herb);
  if ((herbs?.n ?? 0) === 0) await upsertHerbMasterData(db);

  // Pharmacies: capability for all, stock for four in Hangzhou (01, 02, 03, 21).
  const pharmacyKeys = [...orgIds.keys()].filter((k) => /^pharmacy-\d+$/.test(k)).sort();
  const hangzhou = new Set(['pharmacy-01', 'pharmacy-02', 'pharmacy-03', 'pharmacy-21']);
  for (const [i, key] of pharmacyKeys.entries()) {
    const orgId = orgIds.get(key)!;
    const allDay = hangzhou.has(key);
    await setCapability(db, { userId: null, orgId }, { decoction: i % 2 === 0, dailyCapacity: 40 + (i % 5) * 10, opensAtMin: allDay ? 0 : 8 * 60, closesAtMin: allDay ? 0 : 22 * 60, serviceRadiusKm: allDay ? 15 : 30, active: true });
    if (!allDay) continue;
    for (const [j, [name, grams]] of STOCK.entries()) {
      // 药房 02 is out of 人参: the demo shows routing skip it.
      if (key === 'pharmacy-02' && name === '人参') continue;
      const product = await createProduct(db, { userId: null, orgId }, { herbId: herbIdFor(name), form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'ungraded', origin: '安徽亳州', daoDi: false });
      await createLot(db, { userId: null, orgId }, { productId: product.id, batchNo: `RX-${key.slice(-2)}-${String(j + 1).padStart(2, '0')}`, quantityG: grams, productionDate: '2025-11-01', expiryDate: '2027-10-31' });
    }
  }

  // A second pharmacist at 药房 01, so dispensing can be checked (复核) by someone else.
  let checkerId = await userId(db, 'pharmacist2@bencao.demo');
  if (!checkerId) checkerId = (await auth.api.signUpEmail({ body: { email: 'pharmacist2@bencao.demo', password: DEMO_PASSWORD, name: '孙药师' } })).user.id;
  await db.insert(member).values({ id: newId('member'), organizationId: storeId, userId: checkerId, role: 'pharmacist' }).onConflictDoNothing();

  const doctorId = await userId(db, 'doctor@bencao.demo');
  const reviewerId = await userId(db, 'hospital-pharmacist@bencao.demo');
  const dispenserId = await userId(db, 'pharmacist@bencao.demo');
  if (!doctorId || !reviewerId || !dispenserId) return { prescriptions: 0, pharmacies: pharmacyKeys.length };
  const doctor = { userId: doctorId, orgId: hospitalId };
  const reviewer = { userId: reviewerId, orgId: hospitalId };
  const dispenser = { userId: dispenserId, orgId: storeId };
  const checker = { userId: checkerId, orgId: storeId };
  const [store] = await repo.routablePharmacies(db, storeId);
  const atStore = { lat: store!.lat, lng: store!.lng };

  let n = 0;
  const issue = async (raw: Partial<CreatePrescriptionInputRaw>, issuedAt = now) => {
    n += 1;
    const input = createPrescriptionInput.parse({
      patient: { name: ['王小明', '李秀英', '张建国', '刘芳', '陈静', '杨磊', '赵敏', '黄伟'][n % 8], sex: n % 2 ? 'F' : 'M', ageYears: 30 + n * 3, pregnant: false },
      items: SIJUNZI,
      doses: 7,
      usage: '每日1剂，水煎分2次服',
      decoction: true,
      decoctionBags: 14,
      decoctionMl: 200,
      fulfilment: 'delivery',
      location: atStore,
      idempotencyKey: `DEMO-RX-${String(n).padStart(4, '0')}`,
      ...raw,
    });
    return createPrescription(db, doctor, input, { source: 'ui', now: issuedAt });
  };
  const dispenseAll = async (id: string) => {
    await startDispensing(db, dispenser, { id });
    for (const item of await repo.itemsOf(db, id)) {
      await dispenseItem(db, dispenser, { id, itemId: item.id });
      await checkItem(db, checker, { id, itemId: item.id });
    }
    return finishDispensing(db, dispenser, { id });
  };
  const acceptAtStore = async (id: string) => {
    const offers = await repo.offersOf(db, id);
    const open = offers.find((o) => o.status === 'offered' && o.pharmacyOrgId === storeId);
    if (!open) return false;
    await acceptOffer(db, dispenser, { offerId: open.id });
    return true;
  };

  // 1. Waiting for review (clean), 2. blocked until a physician countersigns (甘草 + 海藻).
  await issue({});
  await issue({ items: [{ herb: '甘草', grams: 6 }, { herb: '海藻', grams: 9 }, { herb: '黄芪', grams: 15 }], decoction: false, decoctionBags: undefined, decoctionMl: undefined, fulfilment: 'pickup' });
  // 3. Countersigned and approved, but nobody stocks 海藻: waiting, the hospital sees why.
  const held = await issue({ items: [{ herb: '甘草', grams: 6 }, { herb: '海藻', grams: 9 }], decoction: false, decoctionBags: undefined, decoctionMl: undefined });
  await overrideFlags(db, doctor, { id: held.id, reason: '海藻玉壶汤加减，病情需要，已与患者沟通' });
  await reviewPrescription(db, reviewer, { id: held.id, decision: 'approved' }, now);
  // 4. Routed: offered to the nearest decoction pharmacy, waiting for it to accept.
  const routed = await issue({ location: { lat: 30.2797, lng: 120.1569 } });
  await reviewPrescription(db, reviewer, { id: routed.id, decision: 'approved' }, now);
  // 5. Decocting at 药房 01 (dispensed with 复核, soaked and boiling).
  const decocting = await issue({});
  await reviewPrescription(db, reviewer, { id: decocting.id, decision: 'approved' }, now);
  if (await acceptAtStore(decocting.id)) {
    await dispenseAll(decocting.id);
    await logDecoctionStep(db, dispenser, { id: decocting.id, step: 'soak', minutes: 30 });
    await logDecoctionStep(db, dispenser, { id: decocting.id, step: 'boil', minutes: 40 });
  }
  // 6. Ready for pickup at 药房 01 (the patient's link shows the code), 7. picked up and completed.
  for (const pickedUp of [false, true]) {
    const rx = await issue({ decoction: false, decoctionBags: undefined, decoctionMl: undefined, fulfilment: 'pickup', storeId, items: [{ herb: '黄芪', grams: 15 }, { herb: '当归', grams: 9 }, { herb: '川芎', grams: 6 }] });
    await reviewPrescription(db, reviewer, { id: rx.id, decision: 'approved' }, now);
    if (!(await acceptAtStore(rx.id))) continue;
    const ready = await dispenseAll(rx.id);
    if (pickedUp && ready.pickupCode) await confirmPickup(db, dispenser, { id: rx.id, code: ready.pickupCode });
  }
  // 8. Shipped after decoction.
  const shipped = await issue({});
  await reviewPrescription(db, reviewer, { id: shipped.id, decision: 'approved' }, now);
  if (await acceptAtStore(shipped.id)) {
    await dispenseAll(shipped.id);
    for (const step of ['soak', 'boil'] as const) await logDecoctionStep(db, dispenser, { id: shipped.id, step, minutes: step === 'soak' ? 30 : 40 });
    await logDecoctionStep(db, dispenser, { id: shipped.id, step: 'pack', bags: 14 });
    // Handed to SF Express (nothing plays it to the door, so it stays on its way in the demo).
    const trackingNumber = `SF${String(8_000_000_000_000 + (now.getTime() % 1_000_000)).slice(0, 13)}`;
    await finishDecoction(db, dispenser, { id: shipped.id, shipment: { carrier: 'sf', trackingNumber, parcels: 1, address: '杭州市上城区解放路 18 号 3 单元 501', phone: '13800001234' } });
  }
  // 9. Rejected at review, 10. expired unreviewed (issued four days ago).
  const rejected = await issue({ items: [{ herb: '黄芪', grams: 45 }, { herb: '白术', grams: 9 }] });
  await reviewPrescription(db, reviewer, { id: rejected.id, decision: 'rejected', reason: '黄芪超量，请医师调整剂量后重开' }, now);
  const old = await issue({}, new Date(now.getTime() - 4 * DAY));
  await expirePrescription(db, old.id, now);
  return { prescriptions: n, pharmacies: pharmacyKeys.length };
}
