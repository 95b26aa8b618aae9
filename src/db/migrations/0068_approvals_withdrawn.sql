-- An approval asked for a proposal that a newer one superseded (a decision proposed again, a
-- correction or a survivor's change replaced, an indexation batch computed again over a changed
-- register, a payroll run recomputed) stayed `pending` in the checkers' queue until it expired:
-- a checker could decide it, and nothing could ever use it. It is now `withdrawn` by the use case
-- that supersedes it, in the same transaction (docs/security.md, "Maker-checker"): final, like
-- `rejected` — no decision and no use is accepted on it. The guard of 0009 is the same but for
-- the two transitions to `withdrawn` (from pending, and from approved but not yet used).
-- Forward-only: never edit once shipped.
ALTER TABLE approvals DROP CONSTRAINT approvals_status_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'consumed', 'expired', 'withdrawn'));

-- What an approval may become, whoever writes it: pending → approved (only with enough approving
-- decisions) | rejected | expired | withdrawn; approved → consumed (only before it expires) |
-- expired | withdrawn. What was asked for (action, payload, maker, tier, expiry) never changes.
CREATE OR REPLACE FUNCTION approvals_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
  IF NOT ((OLD.status = 'pending' AND NEW.status IN ('approved', 'rejected', 'expired', 'withdrawn'))
          OR (OLD.status = 'approved' AND NEW.status IN ('consumed', 'expired', 'withdrawn'))) THEN
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
