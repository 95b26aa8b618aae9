-- 0003 fund pooling: year-end settlement runs, opening-balance take-overs, prevention-cap grants.
-- Forward-only: never edit once shipped. Design: docs/pooling.md.

-- One settlement run per (province, year). The run stores its input figures and its result before it
-- posts anything, so a rerun after a crash posts exactly the same transactions (deterministic ids
-- `pooling:<province>:<year>:<city>:<kind>`); status only moves forward.
CREATE TABLE pooling_settlement_runs (
  province char(6) NOT NULL REFERENCES regions(code),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  mode text NOT NULL CHECK (mode IN ('adjustment_fund', 'unified')),
  status text NOT NULL CHECK (status IN ('computed', 'posted', 'reported')),
  input jsonb NOT NULL,
  result jsonb NOT NULL,
  params jsonb NOT NULL,
  input_hash text NOT NULL CHECK (length(input_hash) = 64),
  transaction_ids text[] NOT NULL,
  report_files jsonb,
  actor text NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  posted_at timestamptz,
  reported_at timestamptz,
  PRIMARY KEY (province, year),
  CHECK ((status = 'computed') OR posted_at IS NOT NULL),
  CHECK ((status <> 'reported') OR (reported_at IS NOT NULL AND report_files IS NOT NULL))
);

CREATE FUNCTION pooling_run_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'pooling.run_immutable: settlement runs are never deleted' USING ERRCODE = '42501';
  END IF;
  IF NEW.province <> OLD.province OR NEW.year <> OLD.year OR NEW.mode <> OLD.mode
     OR NEW.input <> OLD.input OR NEW.result <> OLD.result OR NEW.params <> OLD.params
     OR NEW.input_hash <> OLD.input_hash OR NEW.transaction_ids <> OLD.transaction_ids
     OR NEW.computed_at <> OLD.computed_at THEN
    RAISE EXCEPTION 'pooling.run_immutable: the figures of settlement run %/% cannot change', OLD.province, OLD.year
      USING ERRCODE = '42501';
  END IF;
  IF NOT ((OLD.status = NEW.status AND NEW.status = 'reported')
          OR (OLD.status = 'computed' AND NEW.status = 'posted')
          OR (OLD.status = 'posted' AND NEW.status = 'reported')) THEN
    RAISE EXCEPTION 'pooling.run_status: settlement run %/% cannot go from % to %', OLD.province, OLD.year,
      OLD.status, NEW.status USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER pooling_settlement_runs_guard BEFORE UPDATE OR DELETE ON pooling_settlement_runs
  FOR EACH ROW EXECUTE FUNCTION pooling_run_guard();

-- Opening balances (原基金结余) taken over into the provincial fund, one row per city, never changed.
CREATE TABLE pooling_opening_takeovers (
  city char(6) PRIMARY KEY REFERENCES regions(code),
  province char(6) NOT NULL REFERENCES regions(code),
  rule text NOT NULL CHECK (rule IN ('transfer_all', 'transfer_share', 'keep_at_city_use_first')),
  share text,
  target_segment text NOT NULL,
  effective_date date NOT NULL,
  balance_fen bigint NOT NULL CHECK (balance_fen >= 0),
  transferred_fen bigint NOT NULL CHECK (transferred_fen >= 0),
  kept_fen bigint NOT NULL CHECK (kept_fen >= 0),
  transaction_ids text[] NOT NULL,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (transferred_fen + kept_fen = balance_fen),
  CHECK ((rule = 'transfer_share') = (share IS NOT NULL))
);

-- A province's approved higher prevention-fee cap for one year (maker-checker: approval consumed).
CREATE TABLE pooling_prevention_cap_grants (
  province char(6) NOT NULL REFERENCES regions(code),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  cap_ratio text NOT NULL CHECK (cap_ratio ~ '^[0-9]+(\.[0-9]+)?$'),
  approval_id text NOT NULL,
  maker text NOT NULL,
  checker text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province, year)
);

CREATE FUNCTION pooling_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'pooling.append_only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = '42501';
END;
$$;
CREATE TRIGGER pooling_opening_takeovers_append_only BEFORE UPDATE OR DELETE ON pooling_opening_takeovers
  FOR EACH ROW EXECUTE FUNCTION pooling_append_only();
CREATE TRIGGER pooling_prevention_cap_grants_append_only BEFORE UPDATE OR DELETE ON pooling_prevention_cap_grants
  FOR EACH ROW EXECUTE FUNCTION pooling_append_only();
