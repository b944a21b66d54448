-- A history entry's changes, when long (a batch of accepted suggestions is 50-70 KB of JSON),
-- kept compressed (LZ4, `store::history::stored_changes`) in `packed`, with `changes` then ''.
-- Read through the SQL function `history_changes(changes, packed)` that every connection has.
-- Entries written before stay as they are.
ALTER TABLE history ADD COLUMN packed BLOB;
