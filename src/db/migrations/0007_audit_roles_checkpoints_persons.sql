-- 0007 (issue 9, points 5 and 6): where an audit event came from, signed checkpoints of the chain
-- head, person aliases (registering a known ID number no longer says so), and the two database
-- roles: an owner of every object and a least-privilege application role the server can run as.

-- Source address and user agent of the request that caused an event (null for CLI and jobs, and
-- for events written before this migration). The chain hash covers them when present.
ALTER TABLE audit_events ADD COLUMN source_address text, ADD COLUMN user_agent text;

-- Signed checkpoints of the chain head: Ed25519 over (seq, hash, at, key id), written hourly and on
-- demand. A rewrite of the chain before a checkpoint changes the hash at its seq, which the
-- signature (made with a key the database never sees) no longer matches.
CREATE TABLE audit_checkpoints (
  seq bigint PRIMARY KEY,
  head_hash text NOT NULL,
  at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);

CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END;
$$;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- Who registered a person (null for seeded rows), and when: the per-user registration limit
-- counts these, and a registrant's repeated registration of the same number answers the same id.
ALTER TABLE persons ADD COLUMN registered_by text;
CREATE INDEX persons_registered_by ON persons (registered_by, created_at)
  WHERE registered_by IS NOT NULL;

-- A registrant's own handle on a person registered before: registering a number that exists
-- creates one of these instead of answering 409, so the answer (and what the registrant can see
-- afterwards: a new row with the name they gave) is the same whether the number existed or not.
CREATE TABLE person_aliases (
  region_code char(6) NOT NULL,
  id text NOT NULL,
  person_id text NOT NULL,
  name text NOT NULL,
  registered_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, person_id) REFERENCES persons (region_code, id),
  UNIQUE (region_code, registered_by, person_id)
);
CREATE INDEX person_aliases_registered_by ON person_aliases (registered_by, created_at);

-- ───────────── roles ─────────────
-- tongchou_owner owns every object; migrations run as it (migrate.ts sets the role). tongchou_app
-- is what the server should connect as (a login role that is a member of it, or tongchou_app
-- itself given LOGIN): plain DML, but only INSERT and SELECT on the audit tables, no ownership, so
-- no ALTER TABLE … DISABLE TRIGGER, no DROP, no CREATE in the schema. Both are NOLOGIN here: the
-- operator grants log-ins (docs/security.md). Roles belong to the whole server, so a second
-- database on it (or a test database migrating at the same moment) may have created them already.
DO $$
BEGIN
  BEGIN
    CREATE ROLE tongchou_owner NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE tongchou_app NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  -- A role created earlier by someone else must still be what its name promises.
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongchou_app'
             AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication))
     OR pg_has_role('tongchou_app', 'tongchou_owner', 'MEMBER') THEN
    RAISE EXCEPTION 'role tongchou_app exists with more than least privilege (superuser, createrole, createdb, bypassrls, replication or member of tongchou_owner): fix the role, then migrate again';
  END IF;
  -- The migrating user acts as the owner from now on (ALTER … OWNER TO needs that membership).
  IF NOT pg_has_role(session_user, 'tongchou_owner', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT tongchou_owner TO %I', session_user);
    EXCEPTION WHEN unique_violation THEN NULL;
    END;
  END IF;
END $$;

GRANT USAGE, CREATE ON SCHEMA public TO tongchou_owner;
GRANT USAGE ON SCHEMA public TO tongchou_app;
-- PostgreSQL 15 already revokes this; older servers grant CREATE on public to everybody.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm') LOOP
    EXECUTE format('ALTER TABLE %I OWNER TO tongchou_owner', r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO tongchou_owner', r.signature);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tongchou_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tongchou_app;
-- The audit trail: append and read, nothing else. The chain head is one row moved forward.
REVOKE ALL ON audit_events, audit_checkpoints, audit_chain_head, schema_migrations FROM tongchou_app, PUBLIC;
GRANT SELECT, INSERT ON audit_events, audit_checkpoints TO tongchou_app;
GRANT SELECT, UPDATE ON audit_chain_head TO tongchou_app;
GRANT SELECT ON schema_migrations TO tongchou_app;
-- Tables later migrations create (as tongchou_owner) get plain DML for the application; a
-- migration creating another append-only table revokes UPDATE and DELETE on it itself.
ALTER DEFAULT PRIVILEGES FOR ROLE tongchou_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tongchou_app;
ALTER DEFAULT PRIVILEGES FOR ROLE tongchou_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO tongchou_app;
