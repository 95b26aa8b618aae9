-- 0047 (issue 13) settlement visits found by id. The HIS messages name a visit by its id and the
-- institution (2204 upload, 2206 pre-settle, 2207 settle, 2208/2209 cancel and reverse): the
-- primary key (region_code, id) cannot serve a lookup without the region, and the institution's
-- index (institution_id, opened_on) leaves each lookup to read all of the institution's visits
-- and filter them by id (found while building ADR 0019's group commit).
CREATE INDEX settlement_visits_id_idx ON settlement_visits (id);
