import type { CliCommand } from '../io.ts';
import { restorePglite, restorePostgres } from '../backup.ts';
import { env } from '../../server/env.ts';
import { parseFileArgs } from './backup.ts';

/**
 * `bencao restore <file> [--force]`: restores a `bencao backup` archive into the configured database.
 * - DATABASE_URL set: `pg_restore` into that (existing) database in one transaction; a database that
 *   already has tables is refused (exit 2) unless --force, which adds `--clean --if-exists`.
 * - embedded: unpacks the PGlite tarball into `<BENCAO_DATA_DIR>/pgdata`, which must be empty or
 *   absent unless --force (then it is replaced, only after the new one opened). Stop the web server.
 * Prints the same JSON line as `bencao backup`, with the row counts of the restored database.
 * Run `bencao audit-verify` afterwards to check the restored audit chain.
 */
export const summary =
  'restore a `bencao backup` archive into the database (refuses a non-empty target unless --force; embedded PGlite: stop the web server first)';

export const readsStdin = false;

export const run: CliCommand = async (_stdin, args) => {
  const { file, force } = parseFileArgs('restore', args);
  const e = env();
  const report = e.DATABASE_URL
    ? await restorePostgres(e.DATABASE_URL, file, { force })
    : await restorePglite(e.BENCAO_DATA_DIR, file, { force });
  return JSON.stringify(report);
};
