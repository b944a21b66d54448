-- Schema version 6: what proposed a span that an analyst accepted from a suggestion (a pattern,
-- `pattern:ID`, or a rule of the attribution suggester, `rule:NAME`); NULL for a span made by hand
-- or imported.

ALTER TABLE spans ADD COLUMN suggested_by TEXT;

-- Suggestions an annotator turned down, by the extent and label of the suggestion's first span
-- (an attribution's claim, or a suggestion's one span), so that they are not proposed to that
-- annotator again.
CREATE TABLE suggestion_rejects (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    label_id     INTEGER NOT NULL REFERENCES span_labels(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    rejected_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator_id, start, "end", label_id)
) STRICT;
