//! One text file's bytes to a document: decode, normalise line ends, take the header out,
//! unwrap hard wraps, tidy whitespace, detect the language.

use super::ImportOptions;
use super::header::extract;
use super::unwrap::unwrap_hard_wraps;
use crate::model::DocMeta;
use crate::store::NewDocument;
use crate::text::decode::decode;
use crate::text::{detect_language, normalize_newlines, sha256_hex};

/// Trailing spaces on every line go, runs of blank lines become one, and the text is trimmed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.trim().split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// Turns a text file's bytes into a document, or says why it cannot.
pub fn document_from_bytes(
    bytes: &[u8],
    source_file: &str,
    opts: &ImportOptions,
) -> Result<NewDocument, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let decoded = decode(bytes)?;
    let text = normalize_newlines(&decoded.text);
    let (header, body) = extract(&text);
    let body = tidy(body);
    let body = match opts.unwrap.then(|| unwrap_hard_wraps(&body)).flatten() {
        Some(unwrapped) => unwrapped,
        None => body,
    };
    if body.is_empty() {
        return Err("no text in the file (only whitespace or a header)".into());
    }
    let meta = DocMeta {
        // A file without a title is shown by its derived title (kept for every document at
        // insert), not given one as metadata.
        title: header.title,
        outlet: opts.outlet.clone().or(header.outlet),
        author: None,
        published: header.published,
        url: header.url,
        language: detect_language(&body),
        source_file: Some(source_file.to_string()),
    };
    Ok(NewDocument {
        text: body,
        meta,
        sha256: sha256_hex(bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(normalize_newlines("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn a_crlf_file_with_header_imports_clean() {
        let bytes = "Title line\r\n20220215\r\nhttps://www.example.com/x\r\nFirst para.  \r\n\r\n\r\n\r\nSecond “para” — end.\r\n";
        let doc =
            document_from_bytes(bytes.as_bytes(), "a.txt", &ImportOptions::default()).unwrap();
        assert_eq!(doc.text, "First para.\n\nSecond “para” — end.");
        assert_eq!(doc.meta.title.as_deref(), Some("Title line"));
        assert_eq!(doc.meta.published.as_deref(), Some("2022-02-15"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("example.com"));
        assert_eq!(doc.meta.source_file.as_deref(), Some("a.txt"));
    }

    #[test]
    fn the_outlet_option_wins() {
        let opts = ImportOptions {
            outlet: Some("Reuters".into()),
            ..Default::default()
        };
        let doc = document_from_bytes(b"T\nhttps://presstv.ir/x\nBody.", "a.txt", &opts).unwrap();
        assert_eq!(doc.meta.outlet.as_deref(), Some("Reuters"));
    }

    #[test]
    fn empty_and_header_only_files_are_refused() {
        let opts = ImportOptions::default();
        assert_eq!(
            document_from_bytes(b"", "a", &opts).unwrap_err(),
            "empty file"
        );
        assert!(
            document_from_bytes(b" \n\t\n", "a", &opts)
                .unwrap_err()
                .contains("no text")
        );
    }

    #[test]
    fn english_is_detected() {
        let doc = document_from_bytes(
            b"Some troops in the military districts adjacent to the border are returning to their bases after completing drills, the ministry said on Tuesday.",
            "a.txt",
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(doc.meta.language.as_deref(), Some("eng"));
    }
}
