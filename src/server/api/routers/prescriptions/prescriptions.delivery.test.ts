import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvent, prescription, rxEvent, shipment } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { shipmentsJobsWith } from '../../../domains/delivery/shipments.jobs.ts';
import { postWebhook, simBody, TEST_CARRIER_SECRETS, testCarriers } from '../../../domains/delivery/shipments.testkit.ts';
import { finishDispensing } from '../../../domains/prescriptions/pharmacy.service.ts';
import { prescriptionsJobsWith } from '../../../domains/prescriptions/prescriptions.jobs.ts';
import { hospitalWithStaff, pharmacyWith, RX_ADDRESS, rxInput, type TestHospital, type TestPharmacy } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import { resolveCarriersConfig } from '../../../integrations/carriers/carriers.config.ts';
import { createCarriers } from '../../../integrations/carriers/carriers.ts';
import { livePublishJob } from '../../../integrations/live/live.jobs.ts';
import type { MailMessage } from '../../../integrations/mail/mailer.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner, type JobFailure, type JobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';

// The procedures use the app's carriers: the test secrets, demo mode (the simulated carrier is
// offered) and one-millisecond simulated minutes.
Object.assign(process.env, TEST_CARRIER_SECRETS, { CARRIER_SIM_MINUTE_MS: '1', BENCAO_DEMO: '1', LOG_LEVEL: 'silent' });

/**
 * The hand-over of a delivery prescription to a carrier and what follows, over real pieces (tRPC with
 * sessions and roles, PostgreSQL or PGlite, the outbox runner playing the simulated carrier through
 * the signed webhook path): the shipment is created with the step (cold chain, patient as receiver,
 * hospital as observer), refused input changes nothing, the carrier's delivery with the patient's
 * recipient code completes the prescription, and the patient's link shows the tracking.
 */
let app: TestApp;
let hospital: TestHospital;
let pharmacy: TestPharmacy;
let runner: JobRunner;
const carriers = testCarriers(1);
const mail: MailMessage[] = [];
const failures: JobFailure[] = [];
const full = { 人参: 5000, 白术: 5000, 茯苓: 5000, 甘草: 5000 };

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  hospital = await hospitalWithStaff(app);
  pharmacy = await pharmacyWith(app, { lat: 30.271, lng: 120.15 }, { decoction: true, dailyCapacity: 100 }, full);
  const mailer = { kind: 'memory', send: async (m: MailMessage) => void mail.push(m) };
  runner = createJobRunner({
    db: app.handle.db,
    registry: createJobRegistry([...shipmentsJobsWith({ carriers: () => carriers, mailer: () => mailer }), ...prescriptionsJobsWith(() => mailer), livePublishJob]),
    onError: () => {},
    onFailed: (f) => void failures.push(f),
  });
}, 240_000);
afterAll(async () => app.close());

/** Runs due jobs until nothing is pending (the simulated carrier plays to its end). */
async function playOut() {
  for (let i = 0; i < 80; i += 1) {
    const n = await runner.drainOnce!();
    const [pending] = await app.handle.db
      .select({ id: outboxEvent.id })
      .from(outboxEvent)
      .where(and(eq(outboxEvent.status, 'pending'), eq(outboxEvent.job, 'shipments.simulate-step')))
      .limit(1);
    if (n === 0 && !pending) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A prescription accepted by `pharmacy`, dispensed with 复核; with 代煎 also soaked, boiled and packed. */
async function readyToHandOver(overrides: Record<string, unknown> = {}, steps: readonly ('boil' | 'pack')[] = ['boil', 'pack']) {
  const created = await hospital.physician.api.prescriptions.create(rxInput(overrides));
  const id = created.id;
  await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
  const offer = (await pharmacy.pharmacist.api.prescriptions.offers()).find((o) => o.prescriptionId === id)!;
  await pharmacy.pharmacist.api.prescriptions.acceptOffer({ offerId: offer.offerId });
  await pharmacy.pharmacist.api.prescriptions.startDispensing({ id });
  const detail = await pharmacy.pharmacist.api.prescriptions.detail({ id });
  for (const item of detail.items) await pharmacy.pharmacist.api.prescriptions.dispenseItem({ id, itemId: item.id });
  for (const item of detail.items) await pharmacy.pharmacist2.api.prescriptions.checkItem({ id, itemId: item.id });
  if (detail.decoction) {
    await pharmacy.pharmacist.api.prescriptions.finishDispensing({ id });
    if (steps.includes('boil')) await pharmacy.pharmacist.api.prescriptions.decoctionStep({ id, step: 'boil', minutes: 40 });
    if (steps.includes('pack')) await pharmacy.pharmacist.api.prescriptions.decoctionStep({ id, step: 'pack', bags: 14 });
  }
  const token = (await hospital.physician.api.prescriptions.detail({ id })).statusToken!;
  return { id, token };
}

const rxRow = async (id: string) => (await app.handle.db.select().from(prescription).where(eq(prescription.id, id)))[0]!;
const shipmentsOf = (id: string) => app.handle.db.select().from(shipment).where(eq(shipment.prescriptionId, id));
const publicStatus = async (token: string) => (await app.caller(new Headers())).prescriptions.status({ token });
/** The hospital system: a tRPC caller with the hospital's API key (no signed-in physician). */
async function his() {
  const { key } = await app.auth.api.createApiKey({ body: { name: 'his', organizationId: hospital.id, userId: hospital.ownerUserId } });
  return (await app.caller(new Headers({ authorization: `Bearer ${key}` }))).prescriptions;
}
const sfNumber = () => `SF${String(Date.now()).slice(-7)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

describe('delivery address at intake', () => {
  it('the physician’s form needs the address with delivery; the hospital system may leave it to the pharmacy', async () => {
    const missing = await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ deliveryAddress: undefined })));
    expect(missing).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'deliveryAddress.address' } });
    expect(missing.message).toContain('收货地址');
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ deliveryAddress: { address: '  ' } })))).toMatchObject({ data: { field: 'deliveryAddress.address' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ deliveryAddress: { address: 'x'.repeat(301) } })))).toMatchObject({ data: { field: 'deliveryAddress.address' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ deliveryAddress: { address: '解放路 1 号', phone: '138-abc' } })))).toMatchObject({ data: { field: 'deliveryAddress.phone' } });
    expect(await errorOf(() => hospital.physician.api.prescriptions.create(rxInput({ fulfilment: 'pickup', decoction: false, decoctionBags: undefined, decoctionMl: undefined, deliveryAddress: RX_ADDRESS })))).toMatchObject({ data: { field: 'deliveryAddress' } });
    // An API key (the hospital system) may leave it out.
    const byHis = await (await his()).create({ ...rxInput({ deliveryAddress: undefined }), physicianEmail: hospital.physician.email });
    expect((await rxRow(byHis.id)).deliveryAddress).toBeNull();
    // Trimmed and stored; shown to the hospital with the phone masked.
    const { id } = await hospital.physician.api.prescriptions.create(rxInput({ deliveryAddress: { address: '  杭州市上城区解放路 18 号  ', phone: ' 13800001234 ' } }));
    expect((await rxRow(id)).deliveryAddress).toEqual({ address: '杭州市上城区解放路 18 号', phone: '13800001234' });
    expect((await hospital.physician.api.prescriptions.detail({ id })).deliveryAddress).toEqual({ address: '杭州市上城区解放路 18 号', phoneMasked: '138****1234' });
  });
});

describe('hand-over to a carrier', () => {
  it('refuses to finish a decoction whose log misses a step, naming the step as the pharmacist knows it', async () => {
    const { id } = await readyToHandOver({}, ['boil']);
    expect(await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sim' } }))).toMatchObject({
      data: { code: 'PRECONDITION_FAILED', field: 'id' },
      message: '煎药记录缺少步骤：包装。请先记录这些步骤。',
    });
    expect((await rxRow(id)).status).toBe('decocting');
    expect(await shipmentsOf(id)).toEqual([]);
  });

  it('refuses a missing shipment naming the field; pickup refuses one; nothing moves', async () => {
    const { id } = await readyToHandOver();
    const missing = await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id }));
    expect(missing).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'shipment' } });
    expect((await rxRow(id)).status).toBe('decocting');
    expect(await shipmentsOf(id)).toEqual([]);
    // sf and jd need the carrier's tracking number; a scenario is for the demo carrier only.
    expect(await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sf' } }))).toMatchObject({ data: { field: 'shipment.trackingNumber' } });
    expect(await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'jd', trackingNumber: 'SF1234567890123' } }))).toMatchObject({ data: { field: 'shipment.trackingNumber' } });
    expect(await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sf', trackingNumber: sfNumber(), scenario: 'excursion' } }))).toMatchObject({ data: { field: 'shipment.scenario' } });
    expect(await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sim', weightG: 0 } }))).toMatchObject({ data: { field: 'shipment.weightG' } });
    expect((await rxRow(id)).status).toBe('decocting');
    expect(await shipmentsOf(id)).toEqual([]);

    const pickup = await readyToHandOver({ fulfilment: 'pickup', decoction: false, decoctionBags: undefined, decoctionMl: undefined });
    const refused = await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDispensing({ id: pickup.id, shipment: { carrier: 'sim' } }));
    expect(refused).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'shipment' } });
    expect((await rxRow(pickup.id)).status).toBe('dispensing');
    expect(await pharmacy.pharmacist.api.prescriptions.finishDispensing({ id: pickup.id })).toMatchObject({ status: 'ready', pickupCode: expect.stringMatching(/^\d{6}$/) });
  });

  it('creates a cold-chain shipment in the step: pharmacy sends, the patient receives, the hospital follows', async () => {
    const { id, token } = await readyToHandOver();
    const result = await pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sim', scenario: 'normal' } });
    expect(result).toMatchObject({ status: 'shipped', shipmentId: expect.stringMatching(/^shp_/) });
    const [s] = await shipmentsOf(id);
    expect(s).toMatchObject({
      id: result.status === 'shipped' ? (result as { shipmentId: string }).shipmentId : '',
      carrier: 'sim',
      trackingNumber: expect.stringMatching(/^SIM\d{10}$/),
      senderOrgId: pharmacy.id,
      receiverOrgId: null,
      observerOrgId: hospital.id,
      receiverName: '张**',
      coldChain: true,
      parcels: 1,
      weightG: 14 * 220,
      state: 'created',
      recipientCode: expect.stringMatching(/^\d{6}$/),
      simulation: { scenario: 'normal', round: 0 },
    });
    expect(s!.toAddress).toMatchObject({ name: '张**', address: RX_ADDRESS.address, phone: '138****1234' });
    // The timeline names the shipment; hospital and pharmacy see it on the prescription page.
    const forHospital = await hospital.physician.api.prescriptions.detail({ id });
    expect(forHospital.shipment).toMatchObject({ id: s!.id, carrierName: '模拟承运商', trackingNumber: s!.trackingNumber, state: 'created', coldChain: true });
    expect(forHospital.timeline.at(-1)).toMatchObject({ to: 'shipped', data: expect.objectContaining({ shipmentId: s!.id, trackingNumber: s!.trackingNumber }) });
    expect((await pharmacy.pharmacist.api.prescriptions.detail({ id })).shipment).toMatchObject({ id: s!.id });
    expect((await hospital.pharmacist.api.shipments.get({ id: s!.id })).side).toBe('observer');

    // The patient's link: carrier, tracking number, ETA and the recipient code; no address or phone.
    const status = await publicStatus(token);
    expect(status.delivery).toMatchObject({ state: 'created', carrierName: '模拟承运商', trackingNumber: s!.trackingNumber, recipientCode: s!.recipientCode, coldChain: true, temperatureAlert: false, eta: expect.any(String) });
    expect(JSON.stringify(status)).not.toContain('解放路');
    expect(JSON.stringify(status)).not.toContain('1234');
  });

  it('without 代煎: finishing dispensing ships at room temperature; the demo carrier only in demo mode', async () => {
    const { id } = await readyToHandOver({ decoction: false, decoctionBags: undefined, decoctionMl: undefined });
    const actor = { userId: pharmacy.pharmacist.userId, orgId: pharmacy.id };
    const production = createCarriers(resolveCarriersConfig({ ...TEST_CARRIER_SECRETS }, 'unused-derivation-seed'));
    await expect(finishDispensing(app.handle.db, actor, { id, shipment: { carrier: 'sim', parcels: 1 } }, { carriers: production })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'shipment.carrier' } });
    expect((await rxRow(id)).status).toBe('dispensing');
    const trackingNumber = sfNumber();
    const done = await pharmacy.pharmacist.api.prescriptions.finishDispensing({ id, shipment: { carrier: 'sf', trackingNumber, parcels: 2, weightG: 1500, address: '杭州市西湖区文三路 90 号', phone: '0571-88886666' } });
    expect(done.status).toBe('shipped');
    const [s] = await shipmentsOf(id);
    expect(s).toMatchObject({ carrier: 'sf', trackingNumber, coldChain: false, parcels: 2, weightG: 1500 });
    expect(s!.toAddress).toMatchObject({ address: '杭州市西湖区文三路 90 号', phone: '057****6666' });
    // The address entered at hand-over is the prescription's now.
    expect((await rxRow(id)).deliveryAddress).toEqual({ address: '杭州市西湖区文三路 90 号', phone: '0571-88886666' });
  });

  it('a tracking number already used rolls the step back: the prescription stays decocting, no shipment', async () => {
    const a = await readyToHandOver();
    const b = await readyToHandOver();
    const trackingNumber = sfNumber();
    await pharmacy.pharmacist.api.prescriptions.finishDecoction({ id: a.id, shipment: { carrier: 'sf', trackingNumber } });
    const before = await app.handle.db.select({ n: count() }).from(rxEvent).where(eq(rxEvent.prescriptionId, b.id));
    const taken = await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id: b.id, shipment: { carrier: 'sf', trackingNumber, address: '另一个地址 1 号' } }));
    expect(taken).toMatchObject({ data: { code: 'CONFLICT', field: 'shipment.trackingNumber' } });
    expect(taken.message).toContain(trackingNumber);
    const row = await rxRow(b.id);
    expect(row.status).toBe('decocting');
    expect(row.deliveryAddress).toEqual(RX_ADDRESS);
    expect(await shipmentsOf(b.id)).toEqual([]);
    expect(await app.handle.db.select({ n: count() }).from(rxEvent).where(eq(rxEvent.prescriptionId, b.id))).toEqual(before);
  });

  it('the REST intake without an address: the pharmacy must enter it at hand-over', async () => {
    const { id: created } = await (await his()).create({ ...rxInput({ deliveryAddress: undefined }), physicianEmail: hospital.physician.email });
    await hospital.pharmacist.api.prescriptions.review({ id: created, decision: 'approved' });
    const offer = (await pharmacy.pharmacist.api.prescriptions.offers()).find((o) => o.prescriptionId === created)!;
    await pharmacy.pharmacist.api.prescriptions.acceptOffer({ offerId: offer.offerId });
    await pharmacy.pharmacist.api.prescriptions.startDispensing({ id: created });
    const detail = await pharmacy.pharmacist.api.prescriptions.detail({ id: created });
    expect(detail.deliveryAddress).toBeNull();
    for (const item of detail.items) await pharmacy.pharmacist.api.prescriptions.dispenseItem({ id: created, itemId: item.id });
    for (const item of detail.items) await pharmacy.pharmacist2.api.prescriptions.checkItem({ id: created, itemId: item.id });
    await pharmacy.pharmacist.api.prescriptions.finishDispensing({ id: created });
    await pharmacy.pharmacist.api.prescriptions.decoctionStep({ id: created, step: 'boil', minutes: 40 });
    await pharmacy.pharmacist.api.prescriptions.decoctionStep({ id: created, step: 'pack', bags: 14 });
    expect(await errorOf(() => pharmacy.pharmacist.api.prescriptions.finishDecoction({ id: created, shipment: { carrier: 'sim' } }))).toMatchObject({ data: { field: 'shipment.address' } });
    expect(await pharmacy.pharmacist.api.prescriptions.finishDecoction({ id: created, shipment: { carrier: 'sim', address: '杭州市上城区清波街 2 号' } })).toMatchObject({ status: 'shipped' });
    expect((await rxRow(created)).deliveryAddress).toEqual({ address: '杭州市上城区清波街 2 号' });
  });
});

describe('the carrier’s delivery moves the prescription', () => {
  it('a delivery with the wrong recipient code does not; the simulated courier’s (right code) completes it, once', async () => {
    const { id, token } = await readyToHandOver();
    await pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sim', scenario: 'excursion' } });
    const [s] = await shipmentsOf(id);
    const wrongCode = s!.recipientCode === '000000' ? '111111' : '000000';
    const wrong = await postWebhook({ db: app.handle.db, carriers }, 'sim', simBody([{ id: `${s!.id}:wrong`, trackingNumber: s!.trackingNumber, type: 'delivered', at: new Date(), pod: { signer: '张**', recipientCode: wrongCode } }]));
    expect(wrong.body).toMatchObject({ ignored: 1, results: [{ reason: 'recipient_check_failed' }] });
    expect((await rxRow(id)).status).toBe('shipped');
    expect((await publicStatus(token)).delivery?.recipientCode).toBe(s!.recipientCode);

    await playOut();
    expect(failures).toEqual([]);
    const [after] = await shipmentsOf(id);
    expect(after).toMatchObject({ state: 'delivered', podCheck: 'code', hasExcursion: true });
    expect((await rxRow(id)).status).toBe('completed');
    const detail = await hospital.physician.api.prescriptions.detail({ id });
    expect(detail.timeline.slice(-3).map((e) => [e.to, e.role])).toEqual([
      ['shipped', 'pharmacy'],
      ['delivered', 'system'],
      ['completed', 'system'],
    ]);
    expect(detail.shipment).toMatchObject({ state: 'delivered', hasExcursion: true });

    // The patient: delivered and completed, the tracking steps and the temperature alert; the code is gone.
    const status = await publicStatus(token);
    expect(status.status).toBe('completed');
    expect(status.steps.map((st) => st.status).slice(-3)).toEqual(['shipped', 'delivered', 'completed']);
    expect(status.delivery).toMatchObject({ state: 'delivered', recipientCode: null, temperatureAlert: true });
    expect(status.delivery!.steps.map((st) => st.to)).toEqual(['picked_up', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);

    // The same delivery again (a carrier's retry, newly signed) and a second "delivered": nothing moves twice.
    const again = await postWebhook({ db: app.handle.db, carriers }, 'sim', simBody([{ id: `${s!.id}:outbound:0:4`, trackingNumber: s!.trackingNumber, type: 'delivered', at: new Date(), pod: { recipientCode: s!.recipientCode! } }]));
    expect(again.body).toMatchObject({ duplicates: 1 });
    const late = await postWebhook({ db: app.handle.db, carriers }, 'sim', simBody([{ id: `${s!.id}:late`, trackingNumber: s!.trackingNumber, type: 'delivered', at: new Date(), pod: { recipientCode: s!.recipientCode! } }]));
    expect(late.status).toBe(200);
    const events = await app.handle.db.select().from(rxEvent).where(eq(rxEvent.prescriptionId, id));
    expect(events.filter((e) => e.toStatus === 'delivered')).toHaveLength(1);
    expect(events.filter((e) => e.toStatus === 'completed')).toHaveLength(1);
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });

  it('a refused and returned shipment leaves the prescription shipped; the hospital sees it on the timeline', async () => {
    const { id } = await readyToHandOver();
    await pharmacy.pharmacist.api.prescriptions.finishDecoction({ id, shipment: { carrier: 'sim', scenario: 'refused' } });
    const [s] = await shipmentsOf(id);
    await playOut();
    expect((await shipmentsOf(id))[0]).toMatchObject({ state: 'exception', exceptionReason: 'refused' });
    await pharmacy.api.shipments.return({ id: s!.id, note: '患者拒收' });
    await playOut();
    expect((await shipmentsOf(id))[0]).toMatchObject({ state: 'returned' });
    expect((await rxRow(id)).status).toBe('shipped');
    const notes = (await hospital.physician.api.prescriptions.detail({ id })).timeline.map((e) => e.note);
    expect(notes).toEqual(expect.arrayContaining(['shipment_exception', 'shipment_returned']));
    // Came back: the pharmacy may now confirm a delivery by its own courier.
    expect(await pharmacy.pharmacist.api.prescriptions.confirmDelivered({ id })).toMatchObject({ status: 'completed' });
  });
});
