//! Label Studio JSON export: a list of tasks (or one task, or `{"tasks": [...]}`). The text is
//! `data.text` (else the first string in `data`); each annotation that was not cancelled is
//! read, with `labels` regions (UTF-16 offsets converted to code points; the region's `text`
//! checked), per-region `choices` / `textarea` / `number` results as attributes, the region's
//! `meta.text` as its note, and `relation` items (direction `left` turned round; no label
//! reads as `related`). Annotators are named by `completed_by`. Predictions are not imported.
//! The JSON-MIN export (a task's data at the top, one key per control) is read too.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::formats::read::{
    RecordError, Records, meta_from, new_document, record_error, str_field,
};
use crate::offsets::OffsetMap;
use crate::store::{AnnotatedDoc, ImportRelation, ImportSpan};

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

/// A region's `start` and `end` (UTF-16 units) as code points of the text, or what is wrong.
fn region_range(map: &OffsetMap, region: &Map<String, Value>) -> Result<(usize, usize), String> {
    let unit = |k: &str| region.get(k).and_then(Value::as_u64).map(|u| u as usize);
    let (Some(s16), Some(e16)) = (unit("start"), unit("end")) else {
        return Err("no start and end".into());
    };
    match (map.utf16_to_cp(s16), map.utf16_to_cp(e16)) {
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err(format!(
            "UTF-16 offsets [{s16}, {e16}) fall inside a character or past the end of the text"
        )),
    }
}

/// The keys Label Studio's JSON-MIN export adds to a task's data.
const MIN_KEYS: [&str; 7] = [
    "id",
    "annotator",
    "annotation_id",
    "created_at",
    "updated_at",
    "lead_time",
    "agreement",
];

/// A record of Label Studio's JSON-MIN export: the task's data fields at the top, beside one
/// key per control of one annotation (`"label": [{start, end, text, labels}]`, a region's
/// several choices or its number as `{start, end, choices | number}`, a document's several
/// choices as `[{choices}]`) and the annotator; one record per annotation. That export has no
/// relations, and writes a single choice or text as a bare string without its region, which
/// cannot be told from a data field, so those are not read.
pub(crate) fn read_min_task(
    task: &Map<String, Value>,
    n: u32,
    source_file: &str,
) -> Result<AnnotatedDoc, String> {
    // Guessing another field could take a title or an author for the text: `text` it is.
    let text = task
        .get("text")
        .and_then(Value::as_str)
        .ok_or("the task has no `data` object, nor a `text` (Label Studio JSON-MIN)")?
        .to_string();
    let mut doc = AnnotatedDoc::new(
        Some(n),
        new_document(text, meta_from(task, source_file), None),
    );
    let map = OffsetMap::new(&doc.doc.text);
    let annotator = match task.get("annotator") {
        Some(Value::Number(n)) => Some(format!("label-studio user {n}")),
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let regions = |v: &Value| -> Vec<Map<String, Value>> {
        v.as_array()
            .map(|items| items.iter().filter_map(Value::as_object).cloned().collect())
            .unwrap_or_default()
    };
    // Labelled regions first, so that per-region choices can find their span.
    for (name, value) in task.iter().filter(|(k, _)| !MIN_KEYS.contains(&k.as_str())) {
        for (i, r) in regions(value).iter().enumerate() {
            let Some(labels) = r.get("labels").and_then(Value::as_array) else {
                continue;
            };
            let (start, end) = match region_range(&map, r) {
                Ok(range) => range,
                Err(problem) => {
                    doc.warnings
                        .push(format!("{name} region {}: {problem}", i + 1));
                    continue;
                }
            };
            for label in labels.iter().filter_map(Value::as_str) {
                doc.spans.push(ImportSpan {
                    key: format!("{name}:{i}:{label}"),
                    start: start as u32,
                    end: end as u32,
                    label: crate::formats::read::clean_label(label),
                    text: r.get("text").and_then(Value::as_str).map(str::to_string),
                    attrs: Map::new(),
                    annotator: annotator.clone(),
                    ..Default::default()
                });
            }
        }
    }
    for (name, value) in task.iter().filter(|(k, _)| !MIN_KEYS.contains(&k.as_str())) {
        for r in regions(value) {
            if r.contains_key("labels") {
                continue;
            }
            // A region's single choice or text is written as a bare string, without its
            // offsets: only these forms keep them.
            let Some(v) = ["choices", "number", "rating"]
                .iter()
                .find_map(|kind| attr_value(kind, &r))
            else {
                continue;
            };
            let unit = |k: &str| r.get(k).and_then(Value::as_u64).map(|u| u as usize);
            match (unit("start"), unit("end")) {
                (Some(s16), Some(e16)) => {
                    let range = (map.utf16_to_cp(s16), map.utf16_to_cp(e16));
                    let mut found = false;
                    for s in doc
                        .spans
                        .iter_mut()
                        .filter(|s| (Some(s.start as usize), Some(s.end as usize)) == range)
                    {
                        s.attrs.insert(name.clone(), v.clone());
                        found = true;
                    }
                    if !found {
                        doc.warnings.push(format!(
                            "{name} [{s16}, {e16}): no labelled region there to carry it"
                        ));
                    }
                }
                // A document's choices.
                _ => {
                    if let Some(choices) = r.get("choices").and_then(Value::as_array) {
                        for c in choices.iter().filter_map(Value::as_str) {
                            doc.doc_labels
                                .push((crate::formats::read::clean_label(c), annotator.clone()));
                        }
                    }
                }
            }
        }
    }
    Ok(doc)
}

fn read_task(task: &Map<String, Value>, n: u32, source_file: &str) -> Result<AnnotatedDoc, String> {
    let data = match task.get("data") {
        Some(Value::Object(d)) => d,
        _ => return read_min_task(task, n, source_file),
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
            let (start, end) = match region_range(&map, value) {
                Ok(range) => range,
                Err(problem) => {
                    doc.warnings.push(format!("region {id}: {problem}"));
                    continue;
                }
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
                    label: crate::formats::read::clean_label(label),
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
                        label: crate::formats::read::clean_label(label),
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
                                .push((crate::formats::read::clean_label(c), annotator.clone()));
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
    fn json_min_records_are_read_with_utf16_offsets_and_their_annotator() {
        // As Label Studio's converter writes JSON-MIN: data at the top, a key per control.
        let json = r#"[{"text":"🇺🇦 Kyiv said no","title":"Talks","id":7,
            "label":[{"start":5,"end":9,"text":"Kyiv","labels":["SOURCE"]},
                     {"start":10,"end":17,"text":"said no","labels":["CLAIM"]}],
            "kind":[{"start":10,"end":17,"text":"said no","choices":["quote","denial"]}],
            "topic":[{"choices":["politics","war"]}],
            "annotator":"ana@example.org","annotation_id":3,"created_at":"2024-01-01T00:00:00Z",
            "updated_at":"2024-01-01T00:00:00Z","lead_time":4.2},
            {"text":"x","label":[{"start":0,"end":9,"labels":["CLAIM"]}],"annotator":2}]"#;
        let r = read(json, "min.json").unwrap();
        let d = r[0].as_ref().unwrap();
        assert_eq!(d.doc.text, "🇺🇦 Kyiv said no");
        assert_eq!(d.doc.meta.title.as_deref(), Some("Talks"));
        assert_eq!((d.spans[0].start, d.spans[0].end), (3, 7));
        assert_eq!(d.spans[0].text.as_deref(), Some("Kyiv"));
        assert_eq!((d.spans[1].start, d.spans[1].end), (8, 15));
        assert_eq!(d.spans[1].attrs["kind"], "quote,denial");
        assert_eq!(d.spans[0].annotator.as_deref(), Some("ana@example.org"));
        let labels: Vec<&str> = d.doc_labels.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["politics", "war"]);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        // Past the end of the text: reported, not stored.
        let d = r[1].as_ref().unwrap();
        assert!(d.spans.is_empty());
        assert!(d.warnings[0].contains("past the end"), "{:?}", d.warnings);
        // A record with neither `data` nor a text is refused with its task number.
        let bad = read(r#"[{"label":[]}]"#, "min.json").unwrap();
        let err = bad[0].as_ref().unwrap_err();
        assert!(
            err.reason.contains("task 1") && err.reason.contains("JSON-MIN"),
            "{err:?}"
        );
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
