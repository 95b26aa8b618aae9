-- 0044 a worker missing (下落不明, issue 12): 《工伤保险条例》第四十一条 "职工因工外出期间发生事故或者在抢险救灾中下落不明的，
-- 从事故发生当月起3个月内照发工资，从第4个月起停发工资，由工伤保险基金向其供养亲属按月支付供养亲属抚恤金。生活有困难的，
-- 可以预支一次性工亡补助金的50%。职工被人民法院宣告死亡的，按照本条例第三十九条职工因工死亡的规定处理。"
-- (docs/benefits.md, "Whereabouts unknown"). The event is recorded under maker-checker as an
-- approved benefit decision of kind `missing` (its survivors' pensions are entitlements of it, the
-- advance a payment of it) with its own row in benefit_missing. Forward-only: never edit once shipped.

-- The 供养亲属 of a missing worker are recorded with the event, on a case with no death facts: the
-- dependants' parent becomes the case (a death case still records them with its facts).
ALTER TABLE case_dependants DROP CONSTRAINT case_dependants_region_code_case_id_fkey;
ALTER TABLE case_dependants ADD CONSTRAINT case_dependants_region_code_case_id_fkey
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id);

-- A decision of kind `missing` rests on no appraisal and no death (第四十一条 names neither).
ALTER TABLE benefit_decisions DROP CONSTRAINT benefit_decisions_kind_check;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_kind_check
  CHECK (kind IN ('disability', 'death', 'missing'));
ALTER TABLE benefit_decisions DROP CONSTRAINT benefit_decisions_appraisal_of_kind;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_appraisal_of_kind
  CHECK (kind <> 'disability' OR appraisal_id IS NOT NULL);

-- Months of the worker's own items paid after the month of the accident, as after a death or a stop.
ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_reason_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_reason_check
  CHECK (reason IN ('death', 'suspension', 'missing'));

-- One missing event per case. `id` derives from the approval (a repeated apply names the same row).
CREATE TABLE benefit_missing (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^bms_[0-9a-f]{20}$'),
  case_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  decision_id text NOT NULL,
  -- 因工外出 (第十四条第（五）项) or 抢险救灾 (第十五条第（二）项): the case's determination grounds.
  ground text NOT NULL CHECK (ground IN ('business_trip', 'rescue')),
  accident_date date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  -- 照发工资: the wage the employer keeps paying, recorded as data (never the fund's money).
  monthly_wage_fen bigint NOT NULL CHECK (monthly_wage_fen > 0),
  employer_wage_months jsonb NOT NULL,
  -- The first day of the 4th month counted from the accident's month.
  pensions_start_on date NOT NULL,
  -- 一次性工亡补助金 as the death computation gives it on the accident date, and 50 % of it.
  death_lump_sum_fen bigint NOT NULL CHECK (death_lump_sum_fen >= 0),
  -- 丧葬补助金 by the same computation: paid only when the worker is declared dead.
  funeral_grant_fen bigint NOT NULL CHECK (funeral_grant_fen >= 0),
  advance_max_fen bigint NOT NULL CHECK (advance_max_fen >= 0),
  -- The worker's own entitlements the event ended (id, kind, amount, start, end before, end).
  ended jsonb NOT NULL,
  approval_id text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- The advance (预支, "生活有困难的"), on its own approval; its payment is a benefit_payments row
  -- of the decision (item death_lump_sum_advance, account 5112).
  advance_fen bigint CHECK (advance_fen IS NULL OR advance_fen > 0),
  advance_reason text CHECK (advance_reason IS NULL OR length(advance_reason) BETWEEN 1 AND 500),
  advance_approval_id text,
  advance_payment_id text,
  advance_on date,
  advance_by text,
  -- 宣告死亡 (第四十一条's last sentence → 第三十九条): the judgment's date, on its own approval; the
  -- 丧葬补助金 and the 一次性工亡补助金 less the advance are then payments of the decision.
  declared_dead_on date,
  declared_reason text CHECK (declared_reason IS NULL OR length(declared_reason) BETWEEN 1 AND 500),
  declared_approval_id text,
  declared_on date,
  declared_by text,
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, case_id),
  UNIQUE (region_code, approval_id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  FOREIGN KEY (region_code, decision_id) REFERENCES benefit_decisions (region_code, id),
  CONSTRAINT benefit_missing_advance_complete CHECK (
    (advance_fen IS NULL) = (advance_reason IS NULL)
    AND (advance_fen IS NULL) = (advance_approval_id IS NULL)
    AND (advance_fen IS NULL) = (advance_payment_id IS NULL)
    AND (advance_fen IS NULL) = (advance_on IS NULL)
    AND (advance_fen IS NULL) = (advance_by IS NULL)),
  CONSTRAINT benefit_missing_declared_complete CHECK (
    (declared_dead_on IS NULL) = (declared_reason IS NULL)
    AND (declared_dead_on IS NULL) = (declared_approval_id IS NULL)
    AND (declared_dead_on IS NULL) = (declared_on IS NULL)
    AND (declared_dead_on IS NULL) = (declared_by IS NULL)),
  CONSTRAINT benefit_missing_advance_capped CHECK (advance_fen IS NULL OR advance_fen <= advance_max_fen)
);
