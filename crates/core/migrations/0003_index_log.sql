-- Schema version 3: a log of which documents changed, for the derived search index.
-- Triggers fill it, so no writer (import, CLI, app, a future one) can forget to. The index
-- records in its commit payload the last `seq` it contains; everything after is stale.

CREATE TABLE index_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL
) STRICT;

-- Databases made before this migration: everything is waiting to be indexed.
INSERT INTO index_log(doc_id) SELECT id FROM documents;

CREATE TRIGGER index_log_doc_insert AFTER INSERT ON documents
BEGIN INSERT INTO index_log(doc_id) VALUES (NEW.id); END;
CREATE TRIGGER index_log_doc_update AFTER UPDATE ON documents
BEGIN INSERT INTO index_log(doc_id) VALUES (NEW.id); END;
CREATE TRIGGER index_log_doc_delete AFTER DELETE ON documents
BEGIN INSERT INTO index_log(doc_id) VALUES (OLD.id); END;

CREATE TRIGGER index_log_span_insert AFTER INSERT ON spans
BEGIN INSERT INTO index_log(doc_id) VALUES (NEW.doc_id); END;
CREATE TRIGGER index_log_span_update AFTER UPDATE ON spans
BEGIN INSERT INTO index_log(doc_id) VALUES (NEW.doc_id); END;
CREATE TRIGGER index_log_span_delete AFTER DELETE ON spans
BEGIN INSERT INTO index_log(doc_id) VALUES (OLD.doc_id); END;

CREATE TRIGGER index_log_doc_label_insert AFTER INSERT ON doc_labels
BEGIN INSERT INTO index_log(doc_id) VALUES (NEW.doc_id); END;
CREATE TRIGGER index_log_doc_label_delete AFTER DELETE ON doc_labels
BEGIN INSERT INTO index_log(doc_id) VALUES (OLD.doc_id); END;

-- A renamed label changes what `label:` finds in every document that uses it.
CREATE TRIGGER index_log_label_rename AFTER UPDATE OF name ON span_labels
BEGIN INSERT INTO index_log(doc_id) SELECT DISTINCT doc_id FROM spans WHERE label_id = NEW.id; END;
