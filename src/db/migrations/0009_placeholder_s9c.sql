-- PLACEHOLDER for helper s9c's migration 0009 (issue 9). It exists only so that migration 0010 of
-- branch wip/s9d applies on its own (the migrator refuses gaps). Drop this file when merging:
-- the real 0009 replaces it. Never apply it to a database you keep.
SELECT 1;
