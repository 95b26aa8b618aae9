-- 0054 the lines of one payroll run in id order (issue 12, the 1 M-entitlement payroll benchmark).
-- The review, the approval's rebuilt review, the payment file and the bank return read a run's
-- lines page by page in line-id order (payroll-store.ts linePage: run_id = … AND id > … ORDER BY
-- id LIMIT …). Without this index the pages were found through the primary key (region_code, id),
-- filtering run_id: right after a run's INSERTs the statistics do not know the new rows, and the
-- planner took a bitmap scan of every line after the page's start, then sorted them — each page cost
-- the rest of the run, the whole read grew with the square of the lines (88 ms a page at 100 000
-- lines; minutes at 1 M). Here a page is one ordered range of its own run. Forward-only: never edit
-- once shipped; add a new numbered file instead.
CREATE INDEX payroll_lines_run_order_idx ON payroll_lines (region_code, run_id, id);
