-- Schema version 7: keeping a workspace in step with a team server (`parallax sync`).
-- A history entry gets the id it travels under (`change_id`, given when first pushed or
-- pulled), its place in the server's order once the server has it (`remote_seq`), and whether
-- it came from the server (`pulled`: another machine's change, which local undo never takes).
ALTER TABLE history ADD COLUMN change_id TEXT;
ALTER TABLE history ADD COLUMN remote_seq INTEGER;
ALTER TABLE history ADD COLUMN pulled INTEGER NOT NULL DEFAULT 0 CHECK (pulled IN (0, 1));
CREATE UNIQUE INDEX history_change_id ON history(change_id) WHERE change_id IS NOT NULL;
CREATE INDEX history_unsent ON history(seq) WHERE remote_seq IS NULL AND pulled = 0;

-- Documents the server holds (pushed from here or pulled from there).
CREATE TABLE remote_documents (
    doc_id TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE
) STRICT;

-- What a sync overwrote, or kept over another machine's change: listed until looked at.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    remote_seq  INTEGER NOT NULL,
    at          TEXT NOT NULL,
    -- The row, as "table id" (a span's, a group's, ... or `schema`).
    row_ref     TEXT NOT NULL,
    field       TEXT NOT NULL,
    kept        TEXT,
    kept_by     TEXT NOT NULL,
    lost        TEXT,
    lost_by     TEXT NOT NULL
) STRICT;

-- Other names a label goes by in changes from the server: a name it had before a rename, or the
-- name another workspace gave it in a rename that lost to one made here.
CREATE TABLE label_aliases (
    name     TEXT PRIMARY KEY NOT NULL,
    label_id INTEGER NOT NULL REFERENCES span_labels(id) ON DELETE CASCADE
) STRICT;

-- Span labels removed from the schema, by their last name: a change made while one was there
-- is sent with it.
CREATE TABLE retired_labels (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;
