import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { addMember, hospitalWithStaff, pharmacyWith, rxInput, type TestHospital, type TestPharmacy } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg } from '../../../testing/test-orgs.ts';

// "Waiting for you" over real pieces: tRPC procedures with better-auth sessions and roles, the
// database, prescriptions written, reviewed and routed to a pharmacy.
let app: TestApp;
let hospital: TestHospital;
let otherHospital: TestHospital;
let pharmacy: TestPharmacy;
let otherPharmacy: TestPharmacy;
const full = { 人参: 2000, 白术: 2000, 茯苓: 2000, 甘草: 2000 };

type Api = TestHospital['api'];
async function queue(api: Api) {
  return (await api.dashboard.workQueue()).items;
}
async function countOf(api: Api, key: string) {
  return (await queue(api)).find((i) => i.key === key)?.count;
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  hospital = await hospitalWithStaff(app);
  otherHospital = await hospitalWithStaff(app);
  pharmacy = await pharmacyWith(app, { lat: 30.28, lng: 120.15 }, { decoction: true }, full);
  // Out of stock of everything: never offered a prescription.
  otherPharmacy = await pharmacyWith(app, { lat: 30.281, lng: 120.15 }, { decoction: true }, {});
}, 240_000);
afterAll(async () => app.close());

describe('dashboard.workQueue', () => {
  it('a hospital pharmacist sees the review count of their own hospital only', async () => {
    expect(await queue(hospital.pharmacist.api)).toEqual([{ key: 'rxReview', href: '/prescriptions/review', count: 0 }]);

    const first = await hospital.physician.api.prescriptions.create(rxInput());
    await hospital.physician.api.prescriptions.create(rxInput());
    // Another hospital's prescriptions waiting for review do not count here.
    for (let i = 0; i < 3; i += 1) await otherHospital.physician.api.prescriptions.create(rxInput());

    expect(await queue(hospital.pharmacist.api)).toEqual([{ key: 'rxReview', href: '/prescriptions/review', count: 2 }]);
    expect(await countOf(otherHospital.pharmacist.api, 'rxReview')).toBe(3);
    // The owner holds the same permission: the same count.
    expect(await countOf(hospital.api, 'rxReview')).toBe(2);
    // It matches the review page's own list.
    expect(await hospital.pharmacist.api.prescriptions.reviewQueue()).toHaveLength(2);

    // Reviewed: no longer waiting.
    await hospital.pharmacist.api.prescriptions.review({ id: first.id, decision: 'approved' });
    expect(await countOf(hospital.pharmacist.api, 'rxReview')).toBe(1);
    expect(await countOf(otherHospital.pharmacist.api, 'rxReview')).toBe(3);
  });

  it('a role without the review permission gets no review count; a physician sees the blocked prescriptions to countersign', async () => {
    const physicianItems = await queue(hospital.physician.api);
    expect(physicianItems.map((i) => i.key)).not.toContain('rxReview');
    expect(physicianItems).toEqual([{ key: 'rxCountersign', href: '/prescriptions?status=screened', count: 0 }]);

    const blocked = await hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '甘草', grams: 6 }, { herb: '海藻', grams: 9 }, { herb: '白术', grams: 9 }] }));
    expect(blocked.flags.some((f) => f.severity === 'block')).toBe(true);
    expect(await countOf(hospital.physician.api, 'rxCountersign')).toBe(1);
    expect(await countOf(otherHospital.physician.api, 'rxCountersign')).toBe(0);
    // Still waiting for review too (the pharmacist sees it, flagged).
    expect(await countOf(hospital.pharmacist.api, 'rxReview')).toBe(2);

    await hospital.physician2.api.prescriptions.override({ id: blocked.id, reason: '临床需要，已告知患者' });
    expect(await countOf(hospital.physician.api, 'rxCountersign')).toBe(0);

    // A hospital buyer sees its orders, no prescription queue at all.
    const buyer = await addMember(app, hospital.id, 'buyer');
    const keys = (await queue(buyer.api)).map((i) => i.key);
    expect(keys).toEqual(['ordersToPay', 'ordersPaymentFailed', 'ordersToReceive', 'allianceInvitations']);
    expect((await queue(buyer.api)).every((i) => i.count === 0)).toBe(true);
  });

  it('a pharmacy sees the offers waiting for its answer and the prescriptions it is filling, its own only', async () => {
    expect(await queue(pharmacy.pharmacist.api)).toEqual([
      { key: 'rxOffers', href: '/pharmacy', count: 1 }, // the prescription approved above
      { key: 'rxDispensing', href: '/pharmacy', count: 0 },
      { key: 'rxDecocting', href: '/pharmacy', count: 0 },
      { key: 'rxShipmentExceptions', href: '/shipments?side=sent&state=exception', count: 0 },
    ]);
    expect(await countOf(otherPharmacy.pharmacist.api, 'rxOffers')).toBe(0);
    // A pharmacy never sees a hospital's review queue.
    expect((await queue(pharmacy.pharmacist.api)).map((i) => i.key)).not.toContain('rxReview');

    const [offer] = await pharmacy.pharmacist.api.prescriptions.offers();
    await pharmacy.pharmacist.api.prescriptions.acceptOffer({ offerId: offer!.offerId });
    expect(await countOf(pharmacy.pharmacist.api, 'rxOffers')).toBe(0);
    expect(await countOf(pharmacy.pharmacist.api, 'rxDispensing')).toBe(1);
    expect(await countOf(otherPharmacy.pharmacist.api, 'rxDispensing')).toBe(0);
  });

  it('the operator sees the organisations waiting for KYB review and the failed jobs, as its own pages count them', async () => {
    await createTestOrg(app, 'pharmacy', { approve: false, tag: 'dash-kyb' });
    const op = await app.signUp('dashboard-operator@example.cn');
    await app.makeOperator(op.userId);
    const api = await app.caller(op.headers);
    const items = await queue(api);
    expect(items.map((i) => i.key)).toEqual(['kybPending', 'failedJobs']);
    expect(items[0]).toEqual({ key: 'kybPending', href: '/operator/kyb?status=pending', count: (await api.operator.kybQueue({ status: 'pending' })).length });
    expect(items[0]!.count).toBeGreaterThanOrEqual(1);
    expect(items[1]).toEqual({ key: 'failedJobs', href: '/operator/jobs', count: (await api.operator.jobs({})).counts.failed });
  });

  it('needs an organisation', async () => {
    const loner = await app.signUp('no-org-dashboard@example.cn');
    expect(await errorOf(async () => (await app.caller(loner.headers)).dashboard.workQueue())).toMatchObject({ data: { code: 'FORBIDDEN' } });
  });
});
