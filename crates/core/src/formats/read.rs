//! What the readers of dataset files share. Each turns one file's bytes into documents with
//! annotations, or a file-level error. A record that cannot be read is reported with its line (or task number)
//! and the other records of the file still import.
//!
//! Offsets: every reader hands the store code points. Label Studio's UTF-16 offsets are
//! converted in their module; CoNLL tokens get offsets from the text rebuilt from them.

use std::path::Path;

use super::Format;
use crate::model::DocMeta;
use crate::store::AnnotatedDoc;
use crate::store::NewDocument;
use crate::text::sha256_hex;

/// One record of a file that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    pub line: Option<u32>,
    pub reason: String,
}

/// What a reader made of a file: documents, and records that failed.
pub type Records = Vec<Result<AnnotatedDoc, RecordError>>;

pub(crate) fn record_error(line: u32, reason: impl Into<String>) -> RecordError {
    RecordError {
        line: Some(line),
        reason: reason.into(),
    }
}

/// A new document from a dataset's text: hashed as UTF-8, language detected when unknown.
/// The text is kept exactly as the file has it, since annotations point into it.
pub(crate) fn new_document(text: String, mut meta: DocMeta, sha256: Option<String>) -> NewDocument {
    if meta.language.is_none() {
        meta.language = crate::text::detect_language(&text);
    }
    let sha256 = sha256
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_else(|| sha256_hex(text.as_bytes()));
    NewDocument { text, meta, sha256 }
}

/// A string field of a JSON object, if present and a non-empty string.
pub(crate) fn str_field(
    obj: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<String> {
    obj.get(key)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Metadata from the usual keys of a JSON object (`title`, `outlet`, `published`, ...).
pub(crate) fn meta_from(
    obj: &serde_json::Map<String, serde_json::Value>,
    source_file: &str,
) -> DocMeta {
    let first = |keys: &[&str]| keys.iter().find_map(|k| str_field(obj, k));
    DocMeta {
        title: first(&["title", "headline"]),
        outlet: first(&["outlet", "source", "publisher"]),
        author: first(&["author", "byline"]),
        published: first(&["published", "date", "published_date"]).and_then(|d| day(&d)),
        url: first(&["url", "link"]),
        language: first(&["language", "lang"]),
        source_file: Some(source_file.to_string()),
    }
}

/// `YYYY-MM-DD` from a date or date-time string, if it starts with one.
pub(crate) fn day(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .map(|_| d.to_string())
}

/// A JSON number that fits an offset.
pub(crate) fn as_u32(v: Option<&serde_json::Value>) -> Option<u32> {
    v.and_then(serde_json::Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// Labels become schema names: trimmed, inner whitespace as `_`.
pub(crate) fn clean_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join("_")
}

/// The format of a file by its name and first bytes, for `Auto`; `None` for files an import
/// leaves alone (brat configuration, export manifests, labeling configs).
pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
    if is_side_file(path) {
        return None;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    match ext {
        "ann" => Some(Format::Brat),
        "txt" if path.with_extension("ann").is_file() => Some(Format::Brat),
        "jsonl" | "ndjson" => Some(sniff_jsonl(head)),
        "json" => Some(if head.starts_with('[') || head.contains("\"data\"") {
            Format::LabelStudio
        } else {
            sniff_jsonl(head)
        }),
        "conll" | "bio" | "iob" | "iob2" | "conll03" => Some(Format::Conll),
        "csv" | "tsv" => Some(Format::Csv),
        _ if head.starts_with("-DOCSTART-") => Some(Format::Conll),
        _ => Some(Format::Text),
    }
}

/// Files that come with datasets but hold no documents: brat's configuration, and the
/// manifest and labeling config Parallax writes beside an export.
pub fn is_side_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".conf")
        || name == "manifest.json"
        || name.ends_with(".manifest.json")
        || name.ends_with("label_config.xml")
}

/// Which JSONL dialect the first line looks like.
fn sniff_jsonl(head: &str) -> Format {
    let first = head.lines().next().unwrap_or("");
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_str::<serde_json::Value>(first)
    else {
        // A long first line may not be complete in the sniffed head: look at its keys.
        return if first.contains("\"schema_version\"") {
            Format::Jsonl
        } else if first.contains("\"tokens\"") || first.contains("\"_input_hash\"") {
            Format::Spacy
        } else {
            Format::Doccano
        };
    };
    if obj.contains_key("schema_version") {
        Format::Jsonl
    } else if obj.contains_key("tokens")
        || obj.contains_key("_input_hash")
        || obj.contains_key("answer")
        || obj.get("spans").is_some()
    {
        Format::Spacy
    } else {
        Format::Doccano
    }
}

/// Reads one line (already parsed as a JSON object) of a JSONL dataset.
pub(crate) type LineReader =
    fn(serde_json::Map<String, serde_json::Value>, u32, &str) -> Result<AnnotatedDoc, String>;

/// The per-line reader of a JSONL format: these files are imported a chunk of lines at a time,
/// so that their size is not limited by memory.
pub(crate) fn line_reader(format: Format) -> Option<LineReader> {
    match format {
        Format::Jsonl => Some(super::native::read_line),
        Format::Doccano | Format::DoccanoLabel => Some(super::doccano::read_line),
        Format::Spacy => Some(super::spacy::read_line),
        _ => None,
    }
}

/// Every line of a JSONL text read with `reader` (the import streams files instead, through
/// `read_json_line`; this is for a text in hand).
pub(crate) fn read_jsonl(text: &str, source_file: &str, reader: LineReader) -> Records {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| read_json_line(reader, i as u32 + 1, l, source_file))
        .collect()
}

/// One line of a JSONL file read with `reader`; `n` is its 1-based number.
pub(crate) fn read_json_line(
    reader: LineReader,
    n: u32,
    line: &str,
    source_file: &str,
) -> Result<AnnotatedDoc, RecordError> {
    let line = if n == 1 {
        line.trim_start_matches('\u{feff}')
    } else {
        line
    };
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(obj)) => {
            reader(obj, n, source_file).map_err(|e| record_error(n, e))
        }
        Ok(_) => Err(record_error(n, "expected a JSON object on this line")),
        Err(e) => Err(record_error(n, format!("not valid JSON: {e}"))),
    }
}

/// A dataset file's bytes as text (UTF-8 with or without BOM, UTF-16, or a legacy encoding).
pub(crate) fn text_of(bytes: &[u8]) -> Result<String, String> {
    let decoded = crate::text::decode::decode(bytes)?;
    Ok(decoded
        .text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(decoded.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_extension_and_content() {
        let p = |n: &str| Path::new(n).to_path_buf();
        assert_eq!(
            detect(&p("a.jsonl"), br#"{"text":"x","schema_version":1}"#),
            Some(Format::Jsonl)
        );
        assert_eq!(
            detect(&p("a.jsonl"), br#"{"text":"x","label":[[0,1,"A"]]}"#),
            Some(Format::Doccano)
        );
        assert_eq!(
            detect(&p("a.jsonl"), br#"{"text":"x","entities":[]}"#),
            Some(Format::Doccano)
        );
        assert_eq!(
            detect(&p("a.jsonl"), br#"{"text":"x","tokens":[],"spans":[]}"#),
            Some(Format::Spacy)
        );
        assert_eq!(
            detect(&p("a.json"), b"[{\"data\":{\"text\":\"x\"}}]"),
            Some(Format::LabelStudio)
        );
        assert_eq!(detect(&p("a.conll"), b"EU B-ORG"), Some(Format::Conll));
        assert_eq!(
            detect(&p("a.data"), b"-DOCSTART- -X- O\n"),
            Some(Format::Conll)
        );
        assert_eq!(detect(&p("a.csv"), b"text,title\n"), Some(Format::Csv));
        assert_eq!(detect(&p("a.ann"), b"T1\tX 0 1\tx"), Some(Format::Brat));
        assert_eq!(detect(&p("a.txt"), b"Hello"), Some(Format::Text));
        assert_eq!(detect(&p("annotation.conf"), b"[entities]"), None);
        assert_eq!(detect(&p("data.manifest.json"), b"{}"), None);
    }

    #[test]
    fn labels_lose_their_spaces() {
        assert_eq!(clean_label("  named  entity "), "named_entity");
    }
}
