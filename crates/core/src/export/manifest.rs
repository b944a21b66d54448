//! `manifest.json`: what an export holds and how it was made, so that a dataset can be
//! described, checked and made again: format, schema, filters, split and seed, counts per part
//! and label, what the format could not carry, the Parallax version and the time.

use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use super::{ExportOptions, PartTally, write_atomically};
use crate::error::Result;
use crate::formats::OffsetUnit;
use crate::model::LabelSchema;

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    offsets: &'static str,
    parallax_version: &'static str,
    created_at: String,
    filters: &'a super::ExportFilter,
    split: Value,
    parts: Vec<Value>,
    totals: Value,
    schema: &'a LabelSchema,
}

fn offsets_of(opts: &ExportOptions) -> &'static str {
    match opts.format.offset_unit() {
        OffsetUnit::Utf16CodeUnits => "utf-16 code units, end exclusive",
        OffsetUnit::Tokens => "none (one token per line)",
        OffsetUnit::CodePoints => "unicode code points, end exclusive",
    }
}

pub(crate) fn build(
    opts: &ExportOptions,
    schema: &LabelSchema,
    parts: &[PartTally],
) -> Result<Value> {
    let mut totals = super::Tally::default();
    for p in parts {
        totals.merge(&p.tally);
    }
    let counts = |t: &super::Tally| {
        json!({
            "documents": t.documents,
            "spans": t.spans,
            "relations": t.relations,
            "labels": t.labels,
            "left_out": t.dropped,
        })
    };
    let manifest = Manifest {
        format: opts.format.name(),
        offsets: offsets_of(opts),
        parallax_version: env!("CARGO_PKG_VERSION"),
        created_at: crate::clock::now(),
        filters: &opts.filter,
        split: match &opts.split {
            None => Value::Null,
            Some(s) => json!({
                "names": s.names(),
                "ratios": s.ratios,
                "seed": s.seed,
                "by": s.by,
                "stratified_by": "label",
            }),
        },
        parts: parts
            .iter()
            .map(|p| {
                let mut v = counts(&p.tally);
                v["name"] = json!(if p.part.is_empty() { "all" } else { &p.part });
                if !p.name.is_empty() {
                    v["path"] = json!(p.name);
                }
                v
            })
            .collect(),
        totals: counts(&totals),
        schema,
    };
    Ok(serde_json::to_value(manifest)?)
}

/// Writes the manifest atomically; returns its size in bytes.
pub(crate) fn write(manifest: &Value, path: &Path) -> Result<u64> {
    write_atomically(path, |out| {
        let bytes = serde_json::to_vec_pretty(manifest)?;
        out.write_all(&bytes).map_err(super::io_err(path))?;
        out.write_all(b"\n").map_err(super::io_err(path))?;
        Ok(bytes.len() as u64 + 1)
    })
}
