import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBencao } from '../cli.testkit.ts';
import { createDb } from '../../server/db/client.ts';
import { migrate } from '../../server/db/migrate.ts';
import { appendAudit } from '../../server/domains/audit/audit.service.ts';
import { readsStdin, summary } from './audit-verify.ts';

/** Runs `bencao audit-verify` against the PGlite directory `dataDir`. */
const cli = (dataDir: string) => runBencao(['audit-verify'], { dataDir });

async function withDb(dataDir: string, fn: (db: Awaited<ReturnType<typeof createDb>>['db']) => Promise<void>): Promise<void> {
  const handle = await createDb({ dataDir });
  try {
    await fn(handle.db);
  } finally {
    await handle.close();
  }
}

// A file-backed PGlite and a spawned tsx process are slow on a busy two-core machine: generous limits.
describe('bencao audit-verify (spawned CLI on an embedded PGlite directory)', { timeout: 180_000 }, () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bencao-audit-verify-'));
    dataDir = join(root, 'data');
    const handle = await createDb({ dataDir });
    try {
      await migrate(handle);
      for (let i = 1; i <= 4; i += 1) {
        await handle.db.transaction((tx) =>
          appendAudit(tx, { action: 'test.write', entityType: 'thing', entityId: `t${i}`, data: { i, herb: '黄芪' } }),
        );
      }
    } finally {
      await handle.close();
    }
  }, 240_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('prints {"ok":true,"rows":N} and exits 0 for an intact chain', () => {
    const { status, stdout, stderr } = cli(dataDir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe('{"ok":true,"rows":4}\n');
  });

  it('names the first tampered row and exits 1', async () => {
    await withDb(dataDir, async (db) => {
      await db.execute(sql`alter table audit_log disable trigger audit_log_no_change`);
      await db.execute(sql`update audit_log set data = '{"i":2,"herb":"人参"}'::jsonb where seq = 2`);
    });
    const { status, stdout, stderr } = cli(dataDir);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; rows: number; firstBroken: { seq: number; id: string; reason: string } };
    expect(report).toEqual({ ok: false, rows: 4, firstBroken: { seq: 2, id: expect.stringMatching(/^aud_/), reason: 'hash_mismatch' } });
    expect(stdout.split('\n')).toHaveLength(2);
    expect(stderr).toBe('error: audit chain broken at seq 2\n');
  });

  it('refuses a data directory that holds no database, without creating one', () => {
    const missing = join(root, 'missing');
    const { status, stdout, stderr } = cli(missing);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: no database in .*missing/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('audit-verify module', () => {
  it('does not read stdin and says to stop the web server for PGlite in its one-line summary', () => {
    expect(readsStdin).toBe(false);
    expect(summary).toMatch(/^[^\n]+$/);
    expect(summary).toMatch(/PGlite/);
    expect(summary).toMatch(/stop the web server/);
  });
});
