-- Schema version 8: a relation type may be required of its head spans (every CLAIM should have a
-- source); the reader flags a head span without one. The default schema's attribution relations
-- are required, in workspaces made before this version too.

ALTER TABLE relation_types ADD COLUMN required INTEGER NOT NULL DEFAULT 0;

UPDATE relation_types SET required = 1 WHERE name IN ('attributed_to', 'cue_of', 'quantity_of');
