-- market_batch_start (0033) for a batch that spans instruments: the market's writer now commits the commands
-- queued for several instruments in one transaction. It takes the instruments' writer locks in id order and
-- answers each existing instrument with its last sequence in the log ('instruments'), instead of one
-- instrument and one 'lastSeq'. The rest is as in 0033. The one-instrument form is dropped.
DROP FUNCTION IF EXISTS "market_batch_start"(integer, integer, text, jsonb, jsonb, jsonb, date);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "market_batch_start"(p_lock_namespace integer, p_terms_namespace integer, p_instruments jsonb, p_pairs jsonb, p_lots jsonb, p_buyers jsonb, p_today date)
RETURNS json LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  result json;
  instrument_ids text[] := ARRAY(SELECT DISTINCT jsonb_array_elements_text(p_instruments) ORDER BY 1);
  buyers text[] := ARRAY(SELECT DISTINCT jsonb_array_elements_text(p_buyers) ORDER BY 1);
  -- The lots as an array too: planned with its length known, they are looked up by key instead of the
  -- lot table being scanned for each batch (a set-returning function is guessed at 100 rows).
  lot_ids text[] := ARRAY(SELECT DISTINCT jsonb_array_elements_text(p_lots) ORDER BY 1);
BEGIN
  -- Instruments in id order, then terms in buyer order, then lots in id order: every batch takes its locks
  -- in that one order, so batches on overlapping instruments wait for each other and never deadlock.
  PERFORM pg_advisory_xact_lock(p_lock_namespace, hashtext(i.id)) FROM unnest(instrument_ids) WITH ORDINALITY AS i(id, n) ORDER BY i.n;
  PERFORM pg_advisory_xact_lock(p_terms_namespace, hashtext(b.id)) FROM unnest(buyers) WITH ORDINALITY AS b(id, n) ORDER BY b.n;
  PERFORM 1 FROM lot WHERE lot.id = ANY (lot_ids) ORDER BY lot.id FOR NO KEY UPDATE;
  SELECT json_build_object(
    'instruments', (SELECT coalesce(json_agg(json_build_object('id', i.id, 'name', i.name, 'herbId', i.herb_id, 'form', i.form, 'cut', i.cut, 'processing', i.processing, 'grade', i.grade, 'status', i.status,
                                                            'lastSeq', (SELECT coalesce(max(mc.seq), 0) FROM market_command mc WHERE mc.instrument_id = i.id))), '[]'::json)
                      FROM instrument i WHERE i.id = ANY (instrument_ids)),
    'answered', (SELECT coalesce(json_agg(json_build_object('orgId', m.org_id, 'key', m.idempotency_key, 'instrumentId', m.instrument_id, 'command', m.command,
                                                            'lotId', m.lot_id, 'answer', m.answer, 'requestFingerprint', m.request_fingerprint)), '[]'::json)
                   FROM jsonb_to_recordset(p_pairs) AS x(o text, k text)
                   -- One lookup by key a pair, whatever the log's size when the plan was made.
                   CROSS JOIN LATERAL (SELECT * FROM market_command mc WHERE mc.org_id = x.o AND mc.idempotency_key = x.k LIMIT 1) m),
    'lots', (SELECT coalesce(json_agg(row_to_json(l)), '[]'::json) FROM (
               SELECT lot.id, lot.seller_org_id AS "sellerOrgId", lot.batch_no AS "batchNo", lot.expiry_date AS "expiryDate",
                      lot.quantity_g AS "quantityG", lot.reserved_g AS "reservedG",
                      p.herb_id AS "herbId", p.form, p.cut, p.processing, p.grade, p.origin,
                      (lot.content_pct IS NOT NULL OR lot.moisture_pct IS NOT NULL) AS "hasQualityReport",
                      EXISTS (SELECT 1 FROM licence lc WHERE lc.org_id = lot.seller_org_id AND lc.type = 'gap_base' AND lc.expires_on >= p_today) AS "hasGap",
                      coalesce((SELECT json_agg(li.id) FROM listing li WHERE li.lot_id = lot.id), '[]'::json) AS "listingIds"
                 FROM lot
                 CROSS JOIN LATERAL (SELECT * FROM product pr WHERE pr.id = lot.product_id LIMIT 1) p
                WHERE lot.id = ANY (lot_ids)) l),
    -- [buyer, [seller…], [limit…], [owed…], [overdue invoices…]] a buyer: one entry per credit line it holds.
    'credit', (SELECT coalesce(json_agg(json_build_array(g.buyer_org_id, g.sellers, g.limits, g.owed, g.overdue)), '[]'::json) FROM (
                 SELECT cl.buyer_org_id, array_agg(cl.seller_org_id) AS sellers, array_agg(cl.limit_fen) AS limits,
                        array_agg(coalesce(w.fen, 0)) AS owed, array_agg(coalesce(ov.n, 0)) AS overdue
                   FROM credit_line cl
                   LEFT JOIN (SELECT * FROM net_terms_owed x WHERE x.buyer_org_id = ANY (buyers)) w ON w.buyer_org_id = cl.buyer_org_id AND w.seller_org_id = cl.seller_org_id
                   LEFT JOIN (SELECT iv.seller_org_id, iv.buyer_org_id, count(*) AS n FROM invoice iv WHERE iv.status = 'overdue' AND iv.buyer_org_id = ANY (buyers) GROUP BY iv.seller_org_id, iv.buyer_org_id) ov
                     ON ov.seller_org_id = cl.seller_org_id AND ov.buyer_org_id = cl.buyer_org_id
                  WHERE cl.buyer_org_id = ANY (buyers)
                  GROUP BY cl.buyer_org_id) g),
    -- [buyer, [seller…], fen] a set of sellers: the buyer's resting net-terms buys that may match exactly those
    -- sellers, notional less what has traded (as the exposure view counts them against each of those sellers).
    'resting', (SELECT coalesce(json_agg(json_build_array(r.org_id, r.sellers, r.fen)), '[]'::json) FROM (
                  SELECT f.org_id, f.sellers, sum(f.amount_fen - tr.fen) AS fen
                    FROM market_funding f
                    CROSS JOIN LATERAL (SELECT coalesce(sum((t.fen_per_kg::bigint * t.grams + 500) / 1000), 0) AS fen FROM market_trade t WHERE t.buy_order_id = f.order_id) tr
                   WHERE f.method = 'net_terms' AND f.status = 'on_terms' AND f.org_id = ANY (buyers)
                   GROUP BY f.org_id, f.sellers) r)
  ) INTO result;
  RETURN result;
END;
$$;
