import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../lib/ids.ts';
import { outboxEvent, prescription, shipment } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { shipmentsJobsWith } from '../../../domains/delivery/shipments.jobs.ts';
import { createShipmentForPrescription, publicTrackingForPrescription } from '../../../domains/delivery/shipments.service.ts';
import { postWebhook, shipOrder, simBody, TEST_CARRIER_SECRETS, testCarriers } from '../../../domains/delivery/shipments.testkit.ts';
import { addMember, type Member } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import type { MailMessage } from '../../../integrations/mail/mailer.ts';
import { livePublishJob } from '../../../integrations/live/live.jobs.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner, type JobFailure, type JobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';
import { createRequestContext } from '../../context.ts';
import { createRestV1Handler, openApiDocument } from '../../rest.ts';

// The procedures use the app's carriers: give them the test secrets and one-millisecond simulated minutes.
Object.assign(process.env, TEST_CARRIER_SECRETS, { CARRIER_SIM_MINUTE_MS: '1', LOG_LEVEL: 'silent' });

/**
 * Shipments through the real procedures and REST v1 (better-auth sessions and API keys, PostgreSQL
 * with DATABASE_URL or PGlite), the simulated carrier played by the outbox runner through the signed
 * webhook path, the exception flow and the prescription recipient check.
 */
describe('shipments procedures', () => {
  let app: TestApp;
  let seller: TestOrg;
  let buyer: TestOrg;
  let stranger: TestOrg;
  let buyerStaff: Member;
  let runner: JobRunner;
  const carriers = testCarriers(1);
  const mail: MailMessage[] = [];
  const failures: JobFailure[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    seller = await createTestOrg(app, 'supplier', { tag: 'shp-seller' });
    buyer = await createTestOrg(app, 'hospital', { tag: 'shp-buyer' });
    stranger = await createTestOrg(app, 'pharmacy', { tag: 'shp-stranger' });
    buyerStaff = await addMember(app, buyer.id, 'buyer');
    runner = createJobRunner({
      db: app.handle.db,
      registry: createJobRegistry([...shipmentsJobsWith({ carriers: () => carriers, mailer: () => ({ kind: 'memory', send: async (m) => void mail.push(m) }) }), livePublishJob]),
      onFailed: (f) => void failures.push(f),
    });
  }, 180_000);
  afterAll(async () => app.close());

  /** Runs due jobs until the simulation has nothing left to do. */
  async function playOut() {
    for (let i = 0; i < 50; i += 1) {
      const n = await runner.drainOnce!();
      const [pending] = await app.handle.db.select({ id: outboxEvent.id }).from(outboxEvent).where(eq(outboxEvent.status, 'pending')).limit(1);
      if (n === 0 && !pending) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('get: sender, receiver and their staff see the timeline; another organisation gets 404', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id);
    await postWebhook({ db: app.handle.db, carriers }, 'sf', JSON.stringify({ WaybillRoute: [{ id: `${s.id}-1`, mailno: s.trackingNumber, acceptTime: '2026-03-01 08:00:00', opCode: '50' }] }), {});
    const bySeller = await seller.api.shipments.get({ id: s.id });
    expect(bySeller).toMatchObject({ id: s.id, side: 'sender', state: 'picked_up', carrierName: '顺丰速运', parcels: 10, weightG: 5_000_000, receiver: { id: buyer.id } });
    expect(bySeller.timeline).toEqual([expect.objectContaining({ type: 'picked_up', carrierCode: '50', applied: true, to: 'picked_up', at: '2026-03-01T00:00:00.000Z' })]);
    const byBuyerStaff = await buyerStaff.api.shipments.get({ id: s.id });
    // An order's shipment carries no recipient code: the receiving organisation signs for it.
    expect(byBuyerStaff).toMatchObject({ side: 'receiver', state: 'picked_up', recipientCheck: false });
    const err = await errorOf(() => stranger.api.shipments.get({ id: s.id }));
    expect(err.data).toMatchObject({ httpStatus: 404, field: 'id' });
  });

  it('REST GET /api/v1/shipments/{id}: party key 200, another organisation’s key 404 in the contract shape', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id);
    const key = (await app.auth.api.createApiKey({ body: { name: 'tms', organizationId: buyer.id, userId: buyer.ownerUserId } })).key;
    const otherKey = (await app.auth.api.createApiKey({ body: { name: 'tms', organizationId: stranger.id, userId: stranger.ownerUserId } })).key;
    const handler = createRestV1Handler((req) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }));
    const call = async (k: string, id = s.id) => {
      const res = await handler(new Request(`http://localhost/api/v1/shipments/${id}`, { headers: { authorization: `Bearer ${k}` } }));
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const ok = await call(key);
    expect(ok).toMatchObject({ status: 200, body: { id: s.id, state: 'created', trackingNumber: s.trackingNumber, timeline: [] } });
    const other = await call(otherKey);
    expect(other).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: expect.any(String), field: 'id' } } });
    expect((await call(key, 'shp_nonexistent')).status).toBe(404);
    const doc = openApiDocument() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/shipments/{id}');
  });

  it('the simulated carrier plays a delivery through signed webhooks: created → … → delivered, with proof of delivery', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: undefined });
    expect(s.trackingNumber).toMatch(/^SIM\d{10}$/);
    await playOut();
    expect(failures).toEqual([]);
    const got = await buyer.api.shipments.get({ id: s.id });
    expect(got.state).toBe('delivered');
    expect(got.timeline.map((e) => e.to)).toEqual(['picked_up', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(got.pod).toMatchObject({ signer: got.receiver.name, check: 'signature', photoRef: expect.stringMatching(/^sim:\/\/pod\//) });
    expect(got.deliveryAttempts).toBe(1);
    expect(mail.some((m) => m.subject.includes(s.trackingNumber) && m.subject.includes('已签收'))).toBe(true);
  });

  it('cold chain excursion: both sides see the alert and the readings, both are mailed', async () => {
    mail.length = 0;
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: undefined, coldChain: true, scenario: 'excursion' });
    await playOut();
    const forSeller = await seller.api.shipments.get({ id: s.id });
    const forBuyer = await buyer.api.shipments.get({ id: s.id });
    expect(forSeller.alerts).toEqual(forBuyer.alerts);
    expect(forBuyer.alerts).toEqual([expect.objectContaining({ kind: 'temperature_excursion', maxCelsius: 11.3, readings: 2 })]);
    expect(forBuyer.temperatures.filter((t) => t.excursion).map((t) => t.celsius)).toEqual([9.4, 11.3]);
    expect(forBuyer.hasExcursion).toBe(true);
    const alerted = mail.filter((m) => m.subject.includes('冷链温度')).map((m) => m.to);
    expect(alerted).toContain(`${buyerStaff.email}`);
    expect(alerted.length).toBeGreaterThanOrEqual(2);
    const coldOnly = await buyer.api.shipments.list({ coldChain: true });
    expect(coldOnly.items.map((i) => i.id)).toContain(s.id);
    expect(coldOnly.items.every((i) => i.coldChain)).toBe(true);
  });

  it('exception flow: refused at the door → sender redelivers → delivered on the second attempt', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: undefined, scenario: 'refused' });
    await playOut();
    expect((await seller.api.shipments.get({ id: s.id })).state).toBe('exception');
    const inException = await seller.api.shipments.list({ exception: true, side: 'sent' });
    expect(inException.items.map((i) => i.id)).toContain(s.id);
    expect(inException.items.every((i) => i.state === 'exception')).toBe(true);
    // The receiver cannot have it sent back; the sender can redeliver.
    const refused = await errorOf(() => buyer.api.shipments.return({ id: s.id }));
    expect(refused.data).toMatchObject({ httpStatus: 403, field: 'id' });
    expect(await seller.api.shipments.redeliver({ id: s.id, note: '已与收货方确认' })).toMatchObject({ state: 'in_transit', direction: 'forward' });
    await playOut();
    const got = await buyer.api.shipments.get({ id: s.id });
    expect(got.state).toBe('delivered');
    expect(got.deliveryAttempts).toBe(2);
    expect(got.alerts.map((a) => a.kind)).toEqual(['exception']);
    expect(got.timeline.filter((e) => e.source === 'sender').map((e) => e.type)).toEqual(['redeliver']);
  });

  it('exception flow: damaged → sender has it returned → returned', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: undefined, scenario: 'damaged' });
    await playOut();
    expect((await seller.api.shipments.return({ id: s.id })).direction).toBe('return');
    await playOut();
    expect((await seller.api.shipments.get({ id: s.id })).state).toBe('returned');
    // Nothing more can be decided on a final shipment.
    expect((await errorOf(() => seller.api.shipments.redeliver({ id: s.id }))).data).toMatchObject({ httpStatus: 409, field: 'id' });
  });

  it('a party reports an exception on the way; the receiver alone may record a refusal; bad input names the field', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id);
    await postWebhook({ db: app.handle.db, carriers }, 'sf', JSON.stringify({ WaybillRoute: [{ id: `${s.id}-p`, mailno: s.trackingNumber, acceptTime: '2026-03-01 08:00:00', opCode: '44' }] }));
    expect((await errorOf(() => seller.api.shipments.reportException({ id: s.id, reason: 'refused' }))).data).toMatchObject({ httpStatus: 403, field: 'reason' });
    expect((await errorOf(() => seller.api.shipments.reportException({ id: s.id, reason: 'lost-in-space' as never }))).data).toMatchObject({ httpStatus: 400, field: 'reason' });
    expect((await errorOf(() => stranger.api.shipments.reportException({ id: s.id, reason: 'damaged' }))).data.httpStatus).toBe(404);
    expect(await buyer.api.shipments.reportException({ id: s.id, reason: 'refused', note: '包装破损拒收' })).toMatchObject({ state: 'exception' });
    const got = await seller.api.shipments.get({ id: s.id });
    expect(got).toMatchObject({ state: 'exception', exceptionReason: 'refused' });
    expect(got.timeline.at(-1)).toMatchObject({ source: 'receiver', type: 'exception', description: '包装破损拒收', applied: true });
    // A carrier event older than the decision does not undo it.
    const late = await postWebhook({ db: app.handle.db, carriers }, 'sf', JSON.stringify({ WaybillRoute: [{ id: `${s.id}-late`, mailno: s.trackingNumber, acceptTime: '2026-03-01 09:00:00', opCode: '31' }] }));
    expect(late.body).toMatchObject({ ignored: 1 });
  });

  it('list: late filter and pagination', async () => {
    const late = await shipOrder(app.handle.db, carriers, seller.id, buyer.id, { eta: new Date(Date.now() - 3600_000).toISOString() });
    const page = await seller.api.shipments.list({ late: true });
    expect(page.items.map((i) => i.id)).toEqual([late.id]);
    expect(page.items[0]!.late).toBe(true);
    const first = await seller.api.shipments.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await seller.api.shipments.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items[0]!.id < first.items[1]!.id).toBe(true);
    expect((await stranger.api.shipments.list({})).items).toEqual([]);
  });

  it('prescription shipment: patient recipient code required at delivery, hospital follows, patient view has no addresses', async () => {
    const pharmacy = await createTestOrg(app, 'pharmacy', { tag: 'shp-pharmacy' });
    const hospital = await createTestOrg(app, 'hospital', { tag: 'shp-hospital' });
    const hospitalPharmacist = await addMember(app, hospital.id, 'pharmacist');
    const rxId = newId('rx');
    const now = new Date();
    await app.handle.db.insert(prescription).values({
      id: rxId,
      hospitalOrgId: hospital.id,
      physicianUserId: hospital.ownerUserId,
      source: 'ui',
      status: 'shipped',
      patientName: '张**',
      patientSex: 'M',
      patientAgeYears: 52,
      patientLat: 30.27,
      patientLng: 120.15,
      doses: 7,
      usage: '每日1剂',
      decoction: true,
      decoctionBags: 14,
      decoctionMl: 200,
      fulfilment: 'delivery',
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 2 * 86_400_000),
      pharmacyOrgId: pharmacy.id,
    });
    const s = await app.handle.db.transaction((tx) =>
      createShipmentForPrescription(
        tx,
        carriers,
        { id: rxId, pharmacyOrgId: pharmacy.id, hospitalOrgId: hospital.id, patientName: '张**', decoction: true, fulfilment: 'delivery' },
        { carrier: 'sf', trackingNumber: 'SF1000000000001', weightG: 3_000, parcels: 1, toAddress: { name: '张三丰', phone: '13812345678', address: '杭州市西湖区文三路 1 号' } },
        { userId: pharmacy.ownerUserId, orgId: pharmacy.id },
      ),
    );
    expect(s).toMatchObject({ coldChain: true, receiverOrgId: null, observerOrgId: hospital.id, receiverName: '张**', recipientCode: expect.stringMatching(/^\d{6}$/) });
    expect(s.toAddress).toMatchObject({ name: '张**', phone: '138****5678' });
    const deliver = (id: string, code?: string) =>
      postWebhook({ db: app.handle.db, carriers }, 'sf', JSON.stringify({ WaybillRoute: [{ id, mailno: s.trackingNumber, acceptTime: '2026-03-01 10:00:00', opCode: '80', signer: '张**', ...(code ? { recipientCode: code } : {}) }] }));
    const wrong = await deliver(`${s.id}-d1`, s.recipientCode === '000000' ? '111111' : '000000');
    expect(wrong.body).toMatchObject({ ignored: 1, results: [{ reason: 'recipient_check_failed' }] });
    const forHospital = await hospitalPharmacist.api.shipments.get({ id: s.id });
    expect(forHospital).toMatchObject({ side: 'observer', state: 'created', recipientCheck: true, alerts: [expect.objectContaining({ kind: 'recipient_check_failed' })] });
    expect(forHospital).not.toHaveProperty('recipientCode');
    // The sending pharmacy learns that the code is checked, never the code: only the patient holds it.
    const forSender = await pharmacy.api.shipments.get({ id: s.id });
    expect(forSender).toMatchObject({ side: 'sender', recipientCheck: true });
    expect(forSender).not.toHaveProperty('recipientCode');
    const right = await deliver(`${s.id}-d2`, s.recipientCode!);
    expect(right.body).toMatchObject({ applied: 1 });
    expect((await pharmacy.api.shipments.get({ id: s.id })).pod).toMatchObject({ signer: '张**', check: 'code' });
    const patient = await publicTrackingForPrescription(app.handle.db, rxId);
    expect(patient).toMatchObject({ state: 'delivered', carrierName: '顺丰速运', recipientCode: null, coldChain: true });
    expect(JSON.stringify(patient)).not.toContain('文三路');
    expect((await errorOf(() => stranger.api.shipments.get({ id: s.id }))).data.httpStatus).toBe(404);
    const [row] = await app.handle.db.select().from(shipment).where(eq(shipment.id, s.id));
    expect(row!.state).toBe('delivered');
  });

  it('a tracking number already used with the carrier is CONFLICT naming trackingNumber; a bad format is VALIDATION', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id);
    await expect(shipOrder(app.handle.db, carriers, seller.id, buyer.id, { trackingNumber: s.trackingNumber })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'trackingNumber' } });
    await expect(shipOrder(app.handle.db, carriers, seller.id, buyer.id, { trackingNumber: 'JD12345' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'trackingNumber' } });
    await expect(shipOrder(app.handle.db, carriers, seller.id, buyer.id, { trackingNumber: undefined })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'trackingNumber' } });
  });

  it('the simulated delivery is refused like any other when its signature is wrong', async () => {
    const s = await shipOrder(app.handle.db, carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: undefined, scenario: 'normal' });
    const body = simBody([{ id: `${s.id}-forged`, trackingNumber: s.trackingNumber, type: 'delivered', at: new Date() }]);
    const res = await postWebhook({ db: app.handle.db, carriers }, 'sim', body, { headers: testCarriers(1).get('sim')!.sign(body.replace('delivered', 'returned'), new Date()) });
    expect(res.status).toBe(401);
    expect((await seller.api.shipments.get({ id: s.id })).state).toBe('created');
  });

  it('the audit chain verifies', async () => {
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });
});

describe('demo seed helper', () => {
  it('seedShipmentsInTransit: shipments in transit with timelines and one cold-chain alert', async () => {
    const { seedShipmentsInTransit } = await import('../../../db/seed/seed-shipments.ts');
    const { insertOrder } = await import('../../../domains/delivery/shipments.testkit.ts');
    const app = await createTestApp();
    try {
      const seller = await createTestOrg(app, 'supplier', { tag: 'seed-seller' });
      const buyer = await createTestOrg(app, 'pharmacy', { tag: 'seed-buyer' });
      const orders = [];
      for (let i = 0; i < 3; i += 1) orders.push({ id: await insertOrder(app.handle.db, seller.id, buyer.id), sellerOrgId: seller.id, buyerOrgId: buyer.id });
      const ids = await seedShipmentsInTransit(app.handle.db, testCarriers(), orders);
      const list = await buyer.api.shipments.list({});
      expect(list.items.map((i) => i.id).sort()).toEqual([...ids].sort());
      expect(list.items.map((i) => i.state).sort()).toEqual(['in_transit', 'out_for_delivery', 'out_for_delivery']);
      const cold = await buyer.api.shipments.get({ id: ids[0]! });
      expect(cold.alerts.map((a) => a.kind)).toEqual(['temperature_excursion']);
    } finally {
      await app.close();
    }
  });
});
