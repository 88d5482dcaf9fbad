-- market_batch_start (0034) plans every lookup by key. Each of its reads names the rows it wants — the
-- batch's instruments, lots, net-terms buyers and their credit lines, owed totals, invoices and resting
-- buys — and each has an index for it. On small tables the planner's cost model still preferred reading
-- the whole table and testing each row against the batch's list: a net_terms_owed of 4,032 rows was
-- scanned in ~2 ms per batch to find 18 buyers' rows, where the primary key finds them in ~0.5 ms, and
-- such a scan grows with the table. Sequential scans are switched off for the function's own queries
-- only (a table without a usable index is still scanned).
ALTER FUNCTION "market_batch_start"(integer, integer, jsonb, jsonb, jsonb, jsonb, date) SET enable_seqscan = off;
