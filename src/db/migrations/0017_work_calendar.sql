-- 0017 the working-day calendar deadlines are counted on (issue 11, "Deadlines"): each year's
-- State Council notice of holidays (放假) and make-up working days (调休上班日). 《民法典》第二百零三条
-- moves a period whose last day is a 法定休假日 to the day after it ends, and periods counted in
-- working days need every day off; neither can be told from the weekday alone.
-- Filled at start from src/rules/values/calendar/holidays-cn.json (only years not yet present, so an
-- administrator's imports are kept) and extended by `tongchou calendar import`.
-- Forward-only: never edit once shipped. Decisions in docs/cases.md, "Deadlines".

-- A year the calendar knows. 'official': the notice is held and every working day of the year is
-- known. 'statutory-only': only the statutory holiday dates (《全国年节及纪念日放假办法》) are known, not
-- the make-up working days, so the deadline calculator refuses the year rather than guess.
CREATE TABLE calendar_years (
  year smallint PRIMARY KEY CHECK (year BETWEEN 1949 AND 2200),
  status text NOT NULL CHECK (status IN ('official', 'statutory-only')),
  -- The notice's number (国办发明电〔2024〕12号); NULL for statutory-only years.
  notice text CHECK (notice IS NULL OR length(notice) BETWEEN 1 AND 200),
  issued_on date,
  source text CHECK (source IS NULL OR length(source) BETWEEN 1 AND 500),
  note text CHECK (note IS NULL OR length(note) <= 2000),
  -- 'bundled': loaded from the file shipped with the application; 'import': an administrator's file.
  origin text NOT NULL CHECK (origin IN ('bundled', 'import')),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'statutory-only' OR notice IS NOT NULL)
);

-- A day that differs from the weekday rule: a day off ('holiday', any weekday or weekend day inside
-- a notice's range) or a make-up working day ('workday', a Saturday or Sunday worked). Every other
-- day of a covered year is a working day Monday to Friday and a rest day at the weekend.
CREATE TABLE calendar_days (
  day date PRIMARY KEY,
  year smallint NOT NULL REFERENCES calendar_years (year),
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  -- The holiday's name ("国庆节、中秋节"); for a make-up day the holiday it makes up for, or ''.
  name text NOT NULL CHECK (length(name) <= 100),
  -- The notice's year; a notice may name a day of the year before (元旦 2023 ran from 2022-12-31).
  CHECK (extract(year FROM day) BETWEEN year - 1 AND year + 1),
  -- A make-up working day is a weekend day by definition (ISO day of week 6 and 7).
  CHECK (kind = 'holiday' OR extract(isodow FROM day) IN (6, 7))
);
CREATE INDEX calendar_days_year ON calendar_days (year);
