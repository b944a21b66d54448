-- Parallax workspace, schema version 1: documents, the label schema, annotations, history.
-- Ids of documents, spans and relations are UUID v7 text; schema rows use integer ids so that
-- renaming a label keeps every span that carries it.

CREATE TABLE workspace_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE annotators (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT,
    outlet      TEXT,
    author      TEXT,
    published   TEXT,
    url         TEXT,
    language    TEXT,
    source_file TEXT,
    sha256      TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'in_progress', 'done', 'skipped')),
    char_len    INTEGER NOT NULL CHECK (char_len >= 0),
    imported_at TEXT NOT NULL
) STRICT;

-- The text apart from the metadata, so that listing documents never reads it.
CREATE TABLE document_texts (
    doc_id TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text   TEXT NOT NULL
) STRICT;

CREATE TABLE span_labels (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    color       TEXT NOT NULL,
    hotkey      TEXT UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
) STRICT;

CREATE TABLE relation_types (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    directed    INTEGER NOT NULL DEFAULT 1,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
) STRICT;

CREATE TABLE relation_type_labels (
    relation_type_id INTEGER NOT NULL REFERENCES relation_types(id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('head', 'child')),
    label_id         INTEGER NOT NULL REFERENCES span_labels(id) ON DELETE CASCADE,
    PRIMARY KEY (relation_type_id, role, label_id)
) STRICT;

CREATE TABLE attribute_defs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('enum', 'bool', 'text', 'number', 'url')),
    options     TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
) STRICT;

CREATE TABLE attribute_labels (
    attribute_id INTEGER NOT NULL REFERENCES attribute_defs(id) ON DELETE CASCADE,
    label_id     INTEGER NOT NULL REFERENCES span_labels(id) ON DELETE CASCADE,
    PRIMARY KEY (attribute_id, label_id)
) STRICT;

CREATE TABLE doc_label_defs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
) STRICT;

CREATE TABLE spans (
    id           TEXT PRIMARY KEY NOT NULL,
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start        INTEGER NOT NULL CHECK (start >= 0),
    "end"        INTEGER NOT NULL,
    label_id     INTEGER NOT NULL REFERENCES span_labels(id),
    quote        TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    suffix       TEXT NOT NULL,
    attrs        TEXT NOT NULL DEFAULT '{}',
    note         TEXT,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ("end" > start)
) STRICT;
CREATE INDEX spans_by_doc ON spans(doc_id, start);
CREATE INDEX spans_by_label ON spans(label_id);

CREATE TABLE relations (
    id           TEXT PRIMARY KEY NOT NULL,
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head_id      TEXT NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    child_id     TEXT NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    type_id      INTEGER NOT NULL REFERENCES relation_types(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    created_at   TEXT NOT NULL,
    CHECK (head_id <> child_id)
) STRICT;
CREATE INDEX relations_by_doc ON relations(doc_id);
CREATE INDEX relations_by_head ON relations(head_id);
CREATE INDEX relations_by_child ON relations(child_id);

CREATE TABLE doc_labels (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_def_id INTEGER NOT NULL REFERENCES doc_label_defs(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (doc_id, label_def_id, annotator_id)
) STRICT;

-- Every change, in order. `changes` holds the rows before and after (JSON), so that undo and
-- redo replay them across restarts. An undone entry that a new change has made unreachable is
-- `superseded`; `undo`/`redo` entries record who undid what, for the audit trail.
CREATE TABLE history (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    doc_id       TEXT,
    action       TEXT NOT NULL,
    changes      TEXT NOT NULL,
    target_seq   INTEGER REFERENCES history(seq),
    undone       INTEGER NOT NULL DEFAULT 0,
    superseded   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX history_stack ON history(undone, superseded, seq);
