import type { Db, DbOrTx } from '../../db/client.ts';
import { newId } from '../../../lib/ids.ts';
import { deferToCommit, type TailChannel } from '../../db/commit-tail.ts';
import { auditHash, ChainVerifier, GENESIS_HASH, type AuditContent, type AuditRow, type ChainBreak } from './audit.core.ts';
import { auditRowsAfter, insertAuditRows, lastAuditRow, lockChain } from './audit.repo.ts';

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

interface PendingEntry {
  entry: AuditEntry;
  at: Date;
}

/** Extends the chain by these entries, in order: one lock, one read of the chain's end, one insert. */
async function writeEntries(tx: DbOrTx, pending: readonly PendingEntry[]): Promise<void> {
  await lockChain(tx);
  const last = await lastAuditRow(tx);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows: AuditRow[] = pending.map(({ entry, at }) => {
    seq += 1;
    const content: AuditContent = {
      seq,
      id: newId('audit', at.getTime()),
      at: at.toISOString(),
      actorUserId: entry.actorUserId ?? null,
      actorOrgId: entry.actorOrgId ?? null,
      orgId: entry.orgId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: JSON.parse(JSON.stringify(entry.data ?? {})) as unknown,
    };
    const hash = auditHash(content, prevHash);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await insertAuditRows(tx, rows);
}

const auditAtCommit: TailChannel<PendingEntry> = { flush: writeEntries };

/**
 * Records one entry in the hash chain. Call it inside the transaction of the change it records, so
 * the change and its entry commit or roll back together. Inside a transaction the entry is written
 * just before the commit, with the transaction's other entries (`commit-tail.ts`): the chain's lock is
 * then the last lock the transaction takes and is held only for the commit. Its `at` is the time of
 * this call. Outside a transaction it is written at once.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry, now = new Date()): Promise<void> {
  const pending = { entry, at: now };
  if (deferToCommit(tx, auditAtCommit, pending)) return;
  await writeEntries(tx, [pending]);
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
