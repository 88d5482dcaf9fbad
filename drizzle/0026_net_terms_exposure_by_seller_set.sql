-- The exposure view (0021, 0024) with the resting net-terms buys summed per buyer and set of sellers
-- before being spread over those sellers: the same totals, a fraction of the rows.
CREATE OR REPLACE VIEW "net_terms_exposure" AS
SELECT x.seller_org_id, x.buyer_org_id, sum(x.fen)::bigint AS fen FROM (
  SELECT o.seller_org_id, o.buyer_org_id, sum(o.total_fen - o.captured_fen) AS fen
    FROM "order" o
   WHERE o.payment_method = 'net_terms' AND o.status NOT IN ('cancelled', 'rejected', 'refunded')
   GROUP BY o.seller_org_id, o.buyer_org_id
  UNION ALL
  SELECT s.seller AS seller_org_id, g.buyer_org_id, g.fen
    -- A buyer's resting buys mostly list the same sellers: summed per set of sellers first, then spread
    -- over its sellers (89 resting buys of a batch's buyers shared 18 sets in the market bench).
    FROM (SELECT f.org_id AS buyer_org_id, c.command -> 'constraints' -> 'sellers' AS sellers, sum(f.amount_fen - tr.fen) AS fen
            FROM market_funding f
            -- What has traded, once per order (not once per seller it may match).
            CROSS JOIN LATERAL (SELECT coalesce(sum((t.fen_per_kg::bigint * t.grams + 500) / 1000), 0) AS fen FROM market_trade t WHERE t.buy_order_id = f.order_id) tr
            JOIN market_command c ON c.instrument_id = f.instrument_id AND c.order_id = f.order_id AND c.kind = 'place'
           WHERE f.method = 'net_terms' AND f.status = 'on_terms'
           GROUP BY f.org_id, c.command -> 'constraints' -> 'sellers') g
    CROSS JOIN LATERAL jsonb_array_elements_text(g.sellers) AS s(seller)
  UNION ALL
  SELECT t.seller_org_id, t.buyer_org_id, sum((t.fen_per_kg::bigint * t.grams + 500) / 1000) AS fen
    FROM market_trade t
   WHERE t.order_id IS NULL AND t.on_net_terms
   GROUP BY t.seller_org_id, t.buyer_org_id
) x
GROUP BY x.seller_org_id, x.buyer_org_id;
