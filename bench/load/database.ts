import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '../../src/server/db/client.ts';
import * as schema from '../../src/server/db/schema/index.ts';
import { withCommitTail } from '../../src/server/db/commit-tail.ts';
import { ROOT } from './server.ts';

/** A throwaway database for one run: a fresh one on DATABASE_URL's server, else a fresh PGlite directory. */
export interface LoadDatabase {
  label: string;
  /** A fresh directory for the run's files (PGlite data, uploads, mailbox, server log); drop() removes it. */
  workDir: string;
  /** What the app's processes (migrate, seed, next start) need in their environment to use it. */
  env: Record<string, string>;
  /** Opens it in this process (PGlite: only while no server holds it). */
  open(): Promise<OpenDatabase>;
  drop(): Promise<void>;
}

/** The drizzle handle the app's code takes, and the raw driver under it. */
export interface OpenDatabase {
  db: Db;
  /** Runs one statement on the raw driver (postgres.js or PGlite), as drizzle would send it. */
  query(text: string, params: readonly unknown[]): Promise<unknown[]>;
  /** Every statement drizzle sends while `record` is on is appended to it. */
  recording: { record: { text: string; params: unknown[] }[] | null };
  close(): Promise<void>;
}

function recorder(): { recording: OpenDatabase['recording']; logger: Logger } {
  const recording: OpenDatabase['recording'] = { record: null };
  return { recording, logger: { logQuery: (text, params) => recording.record?.push({ text, params }) } };
}

function openPostgres(url: string): OpenDatabase {
  const client = postgres(url, { max: 10, onnotice: () => {}, connection: { application_name: 'bencao-load-bench' } });
  const { recording, logger } = recorder();
  const db = withCommitTail(drizzlePostgres(client, { schema, casing: 'snake_case', logger }) as unknown as Db);
  return {
    db,
    recording,
    query: async (text, params) => [...(await client.unsafe(text, params as never[]))],
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dir: string): Promise<OpenDatabase> {
  const client = new PGlite(join(dir, 'pgdata'), { extensions: { pg_trgm } });
  await client.waitReady;
  const { recording, logger } = recorder();
  const db = withCommitTail(drizzlePglite(client, { schema, casing: 'snake_case', logger }));
  return {
    db,
    recording,
    query: async (text, params) => (await client.query(text, [...params])).rows,
    close: () => client.close(),
  };
}

export async function freshDatabase(): Promise<LoadDatabase> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    const workDir = mkdtempSync(join(tmpdir(), 'bencao-load-'));
    return {
      label: 'PGlite (embedded, fresh data directory)',
      workDir,
      env: { DATABASE_URL: '', BENCAO_DATA_DIR: workDir },
      open: () => openPglite(workDir),
      drop: async () => rmSync(workDir, { recursive: true, force: true }),
    };
  }
  const name = `bencao_load_${Date.now()}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  // Uploads and the mailbox go to a directory of the run too.
  const workDir = mkdtempSync(join(tmpdir(), 'bencao-load-'));
  return {
    label: `PostgreSQL (${target.host}, throwaway database ${name})`,
    workDir,
    env: { DATABASE_URL: target.toString(), BENCAO_DATA_DIR: workDir },
    open: async () => openPostgres(target.toString()),
    async drop() {
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
        rmSync(workDir, { recursive: true, force: true });
      }
    },
  };
}

/** Runs one of the app's CLIs (`npx tsx <file>`) with `env`; rejects naming it when it fails. */
export function runCli(file: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', file], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${file} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** Applies the migrations and seeds the demo world, as `npm run demo` does. */
export async function migrateAndSeed(database: LoadDatabase): Promise<void> {
  const env = { ...process.env, ...database.env, BENCAO_DEMO: '1' };
  await runCli('src/server/db/migrate.cli.ts', env);
  await runCli('src/server/db/seed/seed.cli.ts', env);
}
