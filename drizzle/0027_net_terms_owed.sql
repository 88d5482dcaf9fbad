CREATE TABLE "net_terms_owed" (
	"buyer_org_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"fen" bigint NOT NULL,
	CONSTRAINT "net_terms_owed_buyer_org_id_seller_org_id_pk" PRIMARY KEY("buyer_org_id","seller_org_id")
);
--> statement-breakpoint
ALTER TABLE "market_funding" ADD COLUMN "sellers" text[];--> statement-breakpoint
-- What a buyer owes a seller on terms — open net-terms orders less what was captured, and net-terms
-- market trades whose orders are not written yet — kept as a running total instead of summed afresh
-- from every open row each time a batch of market commands or a checkout reads it. Triggers on
-- "order" and market_trade add each row's change in the statement that makes it; the view
-- net_terms_exposure_recount (below) still sums the rows, to check the totals against.
CREATE FUNCTION "net_terms_owed_add"(p_buyer text, p_seller text, p_fen bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_fen <> 0 THEN
    INSERT INTO net_terms_owed AS w (buyer_org_id, seller_org_id, fen) VALUES (p_buyer, p_seller, p_fen)
      ON CONFLICT (buyer_org_id, seller_org_id) DO UPDATE SET fen = w.fen + excluded.fen;
  END IF;
END;
$$;
--> statement-breakpoint
-- An order's part: total less captured while it is a net-terms order that is not cancelled, rejected or refunded.
CREATE FUNCTION "net_terms_owed_order_part"(o "order") RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN o.payment_method = 'net_terms' AND o.status NOT IN ('cancelled', 'rejected', 'refunded') THEN (o.total_fen - o.captured_fen)::bigint ELSE 0 END
$$;
--> statement-breakpoint
-- A trade's part: its value (fen per kg × grams, rounded to the fen) while it is on net terms and has no order yet.
CREATE FUNCTION "net_terms_owed_trade_part"(t market_trade) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t.on_net_terms AND t.order_id IS NULL THEN (t.fen_per_kg::bigint * t.grams + 500) / 1000 ELSE 0 END
$$;
--> statement-breakpoint
CREATE FUNCTION "net_terms_owed_by_order"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM net_terms_owed_add(NEW.buyer_org_id, NEW.seller_org_id, net_terms_owed_order_part(NEW));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM net_terms_owed_add(OLD.buyer_org_id, OLD.seller_org_id, -net_terms_owed_order_part(OLD));
  ELSIF OLD.buyer_org_id = NEW.buyer_org_id AND OLD.seller_org_id = NEW.seller_org_id THEN
    PERFORM net_terms_owed_add(NEW.buyer_org_id, NEW.seller_org_id, net_terms_owed_order_part(NEW) - net_terms_owed_order_part(OLD));
  ELSE
    PERFORM net_terms_owed_add(OLD.buyer_org_id, OLD.seller_org_id, -net_terms_owed_order_part(OLD));
    PERFORM net_terms_owed_add(NEW.buyer_org_id, NEW.seller_org_id, net_terms_owed_order_part(NEW));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "net_terms_owed_by_trade"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM net_terms_owed_add(OLD.buyer_org_id, OLD.seller_org_id, -net_terms_owed_trade_part(OLD));
  ELSIF OLD.buyer_org_id = NEW.buyer_org_id AND OLD.seller_org_id = NEW.seller_org_id THEN
    PERFORM net_terms_owed_add(NEW.buyer_org_id, NEW.seller_org_id, net_terms_owed_trade_part(NEW) - net_terms_owed_trade_part(OLD));
  ELSE
    PERFORM net_terms_owed_add(OLD.buyer_org_id, OLD.seller_org_id, -net_terms_owed_trade_part(OLD));
    PERFORM net_terms_owed_add(NEW.buyer_org_id, NEW.seller_org_id, net_terms_owed_trade_part(NEW));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The market writer inserts a batch's trades in one statement: their parts are summed per buyer and
-- seller and added once each, in key order (two writers adding to the same totals lock them in the same order).
CREATE FUNCTION "net_terms_owed_by_new_trades"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO net_terms_owed AS w (buyer_org_id, seller_org_id, fen)
  SELECT t.buyer_org_id, t.seller_org_id, sum(net_terms_owed_trade_part(t)) FROM new_trades t
   WHERE t.on_net_terms AND t.order_id IS NULL
   GROUP BY t.buyer_org_id, t.seller_org_id
   ORDER BY t.buyer_org_id, t.seller_org_id
  ON CONFLICT (buyer_org_id, seller_org_id) DO UPDATE SET fen = w.fen + excluded.fen;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "order_net_terms_owed_insert" AFTER INSERT ON "order" FOR EACH ROW WHEN (NEW.payment_method = 'net_terms') EXECUTE FUNCTION net_terms_owed_by_order();
--> statement-breakpoint
CREATE TRIGGER "order_net_terms_owed_update" AFTER UPDATE ON "order" FOR EACH ROW WHEN (OLD.payment_method = 'net_terms' OR NEW.payment_method = 'net_terms') EXECUTE FUNCTION net_terms_owed_by_order();
--> statement-breakpoint
CREATE TRIGGER "order_net_terms_owed_delete" AFTER DELETE ON "order" FOR EACH ROW WHEN (OLD.payment_method = 'net_terms') EXECUTE FUNCTION net_terms_owed_by_order();
--> statement-breakpoint
CREATE TRIGGER "market_trade_net_terms_owed_insert" AFTER INSERT ON "market_trade" REFERENCING NEW TABLE AS new_trades FOR EACH STATEMENT EXECUTE FUNCTION net_terms_owed_by_new_trades();
--> statement-breakpoint
CREATE TRIGGER "market_trade_net_terms_owed_update" AFTER UPDATE ON "market_trade" FOR EACH ROW WHEN (OLD.on_net_terms OR NEW.on_net_terms) EXECUTE FUNCTION net_terms_owed_by_trade();
--> statement-breakpoint
CREATE TRIGGER "market_trade_net_terms_owed_delete" AFTER DELETE ON "market_trade" FOR EACH ROW WHEN (OLD.on_net_terms) EXECUTE FUNCTION net_terms_owed_by_trade();
--> statement-breakpoint
-- The totals of the rows already there (the triggers above hold their tables until this migration commits).
INSERT INTO net_terms_owed (buyer_org_id, seller_org_id, fen)
SELECT x.buyer_org_id, x.seller_org_id, sum(x.fen) FROM (
  SELECT o.buyer_org_id, o.seller_org_id, net_terms_owed_order_part(o) AS fen FROM "order" o WHERE o.payment_method = 'net_terms'
  UNION ALL
  SELECT t.buyer_org_id, t.seller_org_id, net_terms_owed_trade_part(t) FROM market_trade t WHERE t.on_net_terms AND t.order_id IS NULL
) x
GROUP BY x.buyer_org_id, x.seller_org_id;
--> statement-breakpoint
-- A net-terms buy's sellers, kept beside its funding (from its place command's constraints).
UPDATE market_funding f SET sellers = ARRAY(SELECT jsonb_array_elements_text(c.command -> 'constraints' -> 'sellers'))
  FROM market_command c
 WHERE f.method = 'net_terms' AND c.instrument_id = f.instrument_id AND c.order_id = f.order_id AND c.kind = 'place';
--> statement-breakpoint
-- The exposure summed afresh from the rows (0026's view): what the running totals must equal.
CREATE VIEW "net_terms_exposure_recount" AS
SELECT x.seller_org_id, x.buyer_org_id, sum(x.fen)::bigint AS fen FROM (
  SELECT o.seller_org_id, o.buyer_org_id, sum(o.total_fen - o.captured_fen) AS fen
    FROM "order" o
   WHERE o.payment_method = 'net_terms' AND o.status NOT IN ('cancelled', 'rejected', 'refunded')
   GROUP BY o.seller_org_id, o.buyer_org_id
  UNION ALL
  SELECT s.seller AS seller_org_id, g.buyer_org_id, g.fen
    FROM (SELECT f.org_id AS buyer_org_id, c.command -> 'constraints' -> 'sellers' AS sellers, sum(f.amount_fen - tr.fen) AS fen
            FROM market_funding f
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
--> statement-breakpoint
-- The exposure: the running total of what is owed, and the resting net-terms buys (notional less what
-- has traded), summed per buyer and set of sellers, spread over those sellers.
CREATE OR REPLACE VIEW "net_terms_exposure" AS
SELECT x.seller_org_id, x.buyer_org_id, sum(x.fen)::bigint AS fen FROM (
  SELECT w.seller_org_id, w.buyer_org_id, w.fen
    FROM net_terms_owed w
  UNION ALL
  SELECT s.seller AS seller_org_id, g.buyer_org_id, g.fen
    FROM (SELECT f.org_id AS buyer_org_id, f.sellers, sum(f.amount_fen - tr.fen) AS fen
            FROM market_funding f
            -- What has traded, once per order (not once per seller it may match).
            CROSS JOIN LATERAL (SELECT coalesce(sum((t.fen_per_kg::bigint * t.grams + 500) / 1000), 0) AS fen FROM market_trade t WHERE t.buy_order_id = f.order_id) tr
           WHERE f.method = 'net_terms' AND f.status = 'on_terms'
           GROUP BY f.org_id, f.sellers) g
    CROSS JOIN LATERAL unnest(g.sellers) AS s(seller)
) x
GROUP BY x.seller_org_id, x.buyer_org_id;
