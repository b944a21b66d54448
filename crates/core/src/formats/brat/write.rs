//! brat standoff: per document a `.txt` (the text, as stored) and a `.ann` with `T` lines for
//! spans (offsets in code points, end exclusive), `A` lines for enum and true boolean
//! attributes, `R` lines for relations and `#` AnnotatorNotes for notes; and for the folder an
//! `annotation.conf` and `visual.conf` generated from the schema.
//!
//! brat's text field cannot hold a line break, so a span that crosses one is written as
//! fragments split at the line breaks (`T1\tCLAIM 0 12;13 20\t...`), which brat draws as one
//! annotation; the importer joins fragments separated only by whitespace back into one span.
//! Not carried: text, number and URL attributes, a `false` boolean (brat's absence), document
//! labels, status; each is counted in the report and manifest.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::formats::write::{Tally, io_err};
use crate::model::{AttrKind, DocumentView, LabelSchema};
use crate::offsets::OffsetMap;

/// File names given so far in one folder, so that each document gets its own, and the next
/// number to try for each base name (documents imported from one dataset file share a stem).
#[derive(Default)]
pub(crate) struct FileNames {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl FileNames {
    /// A safe, unique base name: the imported file's stem, else the document id.
    fn name_for(&mut self, doc: &DocumentView) -> String {
        let d = &doc.document.summary;
        let stem = d
            .meta
            .source_file
            .as_deref()
            .map(|f| {
                let f = f.rsplit(['/', '\\']).next().unwrap_or(f);
                f.rsplit_once('.').map_or(f, |(s, _)| s).to_string()
            })
            .unwrap_or_default();
        let clean: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(80)
            .collect();
        let base = if clean.trim_matches('_').is_empty() {
            d.id.clone()
        } else {
            clean
        };
        let mut name = base.clone();
        while !self.taken.insert(name.clone()) {
            let n = self.next.entry(base.clone()).or_insert(2);
            name = format!("{base}-{n}");
            *n += 1;
        }
        name
    }
}

/// `[start, end)` split at line breaks into fragments that hold no line break.
fn fragments(map: &OffsetMap<'_>, start: u32, end: u32) -> Vec<(u32, u32)> {
    let Some(slice) = map.slice(start as usize, end as usize) else {
        return vec![(start, end)];
    };
    let mut out = Vec::new();
    let mut at = start;
    let mut frag_start = start;
    for c in slice.chars() {
        if c == '\n' || c == '\r' {
            if at > frag_start {
                out.push((frag_start, at));
            }
            frag_start = at + 1;
        }
        at += 1;
    }
    if at > frag_start {
        out.push((frag_start, at));
    }
    if out.is_empty() {
        out.push((start, end));
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

/// Writes a file of the folder being built; the folder is synced as a whole before it is
/// swapped in (`write_folder_atomically`).
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::File::create(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    Ok(())
}

/// Writes `NAME.txt` and `NAME.ann` for one document into `dir`; returns the bytes written.
pub(crate) fn write_document(
    doc: &DocumentView,
    dir: &Path,
    names: &mut FileNames,
    schema: &LabelSchema,
    tally: &mut Tally,
) -> Result<u64> {
    let name = names.name_for(doc);
    let text = &doc.document.text;
    let map = OffsetMap::new(text);
    let mut ann = String::new();
    let mut t_of: HashMap<&str, usize> = HashMap::new();
    let (mut a_n, mut note_n) = (0, 0);
    for (i, s) in doc.spans.iter().enumerate() {
        let t = i + 1;
        t_of.insert(&s.id, t);
        let frags = fragments(&map, s.start, s.end);
        let offsets: Vec<String> = frags.iter().map(|(a, b)| format!("{a} {b}")).collect();
        let shown: Vec<&str> = frags
            .iter()
            .map(|&(a, b)| map.slice(a as usize, b as usize).unwrap_or_default())
            .collect();
        ann.push_str(&format!(
            "T{t}\t{} {}\t{}\n",
            s.label,
            offsets.join(";"),
            shown.join(" ")
        ));
        for (attr, value) in &s.attrs {
            let kind = schema
                .attributes
                .iter()
                .find(|a| &a.name == attr)
                .map(|a| &a.kind);
            match (kind, value) {
                (Some(AttrKind::Enum { .. }), Value::String(v)) => {
                    a_n += 1;
                    ann.push_str(&format!("A{a_n}\t{attr} T{t} {v}\n"));
                }
                (Some(AttrKind::Bool), Value::Bool(true)) => {
                    a_n += 1;
                    ann.push_str(&format!("A{a_n}\t{attr} T{t}\n"));
                }
                (Some(AttrKind::Bool), Value::Bool(false)) => {
                    tally.drop_one("false boolean attribute (brat has only present or absent)")
                }
                _ => tally
                    .drop_one("text, number or URL attribute (brat attributes take listed values)"),
            }
        }
        if let Some(note) = &s.note {
            note_n += 1;
            ann.push_str(&format!(
                "#{note_n}\tAnnotatorNotes T{t}\t{}\n",
                one_line(note)
            ));
        }
    }
    for (i, r) in doc.relations.iter().enumerate() {
        let (Some(h), Some(c)) = (t_of.get(r.head.as_str()), t_of.get(r.child.as_str())) else {
            continue;
        };
        ann.push_str(&format!("R{}\t{} Arg1:T{h} Arg2:T{c}\n", i + 1, r.label));
    }
    for _ in &doc.doc_labels {
        tally.drop_one("document label (brat has none)");
    }
    write_file(&dir.join(format!("{name}.txt")), text.as_bytes())?;
    write_file(&dir.join(format!("{name}.ann")), ann.as_bytes())?;
    Ok((text.len() + ann.len()) as u64)
}

fn types(labels: &[String]) -> String {
    if labels.is_empty() {
        "<ENTITY>".into()
    } else {
        labels.join("|")
    }
}

/// The `annotation.conf` that declares the schema's labels, relations and attributes.
pub fn annotation_conf(schema: &LabelSchema) -> String {
    let mut c =
        String::from("# Generated by Parallax from the workspace's label schema.\n[entities]\n");
    for l in &schema.span_labels {
        c.push_str(&l.name);
        c.push('\n');
    }
    c.push_str("\n[relations]\n");
    for r in &schema.relation_types {
        c.push_str(&format!(
            "{} Arg1:{}, Arg2:{}\n",
            r.name,
            types(&r.heads),
            types(&r.children)
        ));
    }
    c.push_str("<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    c.push_str("\n[events]\n\n[attributes]\n");
    for a in &schema.attributes {
        match &a.kind {
            AttrKind::Enum { options } => c.push_str(&format!(
                "{} Arg:{}, Value:{}\n",
                a.name,
                types(&a.labels),
                options.join("|")
            )),
            AttrKind::Bool => c.push_str(&format!("{} Arg:{}\n", a.name, types(&a.labels))),
            _ => {}
        }
    }
    c
}

/// The `visual.conf` with the schema's label colours.
pub fn visual_conf(schema: &LabelSchema) -> String {
    let mut c = String::from("[labels]\n\n[drawing]\n");
    for l in &schema.span_labels {
        c.push_str(&format!("{} bgColor:{}\n", l.name, l.color));
    }
    c
}

/// Writes `annotation.conf` and `visual.conf` into `dir`; returns the bytes written.
pub(crate) fn write_config(schema: &LabelSchema, dir: &Path) -> Result<u64> {
    let conf = annotation_conf(schema);
    let visual = visual_conf(schema);
    write_file(&dir.join("annotation.conf"), conf.as_bytes())?;
    write_file(&dir.join("visual.conf"), visual.as_bytes())?;
    if !dir.is_dir() {
        return Err(Error::io(dir, std::io::Error::other("the folder vanished")));
    }
    Ok((conf.len() + visual.len()) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_from_one_file_get_numbered_names_in_linear_time() {
        let mut names = FileNames::default();
        let doc = |file: &str| {
            let mut d = DocumentView {
                document: crate::model::Document {
                    summary: crate::model::DocumentSummary {
                        id: "0194-x".into(),
                        meta: Default::default(),
                        sha256: String::new(),
                        status: crate::model::DocStatus::New,
                        char_len: 0,
                        span_count: 0,
                        imported_at: String::new(),
                        derived_title: None,
                    },
                    text: String::new(),
                },
                spans: vec![],
                relations: vec![],
                doc_labels: vec![],
            };
            d.document.summary.meta.source_file = Some(file.into());
            d
        };
        let got: Vec<String> = (0..3)
            .map(|_| names.name_for(&doc("news/corpus.jsonl")))
            .collect();
        assert_eq!(got, ["corpus", "corpus-2", "corpus-3"]);
        assert_eq!(names.name_for(&doc("corpus-2.txt")), "corpus-2-2");
        assert_eq!(names.name_for(&doc("a b?.txt")), "a_b_");
    }

    #[test]
    fn a_span_across_a_line_break_becomes_fragments() {
        let text = "one two\nthree four";
        let map = OffsetMap::new(text);
        assert_eq!(fragments(&map, 4, 13), [(4, 7), (8, 13)]);
        assert_eq!(fragments(&map, 0, 3), [(0, 3)]);
    }

    #[test]
    fn the_config_declares_labels_relations_and_attributes() {
        let conf = annotation_conf(&crate::store::default_schema());
        assert!(conf.contains("[entities]\nCLAIM\n"));
        assert!(
            conf.contains("attributed_to Arg1:CLAIM, Arg2:SOURCE\n"),
            "{conf}"
        );
        assert!(conf.contains("check_worthy Arg:CLAIM\n"), "{conf}");
        assert!(conf.contains("type Arg:CLAIM, Value:factual|"), "{conf}");
    }
}
