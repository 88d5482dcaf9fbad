import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBencao, type CliRun } from '../cli.testkit.ts';
import { createDb, sqlRows, type Db } from '../../server/db/client.ts';
import { migrate } from '../../server/db/migrate.ts';
import { resetEnvCache } from '../../server/env.ts';
import { appendAudit, verifyAuditChain } from '../../server/domains/audit/audit.service.ts';
import { upsertHerbMasterData } from '../../server/domains/catalog/herbs.seed.ts';
import { countRows, libpqTarget, redact, redactUrl } from '../backup.ts';
import { CliInputError } from '../io.ts';
import { parseFileArgs, readsStdin as backupReadsStdin, run as runBackup } from './backup.ts';
import { readsStdin as restoreReadsStdin, run as runRestore } from './restore.ts';

interface Report {
  ok: boolean;
  kind: string;
  file: string;
  bytes: number;
  tables: number;
  rows: Record<string, number>;
}

/** Runs `bencao <args>` with exactly the database given: DATABASE_URL, or the PGlite BENCAO_DATA_DIR. */
const cli = (args: string[], target: { databaseUrl: string } | { dataDir: string }): CliRun => runBencao(args, target, 60_000);

function okReport(result: CliRun): Report {
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout.split('\n')).toHaveLength(2); // one JSON line
  return JSON.parse(result.stdout) as Report;
}

/** Exit 2, nothing on stdout, one stderr line starting with `<field>: `. */
function expectRefusal(result: CliRun, field: string, problem: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.startsWith(`${field}: `)).toBe(true);
  expect(result.stderr).toMatch(problem);
}

/** Runs a command in this process on the PGlite directory `dataDir`; answers `field: problem` of its refusal. */
async function refusalOf(fn: () => Promise<string> | string, dataDir: string): Promise<string> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, BENCAO_DATA_DIR: process.env.BENCAO_DATA_DIR };
  delete process.env.DATABASE_URL;
  process.env.BENCAO_DATA_DIR = dataDir;
  resetEnvCache();
  try {
    await fn();
    return 'no refusal';
  } catch (error) {
    if (!(error instanceof CliInputError)) throw error;
    return `${error.field}: ${error.problem}`;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
  }
}

const drizzleCount = (db: Db) => (text: string) => sqlRows(db, sql.raw(text));

/** A little data, the way `npm run db:migrate` and the services write it: herb master data, audit entries. */
async function seed(db: Db, auditEntries: number): Promise<void> {
  await upsertHerbMasterData(db);
  for (let i = 1; i <= auditEntries; i += 1) {
    await db.transaction((tx) =>
      appendAudit(tx, { action: 'test.backup', entityType: 'thing', entityId: `t${i}`, data: { i, herb: '黄芪', note: "it's \"quoted\"" } }),
    );
  }
}

describe('backup argument parsing and redaction (no database)', () => {
  it('takes one file and --force, naming the bad argument otherwise', () => {
    expect(parseFileArgs('backup', ['a.dump'])).toEqual({ file: 'a.dump', force: false });
    expect(parseFileArgs('restore', ['--force', 'a.dump'])).toEqual({ file: 'a.dump', force: true });
    expect(parseFileArgs('backup', ['--', '-odd.dump'])).toEqual({ file: '-odd.dump', force: false });
    const problem = (args: string[]) => {
      try {
        parseFileArgs('backup', args);
      } catch (error) {
        expect(error).toBeInstanceOf(CliInputError);
        return `${(error as CliInputError).field}: ${(error as CliInputError).problem}`;
      }
      return 'no error';
    };
    expect(problem([])).toMatch(/^file: missing/);
    expect(problem(['--force'])).toMatch(/^file: missing/);
    expect(problem(['a', 'b'])).toMatch(/^file: expected one file, got 2/);
    expect(problem(['--froce', 'a'])).toMatch(/^--froce: unknown option/);
    expect(backupReadsStdin).toBe(false);
    expect(restoreReadsStdin).toBe(false);
  });

  it('keeps the password out of messages and out of the child argv', () => {
    const url = 'postgres://app:p%40ss-w0rd@db.example:6543/bencao?ssl=require&max=5';
    expect(redactUrl(url)).toBe('postgres://app:***@db.example:6543/bencao?ssl=require&max=5');
    expect(redact(`could not connect to ${url} (p@ss-w0rd, p%40ss-w0rd)`, url)).not.toMatch(/p@ss|p%40ss/);
    const target = libpqTarget(url);
    expect(target.uri).toBe('postgres://app@db.example:6543/bencao?sslmode=require');
    expect(target.env.PGPASSWORD).toBe('p@ss-w0rd');
  });
});

// PostgreSQL round trip: needs a server (DATABASE_URL, as in CI) and pg_dump/pg_restore on PATH.
// Skipped without DATABASE_URL; the PGlite suite below covers the embedded path on every run.
describe.skipIf(!process.env.DATABASE_URL)('bencao backup / restore on PostgreSQL (spawned CLI)', { timeout: 60_000 }, () => {
  const adminUrl = process.env.DATABASE_URL ?? '';
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const names = { source: `bencao_bk_src_${suffix}`, target: `bencao_bk_dst_${suffix}` };
  // The URL the CLI gets carries a password (a made-up one when the server trusts local connections)
  // so the test can prove it is never printed.
  const secret = new URL(adminUrl || 'postgres://x@y/z').password || 'bk-S3cret-pw';
  const urlFor = (db: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    if (!u.password) u.password = secret;
    return u.toString();
  };
  let root: string;
  let sourceRows: Record<string, number>;

  const expectNoSecret = (r: CliRun) => {
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(secret));
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bencao-backup-pg-'));
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE DATABASE "${names.source}"`);
      await admin.unsafe(`CREATE DATABASE "${names.target}"`);
    } finally {
      await admin.end();
    }
    const handle = await createDb({ databaseUrl: urlFor(names.source), maxConnections: 2 });
    try {
      await migrate(handle);
      await seed(handle.db, 5);
      sourceRows = await countRows(drizzleCount(handle.db));
    } finally {
      await handle.close();
    }
  }, 60_000);

  afterAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${names.source}" WITH (FORCE)`);
      await admin.unsafe(`DROP DATABASE IF EXISTS "${names.target}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('backs up, refuses to overwrite, restores into a fresh database with equal counts and an intact audit chain', async () => {
    expect(sourceRows.audit_log).toBe(5);
    expect(sourceRows.herb).toBeGreaterThan(0);
    const file = join(root, 'bencao.dump');

    const backup = cli(['backup', file], { databaseUrl: urlFor(names.source) });
    expectNoSecret(backup);
    const report = okReport(backup);
    expect(report).toEqual({ ok: true, kind: 'postgres', file, bytes: statSync(file).size, tables: Object.keys(sourceRows).length, rows: sourceRows });
    expect(readdirSync(root)).toEqual(['bencao.dump']); // no partial file left behind

    const again = cli(['backup', file], { databaseUrl: urlFor(names.source) });
    expectRefusal(again, 'file', /already exists; pass --force/);
    expectNoSecret(again);

    const restore = cli(['restore', file], { databaseUrl: urlFor(names.target) });
    expectNoSecret(restore);
    expect(okReport(restore)).toEqual({ ...report, rows: sourceRows });

    const handle = await createDb({ databaseUrl: urlFor(names.target), maxConnections: 1 });
    try {
      expect(await countRows(drizzleCount(handle.db))).toEqual(sourceRows);
      expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, rows: 5, firstBroken: null });
    } finally {
      await handle.close();
    }
  });

  it('refuses a target database that has tables, naming it without the password', () => {
    const file = join(root, 'bencao.dump');
    const r = cli(['restore', file], { databaseUrl: urlFor(names.target) });
    expectRefusal(r, 'DATABASE_URL', new RegExp(`database "${names.target}" already has \\d+ tables; pass --force`));
    expectNoSecret(r);
  });
  // The argument checks (missing file argument, missing file) run before any database is touched and
  // are the same for both kinds: the PGlite suite below and the in-process test above cover them.
});

// Embedded PGlite round trip in temp directories (a file-backed PGlite is slow on a busy machine).
describe('bencao backup / restore on embedded PGlite (spawned CLI)', { timeout: 60_000 }, () => {
  let root: string;
  let dataDir: string;
  let sourceRows: Record<string, number>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bencao-backup-pglite-'));
    dataDir = join(root, 'data');
    const handle = await createDb({ dataDir });
    try {
      await migrate(handle);
      await seed(handle.db, 4);
      sourceRows = await countRows(drizzleCount(handle.db));
    } finally {
      await handle.close();
    }
  }, 60_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('backs up, refuses to overwrite, restores into an empty directory with equal counts and an intact audit chain', async () => {
    expect(sourceRows.audit_log).toBe(4);
    expect(sourceRows.herb).toBeGreaterThan(0);
    const file = join(root, 'bencao.tgz');
    const report = okReport(cli(['backup', file], { dataDir }));
    expect(report).toEqual({ ok: true, kind: 'pglite', file, bytes: statSync(file).size, tables: Object.keys(sourceRows).length, rows: sourceRows });

    expectRefusal(cli(['backup', file], { dataDir }), 'file', /already exists; pass --force/);

    const restoredDir = join(root, 'restored');
    expect(okReport(cli(['restore', file], { dataDir: restoredDir }))).toEqual(report);
    expect(readdirSync(restoredDir)).toEqual(['pgdata']); // the staging directory was renamed into place

    const handle = await createDb({ dataDir: restoredDir });
    try {
      expect(await countRows(drizzleCount(handle.db))).toEqual(sourceRows);
      expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, rows: 4, firstBroken: null });
    } finally {
      await handle.close();
    }
  });

  it('refuses a non-empty data directory, a missing argument, a missing file and a pg_dump archive', async () => {
    const file = join(root, 'bencao.tgz');
    expectRefusal(cli(['restore', file], { dataDir }), 'BENCAO_DATA_DIR', /pgdata is not empty; pass --force/);
    expectRefusal(cli(['backup'], { dataDir }), 'file', /missing/);
    // The rest in-process (main() turns a CliInputError into exit 2 and `field: problem`, as above):
    // each spawned CLI costs seconds on a busy machine.
    expect(await refusalOf(() => runRestore('', [join(root, 'nope.tgz')]), dataDir)).toMatch(/^file: .*nope\.tgz does not exist$/);
    expect(existsSync(join(root, 'nope.tgz'))).toBe(false);
    const dump = join(root, 'fake.dump');
    writeFileSync(dump, 'PGDMP\u0001\u000f\u0000');
    const empty = join(root, 'empty');
    expect(await refusalOf(() => runRestore('', [dump]), empty)).toMatch(/^file: .* is a pg_dump archive; set DATABASE_URL/);
    expect(existsSync(join(empty, 'pgdata'))).toBe(false);
    expect(await refusalOf(() => runBackup('', ['--force', 'a', 'b']), dataDir)).toMatch(/^file: expected one file, got 2/);
  });
});
