-- 0034 death cases (因工死亡, issue 11): the facts a death case needs, recorded on the case by the
-- handler (date of death, circumstance, pre-death wage, the 供养亲属), a benefit decision without an
-- appraisal, and one survivor's pension (供养亲属抚恤金) entitlement per dependant. The law read
-- (《工伤保险条例》第三十九条 whole, 《河南省工伤保险条例》第二十九条、第三十条) is quoted in docs/benefits.md
-- ("Death cases"). Forward-only: never edit once shipped.

-- The death facts of a case: one row per case, replaced while no decision of the case is approved.
-- `circumstance` is the calculator's deathCircumstance (《工伤保险条例》第三十九条第一款、第二款、第三款).
CREATE TABLE case_death_facts (
  region_code char(6) NOT NULL,
  case_id text NOT NULL,
  died_on date NOT NULL,
  circumstance text NOT NULL
    CHECK (circumstance IN ('injury', 'within_suspension', 'grade1to4_after_suspension')),
  -- 因工死亡职工生前的工资 (《工伤保险条例》第三十九条第一款第（二）项), the survivors' cap; null: the
  -- calculator takes the average of the wage months.
  pre_death_monthly_wage_fen bigint CHECK (pre_death_monthly_wage_fen IS NULL
    OR pre_death_monthly_wage_fen > 0),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, case_id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);

-- The 供养亲属 of a death case, in the order the calculator numbers them (dependantIndex). A
-- re-recording marks the earlier rows replaced (kept: an entitlement or an old proposal names them)
-- and inserts the new list; only the current rows take part in a decision.
CREATE TABLE case_dependants (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^dep_[0-9]{6}_[0-9a-f]{16}$'),
  case_id text NOT NULL,
  ordinal smallint NOT NULL CHECK (ordinal BETWEEN 0 AND 19),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  relation text NOT NULL
    CHECK (relation IN ('spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling')),
  -- 公民身份号码 (GB 11643, checked by the use case); masked in answers without pii:reveal.
  id_number char(18) NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
  birth_date date NOT NULL,
  -- 孤寡老人或者孤儿 (《工伤保险条例》第三十九条第一款第（二）项: "增加10%").
  orphan_or_sole_elder boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('current', 'replaced')),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES case_death_facts (region_code, case_id),
  CONSTRAINT case_dependants_spouse_not_orphan CHECK (
    relation <> 'spouse' OR NOT orphan_or_sole_elder)
);
CREATE UNIQUE INDEX case_dependants_current_ordinal
  ON case_dependants (region_code, case_id, ordinal) WHERE status = 'current';
CREATE UNIQUE INDEX case_dependants_current_person
  ON case_dependants (region_code, case_id, id_number) WHERE status = 'current';

-- A death decision rests on no appraisal (except circumstance grade1to4_after_suspension, which
-- names the grade): the appraisal becomes optional for death decisions only.
ALTER TABLE benefit_decisions ADD COLUMN kind text NOT NULL DEFAULT 'disability'
  CHECK (kind IN ('disability', 'death'));
ALTER TABLE benefit_decisions ALTER COLUMN appraisal_id DROP NOT NULL;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_appraisal_of_kind
  CHECK (kind = 'death' OR appraisal_id IS NOT NULL);
-- Death decisions: {diedOn, circumstance, dependants: [{id, ordinal, relation}]} as proposed, so the
-- approval maps each survivor_pension item (dependantIndex) to the dependant it was computed for.
ALTER TABLE benefit_decisions ADD COLUMN death jsonb;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_death_of_kind
  CHECK ((kind = 'death') = (death IS NOT NULL));

-- A survivor's pension belongs to one dependant (the beneficiary), not to the deceased worker:
-- worker_id stays the deceased (the case's person), dependant_id names who is paid.
ALTER TABLE benefit_entitlements ADD COLUMN dependant_id text;
ALTER TABLE benefit_entitlements ADD CONSTRAINT benefit_entitlements_dependant
  FOREIGN KEY (region_code, dependant_id) REFERENCES case_dependants (region_code, id);
-- One active entitlement per person and kind: the worker's own kinds per worker (as 0021), a
-- dependant's per dependant and payer (a late application splits an item between the employer's
-- months and the fund's, 《工伤保险条例》第十七条第四款), so two dependants each hold one.
DROP INDEX benefit_entitlements_one_active;
CREATE UNIQUE INDEX benefit_entitlements_one_active
  ON benefit_entitlements (worker_id, kind) WHERE status = 'active' AND dependant_id IS NULL;
CREATE UNIQUE INDEX benefit_entitlements_one_active_dependant
  ON benefit_entitlements (region_code, dependant_id, kind, payer)
  WHERE status = 'active' AND dependant_id IS NOT NULL;
