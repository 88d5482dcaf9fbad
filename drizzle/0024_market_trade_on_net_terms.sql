-- A trade says whether its buy order was funded on net terms, so the exposure view reads a buyer's
-- unwritten net-terms trades from one index instead of looking up each trade's funding.
ALTER TABLE "market_trade" ADD COLUMN "on_net_terms" boolean;--> statement-breakpoint
UPDATE "market_trade" t SET "on_net_terms" = EXISTS (SELECT 1 FROM "market_funding" f WHERE f.order_id = t.buy_order_id AND f.method = 'net_terms');--> statement-breakpoint
ALTER TABLE "market_trade" ALTER COLUMN "on_net_terms" SET NOT NULL;--> statement-breakpoint
DROP INDEX "market_trade_unordered_idx";--> statement-breakpoint
CREATE INDEX "market_trade_unordered_terms_idx" ON "market_trade" USING btree ("buyer_org_id","seller_org_id") WHERE "market_trade"."order_id" is null and "market_trade"."on_net_terms";--> statement-breakpoint
-- As in 0021, with the third part read by the flag; each part sums by seller and buyer first.
CREATE OR REPLACE VIEW "net_terms_exposure" AS
SELECT x.seller_org_id, x.buyer_org_id, sum(x.fen)::bigint AS fen FROM (
  SELECT o.seller_org_id, o.buyer_org_id, sum(o.total_fen - o.captured_fen) AS fen
    FROM "order" o
   WHERE o.payment_method = 'net_terms' AND o.status NOT IN ('cancelled', 'rejected', 'refunded')
   GROUP BY o.seller_org_id, o.buyer_org_id
  UNION ALL
  SELECT s.seller AS seller_org_id, f.org_id AS buyer_org_id, sum(f.amount_fen - tr.fen) AS fen
    FROM market_funding f
    -- What has traded, once per order (not once per seller it may match).
    CROSS JOIN LATERAL (SELECT coalesce(sum((t.fen_per_kg::bigint * t.grams + 500) / 1000), 0) AS fen FROM market_trade t WHERE t.buy_order_id = f.order_id) tr
    JOIN market_command c ON c.instrument_id = f.instrument_id AND c.order_id = f.order_id AND c.kind = 'place'
    CROSS JOIN LATERAL jsonb_array_elements_text(c.command -> 'constraints' -> 'sellers') AS s(seller)
   WHERE f.method = 'net_terms' AND f.status = 'on_terms'
   GROUP BY s.seller, f.org_id
  UNION ALL
  SELECT t.seller_org_id, t.buyer_org_id, sum((t.fen_per_kg::bigint * t.grams + 500) / 1000) AS fen
    FROM market_trade t
   WHERE t.order_id IS NULL AND t.on_net_terms
   GROUP BY t.seller_org_id, t.buyer_org_id
) x
GROUP BY x.seller_org_id, x.buyer_org_id;
