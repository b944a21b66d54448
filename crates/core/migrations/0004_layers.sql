-- Schema version 4, teams: which annotators are to label which documents. Every span, relation
-- and document label already belongs to its annotator's layer through `annotator_id`; the
-- curated layer is the annotator row named `gold`, made on first use.

CREATE TABLE assignments (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    assigned_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator_id)
) STRICT;
CREATE INDEX assignments_by_annotator ON assignments(annotator_id, doc_id);
