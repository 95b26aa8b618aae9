-- 0025 case due counts: the deadline dashboard reads per-day counts instead of counting cases.
-- Forward-only: never edit once shipped; add a new numbered file instead.
--
-- Issue 11 asks the deadline dashboard for p95 < 100 ms at 1 M cases. The province dashboard counted
-- every running case of the province (about half of them: 500 000 index entries at 1 M, 348 ms p95);
-- no index can count faster than it reads. So the counts are kept per city, clock kind and due day,
-- and the dashboard sums a few thousand of these rows for the province (a few hundred per city).
--
-- The counts are maintained by statement triggers on cases, so they stay exact whoever writes the
-- case (use cases, bulk loads, a hand-written UPDATE or DELETE): each statement's changed rows are aggregated
-- from its transition tables into one signed delta per (city, kind, day); new days are inserted in
-- key order. A statement that changes no clock (most updates) finds every delta zero and writes none.
-- Rows that drop to zero stay (a few hundred per city and year); the dashboard skips empty groups.

CREATE TABLE case_due_counts (
  region_code char(6) NOT NULL,
  due_kind text NOT NULL CHECK (due_kind IN ('acceptance', 'decision')),
  due_on date NOT NULL,
  -- A negative count would mean a delta was lost: refuse it rather than show a wrong dashboard.
  cases integer NOT NULL CHECK (cases >= 0),
  PRIMARY KEY (region_code, due_kind, due_on)
);

-- Adds a statement's signed deltas: the increases by upsert, in key order; the decreases by UPDATE
-- only (a CHECK holds on an upsert's proposed row before its conflict is seen, so a negative one
-- cannot go through the upsert), and a decrease whose day has no row means a count went wrong.
CREATE FUNCTION case_due_counts_add(regions char(6)[], kinds text[], days date[], deltas integer[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  missing integer;
BEGIN
  INSERT INTO case_due_counts AS c (region_code, due_kind, due_on, cases)
  SELECT r, k, d, n FROM unnest(regions, kinds, days, deltas) AS x(r, k, d, n)
   WHERE n > 0 ORDER BY r, k, d
  ON CONFLICT (region_code, due_kind, due_on) DO UPDATE SET cases = c.cases + excluded.cases;
  WITH decrease AS (
         SELECT r, k, d, n FROM unnest(regions, kinds, days, deltas) AS x(r, k, d, n) WHERE n < 0),
       done AS (
         UPDATE case_due_counts c SET cases = c.cases + decrease.n FROM decrease
          WHERE c.region_code = decrease.r AND c.due_kind = decrease.k AND c.due_on = decrease.d
         RETURNING 1)
  SELECT (SELECT count(*) FROM decrease) - (SELECT count(*) FROM done) INTO missing;
  IF missing <> 0 THEN
    RAISE EXCEPTION 'case_due_counts: % running day(s) decreased without a count', missing
      USING ERRCODE = 'check_violation';
  END IF;
END $$;

-- One function per event: each reads only the transition tables its trigger declares.
CREATE FUNCTION case_due_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_due_counts_add(array_agg(region_code), array_agg(kind), array_agg(due), array_agg(n))
     FROM (SELECT region_code, next_due_kind AS kind, next_due_on AS due, count(*)::int AS n
             FROM new_cases WHERE next_due_on IS NOT NULL
            GROUP BY region_code, next_due_kind, next_due_on) g;
  RETURN NULL;
END $$;

CREATE FUNCTION case_due_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_due_counts_add(array_agg(region_code), array_agg(kind), array_agg(due), array_agg(n))
     FROM (SELECT region_code, kind, due, sum(delta)::int AS n
             FROM (SELECT region_code, next_due_kind AS kind, next_due_on AS due, 1 AS delta
                     FROM new_cases WHERE next_due_on IS NOT NULL
                   UNION ALL
                   SELECT region_code, next_due_kind, next_due_on, -1
                     FROM old_cases WHERE next_due_on IS NOT NULL) d
            GROUP BY region_code, kind, due
           HAVING sum(delta) <> 0) g;
  RETURN NULL;
END $$;

CREATE FUNCTION case_due_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_due_counts_add(array_agg(region_code), array_agg(kind), array_agg(due), array_agg(n))
     FROM (SELECT region_code, next_due_kind AS kind, next_due_on AS due, -count(*)::int AS n
             FROM old_cases WHERE next_due_on IS NOT NULL
            GROUP BY region_code, next_due_kind, next_due_on) g;
  RETURN NULL;
END $$;

CREATE TRIGGER case_due_counts_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_cases
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_after_insert();
CREATE TRIGGER case_due_counts_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_after_update();
CREATE TRIGGER case_due_counts_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_cases
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_after_delete();
-- No TRUNCATE trigger: cases cannot be truncated (case_events references it and refuses TRUNCATE).

-- The cases already running (empty on a new install; a migrated database starts exact).
INSERT INTO case_due_counts (region_code, due_kind, due_on, cases)
SELECT region_code, next_due_kind, next_due_on, count(*)::int
  FROM cases WHERE next_due_on IS NOT NULL
 GROUP BY region_code, next_due_kind, next_due_on;
