import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { and, count, eq, inArray, or, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES_BY_KIND, type Role } from '../../lib/permissions.ts';
import type { DbHandle } from '../db/client.ts';
import { allianceMember, auditLog, cartItem, invitation, listing, lot, marketCommand, order, orderEvent, organization, orgProfile, outboxEvent, prescription, prescriptionItem, rxOffer, shipment, tender, tenderLot } from '../db/schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../domains/catalog/herbs.seed.ts';
import { shipOrder, TEST_CARRIER_SECRETS, testCarriers } from '../domains/delivery/shipments.testkit.ts';
import { createInstrument } from '../domains/market/market.service.ts';
import { addMember, hospitalWithStaff, rxInput, SIJUNZI } from '../domains/prescriptions/prescriptions.testkit.ts';
import { storeUpload } from '../domains/uploads/uploads.service.ts';
import type { Auth } from '../auth/auth.ts';
import { lotInput, listingInput, productInput } from '../testing/catalog-inputs.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createTestOrg, type TestOrgKind } from '../testing/test-orgs.ts';
import { createRequestContext } from './context.ts';
import { appRouter, createCaller } from './root.ts';
import * as restV1Route from '../../app/api/v1/[...path]/route.ts';
import * as uploadsRoute from '../../app/api/uploads/route.ts';
import * as uploadRoute from '../../app/api/uploads/[id]/route.ts';
import * as importsRoute from '../../app/api/imports/route.ts';
import * as importErrorsRoute from '../../app/api/imports/[id]/errors.csv/route.ts';
import * as labelPngRoute from '../../app/api/lots/[id]/label.png/route.ts';
import * as labelSvgRoute from '../../app/api/lots/[id]/label.svg/route.ts';
import * as ohlcRoute from '../../app/api/market/ohlc/route.ts';
import * as paymentWebhookRoute from '../../app/api/webhooks/payments/route.ts';
import * as carrierWebhookRoute from '../../app/api/webhooks/carriers/[carrier]/route.ts';
import * as sandboxRoute from '../../app/api/payments-sandbox/v1/[...path]/route.ts';
import * as trpcRoute from '../../app/api/trpc/[trpc]/route.ts';

Object.assign(process.env, TEST_CARRIER_SECRETS, { LOG_LEVEL: 'silent' });

/**
 * The authorisation matrix: EVERY tRPC procedure of `appRouter` (enumerated from the router, so a new
 * procedure is covered the day it is added) is called as anonymous and as every role of an unrelated
 * organisation of every kind (plus their API keys, and the platform operator for org-scoped
 * procedures), with inputs aimed at a "victim" group's real resources. Then every REST v1 operation and
 * every other route handler under src/app/api. Finally the victim's rows must be exactly as before.
 *
 * Procedures carry no permission metadata (`orgProcedure(permission)` is a closure), so the expectation
 * is derived by calling them: anything outside the explicit lists below must refuse.
 */

// ── The explicit lists ────────────────────────────────────────────────────────────────────────────

/** Deliberately public (publicProcedure): anonymous may call them. Each is checked for "no 500" only. */
const PUBLIC = new Set([
  'herbs.search', // the herb catalogue (药材库), public reference data
  'herbs.get',
  'trace.lot', // the public trace page behind a lot label's QR code: no people, prices or buyers
  'tenders.publicView', // the public notice of a published tender (公示)
  'prescriptions.status', // the patient's status link; the unguessable token is the credential
  'prescriptions.statusLive',
  'orgs.invitation', // the invitation link shows whom it invites to which organisation before sign-in
]);

/**
 * Procedures an unrelated caller may legitimately run on its own organisation (or on shared market
 * data). For them success is fine, but the answer must contain none of the victim's ids. Inputs still
 * point at the victim where the procedure takes ids (e.g. `shipments.list` filtered by the victim's order).
 */
const OWN_SCOPE = new Set([
  // own organisation and own session
  'orgs.mine',
  'orgs.current',
  'orgs.members',
  'orgs.apiKeys',
  'orgs.createApiKey',
  'orgs.invite', // invites a fresh address into the caller's own organisation
  'dashboard.workQueue', // counts of the caller's own work queues (no ids)
  // own catalogue, cart, orders, credit
  'catalog.myProducts',
  'catalog.myLots',
  'catalog.myListings',
  'catalog.createProduct', // a product of the caller's own catalogue (herb master data only)
  'catalog.listings', // active listings of the market (the victim's listing is paused)
  'catalog.search',
  'catalog.priceHistory', // price history of a product, shared market data (authedProcedure)
  'orders.cart',
  'orders.myOrders',
  'orders.sellerCredit',
  'orders.myCredit',
  'orders.setCreditLine', // a seller decides the credit it grants to any buyer (the row is the seller's)
  'imports.list',
  // prescriptions: own work queues and configuration; the screening is a pure check
  'prescriptions.screen',
  'prescriptions.list',
  'prescriptions.reviewQueue',
  'prescriptions.offers',
  'prescriptions.work',
  'prescriptions.capability',
  'prescriptions.setCapability',
  'prescriptions.stores', // pharmacies near a point, for the physician's pickup choice
  'prescriptions.create', // the caller's own prescription (the victim's idempotency key must not replay the victim's)
  'prescriptions.createFhir', // the same as a FHIR bundle; its Practitioner names the victim's physician (ignored for a session, refused for a key)
  // tenders and shipments the caller is party to
  'tenders.list',
  'tenders.members',
  'tenders.create', // an alliance opens its own tender
  // An alliance invites any hospital or pharmacy: the invitation grants it nothing until the invited
  // organisation accepts (checked below: the victim is never drawn in, its data never shown).
  'tenders.addMember',
  'tenders.myInvitations', // the caller's own pending alliance invitations
  'shipments.list',
  // the market: shared market data and the caller's own orders
  'market.instruments',
  'market.book',
  'market.quotes',
  'market.instrument',
  'market.trades',
  'market.ohlc',
  'market.live',
  'market.myLive',
  'market.myOrders',
  'market.myTrades',
  'market.sellableLots',
  'market.counterparties',
]);

/**
 * Directories: answers that legitimately list other organisations (id, name, kind), so the victim's
 * organisation ids may appear in them — but none of its resources.
 */
const DIRECTORY: Record<string, string> = {
  'orders.sellerCredit': 'lists every approved hospital and pharmacy (id, name, kind) as buyers a seller may grant credit to',
  'tenders.members': 'lists the alliance’s own invitations by the organisation id the alliance itself gave (name, kind and region only once accepted)',
};

/** Platform procedures: the operator may legitimately run them, so the operator is not "unrelated" there. */
const isPlatform = (p: string) => p.startsWith('operator.') || p === 'market.createInstrument' || p === 'market.setInstrumentStatus';

/**
 * BAD_REQUEST accepted as a refusal only here: the input cannot be formed for a caller who is not a
 * party (kept short; everything else must answer FORBIDDEN or NOT_FOUND).
 */
const BAD_INPUT: Record<string, string> = {
  'orders.checkout': "the caller's own cart is empty (the victim's checkout key must not replay the victim's order)",
};

/**
 * userProcedure: a signed-in person, never an API key. For API-key callers UNAUTHORIZED is the refusal.
 */
const USER_ONLY = new Set(['orgs.create', 'orgs.mine', 'orgs.setActive', 'orgs.acceptInvitation']);

/** Other refusal codes accepted, per procedure, with the reason. */
const OTHER_REFUSALS: Record<string, { codes: string[]; why: string }> = {
  'orgs.create': { codes: ['CONFLICT'], why: 'registering the victim’s USCC again is a conflict' },
};

/**
 * Authorisation holes found by this matrix (an unrelated caller read or changed the victim's data).
 * Product code is not changed here: each entry is tolerated so the suite stays green, and the test fails
 * when an entry no longer reproduces, so the list only ever shrinks. Keys: procedure path.
 */
const KNOWN_HOLES: Record<string, string> = {
  // (none) — `tenders.addMember` once enrolled any hospital or pharmacy without its consent; it now
  // only invites, and the test "an alliance's invitation draws nobody in" below keeps that closed.
};

// ── Harness ───────────────────────────────────────────────────────────────────────────────────────

type Caller = ReturnType<typeof createCaller>;
type Fn = (input?: unknown) => Promise<unknown>;
interface MatrixCaller {
  label: string;
  kind: string;
  apiKey: boolean;
  anonymous: boolean;
  operator: boolean;
  caller: Caller;
  headers: Headers;
}

let app: TestApp;
let dataDir: string;
const abort = new AbortController();
const callers: MatrixCaller[] = [];
const apiKeys: { label: string; key: string }[] = [];

/** The victim group's resources (a supplier, a hospital with staff, an alliance). */
const v = {
  supplierId: '',
  hospitalId: '',
  allianceId: '',
  hospitalUscc: '',
  physicianEmail: '',
  productId: '',
  lotId: '',
  batchNo: '',
  listingId: '',
  cartLineId: '',
  instrumentId: '',
  marketOrderId: '',
  marketKey: `victim-mkt-${randomBytes(6).toString('hex')}`,
  orderId: '',
  checkoutKey: '',
  shipmentId: '',
  trackingNumber: '',
  rxId: '',
  rxKey: `VICTIM-RX-${randomBytes(6).toString('hex')}`,
  rxItemId: '',
  rxOfferId: 'rxo_00000000000000000000000000',
  tenderId: '',
  tenderLotId: '',
  /** The victim alliance's pending invitation of the victim hospital (only the hospital may answer it). */
  membershipId: '',
  invitationId: '',
  apiKeyId: '',
  uploadId: '',
  outboxId: '',
  /** An unrelated hospital (not the victim): the target of own-scope writes such as credit lines. */
  bystanderId: '',
};
const victimIds = () =>
  [v.supplierId, v.hospitalId, v.allianceId, v.hospitalUscc, v.productId, v.lotId, v.batchNo, v.listingId, v.cartLineId, v.marketOrderId, v.orderId, v.shipmentId, v.trackingNumber, v.rxId, v.rxKey, v.tenderId, v.tenderLotId, v.membershipId, v.invitationId, v.apiKeyId, v.uploadId].filter(Boolean);
const victimOrgs = () => [v.supplierId, v.hospitalId, v.allianceId];

const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const shipmentInput = { carrier: 'sf' as const, trackingNumber: 'SF9999999999', parcels: 1, weightG: 1000 };
const geo = { url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: 'latitude', valueDecimal: 30.27 }, { url: 'longitude', valueDecimal: 120.15 }] };
const fhirMed = (herb: string, value: number) => ({
  resource: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', medicationCodeableConcept: { text: herb }, dosageInstruction: [{ text: '每日1剂', doseAndRate: [{ doseQuantity: { value, unit: 'g' } }] }], dispenseRequest: { quantity: { value: 7, unit: '剂' } } },
});
const key = (p: string) => `${p}-${randomBytes(6).toString('hex')}`;

/**
 * A sample input per procedure path, aimed at the victim's resources where the procedure takes ids.
 * A procedure missing here is called with `undefined`: if it needs input it answers BAD_REQUEST and the
 * matrix fails, naming it — add its input here.
 */
const INPUTS: Record<string, (c?: MatrixCaller) => unknown> = {
  'orgs.create': () => ({ name: '冒名医院', kind: 'hospital', uscc: v.hospitalUscc, regionCode: '330106', address: '杭州', lat: 30.27, lng: 120.15 }),
  'orgs.byId': () => ({ id: v.hospitalId }),
  'orgs.setActive': () => ({ orgId: v.hospitalId }),
  'orgs.addLicence': () => ({ type: 'drug_distribution', number: key('LIC'), scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01', documentId: v.uploadId }),
  'orgs.invite': (c) => ({ email: `${key('invitee')}@example.cn`, role: (ROLES_BY_KIND[c?.kind as keyof typeof ROLES_BY_KIND] ?? ROLES_BY_KIND.hospital).find((r) => r !== 'owner') }),
  'orgs.invitation': () => ({ id: v.invitationId }),
  'orgs.acceptInvitation': () => ({ id: v.invitationId }),
  'orgs.createApiKey': () => ({ name: 'matrix' }),
  'orgs.revokeApiKey': () => ({ id: v.apiKeyId }),
  'operator.kybQueue': () => ({ status: 'pending' }),
  'operator.decideKyb': () => ({ orgId: v.hospitalId, decision: 'rejected', note: 'matrix' }),
  'operator.auditLog': () => ({ orgId: v.hospitalId, limit: 50 }),
  'operator.jobs': () => ({ limit: 50 }),
  'operator.retryJob': () => ({ id: v.outboxId }),
  'operator.discardJob': () => ({ id: v.outboxId, note: 'matrix' }),
  'operator.advanceTenderClock': () => ({ to: days(30) }),
  'operator.systemHealth': () => undefined, // no input
  'prescriptions.screen': () => ({ patient: { sex: 'M', ageYears: 40, pregnant: false }, decoction: true, doses: 7, items: SIJUNZI }),
  'prescriptions.create': () => rxInput({ idempotencyKey: v.rxKey, physicianEmail: v.physicianEmail }),
  'prescriptions.createFhir': () => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', name: [{ text: '周星星' }], gender: 'male', birthDate: '1970-05-01', address: [{ extension: [geo] }] } },
      { resource: { resourceType: 'Practitioner', telecom: [{ system: 'email', value: v.physicianEmail }] } },
      fhirMed('白术', 9),
    ],
  }),
  'prescriptions.get': () => ({ id: v.rxId }),
  'prescriptions.detail': () => ({ id: v.rxId }),
  'prescriptions.list': () => ({}),
  'prescriptions.override': () => ({ id: v.rxId, reason: 'matrix' }),
  'prescriptions.review': () => ({ id: v.rxId, decision: 'approved' }),
  'prescriptions.cancel': () => ({ id: v.rxId, reason: 'matrix' }),
  'prescriptions.routeAgain': () => ({ id: v.rxId }),
  'prescriptions.acceptOffer': () => ({ offerId: v.rxOfferId }),
  'prescriptions.rejectOffer': () => ({ offerId: v.rxOfferId, reason: 'matrix' }),
  'prescriptions.startDispensing': () => ({ id: v.rxId }),
  'prescriptions.dispenseItem': () => ({ id: v.rxId, itemId: v.rxItemId }),
  'prescriptions.checkItem': () => ({ id: v.rxId, itemId: v.rxItemId }),
  'prescriptions.finishDispensing': () => ({ id: v.rxId, shipment: shipmentInput }),
  'prescriptions.decoctionStep': () => ({ id: v.rxId, step: 'soak', minutes: 30 }),
  'prescriptions.finishDecoction': () => ({ id: v.rxId, shipment: shipmentInput }),
  'prescriptions.confirmPickup': () => ({ id: v.rxId, code: '123456' }),
  'prescriptions.confirmDelivered': () => ({ id: v.rxId }),
  'prescriptions.setCapability': () => ({ decoction: true, dailyCapacity: 5, opensAtMin: 0, closesAtMin: 0, serviceRadiusKm: 10, active: false }),
  'prescriptions.status': () => ({ token: 'x'.repeat(40) }),
  'prescriptions.statusLive': () => ({ token: 'x'.repeat(40) }),
  'prescriptions.stores': () => ({ lat: 30.27, lng: 120.15 }),
  'herbs.search': () => ({ q: 'huangqi' }),
  'herbs.get': () => ({ id: herbIdFor('黄芪') }),
  'catalog.createProduct': () => ({ ...productInput, origin: '安徽亳州', daoDi: false }),
  'catalog.createLot': () => ({ ...lotInput(key('LOT')), productId: v.productId }),
  'catalog.createListing': () => listingInput(v.lotId),
  'catalog.updateListing': () => ({ id: v.listingId, ...listingInput(v.lotId), lotId: undefined, priceFenPerKg: 1 }),
  'catalog.setListingStatus': () => ({ id: v.listingId, status: 'closed' }),
  'catalog.listings': () => ({}),
  'catalog.listing': () => ({ id: v.listingId }),
  'catalog.priceHistory': () => ({ productId: v.productId, weeks: 26 }),
  'catalog.search': () => ({ q: '黄芪' }),
  'orders.addToCart': () => ({ listingId: v.listingId, grams: 1000 }),
  'orders.updateCartItem': () => ({ id: v.cartLineId, grams: 3000 }),
  'orders.removeCartItem': () => ({ id: v.cartLineId }),
  'orders.checkout': () => ({ idempotencyKey: v.checkoutKey, paymentMethod: 'bank_transfer' }),
  'orders.myOrders': () => ({ side: 'seller' }),
  'orders.order': () => ({ id: v.orderId }),
  'orders.accept': () => ({ id: v.orderId, lotId: v.lotId }),
  'orders.reject': () => ({ id: v.orderId, reason: 'matrix' }),
  'orders.ship': () => ({ id: v.orderId, shipment: shipmentInput }),
  'orders.confirmDelivery': () => ({ id: v.orderId }),
  'orders.cancel': () => ({ id: v.orderId, reason: 'matrix' }),
  'orders.refund': () => ({ id: v.orderId, idempotencyKey: key('refund'), amountFen: 100 }),
  'orders.pay': () => ({ checkoutKey: v.checkoutKey, outcome: 'confirm' }),
  'orders.checkoutPayment': () => ({ checkoutKey: v.checkoutKey }),
  'orders.confirmTransfer': () => ({ id: v.orderId, reference: 'REF-MATRIX', amountFen: 100_000 }),
  'orders.markInvoicePaid': () => ({ id: v.orderId, reference: 'REF-MATRIX' }),
  // Granting credit to the victim would be legitimate too, but `sellerCredit` would then (rightly) list it.
  'orders.setCreditLine': () => ({ buyerOrgId: v.bystanderId, limitFen: 0, termDays: 30 }),
  'orders.dispute': () => ({ id: v.orderId, reason: 'matrix' }),
  'orders.withdrawDispute': () => ({ id: v.orderId }),
  'trace.lot': () => ({ id: v.lotId }),
  'trace.attachDocument': () => ({ lotId: v.lotId, uploadId: v.uploadId, kind: 'quality_report' }),
  'trace.documents': () => ({ lotId: v.lotId }),
  'imports.get': () => ({ id: 'imp_00000000000000000000000000' }),
  'tenders.get': () => ({ id: v.tenderId }),
  'tenders.publicView': () => ({ id: v.tenderId }),
  'tenders.create': () => ({
    title: '矩阵测试招标',
    method: 'vbp_price',
    weights: null,
    demandDeadline: days(2),
    bidDeadline: days(5),
    openingAt: days(5.1),
    publicityEndsAt: days(8),
    lots: [{ herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] }],
  }),
  'tenders.update': () => ({ ...(INPUTS['tenders.create']!() as object), id: v.tenderId, title: '篡改' }),
  'tenders.openDemand': () => ({ id: v.tenderId }),
  'tenders.publish': () => ({ id: v.tenderId }),
  'tenders.cancel': () => ({ id: v.tenderId }),
  'tenders.finalize': () => ({ id: v.tenderId }),
  'tenders.retender': () => ({ id: v.tenderId, demandDeadline: days(2), bidDeadline: days(5), openingAt: days(5.1), publicityEndsAt: days(8) }),
  'tenders.addMember': () => ({ memberOrgId: v.hospitalId }),
  'tenders.acceptInvitation': () => ({ id: v.membershipId }),
  'tenders.declineInvitation': () => ({ id: v.membershipId }),
  'tenders.reportDemand': () => ({ tenderId: v.tenderId, lots: [{ lotId: v.tenderLotId, grams: 1000 }] }),
  'tenders.demandSummary': () => ({ id: v.tenderId }),
  'tenders.register': () => ({ tenderId: v.tenderId, lots: [{ lotId: v.tenderLotId, capacityG: 1000 }], documents: [] }),
  'tenders.qualify': () => ({ tenderId: v.tenderId, supplierOrgId: v.supplierId, qualified: true, reason: 'matrix' }),
  'tenders.submitBid': () => ({ tenderId: v.tenderId, lotId: v.tenderLotId, fenPerKg: 1000, idempotencyKey: key('bid') }),
  'tenders.fileComplaint': () => ({ tenderId: v.tenderId, body: 'matrix' }),
  'tenders.answerComplaint': () => ({ complaintId: 'tcm_00000000000000000000000000', answer: 'matrix' }),
  'tenders.chooseWinner': () => ({ contractId: 'fct_00000000000000000000000000' }),
  'tenders.placeCallOff': () => ({ contractId: 'fct_00000000000000000000000000', grams: 1000, idempotencyKey: key('calloff'), paymentMethod: 'bank_transfer' }),
  'tenders.completion': () => ({ tenderId: v.tenderId }),
  'shipments.get': () => ({ id: v.shipmentId }),
  'shipments.list': () => ({ side: 'all', orderId: v.orderId, limit: 50 }),
  'shipments.live': () => ({ id: v.shipmentId }),
  'shipments.reportException': () => ({ id: v.shipmentId, reason: 'damaged' }),
  'shipments.redeliver': () => ({ id: v.shipmentId }),
  'shipments.return': () => ({ id: v.shipmentId }),
  'market.book': () => ({ instrumentId: v.instrumentId }),
  'market.place': () => ({ instrumentId: v.instrumentId, idempotencyKey: v.marketKey, side: 'sell', qtyG: 1000, fenPerKg: 6000, lotId: v.lotId }),
  'market.cancel': () => ({ instrumentId: v.instrumentId, idempotencyKey: key('cancel'), orderId: v.marketOrderId }),
  'market.amend': () => ({ instrumentId: v.instrumentId, idempotencyKey: key('amend'), orderId: v.marketOrderId, qtyG: 1000 }),
  'market.instrument': () => ({ instrumentId: v.instrumentId }),
  'market.trades': () => ({ instrumentId: v.instrumentId }),
  'market.ohlc': () => ({ instrumentId: v.instrumentId }),
  'market.sellableLots': () => ({ instrumentId: v.instrumentId }),
  'market.live': () => ({ instrumentId: v.instrumentId }),
  'market.createInstrument': () => ({ herbId: herbIdFor('当归'), form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected' }),
  'market.setInstrumentStatus': () => ({ instrumentId: v.instrumentId, status: 'halted' }),
};

type Outcome = { ok: true; value: unknown; stream: boolean } | { ok: false; code: string; message: string };

function procedureAt(caller: Caller, p: string): Fn {
  let node: unknown = caller;
  for (const part of p.split('.')) node = (node as Record<string, unknown>)[part];
  return node as Fn;
}

async function run(c: MatrixCaller, p: string): Promise<Outcome> {
  try {
    const value = await procedureAt(c.caller, p)(INPUTS[p]?.(c));
    if (value && typeof value === 'object' && Symbol.asyncIterator in value) {
      // A subscription that opened: close it at once (it carries no data until something changes).
      await (value as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
      return { ok: true, value: null, stream: true };
    }
    return { ok: true, value, stream: false };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message.replace(/\s+/g, ' ').slice(0, 160) };
    return { ok: false, code: `THROWN ${(error as Error)?.name}`, message: String(error) };
  }
}

/** The tRPC error code of a call expected to fail. */
async function errorOf(fn: () => Promise<unknown>): Promise<{ code: string }> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code };
    throw error;
  }
  throw new Error('expected an error');
}

/** Victim ids in an answer that the caller did not send itself (echoing the input is no leak). */
const leaks = (value: unknown, input: unknown) => {
  const text = JSON.stringify(value) ?? '';
  const sent = JSON.stringify(input) ?? '';
  return victimIds().filter((id) => text.includes(id) && !sent.includes(id));
};

async function callerFor(headers: Headers): Promise<Caller> {
  return createCaller(await createRequestContext({ db: app.handle.db, auth: app.auth, headers }), { signal: abort.signal });
}

/** Rows attributable to the victim group, and the victim's own rows verbatim. */
async function victimState(handle: DbHandle) {
  const db = handle.db;
  const orgs = victimOrgs();
  const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]!.n);
  const victimOrders = or(inArray(order.buyerOrgId, orgs), inArray(order.sellerOrgId, orgs));
  const orderIds = (await db.select({ id: order.id }).from(order).where(victimOrders)).map((r) => r.id);
  const idPattern = victimIds().map((id) => id.replace(/[%_\\]/g, '\\$&'));
  return {
    counts: {
      order: await n(db.select({ n: count() }).from(order).where(victimOrders)),
      orderEvent: orderIds.length ? await n(db.select({ n: count() }).from(orderEvent).where(inArray(orderEvent.orderId, orderIds))) : 0,
      marketCommand: await n(db.select({ n: count() }).from(marketCommand).where(inArray(marketCommand.orgId, orgs))),
      auditLog: await n(db.select({ n: count() }).from(auditLog).where(or(inArray(auditLog.orgId, orgs), inArray(auditLog.actorOrgId, orgs)))),
      outboxEvent: await n(db.select({ n: count() }).from(outboxEvent).where(or(...idPattern.map((id) => sql`${outboxEvent.payload}::text like ${`%${id}%`}`)))),
      prescription: await n(db.select({ n: count() }).from(prescription).where(eq(prescription.hospitalOrgId, v.hospitalId))),
      shipment: await n(db.select({ n: count() }).from(shipment).where(or(inArray(shipment.senderOrgId, orgs), inArray(shipment.receiverOrgId, orgs)))),
      cartItem: await n(db.select({ n: count() }).from(cartItem).where(inArray(cartItem.buyerOrgId, orgs))),
      invitation: await n(db.select({ n: count() }).from(invitation).where(inArray(invitation.organizationId, orgs))),
      // Memberships that count (accepted): an invitation by anyone else must never become one.
      acceptedMembership: await n(
        db
          .select({ n: count() })
          .from(allianceMember)
          .where(and(or(inArray(allianceMember.memberOrgId, orgs), inArray(allianceMember.allianceOrgId, orgs)), eq(allianceMember.status, 'accepted'))),
      ),
    },
    rows: {
      order: await db.select().from(order).where(eq(order.id, v.orderId)),
      shipment: await db.select().from(shipment).where(eq(shipment.id, v.shipmentId)),
      prescription: await db.select().from(prescription).where(eq(prescription.id, v.rxId)),
      tender: await db.select().from(tender).where(eq(tender.id, v.tenderId)),
      listing: await db.select().from(listing).where(eq(listing.id, v.listingId)),
      lot: await db.select().from(lot).where(eq(lot.id, v.lotId)),
      cartItem: await db.select().from(cartItem).where(eq(cartItem.id, v.cartLineId)),
      orgProfile: await db.select().from(orgProfile).where(inArray(orgProfile.orgId, orgs)),
      allianceMember: await db.select().from(allianceMember).where(eq(allianceMember.id, v.membershipId)),
    },
  };
}

// ── Setup ─────────────────────────────────────────────────────────────────────────────────────────

let before: Awaited<ReturnType<typeof victimState>>;
/** The victim's own members, for the positive control (the sample ids are real and readable by their owners). */
const own: Record<'supplier' | 'hospital' | 'physician' | 'alliance', Caller> = {} as never;
const servicesGlobal = globalThis as unknown as { __bencaoServices?: Promise<{ handle: DbHandle; auth: Auth }> };
let previousServices: (typeof servicesGlobal)['__bencaoServices'];

beforeAll(async () => {
  app = await createTestApp();
  dataDir = mkdtempSync(path.join(tmpdir(), 'bencao-authz-'));
  // The route handlers under src/app/api take their database and auth from `services()`: point it at this test's.
  previousServices = servicesGlobal.__bencaoServices;
  servicesGlobal.__bencaoServices = Promise.resolve({ handle: app.handle, auth: app.auth });
  const db = app.handle.db;
  await upsertHerbMasterData(db);

  // The victim group: a supplier (catalogue, market order, seller of an order), a hospital with staff
  // (buyer, cart, prescription, invitation, API key), an alliance (draft tender).
  const supplier = await createTestOrg(app, 'supplier', { tag: 'victim-sup' });
  const hospital = await hospitalWithStaff(app);
  const alliance = await createTestOrg(app, 'alliance', { tag: 'victim-all' });
  Object.assign(own, { supplier: supplier.api, hospital: hospital.api, physician: hospital.physician.api, alliance: alliance.api });
  Object.assign(v, { supplierId: supplier.id, hospitalId: hospital.id, allianceId: alliance.id, physicianEmail: hospital.physician.email });
  v.hospitalUscc = (await db.select({ uscc: orgProfile.uscc }).from(orgProfile).where(eq(orgProfile.orgId, hospital.id)))[0]!.uscc;

  const op = await app.signUp(`authz-op-${randomBytes(3).toString('hex')}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  v.instrumentId = (await createInstrument(db, { userId: op.userId, orgId: opOrg }, { herbId: herbIdFor('黄芪'), form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected' })).id;

  v.productId = (await supplier.api.catalog.createProduct(productInput)).id;
  v.batchNo = key('VICTIM');
  v.lotId = (await supplier.api.catalog.createLot({ ...lotInput(v.batchNo, 200_000), productId: v.productId })).id;
  v.listingId = (await supplier.api.catalog.createListing(listingInput(v.lotId))).id;
  await supplier.api.catalog.setListingStatus({ id: v.listingId, status: 'active' });
  v.cartLineId = (await hospital.api.orders.addToCart({ listingId: v.listingId, grams: 2000 })).id;
  await supplier.api.catalog.setListingStatus({ id: v.listingId, status: 'paused' }); // private from here on
  v.marketOrderId = (await supplier.api.market.place({ instrumentId: v.instrumentId, idempotencyKey: v.marketKey, side: 'sell', qtyG: 10_000, fenPerKg: 6000, lotId: v.lotId })).orderId;

  const shipped = await shipOrder(db, testCarriers(), supplier.id, hospital.id);
  v.shipmentId = shipped.id;
  const [shipRow] = await db.select({ orderId: shipment.orderId, trackingNumber: shipment.trackingNumber }).from(shipment).where(eq(shipment.id, shipped.id));
  v.orderId = shipRow!.orderId!;
  v.trackingNumber = shipRow!.trackingNumber!;
  v.checkoutKey = (await db.select({ k: order.checkoutKey }).from(order).where(eq(order.id, v.orderId)))[0]!.k;

  v.rxId = (await hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: v.rxKey }))).id;
  v.rxItemId = (await db.select({ id: prescriptionItem.id }).from(prescriptionItem).where(eq(prescriptionItem.prescriptionId, v.rxId)))[0]!.id;
  const [offer] = await db.select({ id: rxOffer.id }).from(rxOffer).where(eq(rxOffer.prescriptionId, v.rxId));
  if (offer) v.rxOfferId = offer.id;

  const created = await alliance.api.tenders.create(INPUTS['tenders.create']!() as Parameters<typeof alliance.api.tenders.create>[0]);
  v.tenderId = created.id;
  v.tenderLotId = (await db.select({ id: tenderLot.id }).from(tenderLot).where(eq(tenderLot.tenderId, v.tenderId)))[0]!.id;
  v.membershipId = (await alliance.api.tenders.addMember({ memberOrgId: hospital.id })).id;

  await hospital.api.orgs.invite({ email: `victim-invitee-${randomBytes(3).toString('hex')}@example.cn`, role: 'buyer' });
  v.invitationId = (await db.select({ id: invitation.id }).from(invitation).where(eq(invitation.organizationId, hospital.id)))[0]!.id;
  v.apiKeyId = (await app.auth.api.createApiKey({ body: { name: 'victim-his', organizationId: hospital.id, userId: hospital.ownerUserId } })).id;
  v.uploadId = (await storeUpload(db, dataDir, { userId: supplier.ownerUserId, orgId: supplier.id }, { name: 'report.pdf', bytes: new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n') })).id;
  v.outboxId = (await db.select({ id: outboxEvent.id }).from(outboxEvent).limit(1))[0]?.id ?? 'evt_00000000000000000000000000';

  // Unrelated organisations: one of each kind, one member of each role that kind has, and an API key.
  for (const kind of ['grower', 'supplier', 'pharmacy', 'hospital', 'alliance'] as TestOrgKind[]) {
    const org = await createTestOrg(app, kind, { tag: `stranger-${kind}` });
    if (kind === 'hospital') v.bystanderId = org.id;
    callers.push({ label: `${kind}/owner`, kind, apiKey: false, anonymous: false, operator: false, caller: await callerFor(org.headers), headers: org.headers });
    for (const role of ROLES_BY_KIND[kind].filter((r: Role) => r !== 'owner')) {
      const m = await addMember(app, org.id, role);
      callers.push({ label: `${kind}/${role}`, kind, apiKey: false, anonymous: false, operator: false, caller: await callerFor(m.headers), headers: m.headers });
    }
    const apiKey = (await app.auth.api.createApiKey({ body: { name: 'stranger', organizationId: org.id, userId: org.ownerUserId } })).key;
    apiKeys.push({ label: `${kind}/api-key`, key: apiKey });
    const keyHeaders = new Headers({ authorization: `Bearer ${apiKey}` });
    callers.push({ label: `${kind}/api-key`, kind, apiKey: true, anonymous: false, operator: false, caller: await callerFor(keyHeaders), headers: keyHeaders });
  }
  // The platform operator: unrelated for org-scoped procedures, legitimately allowed the platform ones.
  const opAdmin = await app.signUp(`authz-opadmin-${randomBytes(3).toString('hex')}@example.cn`);
  const platformOrg = await app.makeOperator(opAdmin.userId);
  const opOwner = await addMember(app, platformOrg, 'owner');
  callers.push({ label: 'operator/operator_admin', kind: 'operator', apiKey: false, anonymous: false, operator: true, caller: await callerFor(opAdmin.headers), headers: opAdmin.headers });
  callers.push({ label: 'operator/owner', kind: 'operator', apiKey: false, anonymous: false, operator: true, caller: await callerFor(opOwner.headers), headers: opOwner.headers });
  callers.push({ label: 'anonymous', kind: 'none', apiKey: false, anonymous: true, operator: false, caller: await callerFor(new Headers()), headers: new Headers() });

  before = await victimState(app.handle);
}, 180_000);

afterAll(async () => {
  abort.abort();
  servicesGlobal.__bencaoServices = previousServices;
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// ── The matrix ────────────────────────────────────────────────────────────────────────────────────

const refusals: Record<string, number> = {};
const holesSeen = new Set<string>();
const badInputSeen: Record<string, number> = {};
let checked = 0;
let successes = 0;
let skippedPlatform = 0;

describe('authorisation matrix', () => {
  it('positive control: the victim’s own members read the very resources the matrix aims at', async () => {
    expect(await own.supplier.orders.order({ id: v.orderId })).toMatchObject({ id: v.orderId });
    expect(await own.hospital.shipments.get({ id: v.shipmentId })).toMatchObject({ id: v.shipmentId });
    expect(await own.physician.prescriptions.get({ id: v.rxId })).toMatchObject({ id: v.rxId });
    expect(await own.alliance.tenders.get({ id: v.tenderId })).toMatchObject({ id: v.tenderId });
    expect(await own.supplier.catalog.listing({ id: v.listingId })).toMatchObject({ id: v.listingId });
    expect(await own.supplier.trace.documents({ lotId: v.lotId })).toBeDefined();
    expect(JSON.stringify(await own.supplier.market.myOrders())).toContain(v.marketOrderId);
    expect(JSON.stringify(await own.hospital.orders.cart())).toContain(v.cartLineId);
    expect(JSON.stringify(await own.hospital.orgs.apiKeys())).toContain(v.apiKeyId);
    expect((await own.hospital.tenders.myInvitations()).map((i) => i.id)).toContain(v.membershipId);
  });

  it('every tRPC procedure refuses anonymous and unrelated callers (outside the explicit lists)', async () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);
    expect(procedures.length).toBeGreaterThan(100);
    for (const listed of [...PUBLIC, ...OWN_SCOPE, ...Object.keys(BAD_INPUT), ...Object.keys(DIRECTORY), ...USER_ONLY, ...Object.keys(OTHER_REFUSALS), ...Object.keys(KNOWN_HOLES)]) {
      expect(procedures.map(([p]) => p), `listed procedure ${listed} does not exist`).toContain(listed);
    }
    const failures: string[] = [];
    for (const [p] of procedures) {
      for (const c of callers) {
        if (c.operator && isPlatform(p)) {
          skippedPlatform += 1;
          continue;
        }
        checked += 1;
        const out = await run(c, p);
        const where = `${p} as ${c.label}`;
        if (!out.ok) {
          refusals[out.code] = (refusals[out.code] ?? 0) + 1;
          if (out.code === 'INTERNAL_SERVER_ERROR' || out.code.startsWith('THROWN')) failures.push(`${where}: ${out.code} ${out.message}`);
          else if (c.anonymous) {
            if (!PUBLIC.has(p) && out.code !== 'UNAUTHORIZED') failures.push(`${where}: expected UNAUTHORIZED, got ${out.code} (${out.message})`);
          } else if (out.code === 'UNAUTHORIZED') {
            if (!(c.apiKey && USER_ONLY.has(p))) failures.push(`${where}: an authenticated caller got UNAUTHORIZED`);
          } else if (out.code === 'BAD_REQUEST' && !PUBLIC.has(p)) {
            if (BAD_INPUT[p]) badInputSeen[p] = (badInputSeen[p] ?? 0) + 1;
            else failures.push(`${where}: BAD_REQUEST (${out.message}) — fix its sample input in INPUTS`);
          }
          else if (!['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(out.code) && !OTHER_REFUSALS[p]?.codes.includes(out.code) && !PUBLIC.has(p)) {
            failures.push(`${where}: refused with ${out.code} (${out.message}); expected FORBIDDEN or NOT_FOUND`);
          }
          continue;
        }
        successes += 1;
        if (c.anonymous && !PUBLIC.has(p)) {
          failures.push(`${where}: anonymous call succeeded`);
          continue;
        }
        const leaked = PUBLIC.has(p) ? [] : leaks(out.value, INPUTS[p]?.(c)).filter((id) => !(DIRECTORY[p] && victimOrgs().includes(id)));
        const problem = leaked.length ? `answered the victim's data (${leaked.join(', ')})` : !PUBLIC.has(p) && !OWN_SCOPE.has(p) ? 'succeeded on the victim’s resources' : null;
        if (!problem) continue;
        if (KNOWN_HOLES[p]) holesSeen.add(p);
        else failures.push(`${where}: ${problem}`);
      }
    }
    const fixed = Object.keys(KNOWN_HOLES).filter((p) => !holesSeen.has(p));
    expect(fixed, 'KNOWN_HOLES that no longer reproduce: remove them from the list').toEqual([]);
    expect(failures).toEqual([]);
  }, 240_000);

  it('REST v1: every operation answers 401 without a key or with a forged one, 403/404 to another organisation’s key', async () => {
    const ops = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { openapi?: { method: string; path: string } } } }>).flatMap(([p, proc]) => (proc._def.meta?.openapi ? [{ p, ...proc._def.meta.openapi }] : []));
    expect(ops.length).toBeGreaterThan(3);
    const failures: string[] = [];
    const request = (op: (typeof ops)[number], auth?: string) => {
      const input = { ...((INPUTS[op.p]?.() ?? {}) as Record<string, unknown>) };
      const urlPath = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = String(input[name]);
        delete input[name];
        return encodeURIComponent(value);
      });
      const url = new URL(`http://localhost/api/v1${urlPath}`);
      const headers: Record<string, string> = auth ? { authorization: `Bearer ${auth}` } : {};
      if (op.method === 'GET') {
        for (const [k, val] of Object.entries(input)) url.searchParams.set(k, String(val));
        return new Request(url, { headers });
      }
      return new Request(url, { method: op.method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    };
    const handler = (req: Request) => (restV1Route as unknown as Record<string, (r: Request) => Promise<Response>>)[req.method]!(req);
    for (const op of ops) {
      const where = `${op.method} /api/v1${op.path} (${op.p})`;
      if (PUBLIC.has(op.p)) {
        // Public by design (herb search, lot trace): only "no 500" for anonymous.
        const res = await handler(request(op));
        if (res.status >= 500) failures.push(`${where} anonymous: ${res.status}`);
        continue;
      }
      for (const auth of [undefined, 'bc_forged_key_0000000000']) {
        const res = await handler(request(op, auth));
        if (res.status !== 401) failures.push(`${where} ${auth ? 'forged key' : 'no key'}: ${res.status}, expected 401`);
      }
      for (const k of apiKeys) {
        const res = await handler(request(op, k.key));
        const text = await res.text();
        if (res.status >= 500) failures.push(`${where} as ${k.label}: ${res.status}`);
        else if (res.ok) {
          const sent = JSON.stringify(INPUTS[op.p]?.() ?? {});
          const leaked = victimIds().filter((id) => text.includes(id) && !sent.includes(id));
          if (leaked.length || !OWN_SCOPE.has(op.p)) failures.push(`${where} as ${k.label}: ${res.status} ${leaked.length ? `leaks ${leaked.join(', ')}` : 'succeeded on the victim’s resource'}`);
        } else if (![403, 404].includes(res.status) && !BAD_INPUT[op.p] && !OTHER_REFUSALS[op.p]) failures.push(`${where} as ${k.label}: ${res.status} ${text.slice(0, 200)}`);
        refusals[`REST ${res.status}`] = (refusals[`REST ${res.status}`] ?? 0) + 1;
      }
    }
    expect(failures).toEqual([]);
  });

  it('the other route handlers refuse anonymous, forged and unrelated callers; webhooks and the sandbox refuse unsigned requests', async () => {
    const strangerSeller = callers.find((c) => c.label === 'supplier/owner')!;
    const strangerKey = callers.find((c) => c.label === 'supplier/api-key')!;
    const forged = new Headers({ authorization: 'Bearer bc_forged_key_0000000000' });
    const withJson = (h: Headers) => {
      const out = new Headers(h);
      out.set('content-type', 'application/json');
      return out;
    };
    const params = (id: string) => ({ params: Promise.resolve({ id }) });
    const get = (url: string, headers: Headers) => new Request(`http://localhost${url}`, { headers });
    const multipart = (url: string, headers: Headers) => {
      const form = new FormData();
      form.set('file', new File(['herb,grams\n黄芪,1000\n'], 'x.csv', { type: 'text/csv' }));
      return new Request(`http://localhost${url}`, { method: 'POST', headers, body: form });
    };
    const cases: { name: string; call: () => Promise<Response>; expect: number[] }[] = [];
    for (const [who, headers, expected] of [
      ['anonymous', new Headers(), [401]],
      ['forged key', forged, [401]],
    ] as const) {
      cases.push({ name: `POST /api/uploads ${who}`, call: () => uploadsRoute.POST(multipart('/api/uploads', headers)), expect: [...expected] });
      cases.push({ name: `POST /api/imports ${who}`, call: () => importsRoute.POST(multipart('/api/imports', headers)), expect: [...expected] });
      cases.push({ name: `GET /api/lots/:id/label.png ${who}`, call: () => labelPngRoute.GET(get(`/api/lots/${v.lotId}/label.png`, headers), params(v.lotId)), expect: [...expected] });
      cases.push({ name: `GET /api/lots/:id/label.svg ${who}`, call: () => labelSvgRoute.GET(get(`/api/lots/${v.lotId}/label.svg`, headers), params(v.lotId)), expect: [...expected] });
      cases.push({ name: `GET /api/market/ohlc ${who}`, call: () => ohlcRoute.GET(get(`/api/market/ohlc?instrument=${v.instrumentId}`, headers)), expect: [...expected] });
      cases.push({ name: `GET /api/imports/:id/errors.csv ${who}`, call: () => importErrorsRoute.GET(get('/api/imports/imp_00000000000000000000000000/errors.csv', headers), params('imp_00000000000000000000000000')), expect: [...expected] });
      // Downloads answer 404 to anyone outside the owning organisation, signed in or not.
      cases.push({ name: `GET /api/uploads/:id ${who}`, call: () => uploadRoute.GET(get(`/api/uploads/${v.uploadId}`, headers), params(v.uploadId)), expect: [401, 404] });
      cases.push({ name: `POST /api/trpc/orders.cancel ${who}`, call: () => trpcRoute.POST(new Request(`http://localhost/api/trpc/orders.cancel`, { method: 'POST', headers: withJson(headers), body: JSON.stringify({ id: v.orderId }) })), expect: [401] });
    }
    for (const c of [strangerSeller, strangerKey]) {
      cases.push({ name: `GET /api/uploads/:id as ${c.label}`, call: () => uploadRoute.GET(get(`/api/uploads/${v.uploadId}`, c.headers), params(v.uploadId)), expect: [404] });
      cases.push({ name: `GET /api/lots/:id/label.png as ${c.label}`, call: () => labelPngRoute.GET(get(`/api/lots/${v.lotId}/label.png`, c.headers), params(v.lotId)), expect: [401, 404] });
      cases.push({ name: `GET /api/lots/:id/label.svg as ${c.label}`, call: () => labelSvgRoute.GET(get(`/api/lots/${v.lotId}/label.svg`, c.headers), params(v.lotId)), expect: [401, 404] });
      cases.push({ name: `GET /api/imports/:id/errors.csv as ${c.label}`, call: () => importErrorsRoute.GET(get('/api/imports/imp_00000000000000000000000000/errors.csv', c.headers), params('imp_00000000000000000000000000')), expect: [401, 403, 404] });
      cases.push({ name: `GET /api/trpc/orders.order as ${c.label}`, call: () => trpcRoute.GET(get(`/api/trpc/orders.order?input=${encodeURIComponent(JSON.stringify({ id: v.orderId }))}`, c.headers)), expect: [404] });
    }
    // Signature-authenticated endpoints: an unsigned (or wrongly signed) request is refused.
    const event = JSON.stringify({ id: 'evt_forged', type: 'payment_intent.succeeded', data: { object: { id: 'pi_forged', metadata: { orderId: v.orderId } } } });
    cases.push({ name: 'POST /api/webhooks/payments unsigned', call: () => paymentWebhookRoute.POST(new Request('http://localhost/api/webhooks/payments', { method: 'POST', body: event })), expect: [400, 401] });
    cases.push({ name: 'POST /api/webhooks/payments forged signature', call: () => paymentWebhookRoute.POST(new Request('http://localhost/api/webhooks/payments', { method: 'POST', headers: { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }, body: event })), expect: [400, 401] });
    const carrierBody = JSON.stringify({ WaybillRoute: [{ id: 'forged-1', mailno: v.trackingNumber, acceptTime: '2026-03-01 08:00:00', opCode: '80' }] });
    for (const carrier of ['sf', 'jd', 'sim']) {
      cases.push({ name: `POST /api/webhooks/carriers/${carrier} unsigned`, call: () => carrierWebhookRoute.POST(new Request(`http://localhost/api/webhooks/carriers/${carrier}`, { method: 'POST', body: carrierBody }), { params: Promise.resolve({ carrier }) }), expect: [400, 401, 403, 404] });
    }
    cases.push({ name: 'GET /api/payments-sandbox/v1/payment_intents without a key', call: () => sandboxRoute.GET(get('/api/payments-sandbox/v1/payment_intents', new Headers())), expect: [401, 403, 404] });
    cases.push({ name: 'POST /api/payments-sandbox/v1/refunds with a forged key', call: () => sandboxRoute.POST(new Request('http://localhost/api/payments-sandbox/v1/refunds', { method: 'POST', headers: { authorization: 'Bearer sk_test_forged', 'content-type': 'application/x-www-form-urlencoded' }, body: 'payment_intent=pi_forged' })), expect: [401, 403, 404] });
    // Not called: /api/health and /api/v1/openapi.json (public by design), /api/auth/* (better-auth's own endpoints).

    const failures: string[] = [];
    for (const c of cases) {
      const res = await c.call();
      refusals[`ROUTE ${res.status}`] = (refusals[`ROUTE ${res.status}`] ?? 0) + 1;
      if (!c.expect.includes(res.status)) failures.push(`${c.name}: ${res.status} ${(await res.text()).slice(0, 200)}, expected ${c.expect.join('/')}`);
    }
    expect(failures).toEqual([]);
  });

  it('an alliance’s invitation draws nobody in: the invitee is not a member, not shown, not in its tenders until it accepts', async () => {
    const stranger = callers.find((c) => c.label === 'alliance/owner')!.caller;
    const invited = await stranger.tenders.addMember({ memberOrgId: v.hospitalId });
    expect(invited).toMatchObject({ memberOrgId: v.hospitalId, status: 'invited' });
    const listed = await stranger.tenders.members();
    expect(listed.find((m) => m.orgId === v.hospitalId)).toMatchObject({ status: 'invited', name: null, kind: null, regionCode: null, joinedAt: null });
    const [victim] = await app.handle.db.select({ name: organization.name }).from(organization).where(eq(organization.id, v.hospitalId));
    expect(JSON.stringify(listed)).not.toContain(victim!.name);
    // The stranger alliance collects demand: the invited victim neither sees the tender nor reports into it.
    const { id } = await stranger.tenders.create(INPUTS['tenders.create']!() as Parameters<Caller['tenders']['create']>[0]);
    await stranger.tenders.openDemand({ id });
    expect((await own.hospital.tenders.list()).tenders.map((t) => t.id)).not.toContain(id);
    expect((await errorOf(() => own.hospital.tenders.get({ id }))).code).toBe('NOT_FOUND');
    const lotId = (await app.handle.db.select({ id: tenderLot.id }).from(tenderLot).where(eq(tenderLot.tenderId, id)))[0]!.id;
    expect((await errorOf(() => own.hospital.tenders.reportDemand({ tenderId: id, lots: [{ lotId, grams: 1000 }] }))).code).toBe('FORBIDDEN');
    // The victim sees who invites it, and only it could answer.
    expect((await own.hospital.tenders.myInvitations()).map((i) => i.id)).toContain(invited.id);
  });

  it('leaves the victim’s rows exactly as they were (nothing half-written)', async () => {
    const after = await victimState(app.handle);
    expect(after.counts).toEqual(before.counts);
    expect(after.rows).toEqual(before.rows);
    console.log(
      `authz matrix: ${Object.keys(appRouter._def.procedures).length} procedures × ${callers.length} callers = ${checked} calls checked (${skippedPlatform} platform calls by the operator skipped), ` +
        `${successes} answered (public or own scope), refusals ${JSON.stringify(refusals)}; public: ${[...PUBLIC].join(', ')}; ` +
        `BAD_REQUEST accepted: ${JSON.stringify(badInputSeen)}; known holes: ${Object.keys(KNOWN_HOLES).join(', ') || 'none'}`,
    );
  });
});
