-- 0015 The no-overlap trigger of employment spells (0010) looks for spells of the same worker at
-- the same employer; the only index led by the employer (region_code, employer_id, start_date)
-- made it read every spell of the employer, so hiring at a large employer slowed with each hire
-- (100 000 增员 at one employer ran past 300 s). This index serves exactly the trigger's lookup.
CREATE INDEX employment_spells_pair_idx ON employment_spells (region_code, employer_id, worker_id);
