-- 0004 fund budgets: a yearly budget per fund segment (a city, or the province's own segment) by
-- income and expense line (the ledger's chart codes), compiled by the segment, consolidated by the
-- province and approved maker-checker. Forward-only: never edit once shipped. Design: docs/budgets.md.

-- One budget per (segment region, year). status moves draft → submitted → consolidated → approved;
-- submitted / consolidated may go back to draft (returned); an approved budget never changes.
CREATE TABLE fund_budgets (
  region_code char(6) NOT NULL REFERENCES regions(code),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  province char(6) NOT NULL REFERENCES regions(code),
  status text NOT NULL CHECK (status IN ('draft', 'submitted', 'consolidated', 'approved')),
  version integer NOT NULL CHECK (version >= 1),
  created_by text NOT NULL,
  updated_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_by text,
  submitted_at timestamptz,
  consolidation_approval_id text,
  approval_id text,
  approved_by text,
  checker_id text,
  approved_at timestamptz,
  PRIMARY KEY (region_code, year),
  CHECK ((status = 'approved') = (approval_id IS NOT NULL AND approved_at IS NOT NULL AND checker_id IS NOT NULL)),
  CHECK (status NOT IN ('submitted', 'consolidated') OR submitted_at IS NOT NULL),
  CHECK (status <> 'consolidated' OR consolidation_approval_id IS NOT NULL)
);
CREATE INDEX fund_budgets_province_year_idx ON fund_budgets (province, year);

-- Budget lines: one amount per chart code (4xxx income, 5xxx expense), integer fen.
CREATE TABLE fund_budget_lines (
  region_code char(6) NOT NULL,
  year integer NOT NULL,
  account char(4) NOT NULL CHECK (account ~ '^[45][0-9]{3}$'),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  PRIMARY KEY (region_code, year, account),
  FOREIGN KEY (region_code, year) REFERENCES fund_budgets(region_code, year)
);

-- The status machine and immutability of approved budgets, enforced in the database too.
CREATE FUNCTION fund_budget_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'budget.immutable: budgets are never deleted' USING ERRCODE = '42501';
  END IF;
  IF NEW.region_code <> OLD.region_code OR NEW.year <> OLD.year OR NEW.province <> OLD.province
     OR NEW.created_at <> OLD.created_at OR NEW.created_by <> OLD.created_by THEN
    RAISE EXCEPTION 'budget.immutable: the identity of budget %/% cannot change', OLD.region_code, OLD.year
      USING ERRCODE = '42501';
  END IF;
  IF OLD.status = 'approved' THEN
    RAISE EXCEPTION 'budget.already_approved: budget %/% is approved and cannot change', OLD.region_code, OLD.year
      USING ERRCODE = '42501';
  END IF;
  IF NOT ((OLD.status = 'draft' AND NEW.status IN ('draft', 'submitted'))
       OR (OLD.status = 'submitted' AND NEW.status IN ('draft', 'consolidated'))
       OR (OLD.status = 'consolidated' AND NEW.status IN ('draft', 'consolidated', 'approved'))) THEN
    RAISE EXCEPTION 'budget.invalid_transition: budget %/% cannot go from % to %', OLD.region_code, OLD.year,
      OLD.status, NEW.status USING ERRCODE = '42501';
  END IF;
  IF NEW.version < OLD.version THEN
    RAISE EXCEPTION 'budget.immutable: the version of budget %/% only grows', OLD.region_code, OLD.year
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER fund_budgets_guard BEFORE UPDATE OR DELETE ON fund_budgets
  FOR EACH ROW EXECUTE FUNCTION fund_budget_guard();

-- Lines change only while their budget is a draft.
CREATE FUNCTION fund_budget_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  st text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  SELECT status INTO st FROM fund_budgets WHERE region_code = r.region_code AND year = r.year;
  IF st IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'budget.not_draft: lines of budget %/% change only in draft (status %)', r.region_code, r.year,
      coalesce(st, 'missing') USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER fund_budget_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON fund_budget_lines
  FOR EACH ROW EXECUTE FUNCTION fund_budget_lines_guard();
CREATE TRIGGER fund_budget_lines_no_truncate BEFORE TRUNCATE ON fund_budget_lines
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER fund_budgets_no_truncate BEFORE TRUNCATE ON fund_budgets
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
