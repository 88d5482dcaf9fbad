-- market_batch_start (0021) answers the buyers' credit lines as arrays, and counts overdue invoices once
-- per seller and buyer instead of once per line. Otherwise unchanged.
CREATE OR REPLACE FUNCTION "market_batch_start"(p_lock_namespace integer, p_terms_namespace integer, p_instrument text, p_pairs jsonb, p_lots jsonb, p_buyers jsonb, p_today date)
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
    -- [seller, buyer, limit, outstanding, overdue invoices] a line: the batch's buyers may have a line with
    -- every seller, and an array a line costs a fraction of an object to build and to read.
    'credit', (SELECT coalesce(jsonb_agg(jsonb_build_array(cl.seller_org_id, cl.buyer_org_id, cl.limit_fen, coalesce(e.fen, 0), coalesce(ov.n, 0))), '[]'::jsonb)
                 FROM credit_line cl
                 LEFT JOIN (SELECT * FROM net_terms_exposure x WHERE x.buyer_org_id = ANY (buyers)) e ON e.seller_org_id = cl.seller_org_id AND e.buyer_org_id = cl.buyer_org_id
                 LEFT JOIN (SELECT iv.seller_org_id, iv.buyer_org_id, count(*) AS n FROM invoice iv WHERE iv.status = 'overdue' AND iv.buyer_org_id = ANY (buyers) GROUP BY iv.seller_org_id, iv.buyer_org_id) ov
                   ON ov.seller_org_id = cl.seller_org_id AND ov.buyer_org_id = cl.buyer_org_id
                WHERE cl.buyer_org_id = ANY (buyers))
  ) INTO result;
  RETURN result;
END;
$$;
