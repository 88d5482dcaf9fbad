import type { Db, DbOrTx } from '../../db/client.ts';
import { newId } from '../../../lib/ids.ts';
import { auditHash, ChainVerifier, GENESIS_HASH, type AuditContent, type ChainBreak } from './audit.core.ts';
import { auditRowsAfter, insertAuditRow, lastAuditRow, lockChain } from './audit.repo.ts';

export interface AuditEntry {
  actorUserId?: string | null;
  actorOrgId?: string | null;
  /** The organisation the entry concerns (scopes who may read it). */
  orgId?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

/**
 * Appends one entry to the hash chain. Call it inside the transaction of the change it records, so
 * the change and its audit entry commit or roll back together.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry, now = new Date()): Promise<AuditContent & { hash: string }> {
  await lockChain(tx);
  const last = await lastAuditRow(tx);
  const content: AuditContent = {
    seq: (last?.seq ?? 0) + 1,
    id: newId('audit', now.getTime()),
    at: now.toISOString(),
    actorUserId: entry.actorUserId ?? null,
    actorOrgId: entry.actorOrgId ?? null,
    orgId: entry.orgId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    data: JSON.parse(JSON.stringify(entry.data ?? {})) as unknown,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = auditHash(content, prevHash);
  await insertAuditRow(tx, { ...content, prevHash, hash });
  return { ...content, hash };
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  firstBroken: ChainBreak | null;
}

/** Walks the whole chain in batches and names the first broken row. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainReport> {
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const rows = await auditRowsAfter(db, after, batchSize);
    if (rows.length === 0) break;
    verifier.check(rows);
    after = rows[rows.length - 1]!.seq;
  }
  return { ok: verifier.firstBreak === null, rows: verifier.rows, firstBroken: verifier.firstBreak };
}
