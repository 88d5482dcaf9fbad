/**
 * Carrier webhook ingestion: N events (default 100,000; BENCH_SHIPMENT_EVENTS to change) for N/5.55
 * shipments, SF Express route pushes, one event per signed delivery, 10 % duplicates and 5 % out of
 * order, posted C at a time through the handler the route calls (signature, timestamp window, replay
 * check, dedupe by carrier event id, state machine, audit, alerts — one transaction each), on a fresh
 * database: PostgreSQL when DATABASE_URL is set, else PGlite in-process. Baseline in the same run: a
 * bare single-row insert of the same events (`insert … on conflict do nothing`, one transaction each,
 * same concurrency). Final states are checked against those the pure core expects.
 */
import { randomBytes } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { newId } from '../src/lib/ids.ts';
import { order, shipment, shipmentEvent } from '../src/server/db/schema/index.ts';
import { sqlRows } from '../src/server/db/client.ts';
import { verifyAuditChain } from '../src/server/domains/audit/audit.service.ts';
import { NEW_SHIPMENT_CURSOR, replayEvents, type CarrierStatusType } from '../src/server/domains/delivery/shipments.core.ts';
import { testCarriers } from '../src/server/domains/delivery/shipments.testkit.ts';
import { formatBeijingTime } from '../src/server/integrations/carriers/sf.adapter.ts';
import { handleCarrierWebhookRequest } from '../src/server/integrations/carriers/webhook.ts';
import { createTestApp } from '../src/server/testing/test-app.ts';
import { createTestOrg } from '../src/server/testing/test-orgs.ts';
import { prng as rng } from './lib/prng.ts';
import { percentile, writeReport, type BenchRow } from './lib/report.ts';

const TOTAL = Number(process.env.BENCH_SHIPMENT_EVENTS ?? 100_000);
const CONCURRENCY = 8;
const STREAM: { op: string; type: CarrierStatusType }[] = [
  { op: '50', type: 'picked_up' },
  { op: '31', type: 'in_transit' },
  { op: '31', type: 'in_transit' },
  { op: '44', type: 'out_for_delivery' },
  { op: '80', type: 'delivered' },
];

interface BenchEvent {
  id: string;
  shipment: number;
  tracking: string;
  op: string;
  type: CarrierStatusType;
  at: Date;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run posts the same stream. */
/** Unique events interleaved across shipments, 5 % held back behind later events, then 10 % duplicates re-sent later. */
function arrivalOrder(shipments: string[], random: () => number) {
  const unique = Math.round(TOTAL * 0.9);
  const base = Date.now() - 86_400_000;
  const cursors = shipments.map(() => 0);
  const open = shipments.map((_, i) => i);
  const ordered: BenchEvent[] = [];
  while (ordered.length < unique && open.length > 0) {
    const k = Math.floor(random() * open.length);
    const s = open[k]!;
    const step = cursors[s]!;
    const spec = STREAM[step]!;
    ordered.push({ id: `B${s}-${step}`, shipment: s, tracking: shipments[s]!, op: spec.op, type: spec.type, at: new Date(base + s * 1000 + step * 600_000) });
    cursors[s] = step + 1;
    if (step + 1 === STREAM.length) open.splice(k, 1);
  }
  // 5 % out of order: an event arrives 50–500 positions later than it was sent.
  const arrival = [...ordered];
  let late = 0;
  for (let i = arrival.length - 1; i >= 0 && late < Math.round(TOTAL * 0.05); i -= 1) {
    if (random() < 0.055) {
      const [e] = arrival.splice(i, 1);
      arrival.splice(Math.min(arrival.length, i + 50 + Math.floor(random() * 450)), 0, e!);
      late += 1;
    }
  }
  // 10 % duplicates: a delivered event re-sent later (a carrier retry).
  const dups = TOTAL - arrival.length;
  for (let d = 0; d < dups; d += 1) {
    const from = Math.floor(random() * arrival.length);
    arrival.splice(Math.min(arrival.length, from + 1 + Math.floor(random() * 2000)), 0, arrival[from]!);
  }
  return { ordered, arrival, late, dups };
}

async function run<T>(items: T[], task: (item: T) => Promise<void>) {
  const latencies = new Float64Array(items.length);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const s = performance.now();
        await task(items[i]!);
        latencies[i] = performance.now() - s;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort();
  return { seconds, perSecond: items.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export default async function shipmentsBench() {
  const app = await createTestApp();
  try {
    const db = app.handle.db;
    const carriers = testCarriers();
    const sf = carriers.get('sf')!;
    const seller = await createTestOrg(app, 'supplier', { tag: 'bench-shipper' });
    const buyer = await createTestOrg(app, 'hospital', { tag: 'bench-receiver' });
    const shipmentCount = Math.ceil((TOTAL * 0.9) / STREAM.length);

    // Setup (not measured): orders and shipments inserted in bulk.
    const trackings: string[] = [];
    const prefix = String(Date.now()).slice(-5);
    for (let i = 0; i < shipmentCount; i += 500) {
      const orders = [];
      const rows = [];
      for (let j = i; j < Math.min(shipmentCount, i + 500); j += 1) {
        const orderId = newId('ord');
        const tracking = `SF${prefix}${String(j).padStart(8, '0')}`;
        trackings.push(tracking);
        const key = `bench-${randomBytes(6).toString('hex')}`;
        orders.push({ id: orderId, buyerOrgId: buyer.id, sellerOrgId: seller.id, status: 'shipped', paymentMethod: 'bank_transfer', subtotalFen: 1, totalFen: 1, checkoutKey: key, idempotencyKey: key });
        rows.push({ id: newId('shp'), orderId, senderOrgId: seller.id, receiverOrgId: buyer.id, receiverName: '测试', carrier: 'sf', trackingNumber: tracking, parcels: 1, weightG: 1000, fromAddress: { name: 'a', address: 'a' }, toAddress: { name: 'b', address: 'b' } });
      }
      await db.insert(order).values(orders);
      await db.insert(shipment).values(rows);
    }
    const { ordered, arrival, late, dups } = arrivalOrder(trackings, rng(42));
    const bodies = arrival.map((e) => JSON.stringify({ requestId: e.id, WaybillRoute: [{ id: e.id, mailno: e.tracking, acceptTime: formatBeijingTime(e.at), acceptAddress: '杭州转运中心', opCode: e.op, remark: e.type }] }));

    // Ours: through the webhook handler (route body) and the database.
    const statuses = new Map<number, number>();
    const deps = { db, carriers, log: () => {} };
    const ours = await run(
      bodies.map((body, i) => ({ body, i })),
      async ({ body }) => {
        const res = await handleCarrierWebhookRequest(deps, new Request('http://localhost/api/webhooks/carriers/sf', { method: 'POST', headers: sf.sign(body, new Date()), body }), 'sf');
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        await res.arrayBuffer();
      },
    );

    // Baseline: the bare insert of the same events.
    await db.execute(sql`create table bench_bare_event (carrier text not null, carrier_event_id text not null, tracking_number text not null, event_at timestamptz not null, payload jsonb not null, primary key (carrier, carrier_event_id))`);
    const bare = await run(arrival, async (e) => {
      await db.transaction(async (tx) => {
        await tx.execute(sql`insert into bench_bare_event values ('sf', ${e.id}, ${e.tracking}, ${e.at.toISOString()}, ${JSON.stringify({ op: e.op })}::jsonb) on conflict do nothing`);
      });
    });

    // Checks: every shipment ends where the ordered stream ends (the pure core's answer), nothing twice.
    const expected = new Map<string, string>();
    const byShipment = new Map<number, BenchEvent[]>();
    for (const e of ordered) byShipment.set(e.shipment, [...(byShipment.get(e.shipment) ?? []), e]);
    for (const [s, events] of byShipment) expected.set(trackings[s]!, replayEvents(NEW_SHIPMENT_CURSOR, events.map((e) => ({ key: e.id, type: e.type, at: e.at, by: 'carrier' as const }))).cursor.state);
    const finals = await db.select({ tracking: shipment.trackingNumber, state: shipment.state }).from(shipment).where(eq(shipment.senderOrgId, seller.id));
    const mismatches = finals.filter((f) => expected.get(f.tracking) !== f.state).length;
    const [recorded] = await db.select({ n: count() }).from(shipmentEvent);
    const [ignored] = await sqlRows<{ n: string }>(db, sql`select count(*)::text as n from shipment_event where not applied`);
    const audit = await verifyAuditChain(db);

    const rows: BenchRow[] = [
      { variant: 'webhook handler → ingestion (sign check, dedupe, state machine, audit)', adapter: app.handle.kind, events: arrival.length, concurrency: CONCURRENCY, 'events/s': Math.round(ours.perSecond), 'p50 ms': ours.p50, 'p99 ms': ours.p99, 'wall s': ours.seconds, 'CPU s': ours.cpuSeconds },
      { variant: 'bare insert … on conflict do nothing (baseline)', adapter: app.handle.kind, events: arrival.length, concurrency: CONCURRENCY, 'events/s': Math.round(bare.perSecond), 'p50 ms': bare.p50, 'p99 ms': bare.p99, 'wall s': bare.seconds, 'CPU s': bare.cpuSeconds },
    ];
    writeReport({
      name: 'shipments',
      description: `Carrier webhook ingestion: ${arrival.length.toLocaleString('en-US')} SF route pushes (one event per signed delivery) for ${shipmentCount.toLocaleString('en-US')} shipments × 5 events, ${dups.toLocaleString('en-US')} duplicates (10 %), ${late.toLocaleString('en-US')} out of order (5 %), ${CONCURRENCY} at a time, against a bare single-row insert of the same events.`,
      rows,
      ratios: { 'webhook ingestion ÷ bare insert (events/s)': ours.perSecond / bare.perSecond },
      checks: {
        'HTTP statuses': [...statuses].map(([s, n]) => `${s}×${n}`).join(', '),
        'final states = ordered stream (pure core)': `${finals.length - mismatches}/${finals.length}`,
        'all delivered': finals.every((f) => f.state === 'delivered'),
        'events recorded once (unique events)': `${recorded!.n}/${ordered.length}`,
        'recorded but ignored (late)': Number(ignored!.n),
        'audit chain verifies': audit.ok,
      },
    });
  } finally {
    await app.close();
  }
}
