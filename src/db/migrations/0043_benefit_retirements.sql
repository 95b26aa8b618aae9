-- 0043 退休 of a worker with a 伤残津贴 (《工伤保险条例》第三十五条第一款第（三）项; issue 12,
-- docs/benefits.md "Retirement"): the day 办理退休手续 was completed, the monthly basic pension the
-- pension office set (with its evidence), approved by a second person; the fund's 伤残津贴 ends with
-- the month of retirement and the fund's difference (entitlement kind 'disability_allowance_top_up',
-- max(0, allowance − pension)) runs from the next month. Forward-only: never edit once shipped.
CREATE TABLE benefit_retirements (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^ret_[0-9a-f]{20}$'),
  worker_id text NOT NULL REFERENCES workers (id),
  retired_on date NOT NULL,
  -- A limit, not a legal number: 100 000 元 a month is a typing error (domain/benefits/retirement.ts).
  pension_fen bigint NOT NULL CHECK (pension_fen BETWEEN 0 AND 10000000),
  evidence text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 500),
  approval_id text NOT NULL,
  -- The approved plan: the allowances ended (id, amount, ends_on before and after), the top-up
  -- started (or null: the pension is not lower), the entitlements kept.
  plan jsonb NOT NULL,
  top_up_fen bigint NOT NULL CHECK (top_up_fen >= 0),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id)
);
-- A worker retires once, province-wide: a second recording is refused whatever the caller does.
CREATE UNIQUE INDEX benefit_retirements_one_per_worker ON benefit_retirements (worker_id);
-- An approval applies one retirement: a replayed apply finds the retirement it wrote.
CREATE UNIQUE INDEX benefit_retirements_approval ON benefit_retirements (region_code, approval_id);
