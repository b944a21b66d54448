//! spaCy / Prodigy JSONL: `text`, `spans` (`start`, `end`, `label`; token fields ignored),
//! `relations` (by `head_span` / `child_span`, or by token index through `tokens`), `meta`,
//! `_annotator_id`, and `accept` / `cats` as document labels. Tasks answered `reject` or
//! `ignore` are not imported and are reported.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::formats::read::{as_u32, meta_from, new_document};
use crate::store::{AnnotatedDoc, ImportRelation, ImportSpan};

fn key(start: u32, end: u32, label: &str) -> String {
    format!("{start}:{end}:{label}")
}

pub(crate) fn read_line(
    obj: Map<String, Value>,
    n: u32,
    source_file: &str,
) -> Result<AnnotatedDoc, String> {
    let answer = obj
        .get("answer")
        .and_then(Value::as_str)
        .unwrap_or("accept");
    if answer != "accept" {
        return Err(format!(
            "the task was answered `{answer}`; only accepted tasks are imported"
        ));
    }
    let text = obj
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no `text` string on this line")?
        .to_string();
    let meta_obj = match obj.get("meta") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let meta = meta_from(&meta_obj, source_file);
    let annotator = obj
        .get("_annotator_id")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    let mut doc = AnnotatedDoc::new(Some(n), new_document(text, meta, None));
    // Token index -> (start, end) in code points, for relations given by token only.
    let mut token_span: HashMap<u64, String> = HashMap::new();
    if let Some(Value::Array(spans)) = obj.get("spans") {
        for (i, s) in spans.iter().enumerate() {
            let (Some(start), Some(end), Some(label)) = (
                as_u32(s.get("start")),
                as_u32(s.get("end")),
                s.get("label").and_then(Value::as_str),
            ) else {
                doc.warnings
                    .push(format!("span {}: expected start, end and label", i + 1));
                continue;
            };
            let label = crate::formats::read::clean_label(label);
            let k = key(start, end, &label);
            for t in ["token_start", "token_end"] {
                if let Some(t) = s.get(t).and_then(Value::as_u64) {
                    token_span.insert(t, k.clone());
                }
            }
            doc.spans.push(ImportSpan {
                key: k,
                start,
                end,
                label,
                text: None,
                attrs: Map::new(),
                note: None,
                annotator: annotator.clone(),
                ..Default::default()
            });
        }
    }
    if let Some(Value::Array(relations)) = obj.get("relations") {
        for (i, r) in relations.iter().enumerate() {
            let side = |span: &str, token: &str| -> Option<String> {
                match r.get(span) {
                    Some(s) => Some(key(
                        as_u32(s.get("start"))?,
                        as_u32(s.get("end"))?,
                        &crate::formats::read::clean_label(s.get("label")?.as_str()?),
                    )),
                    None => token_span.get(&r.get(token)?.as_u64()?).cloned(),
                }
            };
            let (Some(head), Some(child), Some(label)) = (
                side("head_span", "head"),
                side("child_span", "child"),
                r.get("label").and_then(Value::as_str),
            ) else {
                doc.warnings.push(format!(
                    "relation {}: expected head_span, child_span (or head, child) and label",
                    i + 1
                ));
                continue;
            };
            doc.relations.push(ImportRelation {
                head,
                child,
                label: crate::formats::read::clean_label(label),
                annotator: annotator.clone(),
            });
        }
    }
    if let Some(Value::Array(accepted)) = obj.get("accept") {
        for a in accepted.iter().filter_map(Value::as_str) {
            doc.doc_labels
                .push((crate::formats::read::clean_label(a), annotator.clone()));
        }
    }
    if let Some(Value::Object(cats)) = obj.get("cats") {
        for (c, v) in cats {
            if v.as_f64().is_some_and(|x| x >= 0.5) || v.as_bool() == Some(true) {
                doc.doc_labels
                    .push((crate::formats::read::clean_label(c), annotator.clone()));
            }
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_relations_and_answers_are_read() {
        let text = concat!(
            r#"{"text":"Ana said it","meta":{"title":"T"},"spans":[{"start":0,"end":3,"token_start":0,"token_end":0,"label":"SOURCE"},{"start":9,"end":11,"token_start":2,"token_end":2,"label":"CLAIM"}],"relations":[{"head":2,"child":0,"label":"attributed_to"}],"answer":"accept","_annotator_id":"ana"}"#,
            "\n",
            r#"{"text":"x","answer":"reject"}"#,
            "\n"
        );
        let r = crate::formats::read::read_jsonl(text, "p.jsonl", read_line);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.doc.meta.title.as_deref(), Some("T"));
        assert_eq!(a.spans.len(), 2);
        assert_eq!(a.relations[0].head, "9:11:CLAIM");
        assert_eq!(a.relations[0].child, "0:3:SOURCE");
        assert_eq!(a.spans[0].annotator.as_deref(), Some("ana"));
        let e = r[1].as_ref().unwrap_err();
        assert!(e.reason.contains("reject"));
    }
}
