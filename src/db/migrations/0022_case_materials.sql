-- 0017 (assigned 0022: renumber at merge) the materials of an injury case (issue 11, part F): each
-- uploaded file of a case, recorded against the checklist item it answers. The bytes are not here:
-- they live in the blob store (src/usecases/cases/blob-store.ts) under their sha256, so the same
-- file uploaded twice is stored once and a row only names it. Decisions in docs/adr/0015-blob-store.md.
-- Forward-only: never edit once shipped.

-- 《工伤保险条例》第十八条第一款: "提出工伤认定申请应当提交下列材料：" — the checklist item codes are those of
-- src/rules/values/000000/materials.yaml (`other` for anything beyond it). Append-only: a file
-- handed in stays on record; taking one back is a withdrawal row below, never a change here.
CREATE TABLE case_materials (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^mat_[0-9]{6}_[0-9a-f]{16}$'),
  case_id text NOT NULL,
  item_code text NOT NULL CHECK (item_code ~ '^[a-z][a-z_]{0,63}$'),
  -- The name the uploader gave: shown and offered on download, never used to decide the type.
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  -- Read from the file's first bytes (magic numbers), whatever the name or the declared type said.
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  byte_size bigint NOT NULL CHECK (byte_size > 0),
  sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);
CREATE INDEX case_materials_case_idx ON case_materials (region_code, case_id, uploaded_at);
-- Which rows name a blob: a store-wide sweep of unreferenced blobs reads this (not built yet).
CREATE INDEX case_materials_sha256_idx ON case_materials (sha256);
CREATE TRIGGER case_materials_append_only BEFORE UPDATE OR DELETE ON case_materials
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER case_materials_no_truncate BEFORE TRUNCATE ON case_materials
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- A material taken back (a wrong file, a superseded scan): at most one withdrawal per material,
-- append-only like the material itself. The blob stays (another row may name the same bytes, and
-- the file that was handed in remains evidence of what was handed in).
CREATE TABLE case_material_withdrawals (
  region_code char(6) NOT NULL,
  material_id text NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  withdrawn_by text NOT NULL,
  withdrawn_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, material_id),
  FOREIGN KEY (region_code, material_id) REFERENCES case_materials (region_code, id)
);
CREATE TRIGGER case_material_withdrawals_append_only BEFORE UPDATE OR DELETE ON case_material_withdrawals
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER case_material_withdrawals_no_truncate BEFORE TRUNCATE ON case_material_withdrawals
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
