import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { sqlRows, type DbOrTx } from '../db/client.ts';
import { orgProfile } from '../db/schema/index.ts';
import { herbIdFor } from '../domains/catalog/herbs.seed.ts';
import { addMarketOrg } from '../domains/market/market.testkit.ts';
import { addLicence } from '../domains/orgs/orgs.service.ts';
import { listingInput, lotInput, productInput } from './catalog-inputs.ts';
import { sleep, type CallResult, type TrpcClient } from './crash-cluster.ts';
import type { TestApp } from './test-app.ts';

/**
 * What the crash tests share of the card-checkout flow: the parties a driver acts for, a checkout's
 * record, the cart helpers (over HTTP, through the resending client), and the checks of orders,
 * payments, stock and the outbox, read from the tables once the processes are stopped. Used by
 * crash-safety.test.ts (PostgreSQL, replicas and BullMQ workers) and embedded-crash.test.ts (PGlite,
 * one `next start` running its own jobs).
 */

/** An organisation as the driver acts for it: its id, its requests' headers (API key) and an in-process caller for seeding. */
export interface Party {
  id: string;
  /** The organisation's owner (a user without a password: the requests carry the API key). */
  userId: string;
  headers: Headers;
  api: Awaited<ReturnType<TestApp['caller']>>;
}

export interface Seller extends Party {
  lotId: string;
  listingId: string;
}

export interface CheckoutRecord {
  buyerOrgId: string;
  key: string;
  /** The sellers in the cart when checkout was sent (one order each). */
  sellers: string[];
  result: CallResult<{ replayed: boolean; orders: { id: string }[] }> | null;
  cancelled: boolean;
  payAcked: boolean;
  shipped: Set<string>;
}

export type PartyKind = 'supplier' | 'pharmacy' | 'hospital' | 'alliance' | 'grower';

/**
 * An approved organisation written directly (the seeding is not under test), with its licence and an
 * API key its requests carry (no password hashing: it keeps a two-core budget), optionally at `at`.
 */
export async function addParty(app: TestApp, kind: PartyKind, at?: { lat: number; lng: number }): Promise<Party> {
  const db = app.handle.db;
  const actor = await addMarketOrg(db, kind);
  const orgId = actor.orgId!;
  if (at) await db.update(orgProfile).set(at).where(eq(orgProfile.orgId, orgId));
  const type = kind === 'supplier' ? 'drug_manufacturing' : kind === 'pharmacy' ? 'drug_distribution' : kind === 'hospital' ? 'medical_institution' : null;
  if (type) await addLicence(db, { userId: actor.userId, orgId }, { type, number: `LIC-${orgId}`, scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01' });
  const { key } = await app.auth.api.createApiKey({ body: { name: 'crash-safety', organizationId: orgId, userId: actor.userId! } });
  const headers = new Headers({ authorization: `Bearer ${key}` });
  return { id: orgId, userId: actor.userId!, headers, api: await app.caller(headers) };
}

/** A supplier with a lot of `lotG` grams of 黄芪 and an active listing of it (¥65.00/kg from 5 kg). */
export async function addSeller(app: TestApp, batchTag: string, lotG: number): Promise<Seller> {
  const org = await addParty(app, 'supplier');
  const product = await org.api.catalog.createProduct({ ...productInput, herbId: herbIdFor('黄芪') });
  const lot = await org.api.catalog.createLot({ ...lotInput(`${batchTag}-${randomBytes(3).toString('hex')}`, lotG), productId: product.id });
  const listing = await org.api.catalog.createListing({ ...listingInput(lot.id), tiers: [{ minG: 5000, priceFenPerKg: 6500 }], deliveryRegions: ['330106'] });
  await org.api.catalog.setListingStatus({ id: listing.id, status: 'active' });
  return { ...org, lotId: lot.id, listingId: listing.id };
}

/**
 * Keyless state changes (accept, ship, review, …): `step` is answered, or refused after a cut attempt
 * that `reached` shows already applied it (counted); anything else is a violation.
 */
export function keylessSteps(client: TrpcClient, violations: string[]) {
  let applied = 0;
  return {
    async step(pathName: string, input: unknown, headers: Headers, reached: () => Promise<boolean>): Promise<boolean> {
      const res = await client.call(pathName, input, headers);
      if (res.ok) return true;
      if (res.code !== 'UNANSWERED' && res.attempts > 1 && (await reached())) {
        applied += 1;
        return true;
      }
      violations.push(`${pathName} ${JSON.stringify(input)}: ${res.code}/${res.appCode ?? '-'} ${res.message} (after ${res.attempts} attempt(s))`);
      return false;
    },
    /** Steps refused because their cut attempt had already applied them. */
    get appliedByCutAttempt() {
      return applied;
    },
  };
}

type CartView = { sellers: { sellerOrgId: string; lines: { id: string; listingId: string; grams: number }[] }[] };

export async function readCart(client: TrpcClient, buyer: Party): Promise<CartView['sellers'][number]['lines'] | null> {
  const res = await client.call<CartView>('orders.cart', undefined, buyer.headers, 'query');
  return res.ok ? res.data.sellers.flatMap((s) => s.lines) : null;
}

/** Makes the cart hold exactly `wanted` (re-reading it, so a resent add that doubled a line is corrected). */
export async function prepareCart(client: TrpcClient, buyer: Party, wanted: { listingId: string; grams: number }[]): Promise<boolean> {
  for (let tries = 0; tries < 5; tries += 1) {
    const lines = await readCart(client, buyer);
    if (!lines) return false;
    const matches = lines.length === wanted.length && wanted.every((w) => lines.some((l) => l.listingId === w.listingId && l.grams === w.grams));
    if (matches) return true;
    for (const line of lines) if (!wanted.some((w) => w.listingId === line.listingId)) await client.call('orders.removeCartItem', { id: line.id }, buyer.headers);
    for (const w of wanted) {
      const line = lines.find((l) => l.listingId === w.listingId);
      if (line && line.grams === w.grams) continue;
      const res = line ? await client.call('orders.updateCartItem', { id: line.id, grams: w.grams }, buyer.headers) : await client.call('orders.addToCart', w, buyer.headers);
      // Not that much left on the listing: this round orders nothing.
      if (!res.ok && res.appCode === 'VALIDATION' && res.attempts === 1) return false;
    }
  }
  return false;
}

export async function clearCart(client: TrpcClient, buyer: Party): Promise<void> {
  for (let tries = 0; tries < 5; tries += 1) {
    const lines = await readCart(client, buyer);
    if (!lines || lines.length === 0) return;
    for (const line of lines) await client.call('orders.removeCartItem', { id: line.id }, buyer.headers);
  }
}

/**
 * One round of a buyer's checkout loop: fills the cart from one or two of `sellers` at random (1–4 kg
 * each), checks out by card with `key`, and records the checkout in `checkouts`. Answers the record and
 * the orders' ids, or null when nothing was ordered this round (the listings ran short, or out of
 * stock at checkout — an answer, nothing written; any other refusal is a violation); the cart is then
 * emptied.
 */
export async function checkoutRound(
  client: TrpcClient,
  buyer: Party,
  sellers: readonly Seller[],
  rand: () => number,
  key: string,
  checkouts: CheckoutRecord[],
  violations: string[],
): Promise<{ rec: CheckoutRecord; ids: string[]; replayed: boolean } | null> {
  const picks = [...sellers].sort(() => rand() - 0.5).slice(0, rand() < 0.5 ? 1 : 2);
  const wanted = picks.map((s) => ({ listingId: s.listingId, grams: 1000 * (1 + Math.floor(rand() * 4)) }));
  if (!(await prepareCart(client, buyer, wanted))) {
    await clearCart(client, buyer);
    await sleep(300);
    return null;
  }
  const rec: CheckoutRecord = { buyerOrgId: buyer.id, key, sellers: picks.map((s) => s.id).sort(), result: null, cancelled: false, payAcked: false, shipped: new Set() };
  checkouts.push(rec);
  const res = await client.call<{ replayed: boolean; orders: { id: string }[] }>('orders.checkout', { idempotencyKey: key, paymentMethod: 'card' }, buyer.headers);
  rec.result = res;
  if (!res.ok) {
    if (res.appCode !== 'CONFLICT') violations.push(`checkout ${key}: ${res.code}/${res.appCode ?? '-'} ${res.message}`);
    await clearCart(client, buyer);
    return null;
  }
  return { rec, ids: res.data.orders.map((o) => o.id), replayed: res.data.replayed };
}

export type OrderRow = {
  id: string;
  source: string;
  buyer_org_id: string;
  seller_org_id: string;
  checkout_key: string;
  status: string;
  payment_status: string;
  payment_attempt: number;
  payment_intent_id: string | null;
  total_fen: number;
  captured_fen: number;
};

export type ReservationRow = {
  id: string;
  lot_id: string;
  grams: number;
  status: string;
};

/** Outbox rows that failed, or are due and still not delivered. */
export async function outboxProblems(db: DbOrTx): Promise<string[]> {
  const problems: string[] = [];
  for (const r of await sqlRows<{ id: string; job: string; attempts: number; last_error: string | null }>(db, sql`select id, job, attempts, last_error from outbox_event where status = 'failed'`)) {
    problems.push(`outbox ${r.job} ${r.id} failed after ${r.attempts} attempts: ${r.last_error}`);
  }
  for (const r of await sqlRows<{ id: string; job: string; status: string }>(db, sql`select id, job, status from outbox_event where status in ('pending', 'dispatched') and run_at <= now() - interval '2 seconds'`)) {
    problems.push(`outbox ${r.job} ${r.id} stuck ${r.status}`);
  }
  return problems;
}

/**
 * Orders, payments and stock after a crash run, pushed to `violations`: exactly the checkouts' orders
 * (each acknowledged answer the one stored, nothing for a refused one), every paid-for order authorised and
 * every shipped one captured, one sandbox intent per payment attempt and one capture per captured order,
 * every payment event delivered once; each held reservation backs one live order line, and each of
 * `lotIds` (seeded with `lotG` grams) reserves exactly its held grams. Answers the rows it read.
 */
export async function checkCheckouts(db: DbOrTx, checkouts: readonly CheckoutRecord[], lotIds: readonly string[], lotG: number, violations: string[]): Promise<{ orders: OrderRow[]; reservations: ReservationRow[]; captured: number }> {
  // Orders: exactly the checkouts' orders, each acknowledged answer the one stored.
  const orders = await sqlRows<OrderRow>(db, sql`select id, source, buyer_org_id, seller_org_id, checkout_key, status, payment_status, payment_attempt, payment_intent_id, total_fen, captured_fen from "order"`);
  const byCheckout = new Map<string, OrderRow[]>();
  for (const o of orders) if (o.source === 'cart') byCheckout.set(`${o.buyer_org_id}|${o.checkout_key}`, [...(byCheckout.get(`${o.buyer_org_id}|${o.checkout_key}`) ?? []), o]);
  const sentCheckouts = new Set(checkouts.map((c) => `${c.buyerOrgId}|${c.key}`));
  for (const k of byCheckout.keys()) if (!sentCheckouts.has(k)) violations.push(`orders of checkout ${k} that was never sent`);
  for (const c of checkouts) {
    const rows = byCheckout.get(`${c.buyerOrgId}|${c.key}`) ?? [];
    const sellersOf = rows.map((r) => r.seller_org_id).sort();
    if (c.result?.ok) {
      const answered = c.result.data.orders.map((o) => o.id).sort();
      if (JSON.stringify(answered) !== JSON.stringify(rows.map((r) => r.id).sort())) violations.push(`checkout ${c.key}: answered ${answered.join(',')}, stored ${rows.map((r) => r.id).join(',')}`);
      if (JSON.stringify(sellersOf) !== JSON.stringify(c.sellers)) violations.push(`checkout ${c.key}: orders for sellers ${sellersOf.join(',')}, cart had ${c.sellers.join(',')}`);
    } else if (c.result && c.result.code !== 'UNANSWERED' && rows.length > 0) violations.push(`checkout ${c.key} was refused (${c.result.appCode ?? c.result.code}) but wrote ${rows.length} order(s)`);
    else if (rows.length > 0 && JSON.stringify(sellersOf) !== JSON.stringify(c.sellers)) violations.push(`unanswered checkout ${c.key}: orders for sellers ${sellersOf.join(',')}, cart had ${c.sellers.join(',')}`);
    for (const r of rows) {
      if (c.payAcked && !c.cancelled && (r.status === 'pending_payment' || r.status === 'payment_failed')) violations.push(`order ${r.id}: paid for, still ${r.status} (attempt ${r.payment_attempt}): authorisation lost`);
    }
    for (const id of c.shipped) {
      const r = rows.find((x) => x.id === id);
      if (!r || r.captured_fen !== r.total_fen || r.payment_status !== 'captured') violations.push(`order ${id}: shipped but captured ${r?.captured_fen ?? '?'} of ${r?.total_fen ?? '?'} fen (${r?.payment_status ?? 'missing'}): capture lost`);
    }
  }

  // Payments: one sandbox intent per payment attempt, one capture per captured order, every event delivered once.
  const intents = await sqlRows<{ id: string; order_id: string | null; attempt: string | null; status: string; amount: number; amount_received: number }>(
    db,
    sql`select id, metadata->>'order_id' as order_id, metadata->>'attempt' as attempt, status, amount, amount_received from payment_sandbox_intent`,
  );
  const intentsByOrder = new Map<string, typeof intents>();
  for (const i of intents) if (i.order_id) intentsByOrder.set(i.order_id, [...(intentsByOrder.get(i.order_id) ?? []), i]);
  const captureEvents = new Map<string, number>();
  for (const r of await sqlRows<{ order_id: string; n: number }>(db, sql`select order_id, count(*)::int as n from order_event where data->>'payment' = 'captured' group by order_id`)) captureEvents.set(r.order_id, r.n);
  const succeededEvents = new Map<string, number>();
  for (const r of await sqlRows<{ object_id: string; n: number }>(db, sql`select object_id, count(*)::int as n from payment_sandbox_event where type = 'payment_intent.succeeded' group by object_id`)) succeededEvents.set(r.object_id, r.n);
  let captured = 0;
  for (const o of orders) {
    const list = intentsByOrder.get(o.id) ?? [];
    const attempts = list.map((i) => Number(i.attempt)).sort((a, b) => a - b);
    if (JSON.stringify(attempts) !== JSON.stringify(Array.from({ length: o.payment_attempt }, (_, i) => i + 1))) {
      violations.push(`order ${o.id}: ${o.payment_attempt} payment attempt(s), sandbox intents for attempts [${attempts.join(',')}]`);
    }
    const current = list.find((i) => Number(i.attempt) === o.payment_attempt);
    if (o.payment_intent_id && current && o.payment_intent_id !== current.id) violations.push(`order ${o.id}: payment intent ${o.payment_intent_id}, latest attempt's is ${current.id}`);
    const succeeded = list.reduce((n, i) => n + (succeededEvents.get(i.id) ?? 0), 0);
    if (o.captured_fen > 0) {
      captured += 1;
      if (captureEvents.get(o.id) !== 1) violations.push(`order ${o.id}: ${captureEvents.get(o.id) ?? 0} capture events`);
      if (succeeded !== 1 || current?.status !== 'succeeded' || current.amount_received !== o.total_fen) violations.push(`order ${o.id}: captured ${o.captured_fen} fen, sandbox ${current?.status ?? 'no intent'} received ${current?.amount_received ?? 0}, ${succeeded} succeeded event(s)`);
    } else if (succeeded > 0 || (captureEvents.get(o.id) ?? 0) > 0) violations.push(`order ${o.id}: not captured, but ${succeeded} succeeded sandbox event(s)`);
    if (o.status === 'delivered' && o.captured_fen > 0) violations.push(`order ${o.id}: delivered and captured but not completed`);
    if (['shipped', 'delivered', 'completed'].includes(o.status) && o.captured_fen !== o.total_fen) violations.push(`order ${o.id}: ${o.status} with ${o.captured_fen} of ${o.total_fen} fen captured`);
  }
  const [events] = await sqlRows<{ total: number; undelivered: number; unrecorded: number }>(
    db,
    sql`select count(*)::int as total, count(*) filter (where e.delivered_at is null)::int as undelivered, count(*) filter (where w.id is null)::int as unrecorded
        from payment_sandbox_event e left join payment_webhook_event w on w.id = e.id`,
  );
  const [webhooks] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from payment_webhook_event`);
  if (events!.undelivered > 0 || events!.unrecorded > 0) violations.push(`payment events: ${events!.undelivered} of ${events!.total} undelivered, ${events!.unrecorded} not recorded by the webhook`);
  if (webhooks!.n !== events!.total) violations.push(`payment webhook recorded ${webhooks!.n} events, the sandbox emitted ${events!.total}`);

  // Stock: each held reservation backs exactly one live order line; a lot reserves exactly its held grams.
  const lines = await sqlRows<{ order_id: string; reservation_id: string | null; grams: number; lot_id: string | null }>(db, sql`select order_id, reservation_id, grams, lot_id from order_line`);
  const reservations = await sqlRows<ReservationRow>(db, sql`select id, lot_id, grams, status from stock_reservation`);
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const lineOfReservation = new Map<string, number>();
  for (const l of lines) {
    const o = orderById.get(l.order_id)!;
    const r = reservations.find((x) => x.id === l.reservation_id);
    if (!r) {
      violations.push(`order ${l.order_id}: a line without its reservation`);
      continue;
    }
    lineOfReservation.set(r.id, (lineOfReservation.get(r.id) ?? 0) + 1);
    const live = !['cancelled', 'rejected'].includes(o.status);
    if (r.grams !== l.grams || r.lot_id !== l.lot_id || r.status !== (live ? 'held' : 'released')) violations.push(`order ${o.id} (${o.status}): reservation ${r.id} is ${r.status}, ${r.grams} g of ${r.lot_id}; line ${l.grams} g of ${l.lot_id}`);
  }
  for (const r of reservations) if (lineOfReservation.get(r.id) !== 1) violations.push(`reservation ${r.id} (${r.status}, ${r.grams} g) backs ${lineOfReservation.get(r.id) ?? 0} order lines`);
  const lots = await sqlRows<{ id: string; quantity_g: number; reserved_g: number }>(db, sql`select id, quantity_g, reserved_g from lot where id in ${lotIds}`);
  for (const l of lots) {
    const held = reservations.filter((r) => r.lot_id === l.id && r.status === 'held').reduce((n, r) => n + r.grams, 0);
    if (l.quantity_g !== lotG || l.reserved_g !== held) violations.push(`lot ${l.id}: quantity ${l.quantity_g} g (seeded ${lotG}), reserved ${l.reserved_g} g, held reservations ${held} g`);
  }
  return { orders, reservations, captured };
}
