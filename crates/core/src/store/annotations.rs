//! Spans, relations and document labels. Every operation validates its input against the
//! document and the schema, and is one transaction that also writes its history entry.

use rusqlite::{Connection, OptionalExtension, Row, Statement, params};
use serde_json::{Map, Value};

use super::Workspace;
use super::history::{Change, Done};
use super::rows::{DocLabelRow, KeyedRow, RelationRow, SpanRow};
use super::schema::{attr_kind_from_columns, label_id};
use crate::error::{Error, Result};
use crate::model::{AttrKind, DocLabel, Relation, Span};
use crate::offsets::OffsetMap;

/// Code points of context kept on each side of a span, for re-anchoring (as Hypothesis does).
pub const CONTEXT_CHARS: usize = 32;

/// The distinct span labels and claim groups of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelsAndGroups {
    pub labels: Vec<String>,
    pub groups: Vec<String>,
}

/// A span about to be added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewSpan {
    pub doc_id: String,
    pub start: u32,
    pub end: u32,
    pub label: String,
    pub attrs: Map<String, Value>,
    pub note: Option<String>,
}

/// Changes to a span; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanUpdate {
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub label: Option<String>,
    /// Attribute values to set; a `null` value removes the attribute.
    pub attrs: Option<Map<String, Value>>,
    /// `Some(None)` clears the note.
    pub note: Option<Option<String>>,
}

/// A span's columns, each named as [`SpanColumns`] finds it.
const SPAN_COLUMNS: &str = "s.id AS id, s.doc_id AS doc_id, s.start AS start, s.\"end\" AS \"end\",
     l.name AS label, s.quote AS text, s.prefix AS prefix, s.suffix AS suffix, s.attrs AS attrs,
     s.note AS note, a.name AS annotator, s.created_at AS created_at, s.updated_at AS updated_at,
     s.source_entity_id AS source_entity, s.claim_group_id AS claim_group,
     s.suggested_by AS suggested_by";

/// What joins a span `s` to the names [`SPAN_COLUMNS`] reads.
const SPAN_JOINS: &str =
    "JOIN span_labels l ON l.id = s.label_id JOIN annotators a ON a.id = s.annotator_id";

/// The annotations of a batch of documents, one list per document in the batch's order.
pub(crate) struct BatchAnnotations {
    pub spans: Vec<Vec<Span>>,
    pub relations: Vec<Vec<Relation>>,
    pub doc_labels: Vec<Vec<DocLabel>>,
}

/// A span's attributes from its `attrs` column, parsed from the row's bytes (most spans have
/// none).
pub(crate) fn attrs_at(r: &Row<'_>, column: usize) -> rusqlite::Result<Map<String, Value>> {
    Ok(match r.get_ref(column)?.as_str()? {
        "{}" => Map::new(),
        json => serde_json::from_str(json).unwrap_or_default(),
    })
}

/// Where a statement has each of a span's columns, found by name once per statement (a lookup
/// by name on every row compares every column's name: too slow for an export's 260,000 spans).
struct SpanColumns {
    id: usize,
    doc_id: usize,
    start: usize,
    end: usize,
    label: usize,
    text: usize,
    prefix: usize,
    suffix: usize,
    attrs: usize,
    note: usize,
    annotator: usize,
    created_at: usize,
    updated_at: usize,
    source_entity: usize,
    claim_group: usize,
    suggested_by: usize,
}

impl SpanColumns {
    fn of(stmt: &Statement<'_>) -> Result<SpanColumns> {
        let at = |name: &str| stmt.column_index(name);
        Ok(SpanColumns {
            id: at("id")?,
            doc_id: at("doc_id")?,
            start: at("start")?,
            end: at("end")?,
            label: at("label")?,
            text: at("text")?,
            prefix: at("prefix")?,
            suffix: at("suffix")?,
            attrs: at("attrs")?,
            note: at("note")?,
            annotator: at("annotator")?,
            created_at: at("created_at")?,
            updated_at: at("updated_at")?,
            source_entity: at("source_entity")?,
            claim_group: at("claim_group")?,
            suggested_by: at("suggested_by")?,
        })
    }

    fn read(&self, r: &Row<'_>) -> rusqlite::Result<Span> {
        Ok(Span {
            id: r.get(self.id)?,
            doc_id: r.get(self.doc_id)?,
            start: r.get(self.start)?,
            end: r.get(self.end)?,
            label: r.get(self.label)?,
            text: r.get(self.text)?,
            prefix: r.get(self.prefix)?,
            suffix: r.get(self.suffix)?,
            attrs: attrs_at(r, self.attrs)?,
            note: r.get(self.note)?,
            annotator: r.get(self.annotator)?,
            created_at: r.get(self.created_at)?,
            updated_at: r.get(self.updated_at)?,
            source_entity: r.get(self.source_entity)?,
            claim_group: r.get(self.claim_group)?,
            suggested_by: r.get(self.suggested_by)?,
        })
    }
}

/// A relation's columns, each named as [`RelationColumns`] finds it.
const RELATION_COLUMNS: &str = "r.id AS id, r.doc_id AS doc_id, r.head_id AS head,
     r.child_id AS child, t.name AS label, a.name AS annotator, r.created_at AS created_at";
/// What joins a relation `r` to the names [`RELATION_COLUMNS`] reads.
const RELATION_JOINS: &str = "JOIN relation_types t ON t.id = r.type_id
     JOIN annotators a ON a.id = r.annotator_id";

/// Where a statement has each of a relation's columns (see [`SpanColumns`]).
struct RelationColumns {
    id: usize,
    doc_id: usize,
    head: usize,
    child: usize,
    label: usize,
    annotator: usize,
    created_at: usize,
}

impl RelationColumns {
    fn of(stmt: &Statement<'_>) -> Result<RelationColumns> {
        let at = |name: &str| stmt.column_index(name);
        Ok(RelationColumns {
            id: at("id")?,
            doc_id: at("doc_id")?,
            head: at("head")?,
            child: at("child")?,
            label: at("label")?,
            annotator: at("annotator")?,
            created_at: at("created_at")?,
        })
    }

    fn read(&self, r: &Row<'_>) -> rusqlite::Result<Relation> {
        Ok(Relation {
            id: r.get(self.id)?,
            doc_id: r.get(self.doc_id)?,
            head: r.get(self.head)?,
            child: r.get(self.child)?,
            label: r.get(self.label)?,
            annotator: r.get(self.annotator)?,
            created_at: r.get(self.created_at)?,
        })
    }
}

/// A document label's columns, each named as [`DocLabelColumns`] finds it.
const DOC_LABEL_COLUMNS: &str =
    "x.doc_id AS doc_id, d.name AS label, a.name AS annotator, x.created_at AS created_at";
/// What joins a document label `x` to the names [`DOC_LABEL_COLUMNS`] reads.
const DOC_LABEL_JOINS: &str = "JOIN doc_label_defs d ON d.id = x.label_def_id
     JOIN annotators a ON a.id = x.annotator_id";

/// Where a statement has each of a document label's columns (see [`SpanColumns`]).
struct DocLabelColumns {
    doc_id: usize,
    label: usize,
    annotator: usize,
    created_at: usize,
}

impl DocLabelColumns {
    fn of(stmt: &Statement<'_>) -> Result<DocLabelColumns> {
        let at = |name: &str| stmt.column_index(name);
        Ok(DocLabelColumns {
            doc_id: at("doc_id")?,
            label: at("label")?,
            annotator: at("annotator")?,
            created_at: at("created_at")?,
        })
    }

    fn read(&self, r: &Row<'_>) -> rusqlite::Result<DocLabel> {
        Ok(DocLabel {
            doc_id: r.get(self.doc_id)?,
            label: r.get(self.label)?,
            annotator: r.get(self.annotator)?,
            created_at: r.get(self.created_at)?,
        })
    }
}

/// Checks `[start, end)` against the text and returns the quote and its context.
fn anchor(text: &str, start: u32, end: u32) -> Result<(String, String, String)> {
    anchor_in(&OffsetMap::new(text), start, end)
}

/// `anchor` with the text's offset map built once by the caller (bulk imports).
pub(crate) fn anchor_in(
    map: &OffsetMap<'_>,
    start: u32,
    end: u32,
) -> Result<(String, String, String)> {
    if end <= start {
        return Err(Error::EmptySpan { start, end });
    }
    let len = map.char_len();
    let (s, e) = (start as usize, end as usize);
    if e > len {
        return Err(Error::SpanOutOfBounds {
            start,
            end,
            len: len as u32,
        });
    }
    let slice = |a: usize, b: usize| map.slice(a, b).unwrap_or_default().to_string();
    Ok((
        slice(s, e),
        slice(s.saturating_sub(CONTEXT_CHARS), s),
        slice(e, (e + CONTEXT_CHARS).min(len)),
    ))
}

/// Checks attribute values against the schema's attribute definitions for this label.
fn validate_attrs(conn: &Connection, label_id: i64, attrs: &Map<String, Value>) -> Result<()> {
    for (name, value) in attrs {
        let def: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT d.kind, d.options FROM attribute_defs d
                 WHERE d.name = ?1 AND (
                   NOT EXISTS (SELECT 1 FROM attribute_labels x WHERE x.attribute_id = d.id)
                   OR EXISTS (SELECT 1 FROM attribute_labels x
                              WHERE x.attribute_id = d.id AND x.label_id = ?2))",
            )?
            .query_row(params![name, label_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((kind, options)) = def else {
            return Err(Error::InvalidAttribute {
                attr: name.clone(),
                problem: "is not defined for this label in the schema".into(),
            });
        };
        check_attr_value(name, &attr_kind_from_columns(&kind, &options)?, value)?;
    }
    Ok(())
}

/// Checks one attribute value against its kind.
pub(crate) fn check_attr_value(name: &str, kind: &AttrKind, value: &Value) -> Result<()> {
    let bad = |problem: String| {
        Err(Error::InvalidAttribute {
            attr: name.to_string(),
            problem,
        })
    };
    match (kind, value) {
        (_, Value::Null) => {}
        (AttrKind::Enum { options }, Value::String(v)) => {
            if !options.contains(v) {
                return bad(format!("must be one of {}, not `{v}`", options.join(", ")));
            }
        }
        (AttrKind::Bool, Value::Bool(_))
        | (AttrKind::Text, Value::String(_))
        | (AttrKind::Number, Value::Number(_)) => {}
        (AttrKind::Url, Value::String(v)) => {
            let ok = url::Url::parse(v)
                .map(|u| matches!(u.scheme(), "http" | "https"))
                .unwrap_or(false);
            if !ok {
                return bad(format!("must be an http(s) URL, not `{v}`"));
            }
        }
        (kind, v) => return bad(format!("takes a {} value, not {v}", kind.name())),
    }
    Ok(())
}

/// Attribute names the schema defines for a label.
fn attr_names_for(conn: &Connection, label_id: i64) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT d.name FROM attribute_defs d
             WHERE NOT EXISTS (SELECT 1 FROM attribute_labels x WHERE x.attribute_id = d.id)
                OR EXISTS (SELECT 1 FROM attribute_labels x
                           WHERE x.attribute_id = d.id AND x.label_id = ?1)",
        )?
        .query_map([label_id], |r| r.get(0))?
        .collect::<Result<Vec<_>, _>>()?)
}

/// Merges attribute edits: `null` removes.
fn merge_attrs(mut into: Map<String, Value>, edits: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in edits {
        if v.is_null() {
            into.remove(&k);
        } else {
            into.insert(k, v);
        }
    }
    into
}

fn non_empty(note: Option<String>) -> Option<String> {
    note.filter(|n| !n.trim().is_empty())
}

/// Adds a span inside the caller's transaction, without a history entry (the caller records).
pub(crate) fn insert_span(
    tx: &Connection,
    span: NewSpan,
    annotator_id: i64,
    text: &str,
) -> Result<SpanRow> {
    let row = span_row(tx, span, annotator_id, &OffsetMap::new(text), None)?;
    row.upsert(tx)?;
    Ok(row)
}

/// The row of a new span, checked against the text (`map`) and the schema, not yet written;
/// `suggested_by` says what proposed it, for a span accepted from a suggestion.
pub(crate) fn span_row(
    tx: &Connection,
    span: NewSpan,
    annotator_id: i64,
    map: &OffsetMap<'_>,
    suggested_by: Option<String>,
) -> Result<SpanRow> {
    let label = label_id(tx, &span.label)?;
    let (quote, prefix, suffix) = anchor_in(map, span.start, span.end)?;
    let attrs = merge_attrs(Map::new(), span.attrs);
    validate_attrs(tx, label, &attrs)?;
    let now = crate::clock::now();
    Ok(SpanRow {
        id: crate::ids::new_id(),
        doc_id: span.doc_id,
        start: span.start,
        end: span.end,
        label_id: label,
        quote,
        prefix,
        suffix,
        attrs: serde_json::to_string(&attrs)?,
        note: non_empty(span.note),
        annotator_id,
        created_at: now.clone(),
        updated_at: now,
        source_entity_id: None,
        claim_group_id: None,
        suggested_by,
    })
}

/// Adds a relation inside the caller's transaction, after checking it against the schema.
pub(crate) fn insert_relation(
    tx: &Connection,
    head: &str,
    child: &str,
    label: &str,
    annotator_id: i64,
) -> Result<RelationRow> {
    if head == child {
        return Err(Error::RelationToSelf);
    }
    let head_row = SpanRow::load(tx, head)?.ok_or_else(|| Error::SpanNotFound(head.into()))?;
    let child_row = SpanRow::load(tx, child)?.ok_or_else(|| Error::SpanNotFound(child.into()))?;
    if head_row.doc_id != child_row.doc_id {
        return Err(Error::RelationAcrossDocuments);
    }
    let type_id = relation_type_for(tx, label, head_row.label_id, child_row.label_id)?;
    let row = RelationRow {
        id: crate::ids::new_id(),
        doc_id: head_row.doc_id,
        head_id: head.into(),
        child_id: child.into(),
        type_id,
        annotator_id,
        created_at: crate::clock::now(),
    };
    row.upsert(tx)?;
    Ok(row)
}

/// The id of relation type `label`, checked to allow a head and a child of these labels.
pub(crate) fn relation_type_for(
    tx: &Connection,
    label: &str,
    head_label: i64,
    child_label: i64,
) -> Result<i64> {
    let type_id: i64 = tx
        .prepare_cached("SELECT id FROM relation_types WHERE name = ?1")?
        .query_row([label], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::UnknownRelationType(label.into()))?;
    // An empty list of allowed labels for a role means any label.
    let allowed = |role: &str, label_id: i64| -> Result<bool> {
        Ok(tx
            .prepare_cached(
                "SELECT NOT EXISTS (SELECT 1 FROM relation_type_labels
                                    WHERE relation_type_id = ?1 AND role = ?2)
                     OR EXISTS (SELECT 1 FROM relation_type_labels
                                WHERE relation_type_id = ?1 AND role = ?2 AND label_id = ?3)",
            )?
            .query_row(params![type_id, role, label_id], |r| r.get(0))?)
    };
    if !allowed("head", head_label)? || !allowed("child", child_label)? {
        let name = |id: i64| -> Result<String> {
            Ok(
                tx.query_row("SELECT name FROM span_labels WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?,
            )
        };
        return Err(Error::RelationNotAllowed {
            relation: label.into(),
            head: name(head_label)?,
            child: name(child_label)?,
        });
    }
    Ok(type_id)
}

impl Workspace {
    /// Adds a span and returns it.
    pub fn add_span(&mut self, span: NewSpan, annotator: &str) -> Result<Span> {
        let doc_id = self.resolve_document(&span.doc_id)?;
        let text = super::documents::text_of(self.conn(), &doc_id)?;
        let id = self.change("add_span", annotator, |tx, who| {
            let row = insert_span(tx, NewSpan { doc_id, ..span }, who, &text)?;
            let doc = Some(row.doc_id.clone());
            Ok(Done::new(
                row.id.clone(),
                doc,
                vec![Change::Span {
                    before: None,
                    after: Some(row),
                }],
            ))
        })?;
        self.span(&id)
    }

    /// Changes a span's bounds, label, attributes or note. Attributes the new label does not
    /// have are dropped (undo brings them back).
    pub fn update_span(&mut self, id: &str, update: SpanUpdate, annotator: &str) -> Result<Span> {
        let before =
            SpanRow::load(self.conn(), id)?.ok_or_else(|| Error::SpanNotFound(id.into()))?;
        let text = super::documents::text_of(self.conn(), &before.doc_id)?;
        self.change("update_span", annotator, |tx, _| {
            let mut after = before.clone();
            if let Some(label) = &update.label {
                after.label_id = label_id(tx, label)?;
            }
            after.start = update.start.unwrap_or(before.start);
            after.end = update.end.unwrap_or(before.end);
            (after.quote, after.prefix, after.suffix) = anchor(&text, after.start, after.end)?;
            let mut attrs: Map<String, Value> = serde_json::from_str(&before.attrs)?;
            if let Some(edits) = update.attrs {
                validate_attrs(tx, after.label_id, &edits)?;
                attrs = merge_attrs(attrs, edits);
            }
            if after.label_id != before.label_id {
                let keep = attr_names_for(tx, after.label_id)?;
                attrs.retain(|k, _| keep.contains(k));
            }
            after.attrs = serde_json::to_string(&attrs)?;
            if let Some(note) = update.note {
                after.note = non_empty(note);
            }
            if after == before {
                return Ok(Done::new((), None, vec![]));
            }
            after.updated_at = crate::clock::now();
            after.upsert(tx)?;
            let doc = Some(after.doc_id.clone());
            Ok(Done::new(
                (),
                doc,
                vec![Change::Span {
                    before: Some(before),
                    after: Some(after),
                }],
            ))
        })?;
        self.span(id)
    }

    /// Sets one attribute of a span (`Value::Null` removes it).
    pub fn set_attribute(
        &mut self,
        span: &str,
        name: &str,
        value: Value,
        annotator: &str,
    ) -> Result<Span> {
        let mut attrs = Map::new();
        attrs.insert(name.into(), value);
        self.update_span(
            span,
            SpanUpdate {
                attrs: Some(attrs),
                ..Default::default()
            },
            annotator,
        )
    }

    /// Deletes a span and every relation that touches it, as one undoable change.
    pub fn delete_span(&mut self, id: &str, annotator: &str) -> Result<()> {
        self.change("delete_span", annotator, |tx, _| {
            let mut changes = Vec::new();
            let span = delete_span_rows(tx, id, &mut changes)?;
            Ok(Done::new((), Some(span.doc_id), changes))
        })
    }

    /// Links two spans of one document with a relation type that allows their labels.
    pub fn add_relation(
        &mut self,
        head: &str,
        child: &str,
        label: &str,
        annotator: &str,
    ) -> Result<Relation> {
        let id = self.change("add_relation", annotator, |tx, who| {
            let row = insert_relation(tx, head, child, label, who)?;
            let doc = Some(row.doc_id.clone());
            Ok(Done::new(
                row.id.clone(),
                doc,
                vec![Change::Relation {
                    before: None,
                    after: Some(row),
                }],
            ))
        })?;
        self.relation(&id)
    }

    pub fn delete_relation(&mut self, id: &str, annotator: &str) -> Result<()> {
        self.change("delete_relation", annotator, |tx, _| {
            let row =
                RelationRow::load(tx, id)?.ok_or_else(|| Error::RelationNotFound(id.into()))?;
            RelationRow::delete(tx, id)?;
            let doc = Some(row.doc_id.clone());
            Ok(Done::new(
                (),
                doc,
                vec![Change::Relation {
                    before: Some(row),
                    after: None,
                }],
            ))
        })
    }

    /// Sets (`on`) or removes a document label for this annotator.
    pub fn set_doc_label(
        &mut self,
        doc: &str,
        label: &str,
        on: bool,
        annotator: &str,
    ) -> Result<()> {
        let doc_id = self.resolve_document(doc)?;
        self.change("set_doc_label", annotator, |tx, who| {
            let label_def_id: i64 = tx
                .query_row(
                    "SELECT id FROM doc_label_defs WHERE name = ?1",
                    [label],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| Error::UnknownDocLabel(label.into()))?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT created_at FROM doc_labels
                     WHERE doc_id = ?1 AND label_def_id = ?2 AND annotator_id = ?3",
                    params![doc_id, label_def_id, who],
                    |r| r.get(0),
                )
                .optional()?;
            let row = |created_at: String| DocLabelRow {
                doc_id: doc_id.clone(),
                label_def_id,
                annotator_id: who,
                created_at,
            };
            let change = match (existing, on) {
                (None, true) => {
                    let r = row(crate::clock::now());
                    r.insert(tx)?;
                    Change::DocLabel {
                        before: None,
                        after: Some(r),
                    }
                }
                (Some(created), false) => {
                    let r = row(created);
                    r.delete(tx)?;
                    Change::DocLabel {
                        before: Some(r),
                        after: None,
                    }
                }
                _ => return Ok(Done::new((), None, vec![])),
            };
            Ok(Done::new((), Some(doc_id.clone()), vec![change]))
        })
    }

    /// Ids of the documents where any of these annotators made a span, relation or document
    /// label.
    pub fn documents_annotated_by(
        &self,
        annotators: &[String],
    ) -> Result<std::collections::HashSet<String>> {
        let mut out = std::collections::HashSet::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.doc_id FROM spans s JOIN annotators a ON a.id = s.annotator_id WHERE a.name = ?1
             UNION SELECT r.doc_id FROM relations r JOIN annotators a ON a.id = r.annotator_id WHERE a.name = ?1
             UNION SELECT l.doc_id FROM doc_labels l JOIN annotators a ON a.id = l.annotator_id WHERE a.name = ?1",
        )?;
        for name in annotators {
            for id in stmt.query_map([name], |r| r.get::<_, String>(0))? {
                out.insert(id?);
            }
        }
        Ok(out)
    }

    /// Every annotated document's distinct span labels and claim groups, read in one query
    /// (a split needs them for all documents before it writes any).
    pub fn labels_and_groups(&self) -> Result<std::collections::HashMap<String, LabelsAndGroups>> {
        let mut out: std::collections::HashMap<String, LabelsAndGroups> = Default::default();
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT s.doc_id, l.name, s.claim_group_id
             FROM spans s JOIN span_labels l ON l.id = s.label_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (doc, label, group) = row?;
            let entry = out.entry(doc).or_default();
            entry.labels.push(label);
            entry.groups.extend(group);
        }
        for entry in out.values_mut() {
            entry.labels.sort();
            entry.labels.dedup();
            entry.groups.sort();
            entry.groups.dedup();
        }
        Ok(out)
    }

    pub fn span(&self, id: &str) -> Result<Span> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SPAN_COLUMNS} FROM spans s {SPAN_JOINS} WHERE s.id = ?1"
        ))?;
        let columns = SpanColumns::of(&stmt)?;
        stmt.query_row([id], |r| columns.read(r))
            .optional()?
            .ok_or_else(|| Error::SpanNotFound(id.into()))
    }

    /// A document's spans by start, then longest first.
    pub fn spans(&self, doc_id: &str) -> Result<Vec<Span>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SPAN_COLUMNS} FROM spans s {SPAN_JOINS} WHERE s.doc_id = ?1
             ORDER BY s.start, s.\"end\" DESC, s.id"
        ))?;
        let columns = SpanColumns::of(&stmt)?;
        Ok(stmt
            .query_map([doc_id], |r| columns.read(r))?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// The spans, relations and document labels of several documents at once, each list in the
    /// documents' order and, within a document, in the order `spans`, `relations` and
    /// `doc_labels` give; spans without `prefix`, `suffix`, `created_at` and `updated_at` (left
    /// empty), which no export writes. Three queries for the whole batch instead of three per
    /// document: what an export reads.
    pub(crate) fn annotations_for_export(&self, doc_ids: &[&str]) -> Result<BatchAnnotations> {
        let ids = serde_json::to_string(doc_ids)?;
        // `CROSS JOIN` keeps the batch's ids first, each looked up by index (`batch`).
        let mut spans = vec![Vec::new(); doc_ids.len()];
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT j.key AS batch, s.id AS id, s.doc_id AS doc_id, s.start AS start,
                    s.\"end\" AS \"end\", l.name AS label, s.quote AS text, '' AS prefix,
                    '' AS suffix, s.attrs AS attrs, s.note AS note, a.name AS annotator,
                    '' AS created_at, '' AS updated_at, s.source_entity_id AS source_entity,
                    s.claim_group_id AS claim_group, s.suggested_by AS suggested_by
             FROM json_each(?1) j CROSS JOIN spans s ON s.doc_id = j.value {SPAN_JOINS}
             ORDER BY j.key, s.start, s.\"end\" DESC, s.id"
        ))?;
        let columns = SpanColumns::of(&stmt)?;
        let batch = stmt.column_index("batch")?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            if let Some(list) = spans.get_mut(r.get::<_, u32>(batch)? as usize) {
                list.push(columns.read(r)?);
            }
        }
        let mut relations = vec![Vec::new(); doc_ids.len()];
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT j.key AS batch, {RELATION_COLUMNS}
             FROM json_each(?1) j CROSS JOIN relations r ON r.doc_id = j.value {RELATION_JOINS}
             ORDER BY j.key, r.rowid"
        ))?;
        let columns = RelationColumns::of(&stmt)?;
        let batch = stmt.column_index("batch")?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            if let Some(list) = relations.get_mut(r.get::<_, u32>(batch)? as usize) {
                list.push(columns.read(r)?);
            }
        }
        let mut labels = vec![Vec::new(); doc_ids.len()];
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT j.key AS batch, {DOC_LABEL_COLUMNS}
             FROM json_each(?1) j CROSS JOIN doc_labels x ON x.doc_id = j.value {DOC_LABEL_JOINS}
             ORDER BY j.key, d.position, a.name"
        ))?;
        let columns = DocLabelColumns::of(&stmt)?;
        let batch = stmt.column_index("batch")?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            if let Some(list) = labels.get_mut(r.get::<_, u32>(batch)? as usize) {
                list.push(columns.read(r)?);
            }
        }
        Ok(BatchAnnotations {
            spans,
            relations,
            doc_labels: labels,
        })
    }

    pub fn relation(&self, id: &str) -> Result<Relation> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} FROM relations r {RELATION_JOINS} WHERE r.id = ?1"
        ))?;
        let columns = RelationColumns::of(&stmt)?;
        stmt.query_row([id], |r| columns.read(r))
            .optional()?
            .ok_or_else(|| Error::RelationNotFound(id.into()))
    }

    pub fn relations(&self, doc_id: &str) -> Result<Vec<Relation>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} FROM relations r {RELATION_JOINS} WHERE r.doc_id = ?1 ORDER BY r.rowid"
        ))?;
        let columns = RelationColumns::of(&stmt)?;
        Ok(stmt
            .query_map([doc_id], |r| columns.read(r))?
            .collect::<Result<Vec<_>, _>>()?)
    }

    pub fn doc_labels(&self, doc_id: &str) -> Result<Vec<DocLabel>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {DOC_LABEL_COLUMNS} FROM doc_labels x {DOC_LABEL_JOINS}
             WHERE x.doc_id = ?1 ORDER BY d.position, a.name"
        ))?;
        let columns = DocLabelColumns::of(&stmt)?;
        Ok(stmt
            .query_map([doc_id], |r| columns.read(r))?
            .collect::<Result<Vec<_>, _>>()?)
    }
}

/// Deletes a span and the relations that touch it inside a change, adding what it did to
/// `changes`; the span as it was.
pub(crate) fn delete_span_rows(
    tx: &Connection,
    id: &str,
    changes: &mut Vec<Change>,
) -> Result<SpanRow> {
    let span = SpanRow::load(tx, id)?.ok_or_else(|| Error::SpanNotFound(id.into()))?;
    for rel in RelationRow::touching_span(tx, id)? {
        RelationRow::delete(tx, &rel.id)?;
        changes.push(Change::Relation {
            before: Some(rel),
            after: None,
        });
    }
    SpanRow::delete(tx, id)?;
    changes.push(Change::Span {
        before: Some(span.clone()),
        after: None,
    });
    Ok(span)
}
