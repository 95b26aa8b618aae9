-- 0039 a dependant's social-security card account (issue 12): a survivor's pension (供养亲属抚恤金)
-- is the dependant's money and is paid to the dependant's own account, never the deceased worker's.
-- Dated like a worker's (social_security_card_accounts, migration 0024): the row in force on a day
-- is the one with the latest valid_from on or before it, so the payroll's guard "the account
-- changed this month" reads a dependant's account as it reads a worker's, and a line keeps the
-- account it was paid to. Decisions in docs/benefits.md ("Card accounts"). Forward-only: never
-- edit once shipped.
CREATE TABLE dependant_card_accounts (
  region_code char(6) NOT NULL,
  dependant_id text NOT NULL,
  valid_from date NOT NULL,
  bank_name text NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 60),
  account_number text NOT NULL CHECK (account_number ~ '^[0-9]{10,30}$'),
  account_name text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 50),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, dependant_id, valid_from),
  FOREIGN KEY (region_code, dependant_id) REFERENCES case_dependants (region_code, id)
);
