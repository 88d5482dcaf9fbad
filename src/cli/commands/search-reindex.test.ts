import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBencao } from '../cli.testkit.ts';
import { createDb } from '../../server/db/client.ts';
import { migrate } from '../../server/db/migrate.ts';
import { HERBS } from '../../server/domains/catalog/herb-master.data.ts';
import { upsertHerbMasterData } from '../../server/domains/catalog/herbs.seed.ts';
import { PostgresSearchIndex } from '../../server/integrations/search/postgres.adapter.ts';
import { readsStdin, summary } from './search-reindex.ts';

/** Runs `bencao search-reindex` against the PGlite directory `dataDir` (the Postgres search adapter). */
const cli = (dataDir: string, ...args: string[]) => runBencao(['search-reindex', ...args], { dataDir });

describe('bencao search-reindex (spawned CLI on an embedded PGlite directory)', { timeout: 180_000 }, () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bencao-search-reindex-'));
    dataDir = join(root, 'data');
    const handle = await createDb({ dataDir });
    try {
      await migrate(handle);
      await upsertHerbMasterData(handle.db);
    } finally {
      await handle.close();
    }
  }, 240_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('indexes every herb, prints progress on stderr and a JSON summary on stdout', async () => {
    const { status, stdout, stderr } = cli(dataDir, '--clear');
    expect(status).toBe(0);
    expect(stderr.trim().split('\n').at(-1)).toBe(`indexed ${HERBS.length}/${HERBS.length} herb`);
    expect(stderr).toMatch(/^indexed 500\/|^indexed \d+\/\d+ herb\n/);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ ok: true, adapter: 'postgres', cleared: true, indexed: HERBS.length, byKind: { herb: HERBS.length }, documents: HERBS.length });
    const handle = await createDb({ dataDir });
    try {
      const hits = await new PostgresSearchIndex(handle.db).search({ q: 'hq' });
      expect(hits.total).toBeGreaterThanOrEqual(2);
    } finally {
      await handle.close();
    }
  });

  it('refuses a data directory that holds no database', () => {
    const { status, stdout, stderr } = cli(join(root, 'missing'));
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: no database in .*missing/);
  });

  it('does not read stdin and has a one-line summary', () => {
    expect(readsStdin).toBe(false);
    expect(summary).toMatch(/^[^\n]+$/);
  });
});
