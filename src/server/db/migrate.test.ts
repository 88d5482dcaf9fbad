import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, sqlRows, type DbHandle } from './client.ts';
import { migrate, MIGRATIONS_DIR } from './migrate.ts';
import { createTestDb } from '../testing/test-db.ts';

describe('migrations', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('creates every table and the trigram extension', async () => {
    const tables = await sqlRows<{ table_name: string }>(
      handle.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = tables.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['user', 'organization', 'member', 'apikey', 'org_profile', 'licence', 'audit_log', 'outbox_event', 'herb']));
    const [sim] = await sqlRows<{ s: number }>(handle.db, sql`select similarity('黄芪', '黄连') as s`);
    expect(Number(sim!.s)).toBeCloseTo(0.2, 5);
  });
});

/** An in-memory database with the migrations before the one whose tag ends with `tagSuffix` applied. */
async function migratedUpTo(tagSuffix: string): Promise<{ handle: DbHandle; done: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bencao-migrations-'));
  const handle = await createDb({ inMemory: true });
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const next = journal.entries.find((e) => e.tag.endsWith(tagSuffix))!;
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < next.idx) }));
  await migrate(handle, dir);
  return {
    handle,
    done: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('migration 0023: alliance membership needs consent', () => {
  it('keeps the memberships made before it as accepted members, joined when they were', async () => {
    // The migrations up to 0022, applied to an empty database holding one membership, then the rest.
    const { handle, done } = await migratedUpTo('_alliance_membership_consent');
    try {
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('org_a', '联盟', 'org-a'), ('org_h', '医院', 'org-h')`);
      await handle.db.execute(sql`insert into alliance_member (id, alliance_org_id, member_org_id, joined_at) values ('alm_old', 'org_a', 'org_h', '2030-01-02T03:04:05Z')`);
      await migrate(handle);
      const [row] = await sqlRows<{ status: string; invited_at: string; answered_at: string; joined_at: string }>(handle.db, sql`select status, invited_at::text, answered_at::text, joined_at::text from alliance_member where id = 'alm_old'`);
      expect(row?.status).toBe('accepted');
      expect(row?.invited_at).toBe(row?.joined_at);
      expect(row?.answered_at).toBe(row?.joined_at);
      // A row written without a status is an invitation, never a membership.
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('org_p', '药店', 'org-p')`);
      await handle.db.execute(sql`insert into alliance_member (id, alliance_org_id, member_org_id) values ('alm_new', 'org_a', 'org_p')`);
      const [fresh] = await sqlRows<{ status: string; joined_at: string | null }>(handle.db, sql`select status, joined_at from alliance_member where id = 'alm_new'`);
      expect(fresh).toEqual({ status: 'invited', joined_at: null });
    } finally {
      await done();
    }
  });
});

describe('migration 0024: a market trade says whether it was bought on net terms', () => {
  it('marks the trades of net-terms buys, and only those, and the exposure view still counts them until their orders are written', async () => {
    const { handle, done } = await migratedUpTo('_market_trade_on_net_terms');
    try {
      // Bare rows: foreign keys are not what this test is about.
      await handle.db.execute(sql`set session_replication_role = replica`);
      await handle.db.execute(sql`insert into market_funding (order_id, instrument_id, org_id, method, amount_fen, status) values ('mor_terms', 'ins_x', 'org_b', 'net_terms', 6000, 'released'), ('mor_card', 'ins_x', 'org_b', 'card', 6000, 'released')`);
      await handle.db.execute(sql`insert into market_trade (id, instrument_id, seq, ordinal, buyer_org_id, seller_org_id, buy_order_id, sell_order_id, fen_per_kg, grams, at) values
        ('mtr_terms', 'ins_x', 1, 0, 'org_b', 'org_s', 'mor_terms', 'mor_sell', 3000, 2000, now()),
        ('mtr_card', 'ins_x', 2, 0, 'org_b', 'org_s', 'mor_card', 'mor_sell', 3000, 1000, now()),
        ('mtr_unfunded', 'ins_x', 3, 0, 'org_b', 'org_s', 'mor_gone', 'mor_sell', 3000, 1000, now())`);
      await migrate(handle);
      const rows = await sqlRows<{ id: string; on_net_terms: boolean }>(handle.db, sql`select id, on_net_terms from market_trade order by id`);
      expect(rows).toEqual([
        { id: 'mtr_card', on_net_terms: false },
        { id: 'mtr_terms', on_net_terms: true },
        { id: 'mtr_unfunded', on_net_terms: false },
      ]);
      const exposure = await sqlRows<{ seller_org_id: string; buyer_org_id: string; fen: string | number }>(handle.db, sql`select seller_org_id, buyer_org_id, fen from net_terms_exposure`);
      expect(exposure.map((e) => ({ ...e, fen: Number(e.fen) }))).toEqual([{ seller_org_id: 'org_s', buyer_org_id: 'org_b', fen: 6000 }]);
    } finally {
      await done();
    }
  });
});
