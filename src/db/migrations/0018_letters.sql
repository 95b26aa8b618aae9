-- 0018 letters (issue 11, "Letters"; docs/letters.md): the numbered decisions and notices a city's
-- agencies issue on a case (受理决定书, 不予受理决定书, 补正告知书, 中止通知书, 认定工伤决定书,
-- 劳动能力鉴定结论书, 工伤保险待遇核定通知书), each stored as the PDF that was served, and the
-- number series they draw from. Forward-only: never edit once shipped.

-- One number series per city, letter type and year (the 〔2026〕N号 of a 发文字号). last_number is
-- advanced by INSERT … ON CONFLICT DO UPDATE … RETURNING inside the issuing transaction: the row
-- lock queues concurrent issuers, and a rolled-back letter rolls its increment back with it, so the
-- committed numbers of a series are 1..k with no gap and none twice.
CREATE TABLE letter_series (
  region_code char(6) NOT NULL REFERENCES regions(code),
  letter_type text NOT NULL CHECK (letter_type IN ('determination_acceptance',
    'determination_not_accepted', 'determination_materials', 'determination_suspension',
    'determination_decision', 'appraisal_conclusion', 'benefit_decision')),
  year smallint NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  last_number integer NOT NULL CHECK (last_number >= 1),
  PRIMARY KEY (region_code, letter_type, year)
);

-- A letter as issued: its number, the texts it was rendered from and the PDF bytes themselves (the
-- copy served later is the copy that was issued, its sha256 beside it). Append-only: a wrong letter
-- is answered by a new letter, never by changing this one.
CREATE TABLE letters (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^ltr_[0-9]{6}_[0-9a-f]{16}$'),
  letter_type text NOT NULL,
  year smallint NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  document_number text NOT NULL,
  case_id text,
  title text NOT NULL,
  recipient text NOT NULL,
  -- 发文机关署名 as printed (the issuing agency's full name).
  issuer text NOT NULL,
  -- 成文日期; its year is the series year.
  issued_on date NOT NULL,
  pdf bytea NOT NULL,
  sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- The user (or system name) who issued it.
  issued_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, letter_type, year, number),
  FOREIGN KEY (region_code, letter_type, year) REFERENCES letter_series (region_code, letter_type, year),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  CONSTRAINT letters_year_of_issue CHECK (extract(year FROM issued_on) = year)
);
CREATE INDEX letters_case_idx ON letters (region_code, case_id, issued_on) WHERE case_id IS NOT NULL;
CREATE INDEX letters_issued_idx ON letters (region_code, issued_on);
CREATE TRIGGER letters_append_only BEFORE UPDATE OR DELETE ON letters
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER letters_no_truncate BEFORE TRUNCATE ON letters
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
