-- 2201 登记 opens a visit only for a worker the institution has identified with 1101 读卡 (a done,
-- unreversed message whose answer names the worker): without it, an institution holding any
-- accepted case's id could bill the fund for a patient it never saw. This index keeps that check
-- one index probe per visit.
CREATE INDEX settlement_messages_identified_idx
  ON settlement_messages (institution_id, ((response ->> 'workerId')))
  WHERE tx_code = '1101' AND status = 'done';
