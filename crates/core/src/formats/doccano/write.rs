//! doccano JSONL, in both of its forms, offsets in code points as doccano's own exports:
//! `{"text", "label": [[start, end, "LABEL"]]}` (sequence labelling, no relations) and
//! `{"text", "entities": [{id, label, start_offset, end_offset}], "relations": [{id, from_id,
//! to_id, type}]}` (with relations). Ids are numbers within a line, as doccano writes them.
//! The document's metadata rides along as top-level keys, which doccano keeps as metadata.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Result;
use crate::formats::write::{StreamWriter, Tally};
use crate::model::DocumentView;

#[derive(Serialize)]
struct Entity<'a> {
    id: usize,
    label: &'a str,
    start_offset: u32,
    end_offset: u32,
}

#[derive(Serialize)]
struct Link<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    document_id: &'a str,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    status: &'a str,
}

#[derive(Serialize)]
struct EntitiesLine<'a> {
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<Link<'a>>,
    #[serde(flatten)]
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct LabelLine<'a> {
    text: &'a str,
    label: Vec<(u32, u32, &'a str)>,
    #[serde(flatten)]
    meta: Meta<'a>,
}

pub(crate) struct Writer {
    with_relations: bool,
}

impl Writer {
    pub(crate) fn entities() -> Writer {
        Writer {
            with_relations: true,
        }
    }

    pub(crate) fn labels() -> Writer {
        Writer {
            with_relations: false,
        }
    }
}

fn meta(doc: &DocumentView) -> Meta<'_> {
    let d = &doc.document.summary;
    Meta {
        document_id: &d.id,
        title: d.meta.title.as_deref(),
        outlet: d.meta.outlet.as_deref(),
        published: d.meta.published.as_deref(),
        url: d.meta.url.as_deref(),
        status: d.status.as_str(),
    }
}

impl StreamWriter for Writer {
    fn documents_independent(&self) -> bool {
        true
    }

    fn document(&mut self, doc: &DocumentView, out: &mut Vec<u8>, tally: &mut Tally) -> Result<()> {
        let text = &doc.document.text;
        if self.with_relations {
            let number: HashMap<&str, usize> = doc
                .spans
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i + 1))
                .collect();
            let line = EntitiesLine {
                text,
                entities: doc
                    .spans
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Entity {
                        id: i + 1,
                        label: &s.label,
                        start_offset: s.start,
                        end_offset: s.end,
                    })
                    .collect(),
                relations: doc
                    .relations
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        Some(Link {
                            id: i + 1,
                            from_id: *number.get(r.head.as_str())?,
                            to_id: *number.get(r.child.as_str())?,
                            kind: &r.label,
                        })
                    })
                    .collect(),
                meta: meta(doc),
            };
            serde_json::to_writer(&mut *out, &line)?;
        } else {
            for _ in &doc.relations {
                tally.drop_one("relation (the doccano `label` form has none)");
            }
            let line = LabelLine {
                text,
                label: doc
                    .spans
                    .iter()
                    .map(|s| (s.start, s.end, s.label.as_str()))
                    .collect(),
                meta: meta(doc),
            };
            serde_json::to_writer(&mut *out, &line)?;
        }
        out.push(b'\n');
        Ok(())
    }
}
