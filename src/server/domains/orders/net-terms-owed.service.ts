import { sql } from 'drizzle-orm';
import { type Db, sqlRows } from '../../db/client.ts';

/** A buyer and seller whose exposure read from the running totals is not what the rows add up to. */
export interface NetTermsDifference {
  buyerOrgId: string;
  sellerOrgId: string;
  /** From `net_terms_exposure` (running totals, the resting buys' recorded sellers). */
  keptFen: number;
  /** From `net_terms_exposure_recount` (summed afresh from orders, trades and the buys' place commands). */
  recountedFen: number;
}

export interface NetTermsCheck {
  /** Buyer and seller pairs with anything owed or held, summed afresh. */
  pairs: number;
  /** How many pairs differ. */
  differing: number;
  /** Up to `limit` of them, by buyer then seller. */
  differ: NetTermsDifference[];
}

/**
 * Compares net-terms exposure as it is kept — the running totals of `net_terms_owed` and the sellers
 * recorded with resting net-terms buys — with the same summed afresh from the rows. They can only part
 * if rows were changed with the triggers bypassed (a restore with triggers off, `TRUNCATE`, a session
 * with `session_replication_role = replica`).
 */
export async function checkNetTermsExposure(db: Db, limit = 100): Promise<NetTermsCheck> {
  // One statement: the recount (every open order and trade) is summed once, and both sides are read in one snapshot.
  const [row] = await sqlRows<{ pairs: string | number; differing: string | number; differ: unknown }>(
    db,
    sql`with kept as (select * from net_terms_exposure where fen <> 0),
             recounted as (select * from net_terms_exposure_recount where fen <> 0),
             differ as (
               select coalesce(k.buyer_org_id, r.buyer_org_id) as "buyerOrgId", coalesce(k.seller_org_id, r.seller_org_id) as "sellerOrgId",
                      coalesce(k.fen, 0) as "keptFen", coalesce(r.fen, 0) as "recountedFen"
                 from kept k
                 full join recounted r on r.buyer_org_id = k.buyer_org_id and r.seller_org_id = k.seller_org_id
                where coalesce(k.fen, 0) <> coalesce(r.fen, 0))
        select (select count(*) from recounted) as pairs, (select count(*) from differ) as differing,
               (select coalesce(json_agg(d), '[]'::json) from (select * from differ order by 1, 2 limit ${limit}) d) as differ`,
  );
  const differ = (typeof row?.differ === 'string' ? JSON.parse(row.differ) : (row?.differ ?? [])) as NetTermsDifference[];
  return {
    pairs: Number(row?.pairs ?? 0),
    differing: Number(row?.differing ?? 0),
    differ: differ.map((d) => ({ ...d, keptFen: Number(d.keptFen), recountedFen: Number(d.recountedFen) })),
  };
}

/**
 * Rebuilds what is kept from the rows: the running totals, and the sellers of net-terms buys from
 * their place commands. Orders, trades and fundings are held still (no writes; reads go on) until it
 * commits, so nothing changes between the sums and the rewrite.
 */
export async function rebuildNetTermsExposure(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table "order", market_trade, market_funding in share row exclusive mode`);
    await tx.execute(sql`
      update market_funding f set sellers = array(select jsonb_array_elements_text(c.command -> 'constraints' -> 'sellers'))
        from market_command c
       where f.method = 'net_terms' and c.instrument_id = f.instrument_id and c.order_id = f.order_id and c.kind = 'place'
         and f.sellers is distinct from array(select jsonb_array_elements_text(c.command -> 'constraints' -> 'sellers'))`);
    await tx.execute(sql`delete from net_terms_owed`);
    await tx.execute(sql`
      insert into net_terms_owed (buyer_org_id, seller_org_id, fen)
      select x.buyer_org_id, x.seller_org_id, sum(x.fen) from (
        select o.buyer_org_id, o.seller_org_id, net_terms_owed_order_part(o) as fen from "order" o where o.payment_method = 'net_terms'
        union all
        select t.buyer_org_id, t.seller_org_id, net_terms_owed_trade_part(t) from market_trade t where t.on_net_terms and t.order_id is null
      ) x
      group by x.buyer_org_id, x.seller_org_id`);
  });
}
