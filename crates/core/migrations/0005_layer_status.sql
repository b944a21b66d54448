-- Schema version 5: each annotator's own status for a document (their layer's progress), apart
-- from the document's shared workflow status. The `gold` layer's status says a curator finished
-- the document: 'curated'. No row means the layer is new.

CREATE TABLE layer_status (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    status       TEXT NOT NULL
                 CHECK (status IN ('in_progress', 'done', 'skipped', 'curated')),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator_id)
) STRICT;
CREATE INDEX layer_status_by_annotator ON layer_status(annotator_id, status);

-- Versions of a span a curator turned down for gold (by extent and label), so that they stay
-- settled when the document is curated again.
CREATE TABLE curation_rejects (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    label_id    INTEGER NOT NULL REFERENCES span_labels(id) ON DELETE CASCADE,
    curator_id  INTEGER NOT NULL REFERENCES annotators(id),
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, start, "end", label_id)
) STRICT;
