-- 0037 the deferred balance check keeps its plan on a grown ledger. Forward-only.
--
-- Once ANALYZE has seen many database transactions, the planner estimates that one row of
-- ledger_transactions in a seq range has this transaction's db_xact, and joins the check's per-
-- transaction sums (a CTE, no index) to those rows by a nested loop: 1 000 × 1 000 comparisons per
-- batch of 1 000. Measured on PostgreSQL (bench/ledger.bench.ts, one writer): the check took 5 ms
-- per batch up to ~50 000 transactions and 55 ms after, and the write path's throughput fell by
-- half. The check compares two sets of at most a batch each; hash joins are right at every size,
-- so the function plans without nested loops (its index range scans are unaffected).
ALTER FUNCTION ledger_balance_check() SET enable_nestloop = off;
