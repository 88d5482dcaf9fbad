import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { DbOrTx } from '../../db/client.ts';
import { tender } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { assertTenderTransition, type TenderActorRole, type TenderStatus } from './tenders.core.ts';
import type { TenderRow } from './tenders.repo.ts';

/** Who moves a tender: the alliance officer (user and org) or the system (timer jobs). */
export interface TenderMover {
  role: TenderActorRole;
  userId: string | null;
  orgId: string | null;
}

export const SYSTEM_MOVER: TenderMover = { role: 'system', userId: null, orgId: null };

/**
 * Moves a (locked) tender along the transition table: conditional update on the current status and
 * one audit entry, in the caller's transaction. A forbidden move throws before anything is written.
 * Audit data never carries bid prices; audit entries carry the wall-clock time.
 */
export async function moveTender(
  tx: DbOrTx,
  current: TenderRow,
  to: TenderStatus,
  mover: TenderMover,
  now: Date,
  extra: { set?: Partial<typeof tender.$inferInsert>; data?: Record<string, unknown> } = {},
): Promise<TenderRow> {
  const from = assertTenderTransition(current.status, to, mover.role);
  const [updated] = await tx
    .update(tender)
    .set({ ...extra.set, status: to, updatedAt: now })
    .where(and(eq(tender.id, current.id), eq(tender.status, from)))
    .returning();
  if (!updated) throw new AppError('CONFLICT', msg('tenders.invalidTransition', { from, to }), { field: 'id' });
  await appendAudit(
    tx,
    { actorUserId: mover.userId, actorOrgId: mover.orgId, orgId: current.allianceOrgId, action: 'tender.status_changed', entityType: 'tender', entityId: current.id, data: { from, to, role: mover.role, ...extra.data } },
  );
  return updated;
}

/** An audit entry about a tender (never with a bid price before the opening). */
export async function auditTender(tx: DbOrTx, row: { id: string; allianceOrgId: string }, entry: { action: string; userId: string | null; orgId: string | null; data?: Record<string, unknown> }): Promise<void> {
  await appendAudit(tx, { actorUserId: entry.userId, actorOrgId: entry.orgId, orgId: row.allianceOrgId, action: entry.action, entityType: 'tender', entityId: row.id, data: entry.data ?? {} });
}
