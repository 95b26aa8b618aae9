-- 0017 is reserved for the deadlines part (wip/deadlines, issue 11); this empty placeholder keeps the
-- letters branch's migrations numbered without gaps until the merge replaces it. Delete it when
-- wip/deadlines' own 0017 is merged.
SELECT 1;
