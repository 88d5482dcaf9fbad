import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, carrierWebhookDelivery, outboxEvent, shipment, shipmentAlert, shipmentEvent, shipmentTemperature } from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { postWebhook, shipOrder, simBody, testCarriers } from '../../domains/delivery/shipments.testkit.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../testing/test-orgs.ts';
import type { CarrierWebhookDeps } from './webhook.ts';
import { formatBeijingTime } from './sf.adapter.ts';

/**
 * `POST /api/webhooks/carriers/{carrier}` through the handler the route calls, on a fresh database
 * (PostgreSQL with DATABASE_URL, PGlite otherwise): good events, every kind of bad delivery (refused,
 * logged, nothing changed), duplicates and out-of-order events.
 */
describe('carrier webhook', () => {
  let app: TestApp;
  let seller: TestOrg;
  let buyer: TestOrg;
  const carriers = testCarriers();
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  let deps: CarrierWebhookDeps;

  beforeAll(async () => {
    app = await createTestApp();
    seller = await createTestOrg(app, 'supplier', { tag: 'ship-seller' });
    buyer = await createTestOrg(app, 'hospital', { tag: 'ship-buyer' });
    deps = { db: app.handle.db, carriers, log: (level, message, fields) => logs.push({ level, message, fields }) };
  }, 180_000);
  afterAll(async () => app.close());
  beforeEach(() => {
    logs.length = 0;
  });

  const db = () => app.handle.db;
  const state = async (id: string) => (await db().select().from(shipment).where(eq(shipment.id, id)))[0]!;
  const events = async (id: string) => db().select().from(shipmentEvent).where(eq(shipmentEvent.shipmentId, id));
  /** Everything a refused delivery must leave untouched. */
  const snapshot = async (id: string) => {
    const [s, e, d, a, t, o] = await Promise.all([
      state(id),
      db().select({ n: count() }).from(shipmentEvent),
      db().select({ n: count() }).from(carrierWebhookDelivery),
      db().select({ n: count() }).from(auditLog),
      db().select({ n: count() }).from(shipmentTemperature),
      db().select({ n: count() }).from(outboxEvent),
    ]);
    return { s, events: e[0]!.n, deliveries: d[0]!.n, audit: a[0]!.n, readings: t[0]!.n, outbox: o[0]!.n };
  };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  it('a good SF delivery moves the shipment, records the event, audits the transition', async () => {
    const s = await shipOrder(db(), carriers, seller.id, buyer.id);
    const body = JSON.stringify({
      requestId: 'req-1',
      WaybillRoute: [
        { id: `${s.id}-r2`, mailno: s.trackingNumber, acceptTime: formatBeijingTime(minutesAgo(5)), acceptAddress: '杭州转运中心', opCode: '31', remark: '快件到达杭州转运中心' },
        { id: `${s.id}-r1`, mailno: s.trackingNumber, acceptTime: formatBeijingTime(minutesAgo(10)), acceptAddress: '亳州', opCode: '50', remark: '顺丰速运 已收取快件' },
      ],
    });
    const res = await postWebhook(deps, 'sf', body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, events: 2, applied: 2, ignored: 0, duplicates: 0 });
    const row = await state(s.id);
    expect(row).toMatchObject({ state: 'in_transit', lastEventKey: `${s.id}-r2` });
    const recorded = await events(s.id);
    expect(recorded.map((e) => [e.type, e.carrierCode, e.fromState, e.toState, e.applied]).sort()).toEqual([
      ['in_transit', '31', 'picked_up', 'in_transit', true],
      ['picked_up', '50', 'created', 'picked_up', true],
    ]);
    const audit = await db().select().from(auditLog).where(eq(auditLog.entityId, s.id));
    expect(audit.map((a) => a.action)).toEqual(['shipment.created', 'shipment.state_changed', 'shipment.state_changed']);
    expect(logs).toEqual([]);
  });

  describe('refused, logged, nothing changed', () => {
    let id: string;
    let tracking: string;
    beforeAll(async () => {
      const s = await shipOrder(db(), carriers, seller.id, buyer.id);
      id = s.id;
      tracking = s.trackingNumber;
    });

    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; field: string | null; message: string } } }>, number, string, string | null][] = [
      ['unknown carrier', () => postWebhook(deps, 'ems', JSON.stringify({ anything: true })), 404, 'unknown_carrier', 'carrier'],
      [
        'signed with another carrier’s headers',
        async () => {
          const b = JSON.stringify({ eventId: 'x1', waybillCode: 'JDVA00000000001', operateType: 'SIGNED', operateTime: Date.now() });
          return postWebhook(deps, 'jd', b, { headers: testCarriers().get('sf')!.sign(b, new Date()) });
        },
        401,
        'missing_signature',
        'x-jd-signature',
      ],
      [
        'signature made with another secret',
        async () => {
          const b = JSON.stringify({ WaybillRoute: [{ id: 'bad-1', mailno: tracking, acceptTime: formatBeijingTime(new Date()), opCode: '80' }] });
          const { createSfAdapter } = await import('./sf.adapter.ts');
          return postWebhook(deps, 'sf', b, { headers: createSfAdapter({ secret: 'attacker-secret-123456' }).sign(b, new Date()) });
        },
        401,
        'bad_signature',
        'x-sf-signature',
      ],
      ['missing signature', () => postWebhook(deps, 'sf', '{}', { headers: { 'content-type': 'application/json' } }), 401, 'missing_signature', 'x-sf-signature'],
      [
        'stale timestamp (6 minutes old)',
        () => postWebhook(deps, 'sf', JSON.stringify({ WaybillRoute: [{ id: 'stale-1', mailno: tracking, acceptTime: formatBeijingTime(new Date()), opCode: '80' }] }), { signedAt: minutesAgo(6) }),
        401,
        'stale_timestamp',
        'x-sf-timestamp',
      ],
      ['unknown tracking number', () => postWebhook(deps, 'sf', JSON.stringify({ WaybillRoute: [{ id: 'u-1', mailno: 'SF9999999999999', acceptTime: formatBeijingTime(new Date()), opCode: '80' }] })), 404, 'unknown_tracking_number', 'WaybillRoute.0.mailno'],
      [
        'one unknown tracking number refuses the whole delivery',
        () =>
          postWebhook(
            deps,
            'sf',
            JSON.stringify({
              WaybillRoute: [
                { id: 'mix-1', mailno: tracking, acceptTime: formatBeijingTime(minutesAgo(1)), opCode: '50' },
                { id: 'mix-2', mailno: 'SF9999999999998', acceptTime: formatBeijingTime(new Date()), opCode: '80' },
              ],
            }),
          ),
        404,
        'unknown_tracking_number',
        'WaybillRoute.1.mailno',
      ],
      ['malformed body (not JSON)', () => postWebhook(deps, 'sf', '{"WaybillRoute": ['), 400, 'malformed_body', 'body'],
      ['malformed body (bad time)', () => postWebhook(deps, 'sf', JSON.stringify({ WaybillRoute: [{ id: 'm-1', mailno: tracking, acceptTime: '2026-13-01 08:00:00', opCode: '80' }] })), 400, 'malformed_body', 'WaybillRoute.0.acceptTime'],
      ['malformed body (no events)', () => postWebhook(deps, 'sim', simBody([])), 400, 'malformed_body', 'events'],
    ];

    it.each(cases)('%s', async (_name, post, status, code, field) => {
      const before = await snapshot(id);
      const res = await post();
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, field });
      expect(res.body.error!.message.length).toBeGreaterThan(0);
      expect(await snapshot(id)).toEqual(before);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ level: 'warn', message: 'carrier webhook refused', fields: { status, code, field } });
    });

    it('a replayed delivery (same signature) is refused; a re-signed retry is a harmless duplicate', async () => {
      const b = simBody([{ id: `${id}-replay`, trackingNumber: 'SIM0000000000', type: 'picked_up', at: minutesAgo(1) }]);
      // Use a simulated shipment so the sim adapter applies.
      const sim = await shipOrder(db(), carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: `SIM${String(Date.now()).slice(-10)}` });
      const good = b.replace('SIM0000000000', sim.trackingNumber);
      const headers = carriers.get('sim')!.sign(good, new Date());
      expect((await postWebhook(deps, 'sim', good, { headers })).status).toBe(200);
      const before = await snapshot(sim.id);
      const replay = await postWebhook(deps, 'sim', good, { headers });
      expect(replay).toMatchObject({ status: 401, body: { error: { code: 'replayed' } } });
      expect(await snapshot(sim.id)).toEqual(before);
      expect(logs.at(-1)).toMatchObject({ fields: { code: 'replayed', status: 401 } });
      const retry = await postWebhook(deps, 'sim', good, { signedAt: new Date(Date.now() + 1000) });
      expect(retry).toMatchObject({ status: 200, body: { applied: 0, duplicates: 1 } });
      expect((await snapshot(sim.id)).s).toEqual(before.s);
    });

    it('errors are answered in the caller’s language', async () => {
      const zh = await postWebhook(deps, 'sf', '{}', { headers: {} });
      const en = await postWebhook(deps, 'sf', '{}', { headers: { 'accept-language': 'en-US' } });
      expect(zh.body.error!.message).toContain('缺少');
      expect(en.body.error!.message).toMatch(/missing/i);
    });
  });

  it('a flood of duplicates changes nothing twice (sequential and concurrent)', async () => {
    const s = await shipOrder(db(), carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: `SIM${String(Date.now() + 1).slice(-10)}` });
    const one = simBody([{ id: `${s.id}-dup`, trackingNumber: s.trackingNumber, type: 'picked_up', at: minutesAgo(2) }]);
    // Each retry is signed at its own second (the same second would be the same signature: a replay).
    const base = Date.now();
    const results = [];
    for (let i = 0; i < 20; i += 1) results.push(await postWebhook(deps, 'sim', one, { signedAt: new Date(base - i * 1000) }));
    results.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => postWebhook(deps, 'sim', one, { signedAt: new Date(base - (30 + i) * 1000) })))));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(results.filter((r) => r.body.applied === 1)).toHaveLength(1);
    expect(results.filter((r) => r.body.duplicates === 1)).toHaveLength(39);
    expect(await events(s.id)).toHaveLength(1);
    const audit = await db().select().from(auditLog).where(eq(auditLog.entityId, s.id));
    expect(audit.filter((a) => a.action === 'shipment.state_changed')).toHaveLength(1);
  });

  it('out of order: a late in_transit after delivered is recorded, ignored as stale, state stays delivered', async () => {
    const s = await shipOrder(db(), carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: `SIM${String(Date.now() + 2).slice(-10)}` });
    const post = (id: string, type: 'picked_up' | 'in_transit' | 'delivered', at: Date) => postWebhook(deps, 'sim', simBody([{ id: `${s.id}-${id}`, trackingNumber: s.trackingNumber, type, at, ...(type === 'delivered' ? { pod: { signer: '王**', photoRef: 'sim://pod/1.jpg' } } : {}) }]));
    expect((await post('d', 'delivered', minutesAgo(1))).body).toMatchObject({ applied: 1 });
    const late = await post('t', 'in_transit', minutesAgo(30));
    expect(late.body).toMatchObject({ applied: 0, ignored: 1, results: [{ outcome: 'ignored', reason: 'stale' }] });
    expect((await post('p', 'picked_up', minutesAgo(60))).body).toMatchObject({ ignored: 1 });
    const row = await state(s.id);
    expect(row).toMatchObject({ state: 'delivered', podSigner: '王**', podPhotoRef: 'sim://pod/1.jpg', podCheck: 'signature' });
    const recorded = await events(s.id);
    expect(recorded).toHaveLength(3);
    expect(recorded.filter((e) => !e.applied).map((e) => e.ignoredReason)).toEqual(['stale', 'stale']);
  });

  it('cold chain: readings stored once, an excursion raises one alert per episode and a notification job', async () => {
    const s = await shipOrder(db(), carriers, seller.id, buyer.id, { carrier: 'sim', trackingNumber: `SIM${String(Date.now() + 3).slice(-10)}`, coldChain: true });
    const base = Date.now();
    const at = (m: number) => new Date(base - m * 60_000).toISOString();
    const first = simBody([{ id: `${s.id}-t1`, trackingNumber: s.trackingNumber, type: 'in_transit', at: minutesAgo(20), temperatures: [{ at: at(40), celsius: 4.2 }, { at: at(35), celsius: 9.5 }, { at: at(30), celsius: 11.1 }] }]);
    expect((await postWebhook(deps, 'sim', first)).status).toBe(200);
    // The same readings again (another event) are not stored twice; a later excursion within 30 min extends the episode.
    const second = simBody([{ id: `${s.id}-t2`, trackingNumber: s.trackingNumber, type: 'temperature', at: minutesAgo(10), temperatures: [{ at: at(30), celsius: 11.1 }, { at: at(12), celsius: 1.5 }] }]);
    expect((await postWebhook(deps, 'sim', second)).body).toMatchObject({ ignored: 1 });
    const readings = await db().select().from(shipmentTemperature).where(eq(shipmentTemperature.shipmentId, s.id));
    expect(readings.map((r) => [r.celsius, r.excursion]).sort()).toEqual([
      [1.5, true],
      [11.1, true],
      [4.2, false],
      [9.5, true],
    ]);
    const alerts = await db().select().from(shipmentAlert).where(eq(shipmentAlert.shipmentId, s.id));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'temperature_excursion', readings: 3, minCelsius: 1.5, maxCelsius: 11.1 });
    expect((await state(s.id)).hasExcursion).toBe(true);
    const jobs = await db().select().from(outboxEvent).where(eq(outboxEvent.job, 'shipments.notify'));
    expect(jobs.filter((j) => (j.payload as { alertId?: string }).alertId === alerts[0]!.id)).toHaveLength(1);
  });

  it('the audit chain still verifies', async () => {
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });
});
