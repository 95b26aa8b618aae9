-- 0061 Two variants of a retirement (issue 12, docs/benefits.md "Retirement"):
-- * 《浙江省工伤保险条例》第二十六条第二款: a grade 1–4 worker reaches the statutory retirement age without a
--   right to a monthly basic pension: the fund goes on paying the 伤残津贴 net of the personal pension
--   account's monthly offset until the balance is used up. The balance and the monthly offset are the
--   pension office's figures (the 计发标准 is not held), recorded with the months they last.
-- * A back-dated retirement: the 伤残津贴 paid for months after the month of retirement, net of the
--   successor owed for them, is an open overpayment (reason 'retirement'), named here.
-- Forward-only: never edit once shipped.
ALTER TABLE benefit_retirements
  ADD COLUMN variant text NOT NULL DEFAULT 'monthly_pension'
    CHECK (variant IN ('monthly_pension', 'no_monthly_pension')),
  -- A limit against typing errors, not a legal number (domain/benefits/retirement-offset.ts).
  ADD COLUMN account_balance_fen bigint CHECK (account_balance_fen BETWEEN 1 AND 1000000000),
  ADD COLUMN monthly_offset_fen bigint CHECK (monthly_offset_fen > 0),
  ADD COLUMN offset_months integer CHECK (offset_months > 0),
  ADD COLUMN overpayment_id text;
-- The account's figures go with the variant, and only with it; no pension is recorded beside them.
ALTER TABLE benefit_retirements ADD CONSTRAINT benefit_retirements_variant_account CHECK (
  CASE variant
    WHEN 'monthly_pension' THEN account_balance_fen IS NULL AND monthly_offset_fen IS NULL
      AND offset_months IS NULL
    ELSE account_balance_fen IS NOT NULL AND monthly_offset_fen IS NOT NULL
      AND offset_months IS NOT NULL AND pension_fen = 0 AND top_up_fen = 0
  END);

ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_reason_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_reason_check
  CHECK (reason IN ('death', 'suspension', 'missing', 'correction', 'survivor_end',
    'missing_reappeared', 'missing_advance', 'retirement'));
