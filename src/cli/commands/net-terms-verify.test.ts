import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBencao } from '../cli.testkit.ts';
import { newId } from '../../lib/ids.ts';
import { createDb } from '../../server/db/client.ts';
import { migrate } from '../../server/db/migrate.ts';
import { order, organization } from '../../server/db/schema/index.ts';
import { readsStdin, summary } from './net-terms-verify.ts';

/** Runs `bencao net-terms-verify` against the PGlite directory `dataDir`. */
const cli = (dataDir: string, ...args: string[]) => runBencao(['net-terms-verify', ...args], { dataDir });

// A file-backed PGlite and a spawned tsx process are slow on a busy two-core machine: generous limits.
describe('bencao net-terms-verify (spawned CLI on an embedded PGlite directory)', { timeout: 180_000 }, () => {
  let root: string;
  let dataDir: string;
  const buyer = newId('organization');
  const seller = newId('organization');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bencao-net-terms-verify-'));
    dataDir = join(root, 'data');
    const handle = await createDb({ dataDir });
    try {
      await migrate(handle);
      await handle.db.insert(organization).values([buyer, seller].map((id) => ({ id, name: id, slug: id })));
      const id = newId('ord');
      await handle.db.insert(order).values({ id, buyerOrgId: buyer, sellerOrgId: seller, status: 'shipped', paymentMethod: 'net_terms', subtotalFen: 80_000, totalFen: 80_000, capturedFen: 30_000, checkoutKey: id, idempotencyKey: id });
      // Changed behind the triggers: the running total says 1 fen more than the order leaves owed.
      await handle.db.execute(sql`update net_terms_owed set fen = fen + 1`);
    } finally {
      await handle.close();
    }
  }, 240_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('names the pairs whose totals differ from their rows and exits 1; --repair rebuilds them, and the next check passes', () => {
    const broken = cli(dataDir);
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toEqual({ ok: false, pairs: 1, differing: 1, differ: [{ buyerOrgId: buyer, sellerOrgId: seller, keptFen: 50_001, recountedFen: 50_000 }] });
    expect(broken.stderr).toBe('error: net-terms exposure differs from its rows for 1 buyer and seller pair(s)\n');

    const repaired = cli(dataDir, '--repair');
    expect(repaired.stderr).toBe('');
    expect(repaired.status).toBe(0);
    expect(repaired.stdout).toBe('{"ok":true,"pairs":1,"repaired":1}\n');

    const again = cli(dataDir);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('{"ok":true,"pairs":1}\n');
  });

  it('refuses an unknown option with exit 2 naming it, before opening the database', () => {
    const { status, stdout, stderr } = cli(dataDir, '--fix');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('options: unknown option "--fix"; the only option is --repair\n');
  });
});

describe('net-terms-verify module', () => {
  it('does not read stdin and says to stop the web server for PGlite in its one-line summary', () => {
    expect(readsStdin).toBe(false);
    expect(summary).toMatch(/^[^\n]+$/);
    expect(summary).toMatch(/stop the web server/);
  });
});
