//! CoNLL columns: one token per line, the token first and its tag last (`EU NNP B-NP B-ORG`,
//! or `EU B-ORG`), a blank line between sentences, `-DOCSTART-` before each document. The
//! text is rebuilt from the tokens, joined by single spaces, one sentence per line. Tags may be
//! IOB2 (`B-` starts every entity), IOB1 (`I-` may start one), or BIOES / BILOU.

use serde_json::Map;

use crate::formats::read::{Records, new_document};
use crate::model::DocMeta;
use crate::store::{AnnotatedDoc, ImportSpan};

struct Builder {
    line: u32,
    text: String,
    /// Code point length of `text`.
    len: u32,
    sentence_open: bool,
    spans: Vec<ImportSpan>,
    /// The entity being read: label and start.
    open: Option<(String, u32)>,
    last_end: u32,
    warnings: Vec<String>,
}

impl Builder {
    fn new(line: u32) -> Builder {
        Builder {
            line,
            text: String::new(),
            len: 0,
            sentence_open: false,
            spans: Vec::new(),
            open: None,
            last_end: 0,
            warnings: Vec::new(),
        }
    }

    fn close(&mut self) {
        if let Some((label, start)) = self.open.take() {
            let key = format!("#{}", self.spans.len());
            self.spans.push(ImportSpan {
                key,
                start,
                end: self.last_end,
                label,
                text: None,
                attrs: Map::new(),
                note: None,
                annotator: None,
                ..Default::default()
            });
        }
    }

    fn end_sentence(&mut self) {
        self.close();
        self.sentence_open = false;
    }

    fn token(&mut self, word: &str, tag: &str, n: u32) {
        if self.sentence_open {
            self.text.push(' ');
            self.len += 1;
        } else if !self.text.is_empty() {
            self.text.push('\n');
            self.len += 1;
        }
        self.sentence_open = true;
        let start = self.len;
        self.text.push_str(word);
        self.len += word.chars().count() as u32;
        let (prefix, label) = match tag.split_once(['-', '_']) {
            Some((p, l)) if p.len() == 1 => (p, crate::formats::read::clean_label(l)),
            _ if tag == "O" => ("O", String::new()),
            _ => {
                self.warnings.push(format!(
                    "line {n}: tag `{tag}` is not O, B-X, I-X, E-X, S-X"
                ));
                ("O", String::new())
            }
        };
        let continues = self.open.as_ref().is_some_and(|(l, _)| *l == label);
        match prefix {
            "O" => self.close(),
            "B" => {
                self.close();
                self.open = Some((label, start));
            }
            "I" | "E" | "L" => {
                if !continues {
                    // IOB1, or a stray I-: an entity starts here.
                    self.close();
                    self.open = Some((label, start));
                }
            }
            "S" | "U" => {
                self.close();
                self.open = Some((label, start));
            }
            _ => {
                self.warnings.push(format!(
                    "line {n}: tag `{tag}` is not O, B-X, I-X, E-X, S-X"
                ));
                self.close();
            }
        }
        self.last_end = self.len;
        if matches!(prefix, "E" | "L" | "S" | "U") {
            self.close();
        }
    }

    fn finish(mut self, source_file: &str) -> Option<AnnotatedDoc> {
        self.close();
        if self.text.is_empty() {
            return None;
        }
        let meta = DocMeta {
            source_file: Some(source_file.to_string()),
            ..Default::default()
        };
        let mut doc = AnnotatedDoc::new(Some(self.line), new_document(self.text, meta, None));
        doc.spans = self.spans;
        doc.warnings = self.warnings;
        Some(doc)
    }
}

pub fn read(text: &str, source_file: &str) -> Records {
    let mut out = Vec::new();
    let mut doc = Builder::new(1);
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            doc.end_sentence();
            continue;
        }
        let cols: Vec<&str> = line.split(['\t', ' ']).filter(|c| !c.is_empty()).collect();
        if cols[0] == "-DOCSTART-" {
            let done = std::mem::replace(&mut doc, Builder::new(n));
            out.extend(done.finish(source_file).map(Ok));
            continue;
        }
        if cols.len() < 2 {
            doc.warnings
                .push(format!("line {n}: expected a token and a tag"));
            continue;
        }
        doc.token(cols[0], cols[cols.len() - 1], n);
    }
    out.extend(doc.finish(source_file).map(Ok));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(doc: &AnnotatedDoc) -> Vec<(&str, &str)> {
        let chars: Vec<char> = doc.doc.text.chars().collect();
        doc.spans
            .iter()
            .map(|s| {
                let text: String = chars[s.start as usize..s.end as usize].iter().collect();
                (Box::leak(text.into_boxed_str()) as &str, s.label.as_str())
            })
            .collect()
    }

    #[test]
    fn iob2_documents_and_sentences_rebuild_text_and_spans() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\nPeter B-PER\nBlackburn I-PER\n\n-DOCSTART- -X- -X- O\n\nTwo B-X\n";
        let r = read(text, "a.conll");
        assert_eq!(r.len(), 2);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.doc.text, "EU rejects German call\nPeter Blackburn");
        assert_eq!(
            spans(a),
            [
                ("EU", "ORG"),
                ("German", "MISC"),
                ("Peter Blackburn", "PER")
            ]
        );
        assert_eq!(a.line, Some(1));
        assert_eq!(r[1].as_ref().unwrap().line, Some(11));
    }

    #[test]
    fn iob1_and_bioes_start_entities_too() {
        let r = read(
            "Peter I-PER\nBlackburn I-PER\nin O\nNew B-LOC\nYork E-LOC\nnow S-TIME\n",
            "x",
        );
        let a = r[0].as_ref().unwrap();
        assert_eq!(
            spans(a),
            [
                ("Peter Blackburn", "PER"),
                ("New York", "LOC"),
                ("now", "TIME")
            ]
        );
    }
}
