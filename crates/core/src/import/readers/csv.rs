//! CSV (or TSV, by extension) with a header row: one document per row. The text column is the
//! one named with `--text-column`, else the first of `text`, `content`, `body`, `article`.
//! Columns `title`, `outlet` (`source`, `publisher`), `author`, `published` (`date`), `url`
//! (`link`) and `language` fill the metadata; `label` / `labels` (comma-separated) become
//! document labels. Line breaks in a cell are normalised as in text files.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Records, meta_from, new_document, record_error};
use crate::import::annotated::AnnotatedDoc;

const TEXT_COLUMNS: &[&str] = &["text", "content", "body", "article"];

pub fn read(
    bytes: &[u8],
    path: &Path,
    source_file: &str,
    text_column: Option<&str>,
) -> Result<Records, String> {
    let text = super::text_of(bytes)?;
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
        let cell = record.get(text_at).unwrap_or("");
        let text = crate::import::text::normalize_newlines(cell)
            .trim()
            .to_string();
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
            if let Some(labels) = super::str_field(&obj, key) {
                for l in labels.split(',').map(str::trim).filter(|l| !l.is_empty()) {
                    doc.doc_labels.push((super::clean_label(l), None));
                }
            }
        }
        out.push(Ok(doc));
    }
    Ok(out)
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
