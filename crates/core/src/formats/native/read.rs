//! Reading native JSONL: span and relation ids are new in the workspace; entities and groups
//! keep their ids, so that documents of one export link to the same ones.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::wire::Line;
use crate::formats::read::{clean_label, day, new_document};
use crate::model::{DocMeta, DocStatus};
use crate::store::{AnnotatedDoc, ImportRelation, ImportSpan};

fn owned(text: Option<Cow<'_, str>>) -> Option<String> {
    text.map(Cow::into_owned)
}

/// One line of a native JSONL file.
pub(crate) fn read_line(
    obj: Map<String, Value>,
    n: u32,
    source_file: &str,
) -> Result<AnnotatedDoc, String> {
    let line: Line<'static> = serde_json::from_value(Value::Object(obj))
        .map_err(|e| format!("not a Parallax JSONL document: {e}"))?;
    let m = line.meta;
    let meta = DocMeta {
        title: owned(m.title),
        outlet: owned(m.outlet),
        author: owned(m.author),
        published: m.published.as_deref().and_then(day),
        url: owned(m.url),
        language: owned(m.language),
        source_file: owned(m.source_file).or_else(|| Some(source_file.to_string())),
    };
    let text = line.text.into_owned();
    let mut doc = AnnotatedDoc::new(Some(n), new_document(text, meta, owned(m.sha256)));
    doc.status = line.status.as_deref().and_then(DocStatus::parse);
    for (i, s) in line.spans.into_iter().enumerate() {
        doc.spans.push(ImportSpan {
            key: owned(s.id).unwrap_or_else(|| format!("#{i}")),
            start: s.start,
            end: s.end,
            label: clean_label(&s.label),
            text: owned(s.text),
            attrs: s.attrs.into_owned(),
            note: owned(s.note),
            annotator: owned(s.annotator),
            source_entity: owned(s.source_entity),
            claim_group: owned(s.claim_group),
            suggested_by: owned(s.suggested_by),
        });
    }
    doc.relations = line
        .relations
        .into_iter()
        .map(|r| ImportRelation {
            head: r.head.into_owned(),
            child: r.child.into_owned(),
            label: clean_label(&r.label),
            annotator: owned(r.annotator),
        })
        .collect();
    doc.entities = line.entities.into_iter().map(Cow::into_owned).collect();
    doc.groups = line.groups.into_iter().map(Cow::into_owned).collect();
    doc.doc_labels = line
        .doc_labels
        .into_iter()
        .map(|l| (clean_label(&l.label), owned(l.annotator)))
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
