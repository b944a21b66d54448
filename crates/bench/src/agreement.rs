//! `parallax-bench agreement`: a workspace where every document has the layers of several
//! annotators (2,000 documents × 3 annotators × 130 spans by default; each annotator keeps
//! most of a shared set of spans, moves some by a word, relabels or drops others), and the
//! time agreement takes over all of it.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use parallax_core::agreement::AgreementOptions;
use parallax_core::import::ImportOptions;
use parallax_core::{Error, Workspace};
use parallax_synth::{Rng, article, word_extents};
use serde::Serialize;
use serde_json::json;

use crate::measure::{Outcome, percentile};

const LABELS: [&str; 4] = ["CLAIM", "SOURCE", "CUE", "QUANTITY"];

#[derive(Serialize)]
pub struct AgreementResult {
    documents: u64,
    annotators: usize,
    spans: usize,
    build_s: f64,
    /// `Workspace::agreement` over every document, every pair and label.
    agreement_p50_ms: f64,
    agreement_max_ms: f64,
    /// Of which reading every layer from the database (`Workspace::layers`).
    layers_p50_ms: f64,
    alpha: Option<f64>,
    mean_kappa: Option<f64>,
}

/// One annotator's version of the shared spans of a document.
fn layer(
    rng: &mut Rng,
    shared: &[(u32, u32, usize)],
    words: &[(u32, u32)],
) -> Vec<(u32, u32, usize)> {
    let mut out = Vec::with_capacity(shared.len());
    for &(s, e, l) in shared {
        match rng.below(20) {
            0..=13 => out.push((s, e, l)),
            14..=16 => {
                // One word further at the end: overlapping, not exact.
                let next = words.iter().find(|w| w.0 > e).map_or(e, |w| w.1);
                out.push((s, next, l));
            }
            17 | 18 => out.push((s, e, (l + 1) % LABELS.len())),
            _ => {}
        }
    }
    out
}

/// Writes one native JSONL file per annotator, each with that annotator's layer of every text.
fn write_layers(
    dir: &Path,
    docs: u64,
    annotators: usize,
    spans: usize,
) -> Result<Vec<std::path::PathBuf>, Error> {
    let mut files = Vec::new();
    let mut outs = Vec::new();
    for a in 0..annotators {
        let path = dir.join(format!("annotator{a}.jsonl"));
        let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        outs.push(std::io::BufWriter::new(file));
        files.push(path);
    }
    let mut rng = Rng(7);
    for i in 0..docs {
        let text = article(3, i);
        let words = word_extents(&text);
        if words.is_empty() {
            continue;
        }
        let shared: Vec<(u32, u32, usize)> = (0..spans)
            .map(|_| {
                let w = rng.below(words.len());
                let last = (w + rng.below(4)).min(words.len() - 1);
                (words[w].0, words[last].1, rng.below(LABELS.len()))
            })
            .collect();
        for (a, out) in outs.iter_mut().enumerate() {
            let spans: Vec<serde_json::Value> = layer(&mut rng, &shared, &words)
                .into_iter()
                .map(|(s, e, l)| json!({"start": s, "end": e, "label": LABELS[l], "annotator": format!("annotator{a}")}))
                .collect();
            let line = json!({"text": text, "spans": spans});
            writeln!(out, "{line}").map_err(|e| Error::io(&files[a], e))?;
        }
    }
    for (out, path) in outs.iter_mut().zip(&files) {
        out.flush().map_err(|e| Error::io(path, e))?;
    }
    Ok(files)
}

pub fn agreement_bench(
    dir: &Path,
    docs: u64,
    annotators: usize,
    spans: usize,
    runs: usize,
) -> Result<AgreementResult, Error> {
    let started = Instant::now();
    let files = write_layers(dir, docs, annotators, spans)?;
    let mut ws = Workspace::init(dir.join("ws"))?;
    let opts = ImportOptions {
        format: Some(parallax_core::formats::Format::Jsonl),
        ..Default::default()
    };
    for file in &files {
        ws.import_paths(std::slice::from_ref(file), &opts, None, &mut |_| {})?;
    }
    let stored = ws.stats()?.spans as usize;
    let build_s = started.elapsed().as_secs_f64();
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(ws.agreement(&AgreementOptions::default())?);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let mut reads = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        ws.layers()?;
        reads.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    reads.sort_by(f64::total_cmp);
    let report = last.ok_or_else(|| Error::InvalidSetting("no run".into()))?;
    Ok(AgreementResult {
        documents: u64::from(report.documents),
        annotators: report.annotators.len(),
        spans: stored,
        build_s,
        agreement_p50_ms: percentile(&times, 0.5),
        agreement_max_ms: percentile(&times, 1.0),
        layers_p50_ms: percentile(&reads, 0.5),
        alpha: report.overall.alpha,
        mean_kappa: report.overall.mean_kappa,
    })
}

impl Outcome for AgreementResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "agreement: {} documents × {} annotators, {} spans (built in {:.1} s); p50 {:.0} ms, max {:.0} ms (reading the layers {:.0} ms); α {:?}, mean κ {:?}",
            r.documents,
            r.annotators,
            r.spans,
            r.build_s,
            r.agreement_p50_ms,
            r.agreement_max_ms,
            r.layers_p50_ms,
            r.alpha,
            r.mean_kappa
        );
    }
}
