import { and, eq } from 'drizzle-orm';
import { kgText, yuanText } from '../../../lib/amount-text.ts';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { cartItem, order, orderLine, orderRefund } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appCarriers } from '../../integrations/carriers/carriers.ts';
import { MAX_PAYMENT_FEN } from '../../integrations/payments/payments.port.ts';
import { quoteFen } from '../catalog/listings.core.ts';
import { createShipmentForOrder } from '../delivery/shipments.service.ts';
import { findVisibleListing } from '../catalog/listings.repo.ts';
import { lockLots } from '../catalog/lots.repo.ts';
import { reserveStock } from '../catalog/lots.service.ts';
import { assertMayTrade } from '../orgs/orgs.service.ts';
import { buyerMayCancel, isOnlineMethod, orderTotals, paymentWindowMs, planRefund, REFUNDABLE_STATUSES, type OrderActorRole, type OrderStatus, type PaymentMethod } from './orders.core.ts';
import { callOffOfOrder } from './call-off.repo.ts';
import { allocateCallOffLot, lotChoicesFor } from './call-off.stock.ts';
import { assertCreditFor, invoiceOf, issueInvoice } from './credit.service.ts';
import { lockBuyerTerms } from './credit.repo.ts';
import { authorizePaymentJob, capturePaymentJob, expireUnpaidJob, refundPaymentJob } from './orders.jobs.ts';
import { applyRefunded, releasePayment } from './orders.payments.ts';
import { includedTaxFen, taxLines, taxRateBp } from './tax.core.ts';
import * as repo from './orders.repo.ts';
import type { OrderRow } from './orders.repo.ts';
import type { AddToCartInput, CheckoutInput, MyOrdersInput, RefundInput, ShipOrderInput, UpdateCartItemInput } from './orders.schemas.ts';
import { lockOrderStock, moveOrder, nested, recordEvent, releaseOrderStock, SYSTEM, type OrderMover } from './orders.transitions.ts';

/** The caller: a user (or API key, userId null) acting for an organisation. */
export interface OrderActor {
  userId: string | null;
  orgId: string;
}

// ---------------------------------------------------------------------------------------------------
// Cart

async function assertCartQuantity(db: DbOrTx, buyerOrgId: string, listingId: string, grams: number, field = 'grams') {
  if (!Number.isSafeInteger(grams) || grams <= 0) throw new AppError('VALIDATION', msg('field.positiveGrams'), { field });
  const offer = await findVisibleListing(db, buyerOrgId, listingId);
  if (!offer) throw new AppError('NOT_FOUND', msg('catalog.listingNotFound'), { field: 'listingId' });
  if (offer.sellerOrgId === buyerOrgId) throw new AppError('BAD_REQUEST', msg('catalog.ownListing'), { field: 'listingId' });
  if (offer.status !== 'active' && offer.status !== 'sold_out') throw new AppError('NOT_FOUND', msg('catalog.listingNotFound'), { field: 'listingId' });
  if (grams < offer.minOrderG) throw new AppError('VALIDATION', msg('catalog.belowMinOrder', { min: kgText(offer.minOrderG) }), { field });
  const available = offer.quantityG - offer.reservedG;
  if (grams > available) throw new AppError('VALIDATION', msg('orders.aboveStock', { available: kgText(available) }), { field, available });
  return offer;
}

/** Puts `grams` of a listing in the cart (added to what is there already). */
export async function addToCart(db: Db, actor: OrderActor, input: AddToCartInput) {
  const existing = await repo.findCartItemByListing(db, actor.orgId, input.listingId);
  const grams = (existing?.grams ?? 0) + input.grams;
  await assertCartQuantity(db, actor.orgId, input.listingId, grams);
  if (existing) {
    await db.update(cartItem).set({ grams, updatedAt: new Date() }).where(eq(cartItem.id, existing.id));
    return { id: existing.id, grams };
  }
  const id = newId('cit');
  await db
    .insert(cartItem)
    .values({ id, buyerOrgId: actor.orgId, listingId: input.listingId, grams })
    .onConflictDoUpdate({ target: [cartItem.buyerOrgId, cartItem.listingId], set: { grams, updatedAt: new Date() } });
  const row = await repo.findCartItemByListing(db, actor.orgId, input.listingId);
  return { id: row?.id ?? id, grams };
}

export async function updateCartItem(db: Db, actor: OrderActor, input: UpdateCartItemInput) {
  const item = await repo.findOwnCartItem(db, actor.orgId, input.id);
  if (!item) throw new AppError('NOT_FOUND', msg('orders.cartItemNotFound'), { field: 'id' });
  await assertCartQuantity(db, actor.orgId, item.listingId, input.grams);
  await db.update(cartItem).set({ grams: input.grams, updatedAt: new Date() }).where(eq(cartItem.id, item.id));
  return { id: item.id, grams: input.grams };
}

export async function removeCartItem(db: Db, actor: OrderActor, input: { id: string }) {
  const item = await repo.findOwnCartItem(db, actor.orgId, input.id);
  if (!item) throw new AppError('NOT_FOUND', msg('orders.cartItemNotFound'), { field: 'id' });
  await repo.deleteCartItems(db, actor.orgId, [item.id]);
  return { id: item.id };
}

/** The cart grouped by seller, priced with the listings' current tiers (integer fen). */
export async function getCart(db: DbOrTx, actor: OrderActor) {
  const rows = await repo.cartRows(db, actor.orgId);
  const sellers = new Map<string, { sellerOrgId: string; sellerName: string; lines: ReturnType<typeof cartLine>[]; totalFen: number }>();
  for (const row of rows) {
    const line = cartLine(row);
    const group = sellers.get(row.sellerOrgId) ?? { sellerOrgId: row.sellerOrgId, sellerName: row.sellerName, lines: [], totalFen: 0 };
    group.lines.push(line);
    group.totalFen = orderTotals(group.lines.map((l) => ({ grams: l.grams, priceFenPerKg: l.unitPriceFenPerKg }))).totalFen;
    sellers.set(row.sellerOrgId, group);
  }
  const groups = [...sellers.values()];
  return { sellers: groups, totalFen: groups.reduce((sum, g) => sum + g.totalFen, 0), itemCount: rows.length };
}

function cartLine(row: repo.CartRow) {
  const quote = quoteFen(row.priceFenPerKg, row.tiers, row.grams);
  const availableG = row.quantityG - row.reservedG;
  return {
    id: row.id,
    listingId: row.listingId,
    productName: row.productName,
    grams: row.grams,
    minOrderG: row.minOrderG,
    availableG,
    onSale: row.listingStatus === 'active',
    basePriceFenPerKg: row.priceFenPerKg,
    tiers: row.tiers,
    unitPriceFenPerKg: quote.unitPriceFenPerKg,
    lineTotalFen: quote.totalFen,
  };
}

// ---------------------------------------------------------------------------------------------------
// Checkout

/**
 * The key's orders are already there. Also how a concurrent checkout with the same key ends: its insert
 * waits for the first to commit, then ON CONFLICT DO NOTHING inserts nothing (no unique violation).
 */
class ReplayCheckout extends Error {}

function summary(rows: OrderRow[], replayed: boolean) {
  return {
    replayed,
    checkoutKey: rows[0]?.checkoutKey ?? null,
    paymentMethod: rows[0]?.paymentMethod ?? null,
    orders: rows.map((o) => ({ id: o.id, sellerOrgId: o.sellerOrgId, status: o.status, totalFen: o.totalFen, taxFen: o.taxFen })),
  };
}

/**
 * Turns the cart into one order per seller, all in one transaction: each line reserves its stock
 * (`reserveStock`, key `<orderId>:<lineNo>`), totals are the reservations' tier-priced lines, each
 * order gets its creation event, audit entry and an `orders.authorize-payment` job. A stock conflict
 * rolls everything back (nothing half-written, the cart stays). The same key answers the first result.
 */
export async function checkout(db: Db, actor: OrderActor, input: CheckoutInput) {
  const key = input.idempotencyKey.trim();
  const paymentMethod = input.paymentMethod ?? 'card';
  const earlier = await repo.ordersOfCheckout(db, actor.orgId, key);
  if (earlier.length > 0) return summary(earlier, true);
  await assertMayTrade(db, actor.orgId);
  const rows = await repo.cartRows(db, actor.orgId);
  if (rows.length === 0) {
    // A double submit whose twin committed since the look-up above emptied the cart: answer its orders.
    const twin = await repo.ordersOfCheckout(db, actor.orgId, key);
    if (twin.length > 0) return summary(twin, true);
    throw new AppError('BAD_REQUEST', msg('orders.cartEmpty'), { field: 'cart' });
  }
  const bySeller = new Map<string, { row: repo.CartRow; index: number }[]>();
  rows.forEach((row, index) => bySeller.set(row.sellerOrgId, [...(bySeller.get(row.sellerOrgId) ?? []), { row, index }]));
  try {
    const created = await db.transaction(async (tx) => {
      // Terms before stock, as the market writer locks them: a net-terms checkout and a market batch never wait on each other in a cycle.
      if (paymentMethod === 'net_terms') await lockBuyerTerms(tx, actor.orgId);
      // Then every lot, by id (as the market writer does): reserving line by line after audit entries would deadlock (lockLots).
      await lockLots(tx, rows.map((r) => r.lotId));
      const orders: OrderRow[] = [];
      for (const [sellerOrgId, items] of bySeller) {
        const orderId = newId('ord');
        const now = new Date();
        const [inserted] = await tx
          .insert(order)
          .values({
            id: orderId,
            buyerOrgId: actor.orgId,
            sellerOrgId,
            status: 'pending_payment',
            paymentMethod,
            paymentStatus: paymentMethod === 'bank_transfer' ? 'awaiting_transfer' : 'none',
            subtotalFen: 0,
            shippingFen: 0,
            totalFen: 0,
            checkoutKey: key,
            idempotencyKey: `${key}:${sellerOrgId}`,
            placedByUserId: actor.userId,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing({ target: [order.buyerOrgId, order.idempotencyKey] })
          .returning();
        // A concurrent twin with the same key committed first: answer its result.
        if (!inserted) throw new ReplayCheckout();
        const priced: { grams: number; priceFenPerKg: number }[] = [];
        let taxFen = 0;
        for (const [n, { row, index }] of items.entries()) {
          const lineNo = n + 1;
          const reservationKey = `${orderId}:${lineNo}`;
          let reservation;
          try {
            reservation = await reserveStock(nested(tx), { listingId: row.listingId, grams: row.grams, buyerOrgId: actor.orgId, idempotencyKey: reservationKey, actorUserId: actor.userId });
          } catch (error) {
            throw checkoutLineError(error, row, index);
          }
          priced.push({ grams: reservation.grams, priceFenPerKg: reservation.unitPriceFenPerKg });
          const rateBp = taxRateBp(row.productForm, row.sellerKind ?? '');
          const lineTaxFen = includedTaxFen(reservation.totalFen, rateBp);
          taxFen += lineTaxFen;
          await tx.insert(orderLine).values({
            id: newId('oln'),
            orderId,
            lineNo,
            listingId: row.listingId,
            lotId: reservation.lotId,
            productName: row.productName,
            grams: reservation.grams,
            priceFenPerKg: reservation.unitPriceFenPerKg,
            lineTotalFen: reservation.totalFen,
            taxRateBp: rateBp,
            taxFen: lineTaxFen,
            reservationId: reservation.reservationId,
            reservationKey,
          });
        }
        const totals = orderTotals(priced, 0);
        const [withTotals] = await tx
          .update(order)
          .set({ subtotalFen: totals.subtotalFen, shippingFen: totals.shippingFen, totalFen: totals.totalFen, taxFen })
          .where(eq(order.id, orderId))
          .returning();
        let row = withTotals ?? inserted;
        await recordEvent(tx, row, {
          from: null,
          to: 'pending_payment',
          mover: { role: 'buyer', userId: actor.userId, orgId: actor.orgId },
          data: { checkoutKey: key, totalFen: totals.totalFen, lines: totals.lines.length, paymentMethod },
          at: now,
        });
        row = await startPayment(tx, row, items[0]!.row.sellerName, now);
        orders.push(row);
      }
      await repo.deleteCartItems(
        tx,
        actor.orgId,
        rows.map((r) => r.id),
      );
      return orders;
    });
    return summary(created, false);
  } catch (error) {
    if (error instanceof ReplayCheckout) return summary(await repo.ordersOfCheckout(db, actor.orgId, key), true);
    throw error;
  }
}

/**
 * After an order is written: net terms move it to paid at once within the seller's credit line (the
 * line locked; refused naming `paymentMethod` otherwise); card, wallets and bank transfer
 * wait for payment (checkout page, or the seller reconciling a transfer) until the payment window
 * closes (`orders.expire-unpaid`).
 */
async function startPayment(tx: Tx, row: OrderRow, sellerName: string, now: Date): Promise<OrderRow> {
  if (isOnlineMethod(row.paymentMethod) && row.totalFen > MAX_PAYMENT_FEN) {
    // The payment service would refuse the authorisation, and the order would wait unpaid until its window closed.
    throw new AppError('VALIDATION', msg('pay.overOnlineLimit', { max: yuanText(MAX_PAYMENT_FEN), total: yuanText(row.totalFen) }), { field: 'paymentMethod' });
  }
  if (row.paymentMethod === 'net_terms') {
    const line = await assertCreditFor(tx, { sellerOrgId: row.sellerOrgId, sellerName, buyerOrgId: row.buyerOrgId, totalFen: row.totalFen });
    return moveOrder(tx, row, 'paid', SYSTEM, { set: { paymentStatus: 'on_terms' }, data: { payment: 'net_terms', termDays: line.termDays, limitFen: line.limitFen } });
  }
  await enqueue(tx, expireUnpaidJob, { orderId: row.id }, { runAt: new Date(now.getTime() + paymentWindowMs(row.paymentMethod)), dedupeKey: `orders.expire-unpaid:${row.id}` });
  return row;
}

export interface ContractOrderInput {
  /** What the order carries out: a tender call-off or a spot market trade. */
  source: 'call_off' | 'market';
  /** The call-off (source = call_off), else null. */
  callOffId: string | null;
  sellerOrgId: string;
  sellerName: string;
  paymentMethod: PaymentMethod;
  /** The checkout page's key for this order (online methods pay there). */
  checkoutKey: string;
  idempotencyKey: string;
  /** `stock`: the lot and held reservation already taken for the buyer (a market trade); absent: the seller allocates a lot at acceptance. */
  line: { productName: string; grams: number; priceFenPerKg: number; form: string | null; stock?: { lotId: string; reservationId: string; reservationKey: string } };
  /**
   * How payment starts (default: as a checkout's). `backed_on_terms`: net terms checked when the market buy
   * order was placed — the trade is binding, so the limit is not checked again. `authorise_with`: authorise
   * the order now with the buyer's payment method (the one its market buy order was funded with).
   */
  payment?: { kind: 'backed_on_terms' } | { kind: 'authorise_with'; paymentMethod: string };
}

/**
 * An order at an agreed price (a framework contract's or a market trade's) rather than a listing's,
 * written in the caller's transaction: one line — without a lot for a call-off (the seller allocates
 * one when it accepts), with the held reservation for a trade — VAT as every order (tax.core.ts, by the
 * product form and the seller's kind), the creation event and audit entry, then payment starts. From
 * here it is an ordinary order.
 */
export async function createContractOrder(tx: Tx, actor: OrderActor, input: ContractOrderInput): Promise<OrderRow> {
  const now = new Date();
  const orderId = newId('ord');
  const totals = orderTotals([{ grams: input.line.grams, priceFenPerKg: input.line.priceFenPerKg }], 0);
  const lineTotal = totals.lines[0]!.lineTotalFen;
  const rateBp = taxRateBp(input.line.form ?? 'unknown', (await repo.orgKind(tx, input.sellerOrgId)) ?? '');
  const taxFen = includedTaxFen(lineTotal, rateBp);
  const [inserted] = await tx
    .insert(order)
    .values({
      id: orderId,
      buyerOrgId: actor.orgId,
      sellerOrgId: input.sellerOrgId,
      status: 'pending_payment',
      paymentMethod: input.paymentMethod,
      paymentStatus: input.paymentMethod === 'bank_transfer' ? 'awaiting_transfer' : 'none',
      subtotalFen: totals.subtotalFen,
      shippingFen: totals.shippingFen,
      totalFen: totals.totalFen,
      taxFen,
      checkoutKey: input.checkoutKey,
      idempotencyKey: input.idempotencyKey,
      source: input.source,
      callOffId: input.callOffId,
      placedByUserId: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const row = inserted!;
  await tx.insert(orderLine).values({
    id: newId('oln'),
    orderId,
    lineNo: 1,
    listingId: null,
    lotId: input.line.stock?.lotId ?? null,
    productName: input.line.productName,
    grams: input.line.grams,
    priceFenPerKg: input.line.priceFenPerKg,
    lineTotalFen: lineTotal,
    taxRateBp: rateBp,
    taxFen,
    reservationId: input.line.stock?.reservationId ?? null,
    reservationKey: input.line.stock?.reservationKey ?? null,
  });
  await recordEvent(tx, row, {
    from: null,
    to: 'pending_payment',
    mover: { role: 'buyer', userId: actor.userId, orgId: actor.orgId },
    data: { source: input.source, callOffId: input.callOffId, totalFen: totals.totalFen, lines: 1, paymentMethod: input.paymentMethod },
    at: now,
  });
  const payment = input.payment;
  if (payment?.kind === 'backed_on_terms' && row.paymentMethod === 'net_terms') {
    return moveOrder(tx, row, 'paid', SYSTEM, { set: { paymentStatus: 'on_terms' }, data: { payment: 'net_terms', backedAtPlacing: true } });
  }
  const started = await startPayment(tx, row, input.sellerName, now);
  if (payment?.kind === 'authorise_with' && isOnlineMethod(row.paymentMethod)) {
    await tx.update(order).set({ paymentAttempt: 1, updatedAt: now }).where(eq(order.id, row.id));
    await enqueue(tx, authorizePaymentJob, { orderId: row.id, attempt: 1, paymentMethod: payment.paymentMethod }, { dedupeKey: `orders.authorize-payment:${row.id}:1` });
    return { ...started, paymentAttempt: 1 };
  }
  return started;
}

/** A line that cannot be reserved: a clear error naming the product and the cart line. */
function checkoutLineError(error: unknown, row: repo.CartRow, index: number): unknown {
  if (!isAppError(error)) return error;
  const field = `items.${index}.grams`;
  if (error.code === 'CONFLICT' && error.field === 'grams') {
    const available = Math.max(0, row.quantityG - row.reservedG);
    return new AppError('CONFLICT', msg('orders.stockConflict', { product: row.productName, available: kgText(available), kg: kgText(row.grams) }), { field, listingId: row.listingId, cartItemId: row.id });
  }
  if (error.code === 'NOT_FOUND') return new AppError('CONFLICT', msg('orders.listingGone', { product: row.productName }), { field: `items.${index}.listingId`, listingId: row.listingId, cartItemId: row.id });
  return new AppError(error.code, error.message, { ...error.details, field, cartItemId: row.id });
}

// ---------------------------------------------------------------------------------------------------
// Reading

export async function myOrders(db: DbOrTx, actor: OrderActor, input: MyOrdersInput) {
  return repo.listPartyOrders(db, actor.orgId, input.side ?? 'buyer', input.status);
}

/** One order the caller's org is a party to, with lines, refunds and timeline; otherwise NOT_FOUND. */
export async function getOrder(db: DbOrTx, actor: OrderActor, id: string) {
  const row = await repo.findPartyOrder(db, actor.orgId, id);
  if (!row) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'id' });
  const [lines, events, refunds, names, inv] = await Promise.all([
    repo.linesOf(db, row.id),
    repo.eventsOf(db, row.id),
    repo.refundsOf(db, row.id),
    repo.orgNames(db, [row.buyerOrgId, row.sellerOrgId]),
    invoiceOf(db, row.id),
  ]);
  const side: 'buyer' | 'seller' = row.buyerOrgId === actor.orgId ? 'buyer' : 'seller';
  const callOff = row.source === 'call_off' ? ((await callOffOfOrder(db, row.id)) ?? null) : null;
  const needsLot = callOff !== null && side === 'seller' && row.status === 'paid' && lines.some((l) => l.reservationId === null);
  const marketTrade = row.source === 'market' ? await repo.marketTradeOfOrder(db, row.id) : null;
  return {
    ...row,
    side,
    callOff,
    marketTrade,
    /** For the seller of a paid call-off order: its lots that can fill it (chosen when accepting). */
    lotChoices: needsLot ? await lotChoicesFor(db, row.sellerOrgId, callOff) : null,
    buyerName: names.get(row.buyerOrgId) ?? row.buyerOrgId,
    sellerName: names.get(row.sellerOrgId) ?? row.sellerOrgId,
    lines,
    taxLines: taxLines(lines),
    invoice: inv ? { id: inv.id, amountFen: inv.amountFen, taxFen: inv.taxFen, status: inv.status, issuedAt: inv.issuedAt, dueAt: inv.dueAt, paidAt: inv.paidAt, paymentReference: inv.paymentReference } : null,
    refunds: refunds.map((r) => ({ id: r.id, amountFen: r.amountFen, status: r.status, createdAt: r.createdAt, settledAt: r.settledAt })),
    timeline: events.map((e) => ({ id: e.id, from: e.fromStatus, to: e.toStatus, role: e.actorRole, actorUserId: e.actorUserId, reason: e.reason, data: e.data, at: e.at })),
  };
}
export type OrderDetail = Awaited<ReturnType<typeof getOrder>>;

// ---------------------------------------------------------------------------------------------------
// Workbench (seller) and buyer actions

async function act<T>(db: Db, actor: OrderActor, id: string, fn: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], row: OrderRow, mover: OrderMover) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const row = await repo.lockPartyOrder(tx, actor.orgId, id);
    if (!row) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'id' });
    const role: OrderActorRole = row.buyerOrgId === actor.orgId ? 'buyer' : 'seller';
    return fn(tx, row, { role, userId: actor.userId, orgId: actor.orgId });
  });
}

const view = (row: OrderRow) => ({ id: row.id, status: row.status as OrderStatus, paymentStatus: row.paymentStatus });

/**
 * Seller accepts a paid order. A call-off order gets its lot now: `lotId` names one of the seller's
 * lots of the tender lot's variety, whose stock is reserved in the same transaction; an ordinary
 * order has its lot from the listing already (a `lotId` for it is refused).
 */
export async function acceptOrder(db: Db, actor: OrderActor, input: { id: string; lotId?: string | undefined }) {
  return act(db, actor, input.id, async (tx, row, mover) => {
    if (row.source !== 'call_off' && input.lotId) throw new AppError('VALIDATION', msg('callOffs.notCallOff'), { field: 'lotId' });
    // The seller's lot before the first audit entry, as checkout does (lockLots): allocating it afterwards could deadlock.
    if (input.lotId) await lockLots(tx, [input.lotId], row.sellerOrgId);
    const moved = await moveOrder(tx, row, 'accepted', mover, input.lotId ? { data: { lotId: input.lotId } } : {});
    if (row.source === 'call_off') await allocateCallOffLot(tx, moved, input.lotId, actor.userId);
    return view(moved);
  });
}

/** Seller rejects a paid order with a reason: stock released, authorisation cancelled (job). */
export async function rejectOrder(db: Db, actor: OrderActor, input: { id: string; reason: string }) {
  return act(db, actor, input.id, async (tx, row, mover) => {
    await lockOrderStock(tx, row.id);
    const moved = await moveOrder(tx, row, 'rejected', mover, { reason: input.reason, set: { closeReason: input.reason } });
    await releaseOrderStock(tx, moved, actor.userId);
    await releasePayment(tx, moved, mover);
    return view(moved);
  });
}

/** Buyer or seller cancels before shipment: stock released, authorisation cancelled (job). */
export async function cancelOrder(db: Db, actor: OrderActor, input: { id: string; reason?: string | undefined }) {
  return act(db, actor, input.id, async (tx, row, mover) => {
    if (mover.role === 'buyer' && !buyerMayCancel(row.source)) throw new AppError('PRECONDITION_FAILED', msg('orders.marketTradeBinding'), { field: 'id' });
    await lockOrderStock(tx, row.id);
    const moved = await moveOrder(tx, row, 'cancelled', mover, { reason: input.reason ?? null, set: { closeReason: input.reason ?? null } });
    await releaseOrderStock(tx, moved, actor.userId);
    await releasePayment(tx, moved, mover);
    return view(moved);
  });
}

/** Seller ships: a card hold is captured in the `orders.capture-payment` job; net terms are invoiced. */
export async function shipOrder(db: Db, actor: OrderActor, input: ShipOrderInput) {
  return act(db, actor, input.id, async (tx, row, mover) => {
    const moved = await moveOrder(tx, row, 'shipped', mover);
    // In the same transaction: a tracking number the carrier already has rolls the ship step back.
    if (input.shipment) {
      const carriers = appCarriers();
      // The simulated carrier plays deliveries by itself: the demo's, never a real order's.
      if (input.shipment.carrier === 'sim' && !carriers.config.simulatedAvailable) throw new AppError('VALIDATION', msg('shipments.simulatedUnavailable'), { field: 'shipment.carrier' });
      await createShipmentForOrder(tx, carriers, moved, input.shipment, { userId: actor.userId, orgId: actor.orgId });
    }
    if (moved.paymentStatus === 'authorized') await enqueue(tx, capturePaymentJob, { orderId: moved.id }, { dedupeKey: `orders.capture-payment:${moved.id}` });
    await issueInvoice(tx, moved);
    return view(moved);
  });
}

/** Buyer disputes a shipped or delivered order, with a reason; a refund or the buyer's withdrawal ends it. */
export async function openDispute(db: Db, actor: OrderActor, input: { id: string; reason: string }) {
  return act(db, actor, input.id, async (tx, row, mover) => view(await moveOrder(tx, row, 'disputed', mover, { reason: input.reason, data: { dispute: 'opened' } })));
}

/** Buyer withdraws a dispute: the order is delivered (and completes when the money is in). */
export async function withdrawDispute(db: Db, actor: OrderActor, input: { id: string }) {
  return act(db, actor, input.id, async (tx, row, mover) => {
    let moved = await moveOrder(tx, row, 'delivered', mover, { data: { dispute: 'withdrawn' } });
    if (moved.capturedFen > 0) moved = await moveOrder(tx, moved, 'completed', SYSTEM);
    return view(moved);
  });
}

/** Buyer confirms delivery; the order completes at once when the capture is in, else when it lands. */
export async function confirmDelivery(db: Db, actor: OrderActor, input: { id: string }) {
  return act(db, actor, input.id, async (tx, row, mover) => {
    let moved = await moveOrder(tx, row, 'delivered', mover);
    if (moved.capturedFen > 0) moved = await moveOrder(tx, moved, 'completed', { role: 'system', userId: null, orgId: null });
    return view(moved);
  });
}

/**
 * Seller refunds captured money, all that is left (default) or `amountFen`. The refund row is
 * written with its job in one transaction; the key makes a retried request answer the first refund.
 */
export async function refundOrder(db: Db, actor: OrderActor, input: RefundInput) {
  const key = input.idempotencyKey.trim();
  return act(db, actor, input.id, async (tx, row, mover) => {
    const refunds = await repo.refundsOf(tx, row.id);
    const earlier = refunds.find((r) => r.idempotencyKey === key);
    if (earlier) {
      if (input.amountFen !== undefined && input.amountFen !== earlier.amountFen) throw new AppError('CONFLICT', msg('orders.idempotencyMismatch'), { field: 'idempotencyKey' });
      return { refundId: earlier.id, amountFen: earlier.amountFen, status: earlier.status, replayed: true };
    }
    if (mover.role !== 'seller') throw new AppError('FORBIDDEN', msg('orders.notYourMove', { to: 'refund' }), { field: 'id' });
    if (!(REFUNDABLE_STATUSES as readonly string[]).includes(row.status)) throw new AppError('INVALID_TRANSITION', msg('orders.invalidTransition', { from: row.status, to: 'refunded' }), { field: 'id' });
    const online = isOnlineMethod(row.paymentMethod);
    if (row.capturedFen <= 0 || (online && !row.paymentIntentId)) throw new AppError('PRECONDITION_FAILED', msg('orders.notCaptured'), { field: 'id' });
    const amountFen = planRefund(
      row.capturedFen,
      refunds.map((r) => r.amountFen),
      input.amountFen,
    );
    const refundId = newId('rfd');
    if (!online) {
      // Bank transfer or net terms: the seller pays the money back outside the platform and records it.
      await tx.insert(orderRefund).values({ id: refundId, orderId: row.id, amountFen, idempotencyKey: key, status: 'succeeded', requestedByUserId: actor.userId, settledAt: new Date() });
      await recordEvent(tx, row, { from: row.status, to: row.status, mover, data: { payment: 'refunded_offline', refundId, amountFen } });
      const settled = (await repo.refundsOf(tx, row.id)).filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amountFen, 0);
      await applyRefunded(tx, row, settled);
      return { refundId, amountFen, status: 'succeeded', replayed: false };
    }
    await tx.insert(orderRefund).values({ id: refundId, orderId: row.id, amountFen, idempotencyKey: key, status: 'requested', requestedByUserId: actor.userId });
    await recordEvent(tx, row, { from: row.status, to: row.status, mover, data: { payment: 'refund_requested', refundId, amountFen } });
    await enqueue(tx, refundPaymentJob, { refundId }, { dedupeKey: `orders.refund-payment:${refundId}` });
    return { refundId, amountFen, status: 'requested', replayed: false };
  });
}

/** For tests and tools: an order's row regardless of org (system use only). */
export async function orderRowForSystem(db: DbOrTx, id: string) {
  const [row] = await db.select().from(order).where(and(eq(order.id, id)));
  return row;
}
