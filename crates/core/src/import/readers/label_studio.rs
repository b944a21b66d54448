//! Label Studio JSON export: a list of tasks (or one task, or `{"tasks": [...]}`). The text is
//! `data.text` (else the first string in `data`); each annotation that was not cancelled is
//! read, with `labels` regions (UTF-16 offsets converted to code points; the region's `text`
//! checked), per-region `choices` / `textarea` / `number` results as attributes, the region's
//! `meta.text` as its note, and `relation` items (direction `left` turned round; no label
//! reads as `related`). Annotators are named by `completed_by`. Predictions are not imported.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{RecordError, Records, meta_from, new_document, record_error, str_field};
use crate::import::annotated::{AnnotatedDoc, ImportRelation, ImportSpan};
use crate::offsets::OffsetMap;

fn annotator_of(a: &Map<String, Value>) -> Option<String> {
    match a.get("completed_by")? {
        Value::Number(n) => Some(format!("label-studio user {n}")),
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            str_field(o, "email").or_else(|| o.get("id").map(|i| format!("label-studio user {i}")))
        }
        _ => None,
    }
}

/// An attribute value from a per-region result.
fn attr_value(kind: &str, value: &Map<String, Value>) -> Option<Value> {
    match kind {
        "choices" => {
            let choices = value.get("choices")?.as_array()?;
            let v = match choices.as_slice() {
                [one] => one.clone(),
                many => Value::String(
                    many.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            };
            Some(match v.as_str() {
                Some("true") => Value::Bool(true),
                Some("false") => Value::Bool(false),
                _ => v,
            })
        }
        "textarea" => {
            let texts = value.get("text")?.as_array()?;
            Some(Value::String(
                texts
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        "number" => value.get("number").cloned(),
        "rating" => value.get("rating").cloned(),
        _ => None,
    }
}

fn read_task(task: &Map<String, Value>, n: u32, source_file: &str) -> Result<AnnotatedDoc, String> {
    let data = match task.get("data") {
        Some(Value::Object(d)) => d,
        _ => return Err("the task has no `data` object".into()),
    };
    let text = data
        .get("text")
        .and_then(Value::as_str)
        .or_else(|| data.values().find_map(Value::as_str))
        .ok_or("the task's `data` holds no text")?
        .to_string();
    let mut doc = AnnotatedDoc::new(
        Some(n),
        new_document(text, meta_from(data, source_file), None),
    );
    let map = OffsetMap::new(&doc.doc.text);
    let annotations = task
        .get("annotations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (ai, a) in annotations.iter().enumerate() {
        let Some(a) = a.as_object() else { continue };
        if a.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let annotator = annotator_of(a);
        let results = a
            .get("result")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // Regions first, so that per-region results and relations can find them.
        let mut regions: HashMap<String, usize> = HashMap::new();
        for r in &results {
            let Some(r) = r.as_object() else { continue };
            let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
            if kind != "labels" && kind != "hypertextlabels" {
                continue;
            }
            let id = r
                .get("id")
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .unwrap_or_default();
            let Some(value) = r.get("value").and_then(Value::as_object) else {
                continue;
            };
            let unit = |k: &str| value.get(k).and_then(Value::as_u64).map(|u| u as usize);
            let (Some(s16), Some(e16)) = (unit("start"), unit("end")) else {
                doc.warnings.push(format!("region {id}: no start and end"));
                continue;
            };
            let (Some(start), Some(end)) = (map.utf16_to_cp(s16), map.utf16_to_cp(e16)) else {
                doc.warnings.push(format!(
                    "region {id}: UTF-16 offsets [{s16}, {e16}) fall inside a character or past the end of the text"
                ));
                continue;
            };
            let note = value
                .get("meta")
                .or_else(|| r.get("meta"))
                .and_then(|m| m.get("text"))
                .and_then(Value::as_array)
                .map(|t| {
                    t.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            let labels = value
                .get("labels")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for label in labels.iter().filter_map(Value::as_str) {
                regions.insert(id.clone(), doc.spans.len());
                doc.spans.push(ImportSpan {
                    key: format!("{ai}:{id}:{label}"),
                    start: start as u32,
                    end: end as u32,
                    label: super::clean_label(label),
                    text: value
                        .get("text")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    attrs: Map::new(),
                    note: note.clone().filter(|n| !n.is_empty()),
                    annotator: annotator.clone(),
                    ..Default::default()
                });
            }
        }
        for r in &results {
            let Some(r) = r.as_object() else { continue };
            let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
            if kind == "relation" {
                let end = |k: &str| {
                    r.get(k)
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                };
                let (Some(from), Some(to)) = (end("from_id"), end("to_id")) else {
                    doc.warnings
                        .push("relation without from_id and to_id".into());
                    continue;
                };
                let (Some(&h), Some(&c)) = (regions.get(&from), regions.get(&to)) else {
                    doc.warnings
                        .push(format!("relation {from} → {to}: a region is missing"));
                    continue;
                };
                let (h, c) = if r.get("direction").and_then(Value::as_str) == Some("left") {
                    (c, h)
                } else {
                    (h, c)
                };
                let labels: Vec<&str> = r
                    .get("labels")
                    .and_then(Value::as_array)
                    .map(|l| l.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let labels = if labels.is_empty() {
                    vec!["related"]
                } else {
                    labels
                };
                for label in labels {
                    doc.relations.push(ImportRelation {
                        head: doc.spans[h].key.clone(),
                        child: doc.spans[c].key.clone(),
                        label: super::clean_label(label),
                        annotator: annotator.clone(),
                    });
                }
                continue;
            }
            let Some(name) = r.get("from_name").and_then(Value::as_str) else {
                continue;
            };
            let Some(value) = r.get("value").and_then(Value::as_object) else {
                continue;
            };
            let Some(v) = attr_value(kind, value) else {
                continue;
            };
            match r
                .get("id")
                .and_then(Value::as_str)
                .and_then(|id| regions.get(id))
            {
                Some(&i) => {
                    // The same region id may carry several labels: give each the attribute.
                    let start = doc.spans[i].start;
                    let end = doc.spans[i].end;
                    let prefix = doc.spans[i]
                        .key
                        .rsplit_once(':')
                        .map(|(p, _)| p.to_string())
                        .unwrap_or_default();
                    for s in doc
                        .spans
                        .iter_mut()
                        .filter(|s| s.start == start && s.end == end && s.key.starts_with(&prefix))
                    {
                        s.attrs.insert(name.to_string(), v.clone());
                    }
                }
                None if kind == "choices" => {
                    // A task-level classification: document labels.
                    if let Some(choices) = value.get("choices").and_then(Value::as_array) {
                        for c in choices.iter().filter_map(Value::as_str) {
                            doc.doc_labels
                                .push((super::clean_label(c), annotator.clone()));
                        }
                    }
                }
                None => {}
            }
        }
    }
    Ok(doc)
}

pub fn read(text: &str, source_file: &str) -> Result<Records, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let tasks = match value {
        Value::Array(tasks) => tasks,
        Value::Object(mut o) => match o.remove("tasks") {
            Some(Value::Array(tasks)) => tasks,
            _ => vec![Value::Object(o)],
        },
        _ => return Err("expected a list of Label Studio tasks".into()),
    };
    Ok(tasks
        .iter()
        .enumerate()
        .map(|(i, t)| read_one(t, i as u32 + 1, source_file))
        .collect())
}

/// Task `n` (from 1) of a file.
fn read_one(task: &Value, n: u32, source_file: &str) -> Result<AnnotatedDoc, RecordError> {
    let task = task
        .as_object()
        .ok_or_else(|| record_error(n, "task is not a JSON object"))?;
    read_task(task, n, source_file).map_err(|e| RecordError {
        line: Some(n),
        reason: format!("task {n}: {e}"),
    })
}

/// Whether a file can be read task by task: UTF-8 (with or without a BOM) holding a JSON list,
/// as Label Studio exports are. Other shapes (one task, `{"tasks": [...]}`, UTF-16) are read whole.
pub fn streams(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// Reads a list of tasks from `input` one task at a time, handing `on_chunk` the records of
/// `chunk` tasks at a time, so that a file of any size is read in bounded memory. A JSON error
/// ends the file: the tasks before it were handed over; the error names the task it is in.
pub fn read_stream(
    input: impl std::io::Read,
    source_file: &str,
    chunk: usize,
    on_chunk: &mut dyn FnMut(Records) -> crate::Result<()>,
) -> crate::Result<Result<(), RecordError>> {
    struct Tasks<'a> {
        source_file: &'a str,
        chunk: usize,
        on_chunk: &'a mut dyn FnMut(Records) -> crate::Result<()>,
        /// Tasks read so far.
        n: u32,
        /// What `on_chunk` failed with, which stops the reading.
        failed: Option<crate::Error>,
    }
    impl<'de> serde::de::Visitor<'de> for &mut Tasks<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of Label Studio tasks")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut records = Vec::with_capacity(self.chunk);
            loop {
                // Counted before it is read, so that an error names the task it is in.
                self.n += 1;
                let task = match seq.next_element::<Value>() {
                    Ok(Some(task)) => task,
                    Ok(None) => {
                        self.n -= 1;
                        break;
                    }
                    // Broken JSON ends the file; the tasks read before it are kept.
                    Err(e) => {
                        if let Err(failed) = (self.on_chunk)(records) {
                            self.failed = Some(failed);
                        }
                        return Err(e);
                    }
                };
                records.push(read_one(&task, self.n, self.source_file));
                if records.len() == self.chunk {
                    let full = std::mem::replace(&mut records, Vec::with_capacity(self.chunk));
                    if let Err(e) = (self.on_chunk)(full) {
                        self.failed = Some(e);
                        return Err(serde::de::Error::custom("stopped"));
                    }
                }
            }
            if let Err(e) = (self.on_chunk)(records) {
                self.failed = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
            Ok(())
        }
    }
    let mut tasks = Tasks {
        source_file,
        chunk,
        on_chunk,
        n: 0,
        failed: None,
    };
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 20, input));
    let read = serde::Deserializer::deserialize_seq(&mut de, &mut tasks).and_then(|()| de.end());
    if let Some(e) = tasks.failed {
        return Err(e);
    }
    Ok(read.map_err(|e| RecordError {
        line: Some(tasks.n.max(1)),
        reason: format!(
            "task {}: not valid JSON: {e}; the tasks before it were read",
            tasks.n.max(1)
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_after_an_emoji_become_code_points() {
        // "🇺🇦 " is 2 code points + space but 4 UTF-16 units + space.
        let json = r#"[{"data":{"text":"🇺🇦 Kyiv said no"},"annotations":[{"completed_by":3,"result":[
            {"id":"a","from_name":"label","to_name":"text","type":"labels","value":{"start":5,"end":9,"text":"Kyiv","labels":["SOURCE"]}},
            {"id":"b","from_name":"label","to_name":"text","type":"labels","value":{"start":10,"end":17,"text":"said no","labels":["CLAIM"]}},
            {"id":"b","from_name":"type","to_name":"text","type":"choices","value":{"start":10,"end":17,"choices":["quote"]}},
            {"from_id":"b","to_id":"a","type":"relation","direction":"right","labels":["attributed_to"]}
        ]}]}]"#;
        let r = read(json, "ls.json").unwrap();
        let d = r[0].as_ref().unwrap();
        assert_eq!((d.spans[0].start, d.spans[0].end), (3, 7));
        assert_eq!((d.spans[1].start, d.spans[1].end), (8, 15));
        assert_eq!(d.spans[1].attrs["type"], "quote");
        assert_eq!(d.spans[0].annotator.as_deref(), Some("label-studio user 3"));
        assert_eq!(d.relations[0].head, d.spans[1].key);
        assert_eq!(d.relations[0].label, "attributed_to");
    }

    #[test]
    fn an_offset_inside_a_surrogate_pair_is_reported() {
        let json = r#"[{"data":{"text":"😀 x"},"annotations":[{"result":[
            {"id":"a","type":"labels","value":{"start":1,"end":4,"labels":["X"]}}]}]}]"#;
        let r = read(json, "ls.json").unwrap();
        let d = r[0].as_ref().unwrap();
        assert!(d.spans.is_empty());
        assert!(
            d.warnings[0].contains("inside a character"),
            "{:?}",
            d.warnings
        );
    }
}
