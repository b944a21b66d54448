-- Parallax team server, version 1: the shared log of changes, the documents' texts once by
-- SHA-256, and who may write what. Created by `parallax remote WS init-server`; every statement
-- here runs once, in one transaction, by a role that may create tables and roles.

CREATE SCHEMA IF NOT EXISTS parallax;

-- Group roles: members are the team's login roles, each named as its annotator.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'parallax_reader') THEN
        CREATE ROLE parallax_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'parallax_annotator') THEN
        CREATE ROLE parallax_annotator NOLOGIN IN ROLE parallax_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'parallax_curator') THEN
        CREATE ROLE parallax_curator NOLOGIN IN ROLE parallax_annotator;
    END IF;
END
$$;

-- The Parallax version of this server's tables (`version`), read before anything else.
CREATE TABLE parallax.server (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Each document once, known everywhere by the SHA-256 of its text.
CREATE TABLE parallax.documents (
    seq         bigserial UNIQUE,
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    text        text NOT NULL,
    meta        jsonb NOT NULL,
    imported_at text NOT NULL,
    added_by    text NOT NULL DEFAULT session_user
);

-- The append-only log: every change any workspace pushed, in the one order all of them apply.
CREATE TABLE parallax.changes (
    seq       bigserial PRIMARY KEY,
    change_id uuid NOT NULL UNIQUE,
    author    text NOT NULL,
    at        text NOT NULL,
    doc       text,
    action    text NOT NULL,
    changes   jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'array'),
    pushed_by text NOT NULL DEFAULT session_user,
    pushed_at timestamptz NOT NULL DEFAULT now()
);

-- Who may push a change: its author, logged in as the role of the same name; a change to the
-- gold layer or to a curator's rejections needs the curator role; no change rewrites another
-- annotator's layer (spans, relations, document labels, statuses, assignments, rejections)
-- without it. Changes are numbered here, one sender at a time (the same lock the clients take),
-- so that the order of numbers is the order of commits and no reader skips one.
CREATE FUNCTION parallax.check_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    layer text;
BEGIN
    PERFORM pg_advisory_xact_lock(5782993836994548552);
    NEW.seq := nextval('parallax.changes_seq_seq'::regclass);
    IF NEW.author <> session_user THEN
        RAISE EXCEPTION 'parallax: % cannot push changes made by %', session_user, NEW.author
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR layer IN
        SELECT DISTINCT row_state ->> 'annotator'
        FROM jsonb_array_elements(NEW.changes) AS c,
             LATERAL (VALUES (c -> 'before'), (c -> 'after')) AS s(row_state)
        WHERE jsonb_typeof(row_state) = 'object' AND row_state ? 'annotator'
    LOOP
        IF layer = 'gold' THEN
            IF NOT pg_has_role(session_user, 'parallax_curator', 'MEMBER') THEN
                RAISE EXCEPTION 'parallax: % may not change the gold layer (it needs the parallax_curator role)', session_user
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        ELSIF layer <> NEW.author
              AND NOT pg_has_role(session_user, 'parallax_curator', 'MEMBER') THEN
            RAISE EXCEPTION 'parallax: % cannot change the layer of %', session_user, layer
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    IF EXISTS (SELECT FROM jsonb_array_elements(NEW.changes) AS c WHERE c ->> 'table' = 'reject')
       AND NOT pg_has_role(session_user, 'parallax_curator', 'MEMBER') THEN
        RAISE EXCEPTION 'parallax: % may not change a curator''s rejections (it needs the parallax_curator role)', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.pushed_by := session_user;
    NEW.pushed_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER check_change BEFORE INSERT ON parallax.changes
    FOR EACH ROW EXECUTE FUNCTION parallax.check_change();

-- Append-only: nobody but the owner updates or deletes a change or a document.
CREATE FUNCTION parallax.refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'parallax: the % log is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Documents are numbered as changes are, under the same lock.
CREATE FUNCTION parallax.number_document() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(5782993836994548552);
    NEW.seq := nextval('parallax.documents_seq_seq'::regclass);
    NEW.added_by := session_user;
    RETURN NEW;
END
$$;

CREATE TRIGGER number_document BEFORE INSERT ON parallax.documents
    FOR EACH ROW EXECUTE FUNCTION parallax.number_document();

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON parallax.changes
    FOR EACH ROW EXECUTE FUNCTION parallax.refuse_rewrite();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON parallax.documents
    FOR EACH ROW EXECUTE FUNCTION parallax.refuse_rewrite();

-- A document's adder is whoever pushed it.
ALTER TABLE parallax.documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_documents ON parallax.documents FOR SELECT TO parallax_reader USING (true);
CREATE POLICY add_documents ON parallax.documents FOR INSERT TO parallax_annotator
    WITH CHECK (added_by = session_user);
ALTER TABLE parallax.changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_changes ON parallax.changes FOR SELECT TO parallax_reader USING (true);
CREATE POLICY push_changes ON parallax.changes FOR INSERT TO parallax_annotator
    WITH CHECK (author = session_user);

GRANT USAGE ON SCHEMA parallax TO parallax_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA parallax TO parallax_reader;
GRANT INSERT ON parallax.documents, parallax.changes TO parallax_annotator;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA parallax TO parallax_annotator;
