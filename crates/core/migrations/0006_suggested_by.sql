-- Schema version 6: what proposed a span that an analyst accepted from a suggestion (a pattern,
-- `pattern:ID`, or a rule of the attribution suggester, `rule:NAME`); NULL for a span made by hand
-- or imported.

ALTER TABLE spans ADD COLUMN suggested_by TEXT;
