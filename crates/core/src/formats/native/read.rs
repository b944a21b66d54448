//! Parallax's native JSONL (docs/formats.md): one document per line with metadata, status,
//! spans, relations, document labels, and the source entities and claim groups its spans link
//! to. Span and relation ids are new in the workspace; entities and groups keep their ids, so
//! that documents of one export link to the same ones.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::formats::read::new_document;
use crate::model::{DocMeta, DocStatus};
use crate::store::{AnnotatedDoc, ImportRelation, ImportSpan};
use crate::store::{ClaimGroup, SourceEntity};

#[derive(Deserialize, Default)]
#[serde(default)]
struct Meta {
    title: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
    published: Option<String>,
    url: Option<String>,
    language: Option<String>,
    source_file: Option<String>,
    sha256: Option<String>,
}

#[derive(Deserialize)]
struct Span {
    id: Option<String>,
    start: u32,
    end: u32,
    label: String,
    text: Option<String>,
    #[serde(default)]
    attrs: Map<String, Value>,
    note: Option<String>,
    annotator: Option<String>,
    source_entity: Option<String>,
    claim_group: Option<String>,
}

#[derive(Deserialize)]
struct Relation {
    head: String,
    child: String,
    label: String,
    annotator: Option<String>,
}

#[derive(Deserialize)]
struct DocLabel {
    label: String,
    annotator: Option<String>,
}

#[derive(Deserialize)]
struct Line {
    text: String,
    #[serde(default)]
    meta: Meta,
    status: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    relations: Vec<Relation>,
    #[serde(default)]
    doc_labels: Vec<DocLabel>,
    #[serde(default)]
    entities: Vec<SourceEntity>,
    #[serde(default)]
    groups: Vec<ClaimGroup>,
}

/// One line of a native JSONL file.
pub(crate) fn read_line(
    obj: Map<String, Value>,
    n: u32,
    source_file: &str,
) -> Result<AnnotatedDoc, String> {
    let line: Line = serde_json::from_value(Value::Object(obj))
        .map_err(|e| format!("not a Parallax JSONL document: {e}"))?;
    let m = line.meta;
    let meta = DocMeta {
        title: m.title,
        outlet: m.outlet,
        author: m.author,
        published: m.published.as_deref().and_then(crate::formats::read::day),
        url: m.url,
        language: m.language,
        source_file: m.source_file.or_else(|| Some(source_file.to_string())),
    };
    let mut doc = AnnotatedDoc::new(Some(n), new_document(line.text, meta, m.sha256));
    doc.status = line.status.as_deref().and_then(DocStatus::parse);
    for (i, s) in line.spans.into_iter().enumerate() {
        doc.spans.push(ImportSpan {
            key: s.id.unwrap_or_else(|| format!("#{i}")),
            start: s.start,
            end: s.end,
            label: crate::formats::read::clean_label(&s.label),
            text: s.text,
            attrs: s.attrs,
            note: s.note,
            annotator: s.annotator,
            source_entity: s.source_entity,
            claim_group: s.claim_group,
        });
    }
    doc.relations = line
        .relations
        .into_iter()
        .map(|r| ImportRelation {
            head: r.head,
            child: r.child,
            label: crate::formats::read::clean_label(&r.label),
            annotator: r.annotator,
        })
        .collect();
    doc.entities = line.entities;
    doc.groups = line.groups;
    doc.doc_labels = line
        .doc_labels
        .into_iter()
        .map(|l| (crate::formats::read::clean_label(&l.label), l.annotator))
        .collect();
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_with_its_annotations_and_a_bad_line_is_reported_by_number() {
        let text = concat!(
            r#"{"text":"Troops left, he said.","meta":{"outlet":"x.example","published":"2022-02-15"},"status":"done","spans":[{"id":"a","start":0,"end":12,"label":"CLAIM","text":"Troops left,"},{"id":"b","start":13,"end":15,"label":"SOURCE"}],"relations":[{"head":"a","child":"b","label":"attributed_to"}],"doc_labels":[{"label":"relevant","annotator":"ana"}],"schema_version":1}"#,
            "\n\n",
            r#"{"text": 5}"#,
            "\n",
        );
        let records = crate::formats::read::read_jsonl(text, "d.jsonl", read_line);
        assert_eq!(records.len(), 2);
        let doc = records[0].as_ref().unwrap();
        assert_eq!(doc.line, Some(1));
        assert_eq!(doc.status, Some(DocStatus::Done));
        assert_eq!(doc.doc.meta.outlet.as_deref(), Some("x.example"));
        assert_eq!(doc.spans.len(), 2);
        assert_eq!(doc.relations[0].head, "a");
        assert_eq!(
            doc.doc_labels,
            [("relevant".to_string(), Some("ana".to_string()))]
        );
        let err = records[1].as_ref().unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.reason.contains("not a Parallax JSONL document"),
            "{}",
            err.reason
        );
    }
}
