import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, lot, outboxEvent, prescription, rxOffer, rxStatusLink, shipment } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { postWebhook } from '../../../domains/delivery/shipments.testkit.ts';
import { appCarriers } from '../../../integrations/carriers/carriers.ts';
import { startDispensing } from '../../../domains/prescriptions/pharmacy.service.ts';
import { expirePrescription, timeoutOffer } from '../../../domains/prescriptions/prescriptions.transitions.ts';
import { hospitalWithStaff, pharmacyWith, rxInput, type TestHospital, type TestPharmacy } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import { prescriptionsJobsWith } from '../../../domains/prescriptions/prescriptions.jobs.ts';
import type { MailMessage } from '../../../integrations/mail/mailer.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';

// The prescription slice over real pieces: tRPC procedures with better-auth sessions and roles, the
// database (PGlite, or PostgreSQL with DATABASE_URL), catalogue lots as pharmacy stock, outbox timers.
let app: TestApp;
let hospital: TestHospital;
let otherHospital: TestHospital;
let near: TestPharmacy; // nearest of all, no decoction capability
let short: TestPharmacy; // decoction, but no 茯苓
let first: TestPharmacy; // nearest eligible decoction pharmacy
let second: TestPharmacy; // next one
let far: TestPharmacy; // out of its service radius
const DAY = 24 * 60 * 60 * 1000;
const full = { 人参: 2000, 白术: 2000, 茯苓: 2000, 甘草: 2000 };

async function rxCount() {
  const [row] = await app.handle.db.select({ n: count() }).from(prescription);
  return row!.n;
}
async function lotQuantity(lotId: string) {
  const [row] = await app.handle.db.select({ q: lot.quantityG, r: lot.reservedG }).from(lot).where(eq(lot.id, lotId));
  return row!;
}
async function openOffer(rxId: string) {
  const [row] = await app.handle.db
    .select()
    .from(rxOffer)
    .where(and(eq(rxOffer.prescriptionId, rxId), eq(rxOffer.status, 'offered')));
  return row;
}
async function refusals() {
  const [row] = await app.handle.db.select({ n: count() }).from(auditLog).where(like(auditLog.action, 'rx.refused.%'));
  return row!.n;
}
async function publicStatus(token: string) {
  return (await app.caller(new Headers())).prescriptions.status({ token });
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  hospital = await hospitalWithStaff(app);
  otherHospital = await hospitalWithStaff(app);
  near = await pharmacyWith(app, { lat: 30.272, lng: 120.15 }, { decoction: false }, full);
  short = await pharmacyWith(app, { lat: 30.275, lng: 120.15 }, { decoction: true }, { 人参: 2000, 白术: 2000, 甘草: 2000 });
  first = await pharmacyWith(app, { lat: 30.28, lng: 120.15 }, { decoction: true }, full);
  second = await pharmacyWith(app, { lat: 30.3, lng: 120.15 }, { decoction: true }, full);
  far = await pharmacyWith(app, { lat: 31.5, lng: 120.15 }, { decoction: true, serviceRadiusKm: 20 }, full);
}, 240_000);
afterAll(async () => app.close());

describe('prescription routing: 四君子汤 from intake to delivery', () => {
  it('screens, approves, routes to the nearest eligible decoction pharmacy, re-routes, dispenses with 复核, decocts and ships', async () => {
    const created = await hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000001' }));
    expect(created.id).toMatch(/^rx_/);
    expect(created.status).toBe('screened');
    expect(created.flags.filter((f) => f.severity === 'block')).toEqual([]);
    const id = created.id;

    let detail = await hospital.physician.api.prescriptions.detail({ id });
    expect(detail.patient.name).toBe('张**');
    expect(detail.items.map((i) => [i.writtenName, i.herbName, i.mg])).toEqual([
      ['人参', '人参', 9000],
      ['白术', '白术', 9000],
      ['茯苓', '茯苓', 12000],
      ['炙甘草', '甘草', 6000],
    ]);
    const token = detail.statusToken!;
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(await publicStatus(token)).toMatchObject({ status: 'screened', pharmacyName: null, pickupCode: null });

    const queue = await hospital.pharmacist.api.prescriptions.reviewQueue();
    expect(queue.map((q) => q.id)).toContain(id);
    expect(await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' })).toMatchObject({ status: 'routed' });

    // Nearest eligible: `near` has no decoction, `short` lacks 茯苓, `far` is out of its radius.
    detail = await hospital.physician.api.prescriptions.detail({ id });
    expect(detail.offers).toHaveLength(1);
    expect(detail.offers[0]).toMatchObject({ pharmacyOrgId: first.id, status: 'offered', round: 1 });
    expect(await publicStatus(token)).toMatchObject({ status: 'routed' });

    const offers = await first.pharmacist.api.prescriptions.offers();
    const offer = offers.find((o) => o.prescriptionId === id)!;
    expect(offer.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // The pharmacy sees the prescription it was offered, not the others' offers or the patient link.
    const seen = await first.pharmacist.api.prescriptions.detail({ id });
    expect(seen).toMatchObject({ side: 'pharmacy', statusToken: null, routingNote: null });

    // It is out of 人参 on the shelf: rejects with a reason → re-routed to the next candidate.
    expect(await first.pharmacist.api.prescriptions.rejectOffer({ offerId: offer.offerId, reason: '人参缺货' })).toMatchObject({ prescriptionStatus: 'routed' });
    expect(await errorOf(() => first.pharmacist.api.prescriptions.acceptOffer({ offerId: offer.offerId }))).toMatchObject({ data: { code: 'CONFLICT', field: 'offerId' } });
    expect(await errorOf(() => first.pharmacist.api.prescriptions.detail({ id }))).toMatchObject({ data: { code: 'NOT_FOUND' } }); // its offer closed
    const reoffer = (await second.pharmacist.api.prescriptions.offers()).find((o) => o.prescriptionId === id)!;
    expect(reoffer).toBeTruthy();
    // Another pharmacy cannot take it.
    expect(await errorOf(() => first.pharmacist.api.prescriptions.acceptOffer({ offerId: reoffer.offerId }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'offerId' } });
    expect(await errorOf(() => first.pharmacist.api.prescriptions.rejectOffer({ offerId: reoffer.offerId, reason: 'x' }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await second.pharmacist.api.prescriptions.acceptOffer({ offerId: reoffer.offerId })).toMatchObject({ status: 'accepted' });
    // Only the accepting pharmacy's pharmacists dispense.
    expect(await errorOf(() => first.pharmacist.api.prescriptions.startDispensing({ id }))).toMatchObject({ data: { code: 'NOT_FOUND' } });

    // Dispensing: each item by one pharmacist, 复核 by another; stock drawn from the lots.
    const before = await lotQuantity(second.lots['人参']!);
    await second.pharmacist.api.prescriptions.startDispensing({ id });
    detail = await second.pharmacist.api.prescriptions.detail({ id });
    for (const item of detail.items) await second.pharmacist.api.prescriptions.dispenseItem({ id, itemId: item.id });
    expect(await lotQuantity(second.lots['人参']!)).toEqual({ q: before.q - 63, r: 0 });
    expect((await lotQuantity(second.lots['茯苓']!)).q).toBe(2000 - 84);
    expect(await errorOf(() => second.pharmacist.api.prescriptions.checkItem({ id, itemId: detail.items[0]!.id }))).toMatchObject({ data: { code: 'FORBIDDEN', field: 'itemId' } });
    expect(await errorOf(() => second.pharmacist.api.prescriptions.finishDispensing({ id }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED' } });
    expect(await errorOf(() => second.pharmacist.api.prescriptions.dispenseItem({ id, itemId: detail.items[0]!.id }))).toMatchObject({ data: { code: 'CONFLICT' } });
    for (const item of detail.items) await second.pharmacist2.api.prescriptions.checkItem({ id, itemId: item.id });
    expect(await second.pharmacist.api.prescriptions.finishDispensing({ id })).toMatchObject({ status: 'decocting' });

    // Decoction log: boiled and packed before it can ship.
    expect(await errorOf(() => second.pharmacist.api.prescriptions.finishDecoction({ id }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED' } });
    await second.pharmacist.api.prescriptions.decoctionStep({ id, step: 'soak', minutes: 30 });
    await second.pharmacist.api.prescriptions.decoctionStep({ id, step: 'boil', minutes: 40 });
    expect(await errorOf(() => second.pharmacist.api.prescriptions.decoctionStep({ id, step: 'pack' }))).toMatchObject({ data: { field: 'bags' } });
    await second.pharmacist.api.prescriptions.decoctionStep({ id, step: 'pack', bags: 14 });
    // Handed to SF Express: the shipment is created with the step; the carrier's delivery (with the
    // patient's recipient code) completes the prescription.
    const trackingNumber = `SF${String(Date.now()).slice(-13)}`;
    const shipped = await second.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sf', trackingNumber, parcels: 1 } });
    expect(shipped).toMatchObject({ status: 'shipped', shipmentId: expect.stringMatching(/^shp_/) });
    expect(await publicStatus(token)).toMatchObject({ status: 'shipped', pharmacyName: expect.stringContaining('测试pharmacy'), delivery: { state: 'created', trackingNumber, carrierName: '顺丰速运' } });
    expect(await errorOf(() => second.pharmacist.api.prescriptions.confirmDelivered({ id }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'id' } });
    const [parcel] = await app.handle.db.select().from(shipment).where(eq(shipment.prescriptionId, id));
    const delivered = await postWebhook({ db: app.handle.db, carriers: appCarriers() }, 'sf', JSON.stringify({ WaybillRoute: [{ id: `${parcel!.id}-80`, mailno: trackingNumber, acceptTime: '2026-03-01 10:00:00', opCode: '80', signer: '张**', recipientCode: parcel!.recipientCode }] }));
    expect(delivered).toMatchObject({ status: 200, body: { applied: 1 } });

    const status = await publicStatus(token);
    expect(status.steps.map((s) => s.status)).toEqual(['draft', 'screened', 'approved', 'routed', 'accepted', 'dispensing', 'decocting', 'shipped', 'delivered', 'completed']);
    expect(status).not.toHaveProperty('patientName');

    detail = await hospital.physician.api.prescriptions.detail({ id });
    expect(detail.pharmacy).toMatchObject({ id: second.id });
    expect(detail.offers.map((o) => [o.pharmacyOrgId, o.status, o.reason])).toEqual([
      [first.id, 'rejected', '人参缺货'],
      [second.id, 'accepted', null],
    ]);
    expect(detail.timeline.map((e) => e.note).filter(Boolean)).toEqual(expect.arrayContaining(['offer_rejected', 'rerouted', 'item_dispensed', 'item_checked', 'decoction_step']));
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);

    // A retry with the same key answers the first prescription.
    const again = await hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000001' }));
    expect(again.id).toBe(id);
  });

  it('blocks 甘草 + 海藻 until a physician countersigns with a reason; nobody eligible → the hospital sees why', async () => {
    const created = await hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '甘草', grams: 6 }, { herb: '海藻', grams: 9 }, { herb: '白术', grams: 9 }] }));
    expect(created.flags).toEqual([expect.objectContaining({ code: 'INCOMPATIBLE_18FAN', severity: 'block', herbs: ['甘草', '海藻'] })]);
    const id = created.id;
    const blocked = await errorOf(() => hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' }));
    expect(blocked).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'id' }, message: '处方有拦截项（甘草 + 海藻），需医师填写理由双签后才能审核。' });
    // A pharmacist cannot countersign; a reason is required.
    expect(await errorOf(() => hospital.pharmacist.api.prescriptions.override({ id, reason: '病情需要' }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => hospital.physician2.api.prescriptions.override({ id, reason: ' ' }))).toMatchObject({ message: 'reason: 请填写理由。', data: { code: 'BAD_REQUEST', field: 'reason' } });
    await hospital.physician2.api.prescriptions.override({ id, reason: '海藻玉壶汤加减，病情需要，已告知患者' });
    expect(await errorOf(() => hospital.physician.api.prescriptions.override({ id, reason: '再签' }))).toMatchObject({ data: { code: 'CONFLICT' } });
    const reviewed = await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
    // Nobody stocks 海藻: the prescription waits, approved, with the reasons.
    expect(reviewed.status).toBe('approved');
    expect(reviewed.routingNote).toMatchObject({ missingHerbs: ['海藻'], reasons: expect.objectContaining({ stock: expect.any(Number), decoction: 1 }) });
    const api = await hospital.api.prescriptions.get({ id });
    expect(api.routing?.missingHerbs).toEqual(['海藻']);
    expect(api.timeline.map((e) => e.note)).toContain('override');
    expect(api.timeline.map((e) => e.note)).toContain('routing_failed');
  });
});

describe('pickup at a chosen store', () => {
  it('routes to the store, hands over with the pickup code, the patient sees the code while ready', async () => {
    const stores = await hospital.physician.api.prescriptions.stores({ lat: 30.27, lng: 120.15 });
    expect(stores.map((st) => st.id)).toEqual([near.id, short.id, first.id, second.id]);
    expect(stores[0]).toMatchObject({ km: 0.2, name: expect.stringContaining('测试pharmacy') });
    const { id } = await hospital.physician.api.prescriptions.create(rxInput({ decoction: false, decoctionBags: undefined, decoctionMl: undefined, fulfilment: 'pickup', storeId: second.id }));
    await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
    const offer = (await openOffer(id))!;
    expect(offer.pharmacyOrgId).toBe(second.id); // the chosen store, though `first` is nearer the patient
    await second.pharmacist.api.prescriptions.acceptOffer({ offerId: offer.id });
    // Past its validity nobody starts dispensing (the expiry job closes it).
    await expect(startDispensing(app.handle.db, { userId: second.pharmacist.userId, orgId: second.id }, { id }, new Date(Date.now() + 4 * DAY))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await second.pharmacist.api.prescriptions.startDispensing({ id });
    const { items, statusToken } = await hospital.physician.api.prescriptions.detail({ id });
    for (const item of items) await second.pharmacist2.api.prescriptions.dispenseItem({ id, itemId: item.id });
    for (const item of items) await second.pharmacist.api.prescriptions.checkItem({ id, itemId: item.id });
    const ready = await second.pharmacist.api.prescriptions.finishDispensing({ id });
    expect(ready.status).toBe('ready');
    expect(ready.pickupCode).toMatch(/^\d{6}$/);
    expect((await publicStatus(statusToken!)).pickupCode).toBe(ready.pickupCode);
    const wrong = ready.pickupCode === '000000' ? '000001' : '000000';
    expect(await errorOf(() => second.pharmacist.api.prescriptions.confirmPickup({ id, code: wrong }))).toMatchObject({ data: { field: 'code' } });
    expect(await second.pharmacist.api.prescriptions.confirmPickup({ id, code: ready.pickupCode! })).toMatchObject({ status: 'completed' });
    const done = await publicStatus(statusToken!);
    expect(done.pickupCode).toBeNull();
    expect(done.steps.map((st) => st.status).slice(-3)).toEqual(['ready', 'picked_up', 'completed']);
  });
});

describe('bad input is refused clearly, nothing half-written, every attempt audited', () => {
  it('refuses unknown herbs, bad grams and doses, malformed input', async () => {
    const n = await rxCount();
    const refusedBefore = await refusals();
    const unknown = await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '黄七', grams: 9 }] })));
    expect(unknown).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'items.0.herb' } });
    expect(unknown.message).toContain('黄七');
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '黄芪', grams: 0 }] })))).toMatchObject({ data: { field: 'items.0.grams' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '黄芪', grams: -3 }] })))).toMatchObject({ data: { field: 'items.0.grams' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '黄芪', grams: 1.2345 }] })))).toMatchObject({ data: { field: 'items.0.grams' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ doses: 0 })))).toMatchObject({ data: { field: 'doses' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ doses: 2.5 })))).toMatchObject({ data: { field: 'doses' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ items: undefined })))).toMatchObject({ data: { field: 'items' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ decoctionBags: undefined })))).toMatchObject({ data: { field: 'decoctionBags' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ validDays: 4 })))).toMatchObject({ data: { field: 'validDays' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ storeId: first.id })))).toMatchObject({ data: { field: 'storeId' } });
    // 3 decimals are fine (milligrams): 0.05 g stored as 50 mg.
    const fine = await hospital.physician.api.prescriptions.create(rxInput({ decoction: false, items: [{ herb: '黄芪', grams: 15.125 }], fulfilment: 'pickup' }));
    expect((await hospital.physician.api.prescriptions.detail({ id: fine.id })).items[0]).toMatchObject({ mg: 15125, grams: '15.125' });
    expect(await rxCount()).toBe(n + 1);
    // Every refused attempt is audited: the ten above (zod at the edge and the service alike).
    expect((await refusals()) - refusedBefore).toBe(10);
  });

  it('only a physician of the hospital signs; only its pharmacists review', async () => {
    const n = await rxCount();
    expect(await errorOf(() => hospital.pharmacist.api.prescriptions.create(rxInput()))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => hospital.api.prescriptions.create(rxInput()))).toMatchObject({ data: { code: 'FORBIDDEN' } }); // the owner is no physician
    expect(await errorOf(() => first.pharmacist.api.prescriptions.create(rxInput()))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await rxCount()).toBe(n);

    const { id } = await hospital.physician.api.prescriptions.create(rxInput());
    expect(await errorOf(() => otherHospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });
    expect(await errorOf(() => first.pharmacist.api.prescriptions.review({ id, decision: 'approved' }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.review({ id, decision: 'approved' }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => hospital.pharmacist.api.prescriptions.review({ id, decision: 'rejected' }))).toMatchObject({ message: 'reason: 请填写理由。', data: { field: 'reason' } });
    // Nothing is dispensed before approval: no pharmacy holds it.
    expect(await errorOf(() => first.pharmacist.api.prescriptions.startDispensing({ id }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await hospital.pharmacist.api.prescriptions.review({ id, decision: 'rejected', reason: '剂量需复核' })).toMatchObject({ status: 'rejected' });
    expect(await errorOf(() => hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });
  });

  it('keeps tenants apart', async () => {
    const { id } = await hospital.physician.api.prescriptions.create(rxInput());
    expect(await errorOf(() => otherHospital.physician.api.prescriptions.detail({ id }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await errorOf(() => otherHospital.api.prescriptions.get({ id }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await errorOf(() => second.pharmacist.api.prescriptions.detail({ id }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect((await otherHospital.physician.api.prescriptions.list({})).map((r) => r.id)).not.toContain(id);
    expect(await errorOf(() => otherHospital.physician.api.prescriptions.cancel({ id, reason: 'x' }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
  });

  it('idempotent intake: same key → first result, other body → CONFLICT', async () => {
    const a = await hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000002' }));
    const b = await hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000002' }));
    expect(b.id).toBe(a.id);
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000002', doses: 5 })))).toMatchObject({ data: { code: 'CONFLICT', field: 'idempotencyKey' } });
    // Two concurrent retries of a new key: one prescription.
    const before = await rxCount();
    const [c, d] = await Promise.all([
      hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000003' })),
      hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000003' })),
    ]);
    expect(c.id).toBe(d.id);
    expect(await rxCount()).toBe(before + 1);
    // Keys are per hospital.
    const other = await otherHospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-000002' }));
    expect(other.id).not.toBe(a.id);
  });
});

describe('timers', () => {
  it('refuses a timed-out offer and re-routes; the timeout job re-routes too', async () => {
    const { id } = await hospital.physician.api.prescriptions.create(rxInput());
    await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
    const offer = (await openOffer(id))!;
    expect(offer.pharmacyOrgId).toBe(first.id);
    const [job] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `prescriptions.offer-timeout:${offer.id}`));
    expect(job?.runAt.getTime()).toBe(offer.expiresAt.getTime());

    await app.handle.db
      .update(rxOffer)
      .set({ offeredAt: new Date(Date.now() - 20 * 60_000), expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(rxOffer.id, offer.id));
    const late = await errorOf(() => first.pharmacist.api.prescriptions.acceptOffer({ offerId: offer.id }));
    expect(late).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'offerId' } });
    const next = (await openOffer(id))!;
    expect(next.pharmacyOrgId).toBe(second.id);

    // The job for the second offer, delivered after its window.
    expect(await timeoutOffer(app.handle.db, next.id, new Date(next.expiresAt.getTime() + 1))).toBe('expired');
    expect(await timeoutOffer(app.handle.db, next.id, new Date(next.expiresAt.getTime() + 1))).toBe('noop');
    const detail = await hospital.physician.api.prescriptions.detail({ id });
    expect(detail.offers.map((o) => o.status)).toEqual(['expired', 'expired']);
    // Nobody left within range: approved again, waiting, with the reasons.
    expect(detail.status).toBe('approved');
    // `far` lies beyond every service radius, so it is not even loaded.
    expect(detail.routingNote).toMatchObject({ checked: 4, reasons: { already_offered: 2, decoction: 1, stock: 1 } });
    expect(detail.offers.map((o) => o.pharmacyOrgId)).not.toEqual(expect.arrayContaining([near.id, short.id, far.id]));
  });

  it('delivers the timers through the job runner', async () => {
    const { id } = await hospital.physician.api.prescriptions.create(rxInput({ items: [{ herb: '白术', grams: 9 }] }));
    await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
    const offer = (await openOffer(id))!;
    await app.handle.db
      .update(rxOffer)
      .set({ offeredAt: new Date(Date.now() - 20 * 60_000), expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(rxOffer.id, offer.id));
    await app.handle.db.update(outboxEvent).set({ runAt: new Date(Date.now() - 1000) }).where(eq(outboxEvent.dedupeKey, `prescriptions.offer-timeout:${offer.id}`));
    const mail: MailMessage[] = [];
    const mailer = { kind: 'memory', send: async (m: MailMessage) => void mail.push(m) };
    const runner = createJobRunner({ db: app.handle.db, registry: createJobRegistry(prescriptionsJobsWith(() => mailer)), onError: () => {}, onFailed: () => {} });
    for (let i = 0; i < 5; i += 1) if ((await runner.drainOnce!()) === 0) break;
    const detail = await hospital.physician.api.prescriptions.detail({ id });
    expect(detail.offers.map((o) => o.status)).toEqual(['expired', 'offered']);
    expect(detail.timeline.map((e) => e.note)).toContain('offer_expired');
    // Notifications: the hospital's pharmacists heard of the review, the pharmacies of their offers.
    const about = mail.filter((m) => m.subject.includes(id));
    const pharmacistOf = new Map([near, short, first, second, far].map((p) => [p.id, p.pharmacist.email]));
    const offeredTo = detail.offers.map((o) => pharmacistOf.get(o.pharmacyOrgId)!);
    expect(offeredTo).toHaveLength(2);
    expect(about.map((m) => m.to)).toEqual(expect.arrayContaining([hospital.pharmacist.email, hospital.physician.email, ...offeredTo]));
    expect(about.filter((m) => m.to === hospital.pharmacist.email).map((m) => m.subject)).toEqual([expect.stringContaining('待审方')]);

    // The next offers time out too until nobody is left: the physician is told.
    for (let open = await openOffer(id), i = 0; open && i < 5; open = await openOffer(id), i += 1) await timeoutOffer(app.handle.db, open.id, new Date(open.expiresAt.getTime() + 1));
    expect((await hospital.physician.api.prescriptions.detail({ id })).status).toBe('approved');
    for (let i = 0; i < 5; i += 1) if ((await runner.drainOnce!()) === 0) break;
    expect(mail.filter((m) => m.to === hospital.physician.email && m.subject.includes(id)).map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining('暂无可接单药房')]));
  });

  it('lets the physician cancel an open prescription: its offer is withdrawn', async () => {
    const { id } = await hospital.physician.api.prescriptions.create(rxInput());
    await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
    const offer = (await openOffer(id))!;
    expect(await errorOf(() => hospital.pharmacist.api.prescriptions.cancel({ id, reason: '患者改约' }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await hospital.physician.api.prescriptions.cancel({ id, reason: '患者改约' })).toMatchObject({ status: 'cancelled' });
    expect(await errorOf(() => first.pharmacist.api.prescriptions.acceptOffer({ offerId: offer.id }))).toMatchObject({ data: { code: 'CONFLICT', field: 'offerId' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.cancel({ id, reason: '再撤' }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });
  });

  it('closes the patient link when it expires', async () => {
    const { id } = await hospital.physician.api.prescriptions.create(rxInput());
    const { statusToken } = await hospital.physician.api.prescriptions.detail({ id });
    expect((await publicStatus(statusToken!)).status).toBe('screened');
    await app.handle.db.update(rxStatusLink).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(rxStatusLink.prescriptionId, id));
    expect(await errorOf(() => publicStatus(statusToken!))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'token' } });
    expect(await errorOf(() => publicStatus('x'.repeat(43)))).toMatchObject({ data: { code: 'NOT_FOUND' } });
  });

  it('expires prescriptions past their validity', async () => {
    const { id } = await hospital.physician.api.prescriptions.create(rxInput({ validDays: 1 }));
    const [row] = await app.handle.db.select().from(prescription).where(eq(prescription.id, id));
    const [job] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `prescriptions.expire:${id}`));
    expect(job?.runAt.getTime()).toBe(row!.expiresAt.getTime());
    await expect(expirePrescription(app.handle.db, id, new Date())).rejects.toThrow(/valid until/);
    expect(await expirePrescription(app.handle.db, id, new Date(Date.now() + 2 * DAY))).toBe('expired');
    expect((await hospital.physician.api.prescriptions.detail({ id })).status).toBe('expired');
    expect(await expirePrescription(app.handle.db, id, new Date(Date.now() + 2 * DAY))).toBe('noop');
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });
});
