-- 0006 naming: the year-end pooling run is 年终清算 ("year-end run"); the word "settlement" is kept
-- for direct settlement with contracted institutions (联网结算). Renames only: no data changes.
-- Forward-only: never edit once shipped. Decision: docs/adr/0006-area-folders-and-one-contract.md.

ALTER TABLE pooling_settlement_runs RENAME TO pooling_year_end_runs;
ALTER TRIGGER pooling_settlement_runs_guard ON pooling_year_end_runs RENAME TO pooling_year_end_runs_guard;

CREATE OR REPLACE FUNCTION pooling_run_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'pooling.run_immutable: year-end runs are never deleted' USING ERRCODE = '42501';
  END IF;
  IF NEW.province <> OLD.province OR NEW.year <> OLD.year OR NEW.mode <> OLD.mode
     OR NEW.input <> OLD.input OR NEW.result <> OLD.result OR NEW.params <> OLD.params
     OR NEW.input_hash <> OLD.input_hash OR NEW.transaction_ids <> OLD.transaction_ids
     OR NEW.computed_at <> OLD.computed_at THEN
    RAISE EXCEPTION 'pooling.run_immutable: the figures of year-end run %/% cannot change', OLD.province, OLD.year
      USING ERRCODE = '42501';
  END IF;
  IF NOT ((OLD.status = NEW.status AND NEW.status = 'reported')
          OR (OLD.status = 'computed' AND NEW.status = 'posted')
          OR (OLD.status = 'posted' AND NEW.status = 'reported')) THEN
    RAISE EXCEPTION 'pooling.run_status: year-end run %/% cannot go from % to %', OLD.province, OLD.year,
      OLD.status, NEW.status USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;
