import { canonicalJson, sha256Hex } from '../../../lib/canonical-json.ts';

/** The hash-chained audit log's pure rules: how a row's hash is computed and how a chain is checked. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  seq: number;
  id: string;
  at: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  orgId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
}

export interface AuditRow extends AuditContent {
  prevHash: string;
  hash: string;
}

export function auditHash(content: AuditContent, prevHash: string): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

export type ChainBreak = { seq: number; id: string; reason: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' };

/**
 * Streams over rows in `seq` order. Feed each batch to `check`; the first break is kept.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  rows = 0;
  firstBreak: ChainBreak | null = null;

  check(rows: Iterable<AuditRow>): void {
    for (const row of rows) {
      this.rows += 1;
      if (this.firstBreak) continue;
      if (row.seq !== this.expectedSeq) this.firstBreak = { seq: row.seq, id: row.id, reason: 'seq_gap' };
      else if (row.prevHash !== this.prevHash) this.firstBreak = { seq: row.seq, id: row.id, reason: 'prev_hash_mismatch' };
      else if (auditHash(stripHashes(row), row.prevHash) !== row.hash) this.firstBreak = { seq: row.seq, id: row.id, reason: 'hash_mismatch' };
      this.expectedSeq = row.seq + 1;
      this.prevHash = row.hash;
    }
  }
}

export function stripHashes(row: AuditRow): AuditContent {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    actorUserId: row.actorUserId,
    actorOrgId: row.actorOrgId,
    orgId: row.orgId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    data: row.data,
  };
}
