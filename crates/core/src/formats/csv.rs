//! CSV (or TSV, by extension) with a header row: one document per row. The text column is the
//! one named with `--text-column`, else the first of `text`, `content`, `body`, `article`.
//! Columns `title`, `outlet` (`source`, `publisher`), `author`, `published` (`date`), `url`
//! (`link`) and `language` fill the metadata; `label` / `labels` (comma-separated) become
//! document labels. Line breaks in a cell are normalised as in text files.
//!
//! Label Studio's CSV and TSV exports hold a task per row with its regions as JSON in a cell
//! (`[{"start", "end", "text", "labels"}]`): such a row is read as a JSON-MIN record, its text
//! kept exactly as the cell has it, since the offsets (UTF-16) point into it.

use std::path::Path;

use serde_json::{Map, Value};

use crate::formats::read::{Records, meta_from, new_document, record_error};
use crate::store::AnnotatedDoc;

const TEXT_COLUMNS: &[&str] = &["text", "content", "body", "article"];

pub fn read(
    bytes: &[u8],
    path: &Path,
    source_file: &str,
    text_column: Option<&str>,
) -> Result<Records, String> {
    let text = crate::formats::read::text_of(bytes)?;
    let tab = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(if tab { b'\t' } else { b',' })
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let text_at = match text_column {
        Some(name) => headers.iter().position(|h| h == &name.trim().to_lowercase()).ok_or_else(|| {
            format!("no column `{name}` (the columns are: {})", headers.join(", "))
        })?,
        None => TEXT_COLUMNS
            .iter()
            .find_map(|c| headers.iter().position(|h| h == c))
            .ok_or_else(|| {
                format!(
                    "no text column (looked for {}; the columns are: {}); name it with --text-column",
                    TEXT_COLUMNS.join(", "),
                    headers.join(", ")
                )
            })?,
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                out.push(Err(record_error(line, format!("not valid CSV: {e}"))));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as u32);
        if let Some(task) = label_studio_row(&headers, &record, text_at) {
            out.push(
                crate::formats::label_studio::read_min_task(&task, line, source_file)
                    .map_err(|e| record_error(line, e)),
            );
            continue;
        }
        let cell = record.get(text_at).unwrap_or("");
        let text = crate::text::normalize_newlines(cell).trim().to_string();
        if text.is_empty() {
            out.push(Err(record_error(line, "the text cell is empty")));
            continue;
        }
        let obj: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.clone(), Value::String(v.to_string())))
            .collect();
        let mut doc = AnnotatedDoc::new(
            Some(line),
            new_document(text, meta_from(&obj, source_file), None),
        );
        for key in ["label", "labels"] {
            if let Some(labels) = crate::formats::read::str_field(&obj, key) {
                for l in labels.split(',').map(str::trim).filter(|l| !l.is_empty()) {
                    doc.doc_labels
                        .push((crate::formats::read::clean_label(l), None));
                }
            }
        }
        out.push(Ok(doc));
    }
    Ok(out)
}

/// A row of a Label Studio CSV export, as the JSON-MIN record it was made from: cells holding
/// JSON lists or objects parsed, the text cell under `text`. `None` for a row with no regions.
fn label_studio_row(
    headers: &[String],
    record: &::csv::StringRecord,
    text_at: usize,
) -> Option<Map<String, Value>> {
    let mut regions = false;
    let mut task = Map::new();
    for (i, (h, cell)) in headers.iter().zip(record.iter()).enumerate() {
        let trimmed = cell.trim_start();
        let parsed = (i != text_at && (trimmed.starts_with('[') || trimmed.starts_with('{')))
            .then(|| serde_json::from_str::<Value>(cell).ok())
            .flatten();
        match parsed {
            Some(v) => {
                regions |= v.as_array().is_some_and(|items| {
                    items
                        .iter()
                        .any(|r| r.get("start").is_some() && r.get("end").is_some())
                });
                task.insert(h.clone(), v);
            }
            None => {
                task.insert(h.clone(), Value::String(cell.to_string()));
            }
        }
    }
    let text = record.get(text_at)?.to_string();
    task.insert("text".into(), Value::String(text));
    regions.then_some(task)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_documents_with_metadata_and_labels() {
        let csv = "id,Title,text,published,outlet,labels\n1,A,\"First, with a comma\r\nand a break\",2022-02-15,x.example,\"news, war\"\n2,B,,2022-02-16,y,\n";
        let r = read(csv.as_bytes(), Path::new("a.csv"), "a.csv", None).unwrap();
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.doc.text, "First, with a comma\nand a break");
        assert_eq!(a.doc.meta.title.as_deref(), Some("A"));
        assert_eq!(a.doc.meta.published.as_deref(), Some("2022-02-15"));
        assert_eq!(a.doc_labels.len(), 2);
        let e = r[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn a_label_studio_csv_export_brings_its_regions_with_utf16_offsets() {
        // As Label Studio writes it: the regions as JSON in the control's column.
        let csv = "text,id,label,annotator\n\
            \"🇺🇦 Kyiv said no\",4,\"[{\"\"start\"\": 5, \"\"end\"\": 9, \"\"text\"\": \"\"Kyiv\"\", \"\"labels\"\": [\"\"SOURCE\"\"]}]\",ana@example.org\n\
            plain text row,5,\"news, war\",ana@example.org\n";
        let r = read(csv.as_bytes(), Path::new("ls.csv"), "ls.csv", None).unwrap();
        let d = r[0].as_ref().unwrap();
        assert_eq!(d.doc.text, "🇺🇦 Kyiv said no");
        assert_eq!((d.spans[0].start, d.spans[0].end), (3, 7));
        assert_eq!(d.spans[0].label, "SOURCE");
        assert_eq!(d.spans[0].annotator.as_deref(), Some("ana@example.org"));
        // A row without regions is read as before: its labels are document labels.
        let plain = r[1].as_ref().unwrap();
        assert!(plain.spans.is_empty());
        assert_eq!(plain.doc_labels.len(), 2);
    }

    #[test]
    fn a_missing_text_column_names_the_columns() {
        let err = read(b"id,headline\n1,x\n", Path::new("a.csv"), "a.csv", None).unwrap_err();
        assert!(
            err.contains("id, headline") && err.contains("--text-column"),
            "{err}"
        );
        let r = read(
            b"id,headline\n1,x\n",
            Path::new("a.csv"),
            "a.csv",
            Some("headline"),
        )
        .unwrap();
        assert_eq!(r[0].as_ref().unwrap().doc.text, "x");
    }
}
