import { openConfiguredDatabase } from '../database.ts';
import type { CliCommand } from '../io.ts';
import { verifyAuditChain, type ChainReport } from '../../server/domains/audit/audit.service.ts';

/**
 * `bencao audit-verify`: walks the hash-chained audit log of the configured database (DATABASE_URL,
 * else the PGlite data in BENCAO_DATA_DIR) and prints `{"ok":true,"rows":N}` (exit 0), or
 * `{"ok":false,"rows":N,"firstBroken":{"seq":…,"id":"…","reason":"…"}}` (exit 1).
 * An embedded PGlite directory is opened by one process at a time: stop the web server first.
 */
export const summary =
  'verify the hash-chained audit log; exit 1 naming the first broken row (embedded PGlite: stop the web server first, one process per data directory)';

export const readsStdin = false;

/** Thrown after the report was printed, so the CLI writes one error line to stderr and exits 1. */
export class AuditChainBroken extends Error {
  constructor(readonly seq: number) {
    super(`audit chain broken at seq ${seq}`);
    this.name = 'AuditChainBroken';
  }
}

async function verifyConfiguredDatabase(): Promise<ChainReport> {
  const handle = await openConfiguredDatabase(1);
  try {
    return await verifyAuditChain(handle.db);
  } catch (error) {
    throw databaseError(error);
  } finally {
    await handle.close();
  }
}

/** One readable line instead of the failed query: a missing table means an unmigrated database. */
function databaseError(error: unknown): Error {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === '42P01') return new Error('no audit_log table in this database; run `npm run db:migrate` first');
  return new Error(`cannot read the audit log: ${cause instanceof Error ? cause.message : String(cause)}`.replace(/\s+/g, ' '));
}

export const run: CliCommand = async () => {
  const report = await verifyConfiguredDatabase();
  if (report.ok || !report.firstBroken) return JSON.stringify({ ok: true, rows: report.rows });
  const { seq, id, reason } = report.firstBroken;
  // main() prints a returned string and exits 0; a broken chain must exit 1, so print here and throw.
  process.stdout.write(`${JSON.stringify({ ok: false, rows: report.rows, firstBroken: { seq, id, reason } })}\n`);
  throw new AuditChainBroken(seq);
};
