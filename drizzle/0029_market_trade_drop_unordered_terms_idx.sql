-- Net-terms exposure reads what is owed from running totals since 0027: only the recount view reads
-- unordered net-terms trades now, and it may scan for them. Trade inserts no longer keep this index.
DROP INDEX "market_trade_unordered_terms_idx";