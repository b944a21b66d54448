-- What a document is called where it has no title: its first line or sentence
-- (`text::title::derived_title`), kept for every document at import so that a dataset's
-- untitled documents are not all known by one file name. Never exported as a title.
-- Filled for the documents already here by the migration's hook.
ALTER TABLE documents ADD COLUMN derived_title TEXT;
