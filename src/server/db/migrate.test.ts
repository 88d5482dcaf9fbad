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

describe('migration 0027: what a buyer owes on terms becomes a running total', () => {
  it('starts the totals from the rows already there, records the sellers of resting net-terms buys, and keeps the totals from then on', async () => {
    const { handle, done } = await migratedUpTo('_net_terms_exposure_by_seller_set');
    try {
      // Bare rows: foreign keys are not what this test is about.
      await handle.db.execute(sql`set session_replication_role = replica`);
      await handle.db.execute(sql`insert into "order" (id, buyer_org_id, seller_org_id, status, payment_method, subtotal_fen, total_fen, captured_fen, checkout_key, idempotency_key) values
        ('ord_open', 'org_b', 'org_s', 'shipped', 'net_terms', 10000, 10000, 4000, 'k1', 'k1'),
        ('ord_cancelled', 'org_b', 'org_s', 'cancelled', 'net_terms', 7000, 7000, 0, 'k2', 'k2'),
        ('ord_card', 'org_b', 'org_s', 'accepted', 'card', 9000, 9000, 0, 'k3', 'k3'),
        ('ord_trade', 'org_b', 'org_t', 'accepted', 'net_terms', 3000, 3000, 0, 'k4', 'k4')`);
      await handle.db.execute(sql`insert into market_trade (id, instrument_id, seq, ordinal, buyer_org_id, seller_org_id, buy_order_id, sell_order_id, fen_per_kg, grams, at, on_net_terms, order_id) values
        ('mtr_unordered', 'ins_x', 1, 0, 'org_b', 'org_t', 'mor_rest', 'mor_sell', 3000, 500, now(), true, null),
        ('mtr_ordered', 'ins_x', 2, 0, 'org_b', 'org_t', 'mor_rest', 'mor_sell', 3000, 1000, now(), true, 'ord_trade'),
        ('mtr_card', 'ins_x', 3, 0, 'org_b', 'org_s', 'mor_card', 'mor_sell', 3000, 1000, now(), false, null)`);
      await handle.db.execute(sql`insert into market_funding (order_id, instrument_id, org_id, method, amount_fen, status) values
        ('mor_rest', 'ins_x', 'org_b', 'net_terms', 20000, 'on_terms'), ('mor_card', 'ins_x', 'org_b', 'card', 6000, 'released')`);
      await handle.db.execute(sql`insert into market_command (id, instrument_id, seq, kind, order_id, command, answer, idempotency_key, org_id, accepted_at) values
        ('mcm_1', 'ins_x', 1, 'place', 'mor_rest', ${JSON.stringify({ type: 'limit', side: 'buy', constraints: { sellers: ['org_s', 'org_t'] } })}::jsonb, '{}'::jsonb, 'i1', 'org_b', now()),
        ('mcm_2', 'ins_x', 2, 'place', 'mor_card', ${JSON.stringify({ type: 'limit', side: 'buy' })}::jsonb, '{}'::jsonb, 'i2', 'org_b', now())`);
      await migrate(handle);
      await handle.db.execute(sql`set session_replication_role = origin`);
      const owed = async () => (await sqlRows<{ seller_org_id: string; fen: string | number }>(handle.db, sql`select seller_org_id, fen from net_terms_owed order by 1`)).map((r) => [r.seller_org_id, Number(r.fen)]);
      // org_s: ord_open 10,000 − 4,000 captured. org_t: ord_trade 3,000 and the unordered trade (3,000 fen/kg × 0.5 kg).
      expect(await owed()).toEqual([
        ['org_s', 6000],
        ['org_t', 4500],
      ]);
      const sellers = await sqlRows<{ order_id: string; sellers: string[] | null }>(handle.db, sql`select order_id, sellers from market_funding order by 1`);
      expect(sellers).toEqual([
        { order_id: 'mor_card', sellers: null },
        { order_id: 'mor_rest', sellers: ['org_s', 'org_t'] },
      ]);
      // The resting buy (20,000 less the 4,500 traded) holds against both its sellers, in both views.
      const exposure = async (view: 'net_terms_exposure' | 'net_terms_exposure_recount') =>
        (await sqlRows<{ seller_org_id: string; fen: string | number }>(handle.db, sql`select seller_org_id, fen from ${sql.identifier(view)} order by 1`)).map((r) => [r.seller_org_id, Number(r.fen)]);
      expect(await exposure('net_terms_exposure')).toEqual([
        ['org_s', 21500],
        ['org_t', 20000],
      ]);
      expect(await exposure('net_terms_exposure_recount')).toEqual(await exposure('net_terms_exposure'));
      // From here the triggers keep the totals.
      await handle.db.execute(sql`update "order" set captured_fen = 10000 where id = 'ord_open'`);
      await handle.db.execute(sql`update market_trade set order_id = 'ord_card' where id = 'mtr_unordered'`);
      expect(await owed()).toEqual([
        ['org_s', 0],
        ['org_t', 3000],
      ]);
    } finally {
      await done();
    }
  });
});
