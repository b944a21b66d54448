//! doccano JSONL, both forms: `label: [[start, end, "LABEL"], ...]` (or, for text
//! classification, `label: ["A", "B"]`, read as document labels) and `entities` /
//! `relations` with numeric ids. Offsets in code points, as doccano writes them.

use serde_json::{Map, Value};

use crate::formats::read::{as_u32, meta_from, new_document};
use crate::store::{AnnotatedDoc, ImportRelation, ImportSpan};

fn id_key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn span(key: String, start: u32, end: u32, label: &str) -> ImportSpan {
    ImportSpan {
        key,
        start,
        end,
        label: crate::formats::read::clean_label(label),
        text: None,
        attrs: Map::new(),
        note: None,
        annotator: None,
        ..Default::default()
    }
}

pub(crate) fn read_line(
    obj: Map<String, Value>,
    n: u32,
    source_file: &str,
) -> Result<AnnotatedDoc, String> {
    let text = obj
        .get("text")
        .or_else(|| obj.get("data"))
        .and_then(Value::as_str)
        .ok_or("no `text` string on this line")?
        .to_string();
    let meta = meta_from(&obj, source_file);
    let mut doc = AnnotatedDoc::new(Some(n), new_document(text, meta, None));
    let labels = obj.get("label").or_else(|| obj.get("labels"));
    if let Some(Value::Array(items)) = labels {
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Array(triple) if triple.len() >= 3 => {
                    let (Some(s), Some(e), Some(l)) = (
                        as_u32(triple.first()),
                        as_u32(triple.get(1)),
                        triple[2].as_str(),
                    ) else {
                        doc.warnings
                            .push(format!("label {}: expected [start, end, \"LABEL\"]", i + 1));
                        continue;
                    };
                    doc.spans.push(span(format!("#{i}"), s, e, l));
                }
                Value::String(l) => doc
                    .doc_labels
                    .push((crate::formats::read::clean_label(l), None)),
                _ => doc.warnings.push(format!(
                    "label {}: expected [start, end, \"LABEL\"] or a name",
                    i + 1
                )),
            }
        }
    }
    if let Some(Value::Array(entities)) = obj.get("entities") {
        for (i, e) in entities.iter().enumerate() {
            let (Some(s), Some(end), Some(l)) = (
                as_u32(e.get("start_offset")),
                as_u32(e.get("end_offset")),
                e.get("label").and_then(Value::as_str),
            ) else {
                doc.warnings.push(format!(
                    "entity {}: expected start_offset, end_offset and label",
                    i + 1
                ));
                continue;
            };
            let key = id_key(e.get("id")).unwrap_or_else(|| format!("#e{i}"));
            doc.spans.push(span(key, s, end, l));
        }
    }
    if let Some(Value::Array(relations)) = obj.get("relations") {
        for (i, r) in relations.iter().enumerate() {
            let (Some(from), Some(to), Some(kind)) = (
                id_key(r.get("from_id")),
                id_key(r.get("to_id")),
                r.get("type").and_then(Value::as_str),
            ) else {
                doc.warnings.push(format!(
                    "relation {}: expected from_id, to_id and type",
                    i + 1
                ));
                continue;
            };
            doc.relations.push(ImportRelation {
                head: from,
                child: to,
                label: crate::formats::read::clean_label(kind),
                annotator: None,
            });
        }
    }
    if let Some(Value::Array(cats)) = obj.get("cats") {
        for c in cats.iter().filter_map(Value::as_str) {
            doc.doc_labels
                .push((crate::formats::read::clean_label(c), None));
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_read_and_classification_labels_become_document_labels() {
        let text = concat!(
            r#"{"text":"EU rejects it","label":[[0,2,"ORG"]],"outlet":"x.example"}"#,
            "\n",
            r#"{"text":"EU rejects it","entities":[{"id":7,"label":"ORG","start_offset":0,"end_offset":2},{"id":8,"label":"V","start_offset":3,"end_offset":10}],"relations":[{"id":1,"from_id":7,"to_id":8,"type":"does"}]}"#,
            "\n",
            r#"{"text":"Sports news","label":["sport"]}"#,
            "\n",
            r#"{"label":[]}"#,
            "\n"
        );
        let r = crate::formats::read::read_jsonl(text, "d.jsonl", read_line);
        let a = r[0].as_ref().unwrap();
        assert_eq!(
            (a.spans[0].start, a.spans[0].end, a.spans[0].label.as_str()),
            (0, 2, "ORG")
        );
        assert_eq!(a.doc.meta.outlet.as_deref(), Some("x.example"));
        let b = r[1].as_ref().unwrap();
        assert_eq!(b.spans.len(), 2);
        assert_eq!(
            (b.relations[0].head.as_str(), b.relations[0].child.as_str()),
            ("7", "8")
        );
        assert_eq!(r[2].as_ref().unwrap().doc_labels[0].0, "sport");
        assert_eq!(r[3].as_ref().unwrap_err().line, Some(4));
    }
}
