//! Pre-annotated documents as the dataset readers produce them, before they are stored: the
//! text and metadata, spans by a key local to the file, relations between those keys, and
//! document labels. Also the schema entries they need that the workspace lacks.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::NewDocument;
use crate::model::{
    AttrDef, AttrKind, DocLabelDef, DocStatus, LabelSchema, RelationType, SpanLabel,
};

/// A span read from a file. Offsets in code points of the document text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportSpan {
    /// The span's id within the file (for relations).
    pub key: String,
    pub start: u32,
    pub end: u32,
    pub label: String,
    /// The text the file says the span covers, checked against the document.
    pub text: Option<String>,
    pub attrs: Map<String, Value>,
    pub note: Option<String>,
    pub annotator: Option<String>,
    /// The source entity (by id, one of the document's `entities`) a native span names.
    pub source_entity: Option<String>,
    /// The claim group (by id, one of the document's `groups`) a native span belongs to.
    pub claim_group: Option<String>,
    /// What proposed a native span accepted from a suggestion.
    pub suggested_by: Option<String>,
}

/// A relation read from a file, between span keys.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRelation {
    pub head: String,
    pub child: String,
    pub label: String,
    pub annotator: Option<String>,
}

/// A document read from a dataset file, with its annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedDoc {
    /// Where in the file it starts: a line, or a task number for JSON arrays.
    pub line: Option<u32>,
    pub doc: NewDocument,
    pub status: Option<DocStatus>,
    pub spans: Vec<ImportSpan>,
    pub relations: Vec<ImportRelation>,
    /// Document labels with who set them.
    pub doc_labels: Vec<(String, Option<String>)>,
    /// Problems with single annotations found while reading; the rest of the document imports.
    pub warnings: Vec<String>,
    /// Source entities and claim groups its spans link to (native JSONL carries them).
    pub entities: Vec<crate::store::SourceEntity>,
    pub groups: Vec<crate::store::ClaimGroup>,
}

impl AnnotatedDoc {
    pub fn new(line: Option<u32>, doc: NewDocument) -> AnnotatedDoc {
        AnnotatedDoc {
            line,
            doc,
            status: None,
            spans: Vec::new(),
            relations: Vec::new(),
            doc_labels: Vec::new(),
            warnings: Vec::new(),
            entities: Vec::new(),
            groups: Vec::new(),
        }
    }
}

/// Colours for labels that an import adds, in turn.
const PALETTE: &[&str] = &[
    "#ef4444", "#14b8a6", "#f97316", "#6366f1", "#84cc16", "#d946ef", "#0ea5e9", "#eab308",
    "#a855f7", "#22c55e",
];

/// The attribute kind a value suggests, for an attribute the schema lacks.
fn kind_of(value: &Value) -> AttrKind {
    match value {
        Value::Bool(_) => AttrKind::Bool,
        Value::Number(_) => AttrKind::Number,
        _ => AttrKind::Text,
    }
}

/// The schema extended with every label, relation type, attribute and document label that
/// `docs` use and `schema` lacks, and a line per addition; `None` when nothing is missing.
pub fn extend_schema(
    schema: &LabelSchema,
    docs: &[AnnotatedDoc],
) -> Option<(LabelSchema, Vec<String>)> {
    let mut out = schema.clone();
    let mut added = Vec::new();
    let mut labels: HashSet<String> = schema.span_labels.iter().map(|l| l.name.clone()).collect();
    let mut types: HashSet<String> = schema
        .relation_types
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let mut attrs: HashSet<String> = schema.attributes.iter().map(|a| a.name.clone()).collect();
    let mut doc_labels: HashSet<String> =
        schema.doc_labels.iter().map(|d| d.name.clone()).collect();
    let mut new_attrs: BTreeMap<String, (AttrKind, Vec<String>)> = BTreeMap::new();
    // A name the schema cannot hold (empty, with spaces) is not added: its annotations are then
    // left out, each with a warning, and the rest of the import goes on.
    let valid = crate::store::is_valid_name;
    for doc in docs {
        for s in &doc.spans {
            if valid(&s.label) && labels.insert(s.label.clone()) {
                let color = PALETTE[(out.span_labels.len()) % PALETTE.len()];
                out.span_labels.push(SpanLabel {
                    name: s.label.clone(),
                    color: color.into(),
                    hotkey: None,
                    description: "Added by an import.".into(),
                });
                added.push(format!("span label {}", s.label));
            }
            for (name, value) in &s.attrs {
                if attrs.contains(name) || value.is_null() || !valid(name) || !valid(&s.label) {
                    continue;
                }
                let entry = new_attrs
                    .entry(name.clone())
                    .or_insert_with(|| (kind_of(value), Vec::new()));
                if entry.0 != kind_of(value) {
                    entry.0 = AttrKind::Text;
                }
                if !entry.1.contains(&s.label) {
                    entry.1.push(s.label.clone());
                }
            }
        }
        for r in &doc.relations {
            if valid(&r.label) && types.insert(r.label.clone()) {
                out.relation_types.push(RelationType {
                    name: r.label.clone(),
                    heads: vec![],
                    children: vec![],
                    directed: true,
                    description: "Added by an import.".into(),
                    required: false,
                });
                added.push(format!("relation type {}", r.label));
            }
        }
        for (label, _) in &doc.doc_labels {
            if valid(label) && doc_labels.insert(label.clone()) {
                out.doc_labels.push(DocLabelDef {
                    name: label.clone(),
                    description: "Added by an import.".into(),
                });
                added.push(format!("document label {label}"));
            }
        }
    }
    for (name, (kind, on)) in new_attrs {
        attrs.insert(name.clone());
        added.push(format!("attribute {name}"));
        out.attributes.push(AttrDef {
            name,
            labels: on,
            kind,
            description: "Added by an import.".into(),
        });
    }
    (!added.is_empty()).then_some((out, added))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with(label: &str, rel: Option<&str>, attr: Option<(&str, Value)>) -> AnnotatedDoc {
        let mut d = AnnotatedDoc::new(
            Some(1),
            NewDocument {
                text: "abc".into(),
                meta: Default::default(),
                sha256: "x".into(),
            },
        );
        let mut attrs = Map::new();
        if let Some((k, v)) = attr {
            attrs.insert(k.into(), v);
        }
        d.spans.push(ImportSpan {
            key: "1".into(),
            start: 0,
            end: 1,
            label: label.into(),
            text: None,
            attrs,
            note: None,
            annotator: None,
            ..Default::default()
        });
        if let Some(r) = rel {
            d.relations.push(ImportRelation {
                head: "1".into(),
                child: "1".into(),
                label: r.into(),
                annotator: None,
            });
        }
        d
    }

    #[test]
    fn missing_labels_relations_and_attributes_are_added_once() {
        let schema = crate::store::default_schema();
        let a = doc_with(
            "ORG",
            Some("works_for"),
            Some(("confidence", serde_json::json!(0.5))),
        );
        let b = doc_with("ORG", None, None);
        let (new, added) = extend_schema(&schema, &[a, b]).unwrap();
        assert_eq!(
            added,
            [
                "span label ORG",
                "relation type works_for",
                "attribute confidence"
            ]
        );
        assert!(
            new.span_labels
                .iter()
                .any(|l| l.name == "ORG" && l.hotkey.is_none())
        );
        let conf = new
            .attributes
            .iter()
            .find(|a| a.name == "confidence")
            .unwrap();
        assert_eq!(conf.kind, AttrKind::Number);
        assert_eq!(conf.labels, ["ORG"]);
        crate::store::validate_schema(&new).unwrap();
    }

    #[test]
    fn names_the_schema_cannot_hold_are_not_added() {
        // Found by the fuzzer: a CoNLL tag `B-` made the whole import fail on the schema.
        let schema = crate::store::default_schema();
        let mut a = doc_with("", Some(""), Some(("", serde_json::json!(1))));
        a.doc_labels.push(("two words".into(), None));
        let b = doc_with(
            "ORG",
            Some("has space"),
            Some(("ok", serde_json::json!(true))),
        );
        let (new, added) = extend_schema(&schema, &[a, b]).unwrap();
        assert_eq!(added, ["span label ORG", "attribute ok"]);
        crate::store::validate_schema(&new).unwrap();
    }

    #[test]
    fn nothing_is_added_when_the_schema_has_everything() {
        let schema = crate::store::default_schema();
        let a = doc_with(
            "CLAIM",
            Some("attributed_to"),
            Some(("type", serde_json::json!("quote"))),
        );
        assert!(extend_schema(&schema, &[a]).is_none());
    }
}
