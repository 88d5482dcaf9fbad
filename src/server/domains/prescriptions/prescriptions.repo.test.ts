import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import type { DbHandle, DbOrTx } from '../../db/client.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { herbIdFor, upsertHerbMasterData } from '../catalog/herbs.seed.ts';
import { addMarketLot, addMarketOrg } from '../market/market.testkit.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { lockLotsForDraw } from './prescriptions.repo.ts';

/**
 * A pharmacy filling a prescription locks its lots of the herb (FEFO) while it draws stock from them.
 * The lock must serialise stock moves on those lots, and nothing else: a transaction writing a row that
 * refers to one of the lots (a buyer's reservation in a checkout, an order line) must not wait for the
 * draw, or the two can close a deadlock as a market batch and an order did (lots are locked FOR NO KEY
 * UPDATE everywhere for that reason).
 */
let handle: DbHandle;
let pharmacy: Actor;
let buyer: Actor;
let lotId: string;
const TODAY = '2026-12-07';

beforeAll(async () => {
  handle = await createTestDb();
  await upsertHerbMasterData(handle.db);
  pharmacy = await addMarketOrg(handle.db, 'pharmacy');
  buyer = await addMarketOrg(handle.db, 'hospital');
  lotId = await addMarketLot(handle.db, pharmacy, '黄芪', { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' }, 100_000, '甘肃陇西');
});

afterAll(async () => {
  await handle?.close();
});

/** Runs `body` in a transaction that gives up waiting for a lock after `ms`; answers what it returned, or the error's SQLSTATE. */
async function withLockTimeout(ms: number, body: (tx: DbOrTx) => Promise<unknown>): Promise<unknown> {
  try {
    return await handle.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = '${ms}ms'`));
      const out = await body(tx);
      tx.rollback();
      return out;
    });
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string }; message: string };
    if (e.message.includes('Rollback')) return 'done';
    return e.code ?? e.cause?.code ?? e.message;
  }
}

// Needs two connections at once, which the in-memory PGlite of a run without DATABASE_URL does not have.
describe.skipIf(!process.env.DATABASE_URL)('lockLotsForDraw', () => {
  it('holds the lots against another draw, not against a row that refers to them', async () => {
    let release!: () => void;
    const mayFinish = new Promise<void>((resolve) => (release = resolve));
    let held!: (ids: string[]) => void;
    const locked = new Promise<string[]>((resolve) => (held = resolve));
    const draw = handle.db.transaction(async (tx) => {
      held((await lockLotsForDraw(tx, pharmacy.orgId!, herbIdFor('黄芪'), TODAY)).map((l) => l.id));
      await mayFinish;
      tx.rollback();
    }).catch(() => undefined);
    try {
      expect(await locked).toEqual([lotId]);
      // A checkout reserving grams of the same lot for a buyer: its foreign-key check needs only a key-share lock.
      const reservation = await withLockTimeout(2_000, (tx) =>
        tx.execute(sql`insert into stock_reservation (id, lot_id, seller_org_id, buyer_org_id, grams, unit_price_fen_per_kg, total_fen, idempotency_key, status)
          values (${newId('rsv')}, ${lotId}, ${pharmacy.orgId}, ${buyer.orgId}, 1000, 9900, 9900, ${newId('idem')}, 'held')`),
      );
      expect(reservation).toBe('done');
      // A second draw on the same lots waits for the first (here: gives up after 200 ms, lock_not_available).
      const second = await withLockTimeout(200, (tx) => lockLotsForDraw(tx, pharmacy.orgId!, herbIdFor('黄芪'), TODAY));
      expect(second).toBe('55P03');
    } finally {
      release();
      await draw;
    }
  });
});
