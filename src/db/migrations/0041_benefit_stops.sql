-- 0041 停止享受工伤保险待遇 (《工伤保险条例》第四十二条; issue 12, docs/benefits.md "Stopping
-- benefits"): a dated stop of a worker's own periodic entitlements in a city, on one of the
-- article's three grounds, approved by a second person; the entitlements end with the month of the
-- event, the months already paid after it become an open overpayment (reason 'suspension'), and a
-- stop on ground (二) or (三) may later be lifted from a month (successor entitlements, same
-- amounts). Forward-only: never edit once shipped.
CREATE TABLE benefit_stops (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^stp_[0-9a-f]{20}$'),
  worker_id text NOT NULL REFERENCES workers (id),
  -- 第四十二条 (一) lost_conditions, (二) refused_appraisal, (三) refused_treatment.
  ground text NOT NULL CHECK (ground IN ('lost_conditions', 'refused_appraisal', 'refused_treatment')),
  effective_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  approval_id text NOT NULL,
  -- The entitlements the stop ended: id, kind, amount, ends_on before (what a resumption restores).
  ended jsonb NOT NULL,
  stopped_by text NOT NULL,
  stopped_at timestamptz NOT NULL DEFAULT now(),
  resumed_on date,
  resume_reason text,
  resume_approval_id text,
  resumed_by text,
  resumed_at timestamptz,
  PRIMARY KEY (region_code, id),
  CONSTRAINT benefit_stops_resume_complete CHECK (
    (resumed_on IS NULL) = (resume_reason IS NULL AND resume_approval_id IS NULL
      AND resumed_by IS NULL AND resumed_at IS NULL)),
  -- Ground (一) is final: losing the conditions of benefit is not lifted by a later act.
  CONSTRAINT benefit_stops_final_ground CHECK (resumed_on IS NULL OR ground <> 'lost_conditions'),
  CONSTRAINT benefit_stops_resume_after CHECK (resumed_on IS NULL OR resumed_on > effective_on)
);
-- One stop in force per worker and city: a second is refused until the first is lifted.
CREATE UNIQUE INDEX benefit_stops_one_open ON benefit_stops (region_code, worker_id)
  WHERE resumed_on IS NULL;
-- The next run's reissue skips failed lines a stop ended (payroll-reissue.ts): found by worker.
CREATE INDEX benefit_stops_worker_idx ON benefit_stops (region_code, worker_id);
-- An approval applies one stop: a replayed apply finds the stop it wrote.
CREATE UNIQUE INDEX benefit_stops_approval ON benefit_stops (region_code, approval_id);

-- The overpayment of months paid after a stop: the same record as after a death. A stopped worker
-- is alive, so the worker key moves from worker_deaths to workers.
ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_worker_id_fkey;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_worker_id_fkey
  FOREIGN KEY (worker_id) REFERENCES workers (id);
ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_reason_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_reason_check
  CHECK (reason IN ('death', 'suspension'));
