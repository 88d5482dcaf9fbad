import { spawn } from 'node:child_process';
import {
  closeSync, createWriteStream, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import postgres from 'postgres';
import { CliInputError } from './io.ts';

/**
 * Backup and restore of the configured database, for `bencao backup` and `bencao restore`.
 *
 * PostgreSQL (DATABASE_URL): `pg_dump --format=custom` streamed into the file, `pg_restore` back.
 * Embedded (no DATABASE_URL): the PGlite data directory `<BENCAO_DATA_DIR>/pgdata` as a gzipped
 * tarball made by PGlite's own `dumpDataDir()`. Only the database is covered: uploaded files and the
 * dev mailbox under BENCAO_DATA_DIR are plain files and are copied separately.
 *
 * The connection URL's password never appears in output: it goes to the child processes through
 * PGPASSWORD (not their argv, which `ps` shows), and every message is passed through `redact()`.
 */

export type BackupKind = 'postgres' | 'pglite';

export interface BackupResult {
  ok: true;
  kind: BackupKind;
  file: string;
  bytes: number;
  tables: number;
  rows: Record<string, number>;
}

export interface BackupOptions {
  force?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** The URL with its password replaced by `***` (user, host, port and database stay readable). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** Removes the URL's password (raw and percent-encoded) and the URL itself from `text`. */
export function redact(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join(redactUrl(url));
  try {
    const u = new URL(url);
    if (u.password) {
      for (const secret of new Set([u.password, safeDecode(u.password)])) {
        if (secret.length > 0) out = out.split(secret).join('***');
      }
    }
  } catch {
    // not a URL: nothing more to hide than the text itself, which was replaced above
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Query parameters libpq understands in a connection URI; others (postgres.js-only) are dropped. */
const LIBPQ_PARAMS = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'connect_timeout', 'application_name', 'options', 'sslmode', 'sslcert',
  'sslkey', 'sslrootcert', 'sslcrl', 'sslpassword', 'target_session_attrs', 'channel_binding', 'gssencmode', 'service',
]);

/** A libpq connection URI without the password, and the environment that carries the password. */
export function libpqTarget(url: string): { uri: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = safeDecode(u.password);
  u.password = '';
  for (const key of [...u.searchParams.keys()]) {
    if (key === 'ssl' && !u.searchParams.has('sslmode')) {
      // postgres.js spelling `?ssl=require|true` → libpq `sslmode=require`.
      const v = u.searchParams.get('ssl');
      if (v && v !== 'false' && v !== 'disable') u.searchParams.set('sslmode', v === 'true' ? 'require' : v);
    }
    if (!LIBPQ_PARAMS.has(key)) u.searchParams.delete(key);
  }
  return { uri: u.toString(), env };
}

function databaseName(url: string): string {
  const u = new URL(url);
  return safeDecode(u.pathname.replace(/^\//, '')) || safeDecode(u.username) || '(default)';
}

// ---------------------------------------------------------------------------------------------
// Row counts

type Query = (text: string) => Promise<Record<string, unknown>[]>;

const TABLES_SQL = `
  select n.nspname as schema, c.relname as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and not c.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
  order by n.nspname, c.relname`;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function listTables(query: Query): Promise<{ schema: string; name: string }[]> {
  return (await query(TABLES_SQL)).map((r) => ({ schema: String(r.schema), name: String(r.name) }));
}

/**
 * Exact `count(*)` of every user table (partitioned tables once, with their partitions), keyed by
 * table name, `schema.table` outside `public` (e.g. `drizzle.__drizzle_migrations`).
 */
export async function countRows(query: Query): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const t of await listTables(query)) {
    const [r] = await query(`select count(*)::text as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
    rows[t.schema === 'public' ? t.name : `${t.schema}.${t.name}`] = Number(r?.n ?? 0);
  }
  return Object.fromEntries(Object.entries(rows).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function result(kind: BackupKind, file: string, rows: Record<string, number>): BackupResult {
  return { ok: true, kind, file, bytes: statSync(file).size, tables: Object.keys(rows).length, rows };
}

// ---------------------------------------------------------------------------------------------
// Files

function refuseExisting(file: string, force: boolean | undefined): void {
  if (existsSync(file) && !force) throw new CliInputError('file', `${file} already exists; pass --force to overwrite it`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new CliInputError('file', `${file} is a directory`);
  if (!existsSync(dirname(file))) throw new CliInputError('file', `directory ${dirname(file)} does not exist`);
}

/** Where a backup is written before it is complete; renamed into place only on success. */
function partialPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
}

/** Moves the finished backup into place; without --force a file that appeared meanwhile is kept. */
function publish(partial: string, file: string, force: boolean | undefined): void {
  if (force) {
    renameSync(partial, file);
    return;
  }
  try {
    linkSync(partial, file); // fails with EEXIST instead of replacing
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliInputError('file', `${file} already exists; pass --force to overwrite it`);
    }
    throw error;
  } finally {
    rmSync(partial, { force: true });
  }
}

type ArchiveKind = 'pg_dump' | 'gzip' | 'tar' | 'unknown';

function archiveKind(file: string): ArchiveKind {
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pg_dump';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (n >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return 'unknown';
}

function requireArchive(file: string): ArchiveKind {
  if (!existsSync(file)) throw new CliInputError('file', `${file} does not exist`);
  if (!statSync(file).isFile()) throw new CliInputError('file', `${file} is not a regular file`);
  return archiveKind(file);
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Runs a PostgreSQL client binary; rejects with a one-line, redacted message naming it. */
async function runTool(
  bin: 'pg_dump' | 'pg_restore',
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
  stdoutTo?: NodeJS.WritableStream,
): Promise<void> {
  const child = spawn(bin, args, { env, stdio: ['ignore', stdoutTo ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 16_000) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolveExit, rejectExit) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      rejectExit(
        error.code === 'ENOENT'
          ? new Error(`${bin} not found on PATH; install the PostgreSQL client tools (same major version as the server, or newer)`)
          : error,
      );
    });
    child.once('close', (code) => resolveExit(code));
  });
  // Stream the dump straight into the file (no buffering of the whole archive in memory).
  const piped = stdoutTo && child.stdout ? pipeline(child.stdout, stdoutTo) : Promise.resolve();
  const [code] = await Promise.all([exited, piped]);
  if (code !== 0) {
    const detail = oneLine(redact(stderr, url)) || `exit code ${code}`;
    throw new Error(`${bin} failed: ${detail.slice(0, 600)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function pgClient(url: string) {
  return postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'bencao-backup' } });
}

async function withRedaction<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(oneLine(redact(message, url)));
  }
}

/**
 * `pg_dump --format=custom` of the DATABASE_URL database into `file`. The row counts are taken in
 * the very snapshot pg_dump dumps: a repeatable-read transaction exports its snapshot, counts, and
 * stays open while pg_dump runs with `--snapshot`, so the counts match the archive even while the
 * app keeps writing.
 */
export async function backupPostgres(url: string, fileArg: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = resolve(fileArg);
  refuseExisting(file, options.force);
  return withRedaction(url, async () => {
    const sql = pgClient(url);
    const partial = partialPath(file);
    try {
      const rows = await sql.begin('isolation level repeatable read read only', async (tx) => {
        const [snap] = await tx.unsafe<{ id: string }[]>('select pg_export_snapshot() as id');
        const counts = await countRows((text) => tx.unsafe(text) as unknown as Promise<Record<string, unknown>[]>);
        const { uri, env } = libpqTarget(url);
        const out = createWriteStream(partial, { flags: 'wx' });
        await runTool('pg_dump', ['--format=custom', `--snapshot=${snap!.id}`, `--dbname=${uri}`], env, url, out);
        return counts;
      });
      publish(partial, file, options.force);
      return result('postgres', file, rows);
    } finally {
      rmSync(partial, { force: true });
      await sql.end({ timeout: 5 });
    }
  });
}

/**
 * `pg_restore` of a custom-format archive into the DATABASE_URL database (which must exist). A
 * database that already has tables is refused unless `force`, which adds `--clean --if-exists`.
 * The restore runs as one transaction (`--single-transaction --exit-on-error`): it lands whole or
 * not at all. `--no-owner --no-acl`: objects belong to the restoring role, so an archive from
 * another server (other role names) restores as is.
 */
export async function restorePostgres(url: string, fileArg: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = resolve(fileArg);
  const kind = requireArchive(file);
  if (kind === 'gzip' || kind === 'tar') {
    throw new CliInputError('file', `${file} is an embedded (PGlite) backup, not a pg_dump archive; unset DATABASE_URL to restore it into the embedded database`);
  }
  if (kind !== 'pg_dump') throw new CliInputError('file', `${file} is not a pg_dump custom-format archive`);
  return withRedaction(url, async () => {
    const sql = pgClient(url);
    try {
      const existing = await listTables((text) => sql.unsafe(text) as unknown as Promise<Record<string, unknown>[]>);
      if (existing.length > 0 && !options.force) {
        throw new CliInputError(
          'DATABASE_URL',
          `database "${databaseName(url)}" already has ${existing.length} tables; pass --force to replace them (pg_restore --clean --if-exists)`,
        );
      }
      const { uri, env } = libpqTarget(url);
      const args = ['--no-owner', '--no-acl', '--single-transaction', '--exit-on-error', `--dbname=${uri}`];
      if (options.force) args.push('--clean', '--if-exists');
      await runTool('pg_restore', [...args, file], env, url);
      const rows = await countRows((text) => sql.unsafe(text) as unknown as Promise<Record<string, unknown>[]>);
      return result('postgres', file, rows);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// PGlite

/** The PGlite directory the app opens for BENCAO_DATA_DIR (see createDb in src/server/db/client.ts). */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}

function pgliteQuery(pg: PGlite): Query {
  return async (text) => (await pg.query<Record<string, unknown>>(text)).rows;
}

/**
 * A consistent copy of the embedded database. Why `dumpDataDir()` from an opened instance and not a
 * file copy: PGlite keeps no lock a copy could check, so a copy taken while the web server has the
 * directory open may catch half-written pages. Opening the directory ourselves (the same one-process
 * rule as every other CLI command: stop the web server first), running CHECKPOINT so the data files
 * hold every committed change, and letting PGlite tar its data directory while it holds its query
 * mutex (no statement in flight) gives a snapshot PGlite itself knows how to load (`loadDataDir`).
 * The tarball is built in memory — fine for the embedded database, which lives in WASM memory too.
 */
export async function backupPglite(dataDir: string, fileArg: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = resolve(fileArg);
  refuseExisting(file, options.force);
  const dir = pgliteDir(dataDir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    // Opening a missing directory would create an empty database; refuse instead.
    throw new Error(`no database in ${dataDir} (set BENCAO_DATA_DIR or DATABASE_URL)`);
  }
  const pg = new PGlite(dir, { extensions: { pg_trgm } });
  const partial = partialPath(file);
  try {
    await pg.waitReady;
    await pg.exec('CHECKPOINT');
    const rows = await countRows(pgliteQuery(pg));
    const tarball = await pg.dumpDataDir('gzip');
    writeFileSync(partial, new Uint8Array(await tarball.arrayBuffer()), { flag: 'wx' });
    publish(partial, file, options.force);
    return result('pglite', file, rows);
  } finally {
    rmSync(partial, { force: true });
    await pg.close();
  }
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || (statSync(dir).isDirectory() && readdirSync(dir).length === 0);
}

/**
 * Unpacks a `backupPglite` tarball into `<dataDir>/pgdata`, which must be empty or absent unless
 * `force`. PGlite loads the tarball into a staging directory next to it first; only a database that
 * opened and was counted replaces the old one (rename), so a bad archive leaves the target as it was.
 */
export async function restorePglite(dataDir: string, fileArg: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = resolve(fileArg);
  const kind = requireArchive(file);
  if (kind === 'pg_dump') {
    throw new CliInputError('file', `${file} is a pg_dump archive; set DATABASE_URL to restore it into PostgreSQL`);
  }
  if (kind === 'unknown') throw new CliInputError('file', `${file} is not an embedded (PGlite) backup tarball`);
  const target = pgliteDir(dataDir);
  if (!isEmptyDir(target) && !options.force) {
    throw new CliInputError('BENCAO_DATA_DIR', `${target} is not empty; pass --force to replace the embedded database`);
  }
  const staging = join(dataDir, `pgdata.restoring-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  // Unpacked here, not by PGlite: a corrupt archive then becomes one clear refusal before anything
  // is created (PGlite's own gunzip failure surfaces as an unhandled rejection).
  let tar: Buffer;
  try {
    tar = kind === 'gzip' ? gunzipSync(readFileSync(file)) : readFileSync(file);
  } catch (error) {
    throw new CliInputError('file', `${file} is not a readable gzip archive (${(error as Error).message})`);
  }
  if (tar.length < 262 || tar.subarray(257, 262).toString('latin1') !== 'ustar') {
    throw new CliInputError('file', `${file} is not an embedded (PGlite) backup tarball`);
  }
  const archive = new Blob([new Uint8Array(tar)], { type: 'application/x-tar' });
  mkdirSync(dataDir, { recursive: true });
  let rows: Record<string, number>;
  try {
    const pg = new PGlite(staging, { loadDataDir: archive, extensions: { pg_trgm } });
    try {
      await pg.waitReady;
      rows = await countRows(pgliteQuery(pg));
    } finally {
      await pg.close();
    }
    if (existsSync(target)) {
      const old = join(dataDir, `pgdata.replaced-${process.pid}`);
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return result('pglite', file, rows);
}
