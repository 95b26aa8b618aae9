-- 0062 the transaction set's remaining reads (issue 13): 1301 批量数据下载 (a page of the catalogue
-- or of the institution's code maps), 9103 费用明细查询, 9104 处方明细查询, 9105 近期就诊查询. They
-- are recorded under (institution, code, serial) like every message, so the code check grows.
-- 9105 reads an institution's visits of one worker, most recent first: an index for it.
-- Decisions in docs/settlement-messages.md. Forward-only.

ALTER TABLE settlement_messages DROP CONSTRAINT settlement_messages_tx_code_check;
ALTER TABLE settlement_messages ADD CONSTRAINT settlement_messages_tx_code_check CHECK (tx_code IN (
  '9001', '9002', '1101', '2201', '2202', '2203', '2204', '2205', '2206', '2207', '2208',
  '2209', '1320', '1321', '2301', '2302', '2303', '1301', '9103', '9104', '9105'));

CREATE INDEX settlement_visits_worker_idx
  ON settlement_visits (institution_id, worker_id, opened_on DESC);
