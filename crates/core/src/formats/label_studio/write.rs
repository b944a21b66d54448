//! Label Studio JSON: a list of tasks, each with `data.text` and one annotation whose `result`
//! holds a `labels` region per span (`value.start` / `value.end` in **UTF-16 code units**, as
//! Label Studio counts in the browser; `value.text`; `value.labels`), per-region `choices`,
//! `textarea` and `number` results for the span's attributes (same region id), the note as
//! the region's `meta.text`, and a `relation` item per relation (`from_id`, `to_id`,
//! `direction`, `labels`). `write_config` writes the matching labeling config.

use std::path::Path;

use serde_json::{Value, json};

use crate::error::Result;
use crate::formats::write::{StreamWriter, Tally, write_atomically};
use crate::model::{AttrKind, DocumentView, LabelSchema};
use crate::offsets::OffsetMap;

/// The name of the span labels control and of the text object in the config.
pub const LABELS_NAME: &str = "label";
pub const TEXT_NAME: &str = "text";

pub(crate) struct Writer<'a> {
    schema: &'a LabelSchema,
    count: usize,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(ctx: &'a crate::formats::write::ExportContext) -> Writer<'a> {
        Writer {
            schema: &ctx.schema,
            count: 0,
        }
    }
}

impl StreamWriter for Writer<'_> {
    fn start(&mut self, out: &mut Vec<u8>) -> Result<()> {
        out.extend_from_slice(b"[\n");
        Ok(())
    }

    fn document(&mut self, doc: &DocumentView, out: &mut Vec<u8>, tally: &mut Tally) -> Result<()> {
        let text = &doc.document.text;
        let map = OffsetMap::new(text);
        let mut result = Vec::with_capacity(doc.spans.len() + doc.relations.len());
        for s in &doc.spans {
            let start = map.cp_to_utf16(s.start as usize).unwrap_or(0);
            let end = map.cp_to_utf16(s.end as usize).unwrap_or(0);
            let mut region = json!({
                "id": s.id,
                "from_name": LABELS_NAME,
                "to_name": TEXT_NAME,
                "type": "labels",
                "origin": "manual",
                "value": {"start": start, "end": end, "text": s.text, "labels": [s.label]},
            });
            if let Some(note) = &s.note {
                region["meta"] = json!({ "text": [note] });
            }
            result.push(region);
            for (name, value) in &s.attrs {
                let Some(def) = self.schema.attributes.iter().find(|a| &a.name == name) else {
                    tally.drop_one("attribute not in the schema");
                    continue;
                };
                let (kind, field, v) = match (&def.kind, value) {
                    (AttrKind::Enum { .. }, Value::String(v)) => ("choices", "choices", json!([v])),
                    (AttrKind::Bool, Value::Bool(b)) => {
                        ("choices", "choices", json!([b.to_string()]))
                    }
                    (AttrKind::Number, Value::Number(n)) => ("number", "number", json!(n)),
                    (AttrKind::Text | AttrKind::Url, Value::String(v)) => {
                        ("textarea", "text", json!([v]))
                    }
                    _ => {
                        tally.drop_one("attribute value of the wrong type");
                        continue;
                    }
                };
                result.push(json!({
                    "id": s.id,
                    "from_name": name,
                    "to_name": TEXT_NAME,
                    "type": kind,
                    "origin": "manual",
                    "value": {"start": start, "end": end, field: v},
                }));
            }
        }
        for r in &doc.relations {
            let directed = self
                .schema
                .relation_types
                .iter()
                .find(|t| t.name == r.label)
                .is_none_or(|t| t.directed);
            result.push(json!({
                "from_id": r.head,
                "to_id": r.child,
                "type": "relation",
                "direction": if directed { "right" } else { "bi" },
                "labels": [r.label],
            }));
        }
        self.count += 1;
        let d = &doc.document.summary;
        let annotators = crate::formats::write::annotators(doc);
        let task = json!({
            "id": self.count,
            "data": {
                "text": text,
                "document_id": d.id,
                "title": d.meta.title,
                "outlet": d.meta.outlet,
                "published": d.meta.published,
                "url": d.meta.url,
            },
            "annotations": [{
                "id": self.count,
                "result": result,
                "was_cancelled": false,
                "ground_truth": false,
                "lead_time": null,
                "meta": {"parallax_annotators": annotators, "status": d.status.as_str()},
            }],
            "predictions": [],
        });
        if self.count > 1 {
            out.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut *out, &task)?;
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        out.extend_from_slice(b"\n]\n");
        Ok(())
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The labeling config matching the schema: labels with colours, relations, and per-region
/// controls for the attributes, shown for the labels that carry them.
pub fn config(schema: &LabelSchema) -> String {
    let mut x = String::from("<View>\n");
    x.push_str(&format!(
        "  <Labels name=\"{LABELS_NAME}\" toName=\"{TEXT_NAME}\">\n"
    ));
    for l in &schema.span_labels {
        let hotkey = l
            .hotkey
            .as_ref()
            .map(|h| format!(" hotkey=\"{}\"", xml_escape(h)))
            .unwrap_or_default();
        x.push_str(&format!(
            "    <Label value=\"{}\" background=\"{}\"{hotkey}/>\n",
            xml_escape(&l.name),
            xml_escape(&l.color)
        ));
    }
    x.push_str("  </Labels>\n");
    x.push_str(&format!("  <Text name=\"{TEXT_NAME}\" value=\"$text\"/>\n"));
    if !schema.relation_types.is_empty() {
        x.push_str("  <Relations>\n");
        for r in &schema.relation_types {
            x.push_str(&format!(
                "    <Relation value=\"{}\"/>\n",
                xml_escape(&r.name)
            ));
        }
        x.push_str("  </Relations>\n");
    }
    for a in &schema.attributes {
        let when = if a.labels.is_empty() {
            String::new()
        } else {
            format!(" whenLabelValue=\"{}\"", xml_escape(&a.labels.join(",")))
        };
        let common = format!(
            "name=\"{}\" toName=\"{TEXT_NAME}\" perRegion=\"true\" visibleWhen=\"region-selected\"{when}",
            xml_escape(&a.name)
        );
        match &a.kind {
            AttrKind::Enum { options } => {
                x.push_str(&format!("  <Choices {common} choice=\"single\">\n"));
                for o in options {
                    x.push_str(&format!("    <Choice value=\"{}\"/>\n", xml_escape(o)));
                }
                x.push_str("  </Choices>\n");
            }
            AttrKind::Bool => {
                x.push_str(&format!(
                    "  <Choices {common} choice=\"single\">\n    <Choice value=\"true\"/>\n    <Choice value=\"false\"/>\n  </Choices>\n"
                ));
            }
            AttrKind::Number => x.push_str(&format!("  <Number {common}/>\n")),
            AttrKind::Text | AttrKind::Url => {
                x.push_str(&format!("  <TextArea {common} maxSubmissions=\"1\"/>\n"))
            }
        }
    }
    x.push_str("</View>\n");
    x
}

/// Writes the labeling config; returns its size in bytes.
pub fn write_config(schema: &LabelSchema, path: &Path) -> Result<u64> {
    let xml = config(schema);
    write_atomically(path, |out| {
        out.write_all(xml.as_bytes())
            .map_err(crate::formats::write::io_err(path))?;
        Ok(xml.len() as u64)
    })
}
