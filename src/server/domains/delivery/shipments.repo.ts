import { and, asc, desc, eq, inArray, isNotNull, lt, notInArray, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organization, orgProfile, shipment, shipmentAlert, shipmentEvent, shipmentTemperature } from '../../db/schema/index.ts';
import { FINAL_SHIPMENT_STATES, type ShipmentState } from './shipments.core.ts';

/** Drizzle queries of delivery tracking. Everything that reads org data takes the caller's org. */
export type ShipmentRow = typeof shipment.$inferSelect;
export type ShipmentEventRow = typeof shipmentEvent.$inferSelect;
export type ShipmentAlertRow = typeof shipmentAlert.$inferSelect;

/** The organisations that may see a shipment: sender, receiver, observer (the issuing hospital). */
export const partyOf = (orgId: string): SQL => or(eq(shipment.senderOrgId, orgId), eq(shipment.receiverOrgId, orgId), eq(shipment.observerOrgId, orgId)) as SQL;

export async function findPartyShipment(db: DbOrTx, orgId: string, id: string): Promise<ShipmentRow | undefined> {
  const [row] = await db
    .select()
    .from(shipment)
    .where(and(eq(shipment.id, id), partyOf(orgId)));
  return row;
}

export async function lockPartyShipment(db: DbOrTx, orgId: string, id: string): Promise<ShipmentRow | undefined> {
  const [row] = await db
    .select()
    .from(shipment)
    .where(and(eq(shipment.id, id), partyOf(orgId)))
    .for('no key update');
  return row;
}

/** System use (carrier webhooks): the shipment with this carrier's tracking number, locked. */
export async function lockByTracking(db: DbOrTx, carrier: string, trackingNumber: string): Promise<ShipmentRow | undefined> {
  const [row] = await db
    .select()
    .from(shipment)
    .where(and(eq(shipment.carrier, carrier), eq(shipment.trackingNumber, trackingNumber)))
    .for('no key update');
  return row;
}

/** System use (jobs): a shipment by id regardless of org. */
export async function shipmentById(db: DbOrTx, id: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.select().from(shipment).where(eq(shipment.id, id));
  return row;
}

/** The latest shipment of a prescription (callers have checked the prescription is theirs). */
export async function latestOfPrescription(db: DbOrTx, prescriptionId: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.select().from(shipment).where(eq(shipment.prescriptionId, prescriptionId)).orderBy(desc(shipment.id)).limit(1);
  return row;
}

export async function eventsOf(db: DbOrTx, shipmentId: string) {
  return db.select().from(shipmentEvent).where(eq(shipmentEvent.shipmentId, shipmentId)).orderBy(asc(shipmentEvent.eventAt), asc(shipmentEvent.receivedAt), asc(shipmentEvent.id));
}

export async function temperaturesOf(db: DbOrTx, shipmentId: string) {
  return db.select().from(shipmentTemperature).where(eq(shipmentTemperature.shipmentId, shipmentId)).orderBy(asc(shipmentTemperature.readingAt));
}

export async function alertsOf(db: DbOrTx, shipmentId: string) {
  return db.select().from(shipmentAlert).where(eq(shipmentAlert.shipmentId, shipmentId)).orderBy(asc(shipmentAlert.startedAt), asc(shipmentAlert.id));
}

export async function excursionAlertsOf(db: DbOrTx, shipmentId: string) {
  return db
    .select()
    .from(shipmentAlert)
    .where(and(eq(shipmentAlert.shipmentId, shipmentId), eq(shipmentAlert.kind, 'temperature_excursion')));
}

export async function orgNames(db: DbOrTx, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: organization.id, name: organization.name }).from(organization).where(inArray(organization.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** An organisation's name and postal address (the default waybill addresses of an order). */
export async function orgAddress(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({ name: organization.name, address: orgProfile.address, regionCode: orgProfile.regionCode, lat: orgProfile.lat, lng: orgProfile.lng })
    .from(organization)
    .leftJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(eq(organization.id, orgId));
  return row;
}

export interface ListFilters {
  side: 'all' | 'sent' | 'received';
  late?: boolean | undefined;
  exception?: boolean | undefined;
  coldChain?: boolean | undefined;
  state?: ShipmentState | undefined;
  orderId?: string | undefined;
  prescriptionId?: string | undefined;
  /** Ids sort by creation time: the page after this id (newest first). */
  cursor?: string | undefined;
  limit: number;
}

export async function listPartyShipments(db: DbOrTx, orgId: string, filters: ListFilters, now: Date) {
  const where: SQL[] = [];
  if (filters.side === 'sent') where.push(eq(shipment.senderOrgId, orgId));
  else if (filters.side === 'received') where.push(or(eq(shipment.receiverOrgId, orgId), eq(shipment.observerOrgId, orgId)) as SQL);
  else where.push(partyOf(orgId));
  if (filters.late) where.push(isNotNull(shipment.eta), lt(shipment.eta, now), notInArray(shipment.state, [...FINAL_SHIPMENT_STATES]));
  if (filters.exception) where.push(eq(shipment.state, 'exception'));
  if (filters.coldChain !== undefined) where.push(eq(shipment.coldChain, filters.coldChain));
  if (filters.state) where.push(eq(shipment.state, filters.state));
  if (filters.orderId) where.push(eq(shipment.orderId, filters.orderId));
  if (filters.prescriptionId) where.push(eq(shipment.prescriptionId, filters.prescriptionId));
  if (filters.cursor) where.push(lt(shipment.id, filters.cursor));
  return db
    .select()
    .from(shipment)
    .where(and(...where))
    .orderBy(desc(shipment.id))
    .limit(filters.limit + 1);
}
