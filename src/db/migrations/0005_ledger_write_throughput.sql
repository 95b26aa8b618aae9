-- 0005 ledger write throughput: the invariants of 0002, checked with less per-row work.
-- Forward-only: never edit once shipped; add a new numbered file instead.
-- Design and figures: docs/ledger.md ("Invariants", "Performance") and docs/adr/0005-ledger-in-postgresql.md.
--
-- What changes (what is checked does not):
--  * The deferred balance check is no longer queued by a per-row WHEN function on
--    ledger_transactions (one PL/pgSQL call per inserted row). A statement-level trigger with a
--    transition table checks db_xact for all the statement's rows in one pass and records the lowest
--    seq of this database transaction in a marker row (ledger_balance_checks); the marker's insert
--    queues the deferred constraint trigger, once per database transaction. At COMMIT it checks every
--    transaction of this database transaction from that seq on, set-based, as before.
--  * The posting check joins the statement's postings with their transactions by one range scan and
--    probes accounts and periods once per distinct (account, segment) / (segment, date) instead of
--    once per posting; the error names the segment by its code.
--  * ledger_apply_balance_deltas: the balance lock (account-id order) and the one UPDATE in one call.

-- ---------------------------------------------------------------------------------------------
-- Marker rows: one per database transaction that inserted ledger transactions, deleted by the check
-- at COMMIT. A marker may only be written by its own database transaction and its seq may only go
-- down (so the check can never be narrowed); a missing marker makes the check scan every row of the
-- database transaction.
CREATE TABLE ledger_balance_checks (
  xact xid8 PRIMARY KEY,
  from_seq bigint NOT NULL
);

CREATE FUNCTION ledger_balance_marker_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.xact <> pg_current_xact_id() THEN
      RAISE EXCEPTION 'ledger.append_only: a balance-check marker belongs to its own database transaction'
        USING ERRCODE = '42501';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.xact <> pg_current_xact_id() OR (TG_OP = 'UPDATE' AND (NEW.xact <> OLD.xact OR NEW.from_seq > OLD.from_seq)) THEN
    RAISE EXCEPTION 'ledger.invalid_request: a balance-check marker belongs to its own database transaction and only widens'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_balance_checks_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_balance_checks
  FOR EACH ROW EXECUTE FUNCTION ledger_balance_marker_guard();
CREATE TRIGGER ledger_balance_checks_no_truncate BEFORE TRUNCATE ON ledger_balance_checks
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Per INSERT statement on ledger_transactions: every row belongs to this database transaction, and
-- the marker (queuing the deferred check) covers the statement's lowest seq.
CREATE FUNCTION ledger_transactions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cur xid8 := pg_current_xact_id();
  lo bigint;
  foreign_rows boolean;
BEGIN
  SELECT min(seq), bool_or(db_xact <> cur) INTO lo, foreign_rows FROM new_transactions;
  IF lo IS NULL THEN
    RETURN NULL;
  END IF;
  IF foreign_rows THEN
    RAISE EXCEPTION 'ledger.invalid_request: db_xact must be the inserting database transaction'
      USING ERRCODE = '23514';
  END IF;
  INSERT INTO ledger_balance_checks AS c (xact, from_seq) VALUES (cur, lo)
    ON CONFLICT (xact) DO UPDATE SET from_seq = excluded.from_seq WHERE c.from_seq > excluded.from_seq;
  RETURN NULL;
END;
$$;

DROP TRIGGER ledger_transactions_balanced ON ledger_transactions;
DROP FUNCTION ledger_queue_balance_check(xid8);

CREATE TRIGGER ledger_transactions_inserted AFTER INSERT ON ledger_transactions
  REFERENCING NEW TABLE AS new_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_transactions_inserted();

-- The check itself, at COMMIT (deferred), for every transaction inserted by this database
-- transaction: legs = leg_count, Σ debits = Σ credits = total_fen, Σ debits = Σ credits per segment.
-- Fired by the marker's insert; reads the marker's current seq (it may have been lowered since).
-- Set-based over one range of the postings' primary key (seq lo..hi of this database transaction's
-- rows; other writers' committed rows in the range are read and ignored), grouped per transaction in
-- index order; only transactions with legs in more than one segment are grouped per segment.
CREATE OR REPLACE FUNCTION ledger_balance_check() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  cur xid8 := pg_current_xact_id();
  lo bigint;
  hi bigint;
  bad record;
BEGIN
  DELETE FROM ledger_balance_checks WHERE xact = cur RETURNING from_seq INTO lo;
  IF lo IS NULL THEN
    lo := 0; -- marker gone: check every row of this database transaction
  END IF;
  SELECT max(seq) INTO hi FROM ledger_transactions WHERE seq >= lo AND db_xact = cur;
  IF hi IS NULL THEN
    RETURN NULL;
  END IF;
  WITH legs AS MATERIALIZED (
    SELECT p.tx_seq, p.segment_id, p.side, p.amount
      FROM ledger_postings p
     WHERE p.tx_seq BETWEEN lo AND hi
  ), per_tx AS (
    SELECT tx_seq, count(*) AS legs,
           sum(CASE WHEN side = 'D' THEN amount ELSE 0 END) AS debits,
           sum(CASE WHEN side = 'C' THEN amount ELSE 0 END) AS credits,
           min(segment_id) <> max(segment_id) AS multi_segment
      FROM legs GROUP BY tx_seq
  ), unbalanced_segments AS (
    SELECT tx_seq, min(segment_id) AS segment_id FROM (
      SELECT l.tx_seq, l.segment_id
        FROM legs l
       WHERE l.tx_seq IN (SELECT tx_seq FROM per_tx WHERE multi_segment)
       GROUP BY l.tx_seq, l.segment_id
      HAVING sum(CASE WHEN l.side = 'D' THEN l.amount ELSE -l.amount END) <> 0) s
     GROUP BY tx_seq
  )
  SELECT m.id, m.leg_count, m.total_fen, a.legs, a.debits, a.credits,
         coalesce(u.segment_id, CASE WHEN NOT a.multi_segment AND a.debits <> a.credits THEN
           (SELECT segment_id FROM legs WHERE tx_seq = m.seq LIMIT 1) END) AS bad_segment INTO bad
    FROM ledger_transactions m
    LEFT JOIN per_tx a ON a.tx_seq = m.seq
    LEFT JOIN unbalanced_segments u ON u.tx_seq = m.seq
   WHERE m.seq BETWEEN lo AND hi AND m.db_xact = cur
     AND (a.tx_seq IS NULL OR a.legs <> m.leg_count OR a.debits <> m.total_fen
          OR a.credits <> m.total_fen OR u.tx_seq IS NOT NULL)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger.unbalanced: transaction % (legs % of %, debits %, credits %, total %, unbalanced segment %)',
      bad.id, coalesce(bad.legs, 0), bad.leg_count, coalesce(bad.debits, 0), coalesce(bad.credits, 0),
      bad.total_fen, bad.bad_segment
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_balance_checks
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_balance_check();

-- ---------------------------------------------------------------------------------------------
-- Postings, once per INSERT statement (same checks and messages as 0002, fewer probes): the
-- statement's postings meet their transactions in one range scan; accounts are probed per distinct
-- (account, segment) and periods per distinct (segment, effective date).
CREATE OR REPLACE FUNCTION ledger_postings_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
  cur xid8 := pg_current_xact_id();
  lo bigint;
  hi bigint;
BEGIN
  SELECT min(tx_seq), max(tx_seq) INTO lo, hi FROM new_postings;
  IF lo IS NULL THEN
    RETURN NULL;
  END IF;
  WITH legs AS MATERIALIZED (
    SELECT p.tx_seq, p.seq, p.account_id, p.segment_id, t.effective_date,
           (t.seq IS NULL OR t.db_xact <> cur) AS foreign_tx
      FROM new_postings p
      LEFT JOIN (SELECT seq, db_xact, effective_date FROM ledger_transactions
                  WHERE seq BETWEEN lo AND hi) t ON t.seq = p.tx_seq
  ), accounts AS (
    SELECT DISTINCT account_id, segment_id FROM legs
  ), dates AS (
    SELECT DISTINCT segment_id, effective_date FROM legs WHERE NOT foreign_tx
  ), problems AS (
    (SELECT l.tx_seq, l.seq, l.account_id, l.segment_id, 1 AS kind, NULL::text AS status, NULL::date AS month
       FROM legs l WHERE l.foreign_tx LIMIT 1)
    UNION ALL
    (SELECT NULL, NULL, x.account_id, x.segment_id, 2, NULL, NULL
       FROM accounts x
      WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = x.account_id AND a.segment_id = x.segment_id)
      LIMIT 1)
    UNION ALL
    (SELECT NULL, NULL, NULL, d.segment_id, 3, pr.status, date_trunc('month', d.effective_date)::date
       FROM dates d
       LEFT JOIN ledger_periods pr ON pr.segment_id = d.segment_id
                                  AND pr.month = date_trunc('month', d.effective_date)::date
      WHERE pr.status IS DISTINCT FROM 'open'
      LIMIT 1)
  )
  SELECT * INTO bad FROM problems ORDER BY kind LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF bad.kind = 1 THEN
    RAISE EXCEPTION 'ledger.posting_outside_transaction: posting %/% does not belong to a transaction inserted in this database transaction',
      bad.tx_seq, bad.seq USING ERRCODE = '23503';
  END IF;
  IF bad.kind = 2 THEN
    RAISE EXCEPTION 'ledger.unknown_account: a posting names account % which is not an account of segment %',
      bad.account_id, bad.segment_id USING ERRCODE = '23503';
  END IF;
  IF bad.status = 'closed' THEN
    RAISE EXCEPTION 'ledger.period_closed: period % of segment % is closed', to_char(bad.month, 'YYYY-MM'),
      (SELECT code FROM ledger_segments WHERE id = bad.segment_id) USING ERRCODE = '23514';
  END IF;
  RAISE EXCEPTION 'ledger.period_not_open: period % of segment % is not open', to_char(bad.month, 'YYYY-MM'),
    (SELECT code FROM ledger_segments WHERE id = bad.segment_id) USING ERRCODE = '23514';
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Balance deltas: lock the rows in account-id order (no deadlocks), then one UPDATE; returns the
-- number of rows updated (the caller checks it equals the number of accounts).
CREATE FUNCTION ledger_apply_balance_deltas(ids int4[], dp int8[], cp int8[], dq int8[], cq int8[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  PERFORM 1 FROM ledger_balances WHERE account_id = ANY(ids) ORDER BY account_id FOR UPDATE;
  UPDATE ledger_balances b
     SET debit_posted = b.debit_posted + d.dp, credit_posted = b.credit_posted + d.cp,
         debit_pending = b.debit_pending + d.dq, credit_pending = b.credit_pending + d.cq,
         version = b.version + 1
    FROM unnest(ids, dp, cp, dq, cq) AS d(id, dp, cp, dq, cq)
   WHERE b.account_id = d.id;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END;
$$;

-- Runs the deferred balance check now (and defers it again for rows inserted later). The write path
-- calls it after its postings and before it locks balance rows and the audit head, so the check does
-- not run inside the part that concurrent writers serialise on; COMMIT still checks anything after.
CREATE FUNCTION ledger_check_balances_now() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  SET CONSTRAINTS ledger_transactions_balanced IMMEDIATE;
  SET CONSTRAINTS ledger_transactions_balanced DEFERRED;
END;
$$;
