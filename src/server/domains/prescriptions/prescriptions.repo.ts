import { and, asc, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  licence,
  lot,
  member,
  orgProfile,
  organization,
  pharmacyCapability,
  prescription,
  prescriptionItem,
  product,
  rxDecoctionStep,
  rxDispenseCheck,
  rxEvent,
  rxOffer,
  rxReview,
  rxStatusLink,
  user,
} from '../../db/schema/index.ts';

/**
 * Drizzle queries of the prescriptions domain. Reads of a prescription are scoped: the hospital that
 * issued it, or a pharmacy holding (or having held) an offer for it.
 */
export type RxRow = typeof prescription.$inferSelect;
export type RxItemRow = typeof prescriptionItem.$inferSelect;
export type RxOfferRow = typeof rxOffer.$inferSelect;

/** The member's roles in an organisation (better-auth stores them comma-separated). */
export async function memberRoles(db: DbOrTx, orgId: string, userId: string): Promise<string[]> {
  const [row] = await db
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, orgId), eq(member.userId, userId)));
  return row ? row.role.split(',').map((r) => r.trim()) : [];
}

export async function userIdByEmailInOrg(db: DbOrTx, orgId: string, email: string) {
  const [row] = await db
    .select({ id: user.id, role: member.role })
    .from(user)
    .innerJoin(member, and(eq(member.userId, user.id), eq(member.organizationId, orgId)))
    .where(eq(user.email, email.trim().toLowerCase()));
  return row ? { id: row.id, roles: row.role.split(',').map((r) => r.trim()) } : undefined;
}

export async function orgKind(db: DbOrTx, orgId: string): Promise<string | undefined> {
  const [row] = await db.select({ kind: orgProfile.kind }).from(orgProfile).where(eq(orgProfile.orgId, orgId));
  return row?.kind;
}

export async function findByKey(db: DbOrTx, hospitalOrgId: string, key: string) {
  const [row] = await db
    .select()
    .from(prescription)
    .where(and(eq(prescription.hospitalOrgId, hospitalOrgId), eq(prescription.idempotencyKey, key)));
  return row;
}

export async function findHospitalRx(db: DbOrTx, hospitalOrgId: string, id: string) {
  const [row] = await db
    .select()
    .from(prescription)
    .where(and(eq(prescription.id, id), eq(prescription.hospitalOrgId, hospitalOrgId)));
  return row;
}

export async function lockHospitalRx(db: DbOrTx, hospitalOrgId: string, id: string) {
  const [row] = await db
    .select()
    .from(prescription)
    .where(and(eq(prescription.id, id), eq(prescription.hospitalOrgId, hospitalOrgId)))
    .for('no key update');
  return row;
}

/** The prescription assigned to (accepted by) a pharmacy. */
export async function lockPharmacyRx(db: DbOrTx, pharmacyOrgId: string, id: string) {
  const [row] = await db
    .select()
    .from(prescription)
    .where(and(eq(prescription.id, id), eq(prescription.pharmacyOrgId, pharmacyOrgId)))
    .for('no key update');
  return row;
}

/** A prescription a pharmacy may read: it holds an open offer for it, or accepted it. */
export async function findPharmacyVisibleRx(db: DbOrTx, pharmacyOrgId: string, id: string) {
  const [row] = await db
    .select({ rx: prescription })
    .from(prescription)
    .innerJoin(rxOffer, and(eq(rxOffer.prescriptionId, prescription.id), eq(rxOffer.pharmacyOrgId, pharmacyOrgId), inArray(rxOffer.status, ['offered', 'accepted'])))
    .where(eq(prescription.id, id))
    .limit(1);
  return row?.rx;
}

/** System use (jobs): no org scope. */
export async function lockRx(db: DbOrTx, id: string) {
  const [row] = await db.select().from(prescription).where(eq(prescription.id, id)).for('no key update');
  return row;
}

export async function itemsOf(db: DbOrTx, prescriptionId: string) {
  return db.select().from(prescriptionItem).where(eq(prescriptionItem.prescriptionId, prescriptionId)).orderBy(asc(prescriptionItem.lineNo));
}

export async function eventsOf(db: DbOrTx, prescriptionId: string) {
  return db.select().from(rxEvent).where(eq(rxEvent.prescriptionId, prescriptionId)).orderBy(asc(rxEvent.at), asc(rxEvent.id));
}

export async function offersOf(db: DbOrTx, prescriptionId: string) {
  return db.select().from(rxOffer).where(eq(rxOffer.prescriptionId, prescriptionId)).orderBy(asc(rxOffer.round));
}

export async function reviewOf(db: DbOrTx, prescriptionId: string) {
  const [row] = await db.select().from(rxReview).where(eq(rxReview.prescriptionId, prescriptionId));
  return row;
}

export async function checksOf(db: DbOrTx, prescriptionId: string) {
  return db.select().from(rxDispenseCheck).where(eq(rxDispenseCheck.prescriptionId, prescriptionId));
}

export async function decoctionStepsOf(db: DbOrTx, prescriptionId: string) {
  return db.select().from(rxDecoctionStep).where(eq(rxDecoctionStep.prescriptionId, prescriptionId)).orderBy(asc(rxDecoctionStep.at), asc(rxDecoctionStep.id));
}

export async function statusLinkOf(db: DbOrTx, prescriptionId: string) {
  const [row] = await db.select().from(rxStatusLink).where(eq(rxStatusLink.prescriptionId, prescriptionId));
  return row;
}

export async function findStatusLink(db: DbOrTx, token: string) {
  const [row] = await db.select().from(rxStatusLink).where(eq(rxStatusLink.token, token));
  return row;
}

/** The prescription an offer belongs to (unlocked: callers lock the prescription, then the offer). */
export async function prescriptionOfOffer(db: DbOrTx, offerId: string, pharmacyOrgId?: string) {
  const conditions = [eq(rxOffer.id, offerId)];
  if (pharmacyOrgId) conditions.push(eq(rxOffer.pharmacyOrgId, pharmacyOrgId));
  const [row] = await db
    .select({ prescriptionId: rxOffer.prescriptionId })
    .from(rxOffer)
    .where(and(...conditions));
  return row?.prescriptionId;
}

export async function lockOffer(db: DbOrTx, offerId: string) {
  const [row] = await db.select().from(rxOffer).where(eq(rxOffer.id, offerId)).for('no key update');
  return row;
}

export async function lockPharmacyOffer(db: DbOrTx, pharmacyOrgId: string, offerId: string) {
  const [row] = await db
    .select()
    .from(rxOffer)
    .where(and(eq(rxOffer.id, offerId), eq(rxOffer.pharmacyOrgId, pharmacyOrgId)))
    .for('no key update');
  return row;
}

export async function listHospital(db: DbOrTx, hospitalOrgId: string, status?: string) {
  const conditions = [eq(prescription.hospitalOrgId, hospitalOrgId)];
  if (status) conditions.push(eq(prescription.status, status));
  return db
    .select({
      id: prescription.id,
      status: prescription.status,
      patientName: prescription.patientName,
      patientSex: prescription.patientSex,
      patientAgeYears: prescription.patientAgeYears,
      doses: prescription.doses,
      decoction: prescription.decoction,
      fulfilment: prescription.fulfilment,
      blocked: prescription.blocked,
      overridden: sql<boolean>`${prescription.overrideAt} is not null`,
      flags: prescription.flags,
      pharmacyOrgId: prescription.pharmacyOrgId,
      pharmacyName: organization.name,
      routingNote: prescription.routingNote,
      issuedAt: prescription.issuedAt,
      expiresAt: prescription.expiresAt,
      updatedAt: prescription.updatedAt,
    })
    .from(prescription)
    .leftJoin(organization, eq(organization.id, prescription.pharmacyOrgId))
    .where(and(...conditions))
    .orderBy(desc(prescription.createdAt), desc(prescription.id))
    .limit(500);
}

/** Open offers of a pharmacy (countdown in the workbench). */
export async function openOffersOf(db: DbOrTx, pharmacyOrgId: string) {
  return db
    .select({
      offerId: rxOffer.id,
      prescriptionId: rxOffer.prescriptionId,
      expiresAt: rxOffer.expiresAt,
      offeredAt: rxOffer.offeredAt,
      distanceM: rxOffer.distanceM,
      doses: prescription.doses,
      decoction: prescription.decoction,
      fulfilment: prescription.fulfilment,
      hospitalName: organization.name,
    })
    .from(rxOffer)
    .innerJoin(prescription, eq(prescription.id, rxOffer.prescriptionId))
    .innerJoin(organization, eq(organization.id, prescription.hospitalOrgId))
    .where(and(eq(rxOffer.pharmacyOrgId, pharmacyOrgId), eq(rxOffer.status, 'offered')))
    .orderBy(asc(rxOffer.expiresAt));
}

/** Prescriptions a pharmacy accepted (work in progress and done). */
export async function pharmacyWork(db: DbOrTx, pharmacyOrgId: string) {
  return db
    .select({
      id: prescription.id,
      status: prescription.status,
      doses: prescription.doses,
      decoction: prescription.decoction,
      fulfilment: prescription.fulfilment,
      patientName: prescription.patientName,
      hospitalName: organization.name,
      updatedAt: prescription.updatedAt,
    })
    .from(prescription)
    .innerJoin(organization, eq(organization.id, prescription.hospitalOrgId))
    .where(eq(prescription.pharmacyOrgId, pharmacyOrgId))
    .orderBy(desc(prescription.updatedAt))
    .limit(500);
}

export async function orgNames(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: organization.id, name: organization.name }).from(organization).where(inArray(organization.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function userNames(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---------------------------------------------------------------------------------------------------
// Routing inputs: pharmacies with their capability, location, licences, today's load and stock

/** Degrees around a point; lng null when the box would wrap around the antimeridian or a pole. */
export interface GeoBox {
  minLat: number;
  maxLat: number;
  lng: { min: number; max: number } | null;
}

/** The largest service radius any pharmacy has (bounds the search box). */
export async function maxServiceRadiusKm(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ r: sql<number | null>`max(${pharmacyCapability.serviceRadiusKm})` }).from(pharmacyCapability);
  return Number(row?.r ?? 0);
}

/**
 * Pharmacies with a capability row, only `onlyOrgId` (a chosen store) or only those inside `box`
 * (pharmacies farther than every service radius can never qualify, so they are not loaded).
 */
export async function routablePharmacies(db: DbOrTx, onlyOrgId?: string, box?: GeoBox) {
  const conditions = [eq(orgProfile.kind, 'pharmacy')];
  if (onlyOrgId) conditions.push(eq(orgProfile.orgId, onlyOrgId));
  if (box) {
    conditions.push(gte(orgProfile.lat, box.minLat), lte(orgProfile.lat, box.maxLat));
    if (box.lng) conditions.push(gte(orgProfile.lng, box.lng.min), lte(orgProfile.lng, box.lng.max));
  }
  return db
    .select({
      id: orgProfile.orgId,
      lat: orgProfile.lat,
      lng: orgProfile.lng,
      kybStatus: orgProfile.kybStatus,
      decoction: pharmacyCapability.decoction,
      dailyCapacity: pharmacyCapability.dailyCapacity,
      opensAtMin: pharmacyCapability.opensAtMin,
      closesAtMin: pharmacyCapability.closesAtMin,
      serviceRadiusKm: pharmacyCapability.serviceRadiusKm,
      active: pharmacyCapability.active,
    })
    .from(orgProfile)
    .innerJoin(pharmacyCapability, eq(pharmacyCapability.orgId, orgProfile.orgId))
    .where(and(...conditions));
}

export async function licencesOf(db: DbOrTx, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return db
    .select({ orgId: licence.orgId, type: licence.type, validFrom: licence.validFrom, expiresOn: licence.expiresOn })
    .from(licence)
    .where(inArray(licence.orgId, orgIds));
}

/** Offers accepted since `since`, per pharmacy (today's load against daily capacity). */
export async function acceptedSince(db: DbOrTx, orgIds: string[], since: Date) {
  if (orgIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ orgId: rxOffer.pharmacyOrgId, n: sql<number>`count(*)::int` })
    .from(rxOffer)
    .where(and(inArray(rxOffer.pharmacyOrgId, orgIds), eq(rxOffer.status, 'accepted'), gte(rxOffer.decidedAt, since)))
    .groupBy(rxOffer.pharmacyOrgId);
  return new Map(rows.map((r) => [r.orgId, Number(r.n)]));
}

/** Grams available (quantity − reserved) of unexpired lots, per pharmacy and herb id. */
export async function stockOf(db: DbOrTx, orgIds: string[], herbIds: string[], today: string) {
  const out = new Map<string, Record<string, number>>();
  if (orgIds.length === 0 || herbIds.length === 0) return out;
  const rows = await db
    .select({ orgId: lot.sellerOrgId, herbId: product.herbId, g: sql<number>`sum(${lot.quantityG} - ${lot.reservedG})::bigint` })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .where(and(inArray(lot.sellerOrgId, orgIds), inArray(product.herbId, herbIds), gte(lot.expiryDate, today), gt(sql`${lot.quantityG} - ${lot.reservedG}`, 0)))
    .groupBy(lot.sellerOrgId, product.herbId);
  for (const r of rows) {
    const stock = out.get(r.orgId) ?? {};
    stock[r.herbId] = Number(r.g);
    out.set(r.orgId, stock);
  }
  return out;
}

/**
 * A pharmacy's unexpired lots of one herb with stock, earliest expiry first (FEFO), locked FOR NO KEY
 * UPDATE, as lots are everywhere (`lockLots`): a draw never changes a lot's key, and FOR UPDATE would also
 * hold up every transaction writing a row that refers to the lot.
 */
export async function lockLotsForDraw(db: DbOrTx, orgId: string, herbId: string, today: string) {
  return db
    .select({ id: lot.id, quantityG: lot.quantityG, reservedG: lot.reservedG })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .where(and(eq(lot.sellerOrgId, orgId), eq(product.herbId, herbId), gte(lot.expiryDate, today), gt(sql`${lot.quantityG} - ${lot.reservedG}`, 0)))
    .orderBy(asc(lot.expiryDate), asc(lot.id))
    .for('no key update', { of: lot });
}

export async function capabilityOf(db: DbOrTx, orgId: string) {
  const [row] = await db.select().from(pharmacyCapability).where(eq(pharmacyCapability.orgId, orgId));
  return row;
}

/** Screened prescriptions of a hospital waiting for 审方. */
export async function reviewQueue(db: DbOrTx, hospitalOrgId: string) {
  return db
    .select()
    .from(prescription)
    .where(and(eq(prescription.hospitalOrgId, hospitalOrgId), eq(prescription.status, 'screened')))
    .orderBy(asc(prescription.issuedAt), asc(prescription.id))
    .limit(200);
}
