import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { AuditRow } from './audit.core.ts';

type AuditSelect = typeof auditLog.$inferSelect;

export function toAuditRow(r: AuditSelect): AuditRow {
  return {
    seq: r.seq,
    id: r.id,
    at: r.at.toISOString(),
    actorUserId: r.actorUserId,
    actorOrgId: r.actorOrgId,
    orgId: r.orgId,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    data: r.data,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** Serialises appends: one writer at a time extends the chain (transaction-scoped advisory lock). */
export async function lockChain(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7251001)`);
}

export async function lastAuditRow(tx: DbOrTx): Promise<AuditSelect | undefined> {
  const [row] = await tx.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  return row;
}

export async function insertAuditRows(tx: DbOrTx, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(auditLog).values(rows.map((row) => ({ ...row, at: new Date(row.at), data: row.data as object })));
}

export async function auditRowsAfter(db: DbOrTx, afterSeq: number, limit: number): Promise<AuditRow[]> {
  const rows = await db.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(limit);
  return rows.map(toAuditRow);
}

export interface AuditFilter {
  orgId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  beforeSeq?: number;
  limit: number;
}

export async function listAudit(db: DbOrTx, filter: AuditFilter): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (filter.orgId) where.push(eq(auditLog.orgId, filter.orgId));
  if (filter.entityType) where.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditLog.entityId, filter.entityId));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.beforeSeq) where.push(lt(auditLog.seq, filter.beforeSeq));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(filter.limit);
  return rows.map(toAuditRow);
}
