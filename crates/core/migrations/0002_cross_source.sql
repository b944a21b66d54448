-- Schema version 2: source entities and claim groups, which link spans across documents.

CREATE TABLE source_entities (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'person'
               CHECK (kind IN ('person', 'organisation', 'media_outlet', 'document', 'anonymous')),
    aliases    TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE claim_groups (
    id         TEXT PRIMARY KEY NOT NULL,
    canonical  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'unverified'
               CHECK (status IN ('unverified', 'supported', 'disputed', 'refuted')),
    evidence   TEXT NOT NULL DEFAULT '[]',
    rationale  TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

ALTER TABLE spans ADD COLUMN source_entity_id TEXT REFERENCES source_entities(id) ON DELETE SET NULL;
ALTER TABLE spans ADD COLUMN claim_group_id TEXT REFERENCES claim_groups(id) ON DELETE SET NULL;
CREATE INDEX spans_by_entity ON spans(source_entity_id) WHERE source_entity_id IS NOT NULL;
CREATE INDEX spans_by_group ON spans(claim_group_id) WHERE claim_group_id IS NOT NULL;
