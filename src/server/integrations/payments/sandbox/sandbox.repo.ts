import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { paymentSandboxEvent, paymentSandboxIdempotency, paymentSandboxIntent, paymentSandboxRefund } from '../../../db/schema/payments.ts';
import { isIntentStatus, type CaptureMethod, type IntentState, type RefundReason, type RefundState } from './sandbox.core.ts';

/** Drizzle queries for the sandbox's tables. */
type IntentRow = typeof paymentSandboxIntent.$inferSelect;

function toIntent(row: IntentRow): IntentState {
  if (!isIntentStatus(row.status)) throw new Error(`sandbox: intent ${row.id} has unknown status ${row.status}`);
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    captureMethod: row.captureMethod as CaptureMethod,
    paymentMethod: row.paymentMethod,
    amountCapturable: row.amountCapturable,
    amountReceived: row.amountReceived,
    amountRefunded: row.amountRefunded,
    latestCharge: row.latestCharge,
    chargeStatus: row.chargeStatus === 'succeeded' || row.chargeStatus === 'failed' ? row.chargeStatus : null,
    clientSecret: row.clientSecret,
    description: row.description,
    metadata: row.metadata,
    lastPaymentError: row.lastPaymentError,
    cancellationReason: row.cancellationReason,
    canceledAt: row.canceledAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * `forUpdate` locks the row until the transaction ends (serialises captures, cancels and refunds), FOR NO
 * KEY UPDATE as rows are locked everywhere here: nothing changes an intent's id.
 */
export async function findIntent(db: DbOrTx, id: string, options: { forUpdate?: boolean } = {}): Promise<IntentState | null> {
  const query = db.select().from(paymentSandboxIntent).where(eq(paymentSandboxIntent.id, id));
  const [row] = options.forUpdate ? await query.for('no key update') : await query;
  return row ? toIntent(row) : null;
}

export async function findIntentByCharge(db: DbOrTx, chargeId: string, options: { forUpdate?: boolean } = {}): Promise<IntentState | null> {
  const query = db.select().from(paymentSandboxIntent).where(eq(paymentSandboxIntent.latestCharge, chargeId));
  const [row] = options.forUpdate ? await query.for('no key update') : await query;
  return row ? toIntent(row) : null;
}

export async function insertIntent(db: DbOrTx, intent: IntentState): Promise<void> {
  await db.insert(paymentSandboxIntent).values(intent);
}

export async function updateIntent(db: DbOrTx, intent: IntentState): Promise<void> {
  const { id, createdAt: _createdAt, ...rest } = intent;
  await db.update(paymentSandboxIntent).set(rest).where(eq(paymentSandboxIntent.id, id));
}

export async function insertRefund(db: DbOrTx, refund: RefundState): Promise<void> {
  await db.insert(paymentSandboxRefund).values(refund);
}

type RefundRow = typeof paymentSandboxRefund.$inferSelect;

function toRefund(row: RefundRow): RefundState {
  return {
    id: row.id,
    paymentIntentId: row.paymentIntentId,
    chargeId: row.chargeId,
    amount: row.amount,
    currency: row.currency,
    status: 'succeeded',
    reason: row.reason as RefundReason | null,
    metadata: row.metadata,
    createdAt: row.createdAt,
  };
}

export async function listRefunds(
  db: DbOrTx,
  filter: { paymentIntentId: string | null; chargeId: string | null; limit: number; startingAfter: string | null },
): Promise<{ refunds: RefundState[]; hasMore: boolean }> {
  const conditions = [
    filter.paymentIntentId !== null ? eq(paymentSandboxRefund.paymentIntentId, filter.paymentIntentId) : undefined,
    filter.chargeId !== null ? eq(paymentSandboxRefund.chargeId, filter.chargeId) : undefined,
    filter.startingAfter !== null ? gt(paymentSandboxRefund.id, filter.startingAfter) : undefined,
  ];
  // Ids are time-sortable, so id order is creation order (Stripe lists newest first; the sandbox
  // lists oldest first, which keeps `starting_after` paging simple — callers only sum or page).
  const rows = await db
    .select()
    .from(paymentSandboxRefund)
    .where(and(...conditions))
    .orderBy(asc(paymentSandboxRefund.id))
    .limit(filter.limit + 1);
  return { refunds: rows.slice(0, filter.limit).map(toRefund), hasMore: rows.length > filter.limit };
}

// ---------------------------------------------------------------------------------------------------
// Idempotency

export type IdempotencyRecord = typeof paymentSandboxIdempotency.$inferSelect;

/**
 * Claims `key` for this request: inserts a placeholder row (completed by `completeIdempotencyKey` in the
 * same transaction). Answers the existing row instead when the key is taken. On PostgreSQL a concurrent
 * request with the same key waits on the unique index until the first commits, then sees its row.
 */
export async function claimIdempotencyKey(
  db: DbOrTx,
  claim: { key: string; requestHash: string; method: string; path: string; requestId: string; now: Date },
): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
  const inserted = await db
    .insert(paymentSandboxIdempotency)
    .values({ key: claim.key, requestHash: claim.requestHash, method: claim.method, path: claim.path, statusCode: 0, responseBody: '', requestId: claim.requestId, createdAt: claim.now })
    .onConflictDoNothing({ target: paymentSandboxIdempotency.key })
    .returning({ key: paymentSandboxIdempotency.key });
  if (inserted.length > 0) return { claimed: true };
  const [existing] = await db.select().from(paymentSandboxIdempotency).where(eq(paymentSandboxIdempotency.key, claim.key));
  if (!existing) throw new Error(`sandbox: idempotency key ${claim.key} conflicted but is gone`);
  return { claimed: false, existing };
}

/** Takes over an expired record (older than Stripe's 24 h window) for a new request. */
export async function reclaimIdempotencyKey(
  db: DbOrTx,
  claim: { key: string; requestHash: string; method: string; path: string; requestId: string; now: Date; previousCreatedAt: Date },
): Promise<boolean> {
  const updated = await db
    .update(paymentSandboxIdempotency)
    .set({ requestHash: claim.requestHash, method: claim.method, path: claim.path, statusCode: 0, responseBody: '', requestId: claim.requestId, createdAt: claim.now })
    .where(and(eq(paymentSandboxIdempotency.key, claim.key), eq(paymentSandboxIdempotency.createdAt, claim.previousCreatedAt)))
    .returning({ key: paymentSandboxIdempotency.key });
  return updated.length > 0;
}

export async function completeIdempotencyKey(db: DbOrTx, key: string, response: { statusCode: number; body: string }): Promise<void> {
  await db
    .update(paymentSandboxIdempotency)
    .set({ statusCode: response.statusCode, responseBody: response.body })
    .where(eq(paymentSandboxIdempotency.key, key));
}

// ---------------------------------------------------------------------------------------------------
// Events

export async function insertEvent(db: DbOrTx, event: { id: string; type: string; objectId: string; body: string; createdAt: Date }): Promise<void> {
  await db.insert(paymentSandboxEvent).values(event);
}

export async function findEvent(db: DbOrTx, id: string) {
  const [row] = await db.select().from(paymentSandboxEvent).where(eq(paymentSandboxEvent.id, id));
  return row ?? null;
}

export async function markEventDelivered(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db
    .update(paymentSandboxEvent)
    .set({ deliveredAt: at })
    .where(and(eq(paymentSandboxEvent.id, id), isNull(paymentSandboxEvent.deliveredAt)));
}

export async function eventsFor(db: DbOrTx, objectId: string) {
  return db.select().from(paymentSandboxEvent).where(eq(paymentSandboxEvent.objectId, objectId)).orderBy(asc(paymentSandboxEvent.id));
}
