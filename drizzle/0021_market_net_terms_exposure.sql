-- What a buyer owes or may come to owe a seller on net terms: open net-terms orders (total less
-- captured), resting net-terms market buys (notional less what has traded, against every seller they
-- may match), and net-terms market trades whose orders are not written yet.
CREATE VIEW "net_terms_exposure" AS
SELECT x.seller_org_id, x.buyer_org_id, sum(x.fen)::bigint AS fen FROM (
  SELECT o.seller_org_id, o.buyer_org_id, (o.total_fen - o.captured_fen)::bigint AS fen
    FROM "order" o
   WHERE o.payment_method = 'net_terms' AND o.status NOT IN ('cancelled', 'rejected', 'refunded')
  UNION ALL
  SELECT s.seller AS seller_org_id, f.org_id AS buyer_org_id, f.amount_fen - tr.fen AS fen
    FROM market_funding f
    -- What has traded, once per order (not once per seller it may match).
    CROSS JOIN LATERAL (SELECT coalesce(sum((t.fen_per_kg::bigint * t.grams + 500) / 1000), 0) AS fen FROM market_trade t WHERE t.buy_order_id = f.order_id) tr
    JOIN market_command c ON c.instrument_id = f.instrument_id AND c.order_id = f.order_id AND c.kind = 'place'
    CROSS JOIN LATERAL jsonb_array_elements_text(c.command -> 'constraints' -> 'sellers') AS s(seller)
   WHERE f.method = 'net_terms' AND f.status = 'on_terms'
  UNION ALL
  SELECT t.seller_org_id, t.buyer_org_id, (t.fen_per_kg::bigint * t.grams + 500) / 1000 AS fen
    FROM market_trade t
    JOIN market_funding f ON f.order_id = t.buy_order_id
   WHERE t.order_id IS NULL AND f.method = 'net_terms'
) x
GROUP BY x.seller_org_id, x.buyer_org_id;
--> statement-breakpoint
-- The market writer's start of a batch, in one round trip: takes the instrument's writer lock, the
-- net-terms buyers' terms locks (a net-terms checkout takes the same one first, before any stock) and
-- the sells' lots (by id), then reads — each statement of a PL/pgSQL
-- function takes a fresh snapshot, so after the locks — the instrument, the log's last sequence, earlier
-- commands of the batch's idempotency keys, the lots, and the buyers' credit lines with their exposure.
CREATE FUNCTION "market_batch_start"(p_lock_namespace integer, p_terms_namespace integer, p_instrument text, p_pairs jsonb, p_lots jsonb, p_buyers jsonb, p_today date)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
-- Plans for the batch's own keys, lots and buyers (a generic plan of these statements may scan the log).
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  result jsonb;
  -- An array parameter (not a sub-select) so the buyer filter is pushed into each branch of the view.
  buyers text[] := ARRAY(SELECT DISTINCT jsonb_array_elements_text(p_buyers) ORDER BY 1);
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_namespace, hashtext(p_instrument));
  PERFORM pg_advisory_xact_lock(p_terms_namespace, hashtext(b.id)) FROM unnest(buyers) WITH ORDINALITY AS b(id, n) ORDER BY b.n;
  PERFORM 1 FROM lot WHERE lot.id IN (SELECT jsonb_array_elements_text(p_lots)) ORDER BY lot.id FOR UPDATE;
  SELECT jsonb_build_object(
    'instrument', (SELECT jsonb_build_object('name', i.name, 'herbId', i.herb_id, 'form', i.form, 'cut', i.cut, 'processing', i.processing, 'grade', i.grade, 'status', i.status)
                     FROM instrument i WHERE i.id = p_instrument),
    'lastSeq', (SELECT coalesce(max(mc.seq), 0) FROM market_command mc WHERE mc.instrument_id = p_instrument),
    'answered', (SELECT coalesce(jsonb_agg(jsonb_build_object('orgId', m.org_id, 'key', m.idempotency_key, 'instrumentId', m.instrument_id, 'command', m.command,
                                                              'lotId', m.lot_id, 'answer', m.answer, 'requestFingerprint', m.request_fingerprint)), '[]'::jsonb)
                   FROM jsonb_to_recordset(p_pairs) AS x(o text, k text)
                   JOIN market_command m ON m.org_id = x.o AND m.idempotency_key = x.k),
    'lots', (SELECT coalesce(jsonb_agg(to_jsonb(l)), '[]'::jsonb) FROM (
               SELECT lot.id, lot.seller_org_id AS "sellerOrgId", lot.batch_no AS "batchNo", lot.expiry_date AS "expiryDate",
                      lot.quantity_g AS "quantityG", lot.reserved_g AS "reservedG",
                      p.herb_id AS "herbId", p.form, p.cut, p.processing, p.grade, p.origin,
                      (lot.content_pct IS NOT NULL OR lot.moisture_pct IS NOT NULL) AS "hasQualityReport",
                      EXISTS (SELECT 1 FROM licence lc WHERE lc.org_id = lot.seller_org_id AND lc.type = 'gap_base' AND lc.expires_on >= p_today) AS "hasGap",
                      coalesce((SELECT jsonb_agg(li.id) FROM listing li WHERE li.lot_id = lot.id), '[]'::jsonb) AS "listingIds"
                 FROM jsonb_array_elements_text(p_lots) AS wanted(id)
                 JOIN lot ON lot.id = wanted.id
                 JOIN product p ON p.id = lot.product_id) l),
    'credit', (SELECT coalesce(jsonb_agg(jsonb_build_object('sellerOrgId', cl.seller_org_id, 'buyerOrgId', cl.buyer_org_id, 'limitFen', cl.limit_fen,
                                                            'outstandingFen', coalesce(e.fen, 0),
                                                            'overdueInvoices', (SELECT count(*) FROM invoice iv WHERE iv.seller_org_id = cl.seller_org_id AND iv.buyer_org_id = cl.buyer_org_id AND iv.status = 'overdue'))), '[]'::jsonb)
                 FROM credit_line cl
                 LEFT JOIN (SELECT * FROM net_terms_exposure x WHERE x.buyer_org_id = ANY (buyers)) e ON e.seller_org_id = cl.seller_org_id AND e.buyer_org_id = cl.buyer_org_id
                WHERE cl.buyer_org_id = ANY (buyers))
  ) INTO result;
  RETURN result;
END;
$$;
