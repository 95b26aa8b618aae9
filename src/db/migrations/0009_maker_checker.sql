-- 0009 maker-checker on every money movement (issue 9, point 4): an approval stores the canonical
-- payload the checker is shown, expires, and needs one or two checkers (amount tiers); each
-- checker's decision is a row of approval_decisions, and the database itself refuses a checker who
-- is the maker or who holds the maker's role (separation of duties), and refuses any status change
-- the decisions do not justify. Forward-only: never edit once shipped. docs/security.md, ADR 0007.

-- Rows written before this migration kept only the hash: their payload is unknown ('{}'), their
-- maker's role is today's role of the maker, and they expire 72 hours after they were made.
ALTER TABLE approvals
  ADD COLUMN payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN maker_role text,
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN required_checkers integer NOT NULL DEFAULT 1
    CHECK (required_checkers BETWEEN 1 AND 2),
  ADD COLUMN amount_fen bigint CHECK (amount_fen IS NULL OR amount_fen >= 0);
ALTER TABLE approvals ALTER COLUMN payload DROP DEFAULT;
UPDATE approvals a SET maker_role = u.role FROM users u WHERE u.id = a.maker_id;
UPDATE approvals SET expires_at = created_at + interval '72 hours';
ALTER TABLE approvals ALTER COLUMN maker_role SET NOT NULL;
ALTER TABLE approvals ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE approvals ADD CONSTRAINT approvals_expiry_check CHECK (expires_at > created_at);
ALTER TABLE approvals DROP CONSTRAINT approvals_status_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'consumed', 'expired'));

-- One row per checker and approval. checker_role is filled by the trigger from users (the caller's
-- word for it is not taken).
CREATE TABLE approval_decisions (
  region_code char(6) NOT NULL,
  approval_id text NOT NULL,
  checker_id text NOT NULL REFERENCES users(id),
  checker_role text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, approval_id, checker_id),
  FOREIGN KEY (region_code, approval_id) REFERENCES approvals (region_code, id)
);

-- The maker's role is the role the maker holds when asking, read here so no caller can claim
-- another one.
CREATE FUNCTION approvals_set_maker_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT u.role INTO NEW.maker_role FROM users u WHERE u.id = NEW.maker_id;
  IF NEW.maker_role IS NULL THEN
    RAISE EXCEPTION 'approval.maker_unknown: maker % is not a user', NEW.maker_id
      USING ERRCODE = '23503';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER approvals_maker_role BEFORE INSERT ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_set_maker_role();

-- Separation of duties: SQLSTATE TCA01 = the checker is the maker, TCA02 = the checker holds the
-- maker's role, TCA03 = the approval is not pending, TCA04 = it has expired. The use case maps
-- each to its typed refusal (src/usecases/approvals/approvals.ts).
CREATE FUNCTION approval_decisions_check_checker() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  a record;
BEGIN
  SELECT maker_id, maker_role, status, expires_at INTO a FROM approvals
   WHERE region_code = NEW.region_code AND id = NEW.approval_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'approval.not_found: approval % not found', NEW.approval_id
      USING ERRCODE = '23503';
  END IF;
  SELECT u.role INTO NEW.checker_role FROM users u WHERE u.id = NEW.checker_id;
  IF NEW.checker_id = a.maker_id THEN
    RAISE EXCEPTION 'approval.self_approval: the maker of approval % cannot decide it',
      NEW.approval_id USING ERRCODE = 'TCA01';
  END IF;
  IF NEW.checker_role IS NOT DISTINCT FROM a.maker_role THEN
    RAISE EXCEPTION 'approval.same_role: a % cannot decide a request made by a %',
      NEW.checker_role, a.maker_role USING ERRCODE = 'TCA02';
  END IF;
  IF a.status <> 'pending' THEN
    RAISE EXCEPTION 'approval.not_pending: approval % is %', NEW.approval_id, a.status
      USING ERRCODE = 'TCA03';
  END IF;
  IF a.expires_at <= now() THEN
    RAISE EXCEPTION 'approval.expired: approval % expired at %', NEW.approval_id, a.expires_at
      USING ERRCODE = 'TCA04';
  END IF;
  NEW.decided_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER approval_decisions_checker BEFORE INSERT ON approval_decisions
  FOR EACH ROW EXECUTE FUNCTION approval_decisions_check_checker();

-- A decision is final: it is never changed or removed.
CREATE TRIGGER approval_decisions_append_only BEFORE UPDATE OR DELETE ON approval_decisions
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

-- An approval's status follows its decisions: one rejection rejects it; it is approved when the
-- approving decisions reach required_checkers (two checkers are two rows, so two distinct users).
CREATE FUNCTION approval_decisions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  approving integer;
  needed integer;
BEGIN
  SELECT required_checkers INTO needed FROM approvals
   WHERE region_code = NEW.region_code AND id = NEW.approval_id;
  IF NEW.decision = 'rejected' THEN
    UPDATE approvals SET status = 'rejected', checker_id = NEW.checker_id, decided_at = now()
     WHERE region_code = NEW.region_code AND id = NEW.approval_id;
    RETURN NULL;
  END IF;
  SELECT count(*) INTO approving FROM approval_decisions
   WHERE region_code = NEW.region_code AND approval_id = NEW.approval_id AND decision = 'approved';
  IF approving >= needed THEN
    UPDATE approvals SET status = 'approved', checker_id = NEW.checker_id, decided_at = now()
     WHERE region_code = NEW.region_code AND id = NEW.approval_id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER approval_decisions_status AFTER INSERT ON approval_decisions
  FOR EACH ROW EXECUTE FUNCTION approval_decisions_apply();

-- What an approval may become, whoever writes it: pending → approved (only with enough approving
-- decisions) | rejected | expired; approved → consumed (only before it expires) | expired. What was
-- asked for (action, payload, maker, tier, expiry) never changes.
CREATE FUNCTION approvals_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  approving integer;
BEGIN
  IF NEW.action IS DISTINCT FROM OLD.action OR NEW.payload IS DISTINCT FROM OLD.payload
     OR NEW.payload_hash IS DISTINCT FROM OLD.payload_hash OR NEW.maker_id IS DISTINCT FROM OLD.maker_id
     OR NEW.maker_role IS DISTINCT FROM OLD.maker_role
     OR NEW.required_checkers IS DISTINCT FROM OLD.required_checkers
     OR NEW.amount_fen IS DISTINCT FROM OLD.amount_fen OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'approval.immutable: what approval % asks for cannot change', OLD.id
      USING ERRCODE = 'TCA05';
  END IF;
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  IF NOT ((OLD.status = 'pending' AND NEW.status IN ('approved', 'rejected', 'expired'))
          OR (OLD.status = 'approved' AND NEW.status IN ('consumed', 'expired'))) THEN
    RAISE EXCEPTION 'approval.not_pending: approval % cannot go from % to %', OLD.id, OLD.status,
      NEW.status USING ERRCODE = 'TCA03';
  END IF;
  IF NEW.status = 'approved' THEN
    SELECT count(*) INTO approving FROM approval_decisions
     WHERE region_code = NEW.region_code AND approval_id = NEW.id AND decision = 'approved';
    IF approving < NEW.required_checkers THEN
      RAISE EXCEPTION 'approval.not_approved: approval % has % of % approving decisions', OLD.id,
        approving, NEW.required_checkers USING ERRCODE = 'TCA06';
    END IF;
  END IF;
  IF NEW.status = 'consumed' AND OLD.expires_at <= now() THEN
    RAISE EXCEPTION 'approval.expired: approval % expired at %', OLD.id, OLD.expires_at
      USING ERRCODE = 'TCA04';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER approvals_status_guard BEFORE UPDATE ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_guard_update();
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

CREATE INDEX approvals_status_idx ON approvals (status, expires_at);

-- The new table and functions belong to the owner (migrations run as it since 0007, so the default
-- privileges grant the application plain DML); decisions are append-only for the application too.
REVOKE UPDATE, DELETE ON approval_decisions FROM tongchou_app;
GRANT SELECT, INSERT ON approval_decisions TO tongchou_app;
