-- 0042 referrals out of the city or county (转诊转院 2301/2302/2303, issue 13) and the travel and
-- lodging claims of an approved one (《浙江省工伤保险条例》第二十四条第二款: "经医疗机构出具证明，报市、县
-- 社会保险经办机构同意，工伤职工到本市、县以外地区进行治疗或者康复的，其所需的交通、食宿费，按照当地机关单位
-- 一般工作人员差旅费标准执行。"). The institution files (the 医疗机构出具证明), the case's city
-- agency consents or refuses (报…经办机构同意), the worker's travel is claimed against an approved
-- referral. Decisions in docs/settlement-messages.md (2301–2303). Forward-only.

ALTER TABLE settlement_messages DROP CONSTRAINT settlement_messages_tx_code_check;
ALTER TABLE settlement_messages ADD CONSTRAINT settlement_messages_tx_code_check CHECK (tx_code IN (
  '9001', '9002', '1101', '2201', '2202', '2203', '2204', '2205', '2206', '2207', '2208',
  '2209', '1320', '1321', '2301', '2302', '2303'));

-- A referral filed by an institution (2301) for the worker of an accepted case. region_code is the
-- case's city: its agency consents, its fund pays the travel. Nothing is deleted: a cancellation
-- (2303) or a refusal is a status.
CREATE TABLE settlement_referrals (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^ref_[0-9a-f]{16}$'),
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  case_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  -- Where the worker is treated now (the referring institution's region) and where to.
  from_region_code char(6) NOT NULL CHECK (from_region_code ~ '^[1-9][0-9]{5}$'),
  to_region_code char(6) NOT NULL CHECK (to_region_code ~ '^[1-9][0-9]{5}$'),
  to_institution text NOT NULL CHECK (length(to_institution) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('treatment', 'rehabilitation')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  referred_on date NOT NULL,
  -- The certifying doctor (医疗机构出具证明): name and practising certificate number.
  doctor_name text NOT NULL CHECK (length(doctor_name) BETWEEN 1 AND 60),
  doctor_licence text NOT NULL CHECK (length(doctor_licence) BETWEEN 1 AND 40),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'cancelled')),
  filed_serial text NOT NULL,
  decided_by text,
  decided_at timestamptz,
  decision_note text CHECK (decision_note IS NULL OR length(decision_note) BETWEEN 1 AND 500),
  cancelled_serial text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  CONSTRAINT settlement_referrals_out_of_area CHECK (to_region_code <> from_region_code),
  CONSTRAINT settlement_referrals_decision CHECK (
    (status IN ('approved', 'refused')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE INDEX settlement_referrals_institution_idx ON settlement_referrals (institution_id, referred_on);
CREATE INDEX settlement_referrals_case_idx ON settlement_referrals (region_code, case_id);

-- A travel and lodging claim of an approved referral, computed from dated parameters and kept
-- with its trips and citations. Idempotent by the client's key within the referral: the same key
-- with the same trips answers the stored claim, with other trips it is refused.
CREATE TABLE settlement_referral_claims (
  region_code char(6) NOT NULL,
  referral_id text NOT NULL,
  claim_key text NOT NULL CHECK (claim_key ~ '^[A-Za-z0-9_-]{1,40}$'),
  request_sha256 char(64) NOT NULL,
  trips jsonb NOT NULL,
  fares_fen bigint NOT NULL CHECK (fares_fen >= 0),
  lodging_paid_fen bigint NOT NULL CHECK (lodging_paid_fen >= 0),
  lodging_allowed_fen bigint NOT NULL CHECK (lodging_allowed_fen BETWEEN 0 AND lodging_paid_fen),
  per_diem_fen bigint NOT NULL CHECK (per_diem_fen >= 0),
  payable_fen bigint NOT NULL CHECK (payable_fen >= 0),
  citations jsonb NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, referral_id, claim_key),
  FOREIGN KEY (region_code, referral_id) REFERENCES settlement_referrals (region_code, id)
);
