import { CliInputError, type CliCommand } from '../io.ts';
import { backupPglite, backupPostgres } from '../backup.ts';
import { env } from '../../server/env.ts';

/**
 * `bencao backup <file> [--force]`: a backup of the configured database.
 * - DATABASE_URL set: `pg_dump --format=custom` streamed into <file> (pg_dump on PATH, same major
 *   version as the server or newer); row counts taken in the snapshot pg_dump dumps.
 * - embedded: a gzipped tarball of the PGlite data directory `<BENCAO_DATA_DIR>/pgdata`, made by
 *   PGlite's `dumpDataDir()` from an instance this command opens (stop the web server first).
 * Refuses an existing <file> unless --force; the archive appears only when complete. Prints one line
 * `{"ok":true,"kind":"postgres|pglite","file":"…","bytes":…,"tables":…,"rows":{"table":n,…}}`.
 * Uploaded files (BENCAO_DATA_DIR/uploads) are not in the database: copy them alongside.
 */
export const summary =
  'back up the database to <file> (pg_dump custom format, or the embedded PGlite data as a tarball: stop the web server first); --force overwrites';

export const readsStdin = false;

export interface FileArgs {
  file: string;
  force: boolean;
}

/** `<file> [--force]`; `--` ends the options (for a file name that starts with a dash). */
export function parseFileArgs(command: 'backup' | 'restore', args: string[]): FileArgs {
  const usage = `usage: bencao ${command} <file> [--force]`;
  const files: string[] = [];
  let force = false;
  let options = true;
  for (const arg of args) {
    if (options && arg === '--') options = false;
    else if (options && arg === '--force') force = true;
    else if (options && arg.startsWith('-') && arg !== '-') throw new CliInputError(arg, `unknown option (${usage})`);
    else files.push(arg);
  }
  if (files.length === 0 || files[0]!.trim() === '') throw new CliInputError('file', `missing (${usage})`);
  if (files.length > 1) throw new CliInputError('file', `expected one file, got ${files.length} (${usage})`);
  if (files[0] === '-') throw new CliInputError('file', `must be a file path, not stdin/stdout (${usage})`);
  return { file: files[0]!, force };
}

export const run: CliCommand = async (_stdin, args) => {
  const { file, force } = parseFileArgs('backup', args);
  const e = env();
  const report = e.DATABASE_URL
    ? await backupPostgres(e.DATABASE_URL, file, { force })
    : await backupPglite(e.BENCAO_DATA_DIR, file, { force });
  return JSON.stringify(report);
};
