import { randomBytes } from 'node:crypto';
import { newId } from '../../../lib/ids.ts';
import type { Db } from '../../db/client.ts';
import { order } from '../../db/schema/index.ts';
import { resolveCarriersConfig } from '../../integrations/carriers/carriers.config.ts';
import { createCarriers, type Carriers } from '../../integrations/carriers/carriers.ts';
import type { SimulatedEvent } from '../../integrations/carriers/simulated.adapter.ts';
import { handleCarrierWebhookRequest, type CarrierWebhookDeps } from '../../integrations/carriers/webhook.ts';
import { createShipmentForOrder } from './shipments.service.ts';
import type { ShipmentDetails } from './shipments.schemas.ts';

/** Fixtures of the delivery tests: carriers with known secrets, a shipped order, signed webhook posts. */
export const TEST_CARRIER_SECRETS = { CARRIER_SF_SECRET: 'test-sf-secret-0123456789', CARRIER_JD_SECRET: 'test-jd-secret-0123456789', CARRIER_SIM_SECRET: 'test-sim-secret-0123456789' };

/** Carriers with the test secrets, the simulated one available; one simulated minute lasts `simMinuteMs` (1 ms: a delivery plays at once). */
export function testCarriers(simMinuteMs = 1): Carriers {
  return createCarriers(resolveCarriersConfig({ ...TEST_CARRIER_SECRETS, CARRIER_SIM_MINUTE_MS: String(simMinuteMs), BENCAO_DEMO: '1' }, 'unused-derivation-seed'));
}

/** An order row between two organisations (the orders flow is tested elsewhere; shipments only need the row). */
export async function insertOrder(db: Db, sellerOrgId: string, buyerOrgId: string): Promise<string> {
  const id = newId('ord');
  const key = `ship-${randomBytes(6).toString('hex')}`;
  await db.insert(order).values({ id, buyerOrgId, sellerOrgId, status: 'shipped', paymentMethod: 'bank_transfer', subtotalFen: 100_000, totalFen: 100_000, checkoutKey: key, idempotencyKey: `${key}:${sellerOrgId}` });
  return id;
}

export async function shipOrder(db: Db, carriers: Carriers, sellerOrgId: string, buyerOrgId: string, details: Partial<ShipmentDetails> = {}) {
  const orderId = await insertOrder(db, sellerOrgId, buyerOrgId);
  return db.transaction((tx) => createShipmentForOrder(tx, carriers, { id: orderId, sellerOrgId, buyerOrgId }, { carrier: 'sf', trackingNumber: sfTrackingNumber(), weightG: 5_000_000, parcels: 10, ...details }, { userId: null, orgId: sellerOrgId }));
}

export const sfTrackingNumber = () => `SF${String(Date.now()).slice(-7)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** A simulated-carrier body with one or more events. */
export function simBody(events: (Omit<SimulatedEvent, 'at'> & { at: Date | string })[]): string {
  return JSON.stringify({ events: events.map((e) => ({ ...e, at: typeof e.at === 'string' ? e.at : e.at.toISOString() })) });
}

/** POSTs `body` to the carrier webhook handler, signed at `signedAt` (default now) unless `headers` are given. */
export async function postWebhook(deps: CarrierWebhookDeps, carrier: string, body: string, options: { signedAt?: Date; headers?: Record<string, string> } = {}) {
  const adapter = deps.carriers.get(carrier);
  const headers = options.headers ?? (adapter ? adapter.sign(body, options.signedAt ?? new Date()) : {});
  const res = await handleCarrierWebhookRequest(deps, new Request(`http://localhost/api/webhooks/carriers/${carrier}`, { method: 'POST', headers, body }), carrier);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; field: string | null } } };
}
