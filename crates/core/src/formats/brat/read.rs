//! brat standoff: a `.txt` and its `.ann`. `T` lines are spans (offsets in code points of the
//! `.txt`, kept exactly as the file has it); `A` / `M` lines attributes (a value, or `true`
//! for a binary one); `R` lines relations; `#` AnnotatorNotes the span's note.
//!
//! Discontinuous spans (`T1\tL 0 5;9 14`): brat draws them as one annotation, Parallax spans
//! are contiguous. Policy: the span covers from the first fragment's start to the last
//! fragment's end. When the gaps hold only whitespace (as in Parallax's own export of a span
//! across a line break) that is the same text; otherwise the fragments are kept in the note
//! and a warning names the span. Events (`E`), equivalences (`*`) and normalisations (`N`)
//! are reported and not imported.

use std::path::Path;

use serde_json::{Map, Value};

use crate::formats::read::{Records, new_document, text_of};
use crate::model::DocMeta;
use crate::offsets::OffsetMap;
use crate::store::{AnnotatedDoc, ImportRelation, ImportSpan};

fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text_of(&bytes)
}

/// Reads the pair that `path` (the `.txt` or the `.ann`) belongs to.
pub fn read(path: &Path, name: &str) -> Result<Records, String> {
    let txt = path.with_extension("txt");
    let ann = path.with_extension("ann");
    if !txt.is_file() {
        return Err(format!("no {} beside the brat annotations", txt.display()));
    }
    let text = read_file(&txt)?;
    let ann_text = if ann.is_file() {
        read_file(&ann)?
    } else {
        String::new()
    };
    let source = if name.ends_with(".ann") {
        format!("{}.txt", name.trim_end_matches(".ann"))
    } else {
        name.to_string()
    };
    let meta = DocMeta {
        source_file: Some(source),
        ..Default::default()
    };
    let mut doc = AnnotatedDoc::new(None, new_document(text, meta, None));
    parse_ann(&ann_text, &mut doc);
    Ok(vec![Ok(doc)])
}

fn parse_ann(ann: &str, doc: &mut AnnotatedDoc) {
    let text = doc.doc.text.clone();
    let map = OffsetMap::new(&text);
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut attrs: Vec<(String, String, Value)> = Vec::new();
    for (i, line) in ann.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        let body = cols.next().unwrap_or("");
        let rest = cols.next();
        let warn = |doc: &mut AnnotatedDoc, msg: String| {
            doc.warnings.push(format!(".ann line {n}: {msg}"))
        };
        match id.chars().next() {
            Some('T') => {
                let Some((label, offsets)) = body.split_once(' ') else {
                    warn(doc, "expected `T1<TAB>LABEL START END<TAB>TEXT`".into());
                    continue;
                };
                let frags: Option<Vec<(u32, u32)>> = offsets
                    .split(';')
                    .map(|f| {
                        let (a, b) = f.trim().split_once(' ')?;
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                    .collect();
                let Some(frags) = frags.filter(|f| !f.is_empty()) else {
                    warn(doc, format!("offsets `{offsets}` are not START END pairs"));
                    continue;
                };
                let start = frags.iter().map(|f| f.0).min().unwrap_or(0);
                let end = frags.iter().map(|f| f.1).max().unwrap_or(0);
                let mut note = None;
                let mut text = rest.map(str::to_string);
                if frags.len() > 1 {
                    let gaps_blank = frags.windows(2).all(|w| {
                        map.slice(w[0].1 as usize, w[1].0 as usize)
                            .is_some_and(|g| g.chars().all(char::is_whitespace))
                    });
                    text = None;
                    if !gaps_blank {
                        note = Some(format!("discontinuous in brat: {offsets}"));
                        warn(
                            doc,
                            format!(
                                "{id} is discontinuous ({offsets}); imported as one span [{start}, {end})"
                            ),
                        );
                    }
                }
                doc.spans.push(ImportSpan {
                    key: id.to_string(),
                    start,
                    end,
                    label: crate::formats::read::clean_label(label),
                    text,
                    attrs: Map::new(),
                    note,
                    annotator: None,
                    ..Default::default()
                });
            }
            Some('A') | Some('M') => {
                let parts: Vec<&str> = body.split_whitespace().collect();
                match parts.as_slice() {
                    [name, target] => {
                        attrs.push((target.to_string(), name.to_string(), Value::Bool(true)))
                    }
                    [name, target, value] => attrs.push((
                        target.to_string(),
                        name.to_string(),
                        Value::String(value.to_string()),
                    )),
                    _ => warn(doc, "expected `A1<TAB>NAME T1 [VALUE]`".into()),
                }
            }
            Some('R') => {
                let parts: Vec<&str> = body.split_whitespace().collect();
                let arg = |p: &str| p.split_once(':').map(|(_, t)| t.to_string());
                match parts.as_slice() {
                    [kind, a, b] => match (arg(a), arg(b)) {
                        (Some(head), Some(child)) => doc.relations.push(ImportRelation {
                            head,
                            child,
                            label: crate::formats::read::clean_label(kind),
                            annotator: None,
                        }),
                        _ => warn(doc, "expected `R1<TAB>TYPE Arg1:T1 Arg2:T2`".into()),
                    },
                    _ => warn(doc, "expected `R1<TAB>TYPE Arg1:T1 Arg2:T2`".into()),
                }
            }
            Some('#') => {
                let target = body.split_whitespace().nth(1).unwrap_or("");
                notes.push((target.to_string(), rest.unwrap_or("").to_string()));
            }
            Some('E') => warn(doc, "events are not imported".into()),
            Some('*') => warn(doc, "equivalence sets are not imported".into()),
            Some('N') => warn(doc, "normalisations are not imported".into()),
            _ => warn(doc, format!("unknown annotation `{id}`")),
        }
    }
    for (target, name, value) in attrs {
        match doc.spans.iter_mut().find(|s| s.key == target) {
            Some(s) => {
                s.attrs.insert(name, value);
            }
            None => doc
                .warnings
                .push(format!("attribute {name} on {target}: no such span")),
        }
    }
    for (target, note) in notes {
        if let Some(s) = doc.spans.iter_mut().find(|s| s.key == target) {
            s.note = Some(match s.note.take() {
                Some(old) => format!("{note}\n{old}"),
                None => note,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewDocument;

    fn doc(text: &str) -> AnnotatedDoc {
        AnnotatedDoc::new(
            None,
            NewDocument {
                text: text.into(),
                meta: Default::default(),
                sha256: String::new(),
            },
        )
    }

    #[test]
    fn spans_attributes_relations_and_notes_are_read() {
        let mut d = doc("Ana said\nit rains");
        parse_ann(
            "T1\tSOURCE 0 3\tAna\nT2\tCLAIM 9 17\tit rains\nA1\tcheck_worthy T2\nA2\ttype T2 quote\nR1\tattributed_to Arg1:T2 Arg2:T1\n#1\tAnnotatorNotes T2\tcheck this\n",
            &mut d,
        );
        assert_eq!(d.spans.len(), 2);
        assert_eq!(d.spans[1].attrs["check_worthy"], true);
        assert_eq!(d.spans[1].attrs["type"], "quote");
        assert_eq!(d.spans[1].note.as_deref(), Some("check this"));
        assert_eq!(
            (d.relations[0].head.as_str(), d.relations[0].child.as_str()),
            ("T2", "T1")
        );
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn fragments_across_a_line_break_join_quietly_and_others_are_reported() {
        let mut d = doc("Ana said\nit rains hard");
        parse_ann(
            "T1\tCLAIM 4 8;9 17\tsaid it rains\nT2\tCLAIM 0 3;9 11\tAna it\n",
            &mut d,
        );
        assert_eq!((d.spans[0].start, d.spans[0].end), (4, 17));
        assert!(d.spans[0].note.is_none());
        assert_eq!((d.spans[1].start, d.spans[1].end), (0, 11));
        assert!(d.spans[1].note.as_deref().unwrap().contains("0 3;9 11"));
        assert_eq!(d.warnings.len(), 1);
    }
}
