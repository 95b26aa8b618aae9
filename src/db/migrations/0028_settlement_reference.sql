-- 0028 direct settlement with contracted institutions (协议机构联网直接结算, issue 13): the
-- reference data — institutions, their agreements, the catalogues with dated price caps, and each
-- institution's own codes mapped to the catalogue. The transactions themselves come in later
-- migrations. Decisions in docs/settlement.md. Forward-only: never edit once shipped.

-- A contracted institution (协议机构): hospital, rehabilitation centre or assistive-device supplier.
-- Its id is also the scope code of its users and API tokens (scopeKind 'institution').
CREATE TABLE settlement_institutions (
  id text PRIMARY KEY CHECK (id ~ '^INST-[0-9]{6}-[0-9]{4}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('hospital', 'rehabilitation', 'device')),
  -- 医院等级: 三级 / 二级 / 一级, or none for a rehabilitation centre or a device supplier.
  level text NOT NULL CHECK (level IN ('tertiary', 'secondary', 'primary', 'none')),
  -- The city where it stands, whose agency manages it. Not a distribution key: an institution is
  -- reference data of the whole province (one pool), like a person.
  managing_region_code char(6) NOT NULL REFERENCES regions (code),
  -- 统一社会信用代码 (GB 32100), checked by the use case.
  credit_code char(18),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
  -- The day the status took effect (created: the day of creation; a suspension or termination is
  -- dated, and audited).
  status_from date NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settlement_institutions_region_idx ON settlement_institutions (managing_region_code, id);

-- A service agreement (服务协议): signed by a city, valid province-wide (one pool), for a scope.
-- Overlapping active agreements of one institution are refused by the use case (under a lock).
CREATE TABLE settlement_agreements (
  id text PRIMARY KEY CHECK (id ~ '^agr_[0-9a-f]{16}$'),
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  -- The city that signed it (valid province-wide all the same).
  signed_region_code char(6) NOT NULL REFERENCES regions (code),
  scopes text[] NOT NULL CHECK (
    cardinality(scopes) >= 1
    AND scopes <@ ARRAY['outpatient', 'inpatient', 'rehabilitation', 'device']::text[]
  ),
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  -- Joined the national system for cross-province settlement (人社部发〔2025〕17号).
  cross_province boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
  -- A termination is dated: the agreement still covers the days before terminated_from (visits
  -- already made stay settled under it), none from that day on.
  terminated_from date,
  terminated_reason text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT settlement_agreements_dates CHECK (valid_to >= valid_from),
  CONSTRAINT settlement_agreements_termination CHECK (
    (status = 'terminated') = (terminated_from IS NOT NULL)
    AND (terminated_from IS NULL OR terminated_from >= valid_from)
  )
);
CREATE INDEX settlement_agreements_institution_idx
  ON settlement_agreements (institution_id, valid_from);

-- The catalogues (工伤保险药品目录 / 诊疗项目 / 康复项目 / 辅助器具), dated: a change of cap is a
-- new row from a date; the row in force on a day is the latest valid_from <= day with valid_to
-- NULL or >= day.
CREATE TABLE settlement_catalogue_items (
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
  valid_from date NOT NULL,
  valid_to date,
  kind text NOT NULL CHECK (kind IN ('drug', 'service', 'rehabilitation', 'device')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- 甲类 / 乙类, for drugs only.
  drug_class text CHECK (drug_class IN ('A', 'B')),
  unit text NOT NULL CHECK (length(unit) BETWEEN 1 AND 20),
  -- The highest unit price the fund pays (元 × 100); NULL: no cap.
  price_cap_fen bigint CHECK (price_cap_fen > 0),
  -- The most units one visit may claim; NULL: no limit.
  quantity_limit integer CHECK (quantity_limit > 0),
  import_id text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code, valid_from),
  CONSTRAINT settlement_catalogue_items_dates CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CONSTRAINT settlement_catalogue_items_class CHECK ((kind = 'drug') = (drug_class IS NOT NULL))
);

-- One import of a catalogue file (xlsx or CSV): what was read and the row report.
CREATE TABLE settlement_catalogue_imports (
  id text PRIMARY KEY CHECK (id ~ '^cim_[0-9a-f]{16}$'),
  file_sha256 char(64) NOT NULL,
  file_name text NOT NULL,
  rows integer NOT NULL CHECK (rows >= 0),
  accepted integer NOT NULL CHECK (accepted >= 0),
  rejected integer NOT NULL CHECK (rejected >= 0),
  report jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- An institution's own code (its HIS code) mapped to a catalogue code, dated.
CREATE TABLE settlement_code_maps (
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  own_code text NOT NULL CHECK (length(own_code) BETWEEN 1 AND 60),
  valid_from date NOT NULL,
  valid_to date,
  catalogue_code text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (institution_id, own_code, valid_from),
  CONSTRAINT settlement_code_maps_dates CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
