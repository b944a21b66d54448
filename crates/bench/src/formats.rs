//! `parallax-bench formats`: a generated, pre-annotated corpus (native JSONL) imported into a
//! workspace, then exported in every format and each export imported again into a new
//! workspace; throughput and peak memory of every step (docs/benchmarks.md).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use parallax_core::export::{ExportFilter, ExportOptions};
use parallax_core::formats::Format;
use parallax_core::import::ImportOptions;
use parallax_core::search::SearchIndex;
use parallax_core::{Error, Workspace};
use parallax_synth::{self as synth, word_extents};
use serde::Serialize;
use serde_json::json;

use crate::measure::{Outcome, dir_mb, file_mb, peak_rss_mb, reset_peak_rss};

#[derive(Serialize)]
pub struct Step {
    step: String,
    format: &'static str,
    seconds: f64,
    mb: f64,
    mb_per_s: f64,
    docs_per_s: f64,
    spans: usize,
    peak_rss_mb: f64,
    /// Why the step failed, if it did (the benchmark goes on with the next).
    error: Option<String>,
}

impl Step {
    fn line(&self) -> String {
        match &self.error {
            Some(e) => format!("  {:<19} {:<18} failed: {e}", self.step, self.format),
            None => format!(
                "  {:<19} {:<18} {:>8.2} s  {:>8.1} MB  {:>7.1} MB/s  {:>9.0} docs/s  {:>8} spans  peak RSS {:>6.0} MB",
                self.step,
                self.format,
                self.seconds,
                self.mb,
                self.mb_per_s,
                self.docs_per_s,
                self.spans,
                self.peak_rss_mb
            ),
        }
    }
}

/// Records a step and shows it at once on stderr, so a long run reports as it goes.
fn record(steps: &mut Vec<Step>, step: Step) {
    eprintln!("{}", step.line());
    steps.push(step);
}

#[derive(Serialize)]
pub struct FormatsResult {
    docs: u64,
    spans: usize,
    relations: usize,
    corpus_mb: f64,
    steps: Vec<Step>,
}

const LABELS: [&str; 5] = ["CLAIM", "SOURCE", "CUE", "QUANTITY", "EVIDENCE"];

/// Writes `docs` generated articles with about `spans_per_doc` spans each (one to four words,
/// spread over the text; a CLAIM is `attributed_to` the SOURCE after it) as native JSONL.
pub(crate) fn write_corpus(
    path: &Path,
    docs: u64,
    spans_per_doc: usize,
    seed: u64,
) -> Result<(usize, usize), Error> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let (mut spans, mut relations) = (0, 0);
    for i in 0..docs {
        let text = synth::article(seed, i);
        let words = word_extents(&text);
        let step = (words.len() / spans_per_doc.max(1)).max(1);
        let mut doc_spans = Vec::with_capacity(spans_per_doc);
        let mut doc_relations = Vec::new();
        for k in 0..spans_per_doc {
            let first = k * step;
            if first >= words.len() {
                break;
            }
            let last = (first + k % 4)
                .min(words.len() - 1)
                .min(first + step.saturating_sub(1));
            let label = LABELS[k % LABELS.len()];
            let attrs = if label == "CLAIM" {
                json!({"type": "quote", "check_worthy": k % 2 == 0})
            } else {
                json!({})
            };
            doc_spans.push(json!({
                "id": format!("s{k}"), "start": words[first].0, "end": words[last].1,
                "label": label, "attrs": attrs,
            }));
            if label == "SOURCE" && k > 0 {
                doc_relations.push(json!({"head": format!("s{}", k - 1), "child": format!("s{k}"), "label": "attributed_to"}));
            }
        }
        spans += doc_spans.len();
        relations += doc_relations.len();
        let line = json!({
            "text": text,
            "meta": {"title": format!("Article {i}"), "outlet": "bench.example", "published": "2025-03-15"},
            "status": "done",
            "spans": doc_spans,
            "relations": doc_relations,
            "schema_version": 1,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n").map_err(|e| Error::io(path, e))?;
    }
    out.flush().map_err(|e| Error::io(path, e))?;
    Ok((spans, relations))
}

fn data_path(root: &Path, f: Format) -> std::path::PathBuf {
    if f.writes_folder() {
        root.join(f.name())
    } else {
        root.join(format!("{}.{}", f.name(), f.extension()))
    }
}

fn size_mb(path: &Path) -> f64 {
    if path.is_dir() {
        dir_mb(path)
    } else {
        file_mb(path)
    }
}

/// Imports `path` into a new workspace at `root` and indexes it for search; one step each.
fn import_step(
    root: &Path,
    path: &Path,
    format: Format,
    name: &'static str,
    docs: u64,
    steps: &mut Vec<Step>,
) -> Result<usize, Error> {
    let mut ws = Workspace::init(root)?;
    let mb = size_mb(path);
    reset_peak_rss();
    let t = Instant::now();
    let opts = ImportOptions {
        format: Some(format),
        ..Default::default()
    };
    let report = ws.import_paths(&[path.to_path_buf()], &opts, None, &mut |_| {})?;
    let seconds = t.elapsed().as_secs_f64();
    if !report.failed.is_empty() {
        let first = &report.failed[0];
        return Err(Error::io(
            &first.path,
            std::io::Error::other(format!("the {name} import failed: {}", first.reason)),
        ));
    }
    record(
        steps,
        Step {
            step: "import".into(),
            format: name,
            seconds,
            mb,
            mb_per_s: mb / seconds,
            docs_per_s: docs as f64 / seconds,
            spans: report.spans,
            peak_rss_mb: peak_rss_mb(),
            error: None,
        },
    );
    reset_peak_rss();
    let t = Instant::now();
    SearchIndex::open(&ws, &mut |_| {})?;
    let seconds = t.elapsed().as_secs_f64();
    record(
        steps,
        Step {
            step: "index after import".into(),
            format: name,
            seconds,
            mb: dir_mb(&ws.index_dir()),
            mb_per_s: 0.0,
            docs_per_s: docs as f64 / seconds,
            spans: report.spans,
            peak_rss_mb: peak_rss_mb(),
            error: None,
        },
    );
    Ok(report.spans)
}

pub fn formats_bench(
    root: &Path,
    docs: u64,
    spans_per_doc: usize,
    seed: u64,
    formats: &[Format],
    reimport: bool,
) -> Result<FormatsResult, Error> {
    let corpus = root.join("corpus.jsonl");
    let (spans, relations) = write_corpus(&corpus, docs, spans_per_doc, seed)?;
    let mut steps = Vec::new();
    import_step(
        &root.join("ws"),
        &corpus,
        Format::Jsonl,
        "jsonl (generated)",
        docs,
        &mut steps,
    )?;
    let ws = Workspace::open(root.join("ws"))?;
    let out = root.join("out");
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    for &format in formats {
        let path = data_path(&out, format);
        let opts = ExportOptions {
            format,
            filter: ExportFilter::default(),
            split: None,
            seed: None,
        };
        reset_peak_rss();
        let t = Instant::now();
        let report = ws.export(&opts, &path, None, &mut |_, _| {})?;
        let seconds = t.elapsed().as_secs_f64();
        let mb = report.bytes as f64 / 1e6;
        record(
            &mut steps,
            Step {
                step: "export".into(),
                format: format.name(),
                seconds,
                mb,
                mb_per_s: mb / seconds,
                docs_per_s: docs as f64 / seconds,
                spans: report.spans,
                peak_rss_mb: peak_rss_mb(),
                error: None,
            },
        );
    }
    if reimport {
        for &format in formats {
            let Some(import) = format.read_back_as() else {
                continue;
            };
            let back = root.join(format!("back-{}", format.name()));
            import_step(
                &back,
                &data_path(&out, format),
                import,
                format.name(),
                docs,
                &mut steps,
            )?;
            // Free the disk as we go: 100,000 documents make a large workspace per format.
            let _ = std::fs::remove_dir_all(&back);
        }
    }
    Ok(FormatsResult {
        docs,
        spans,
        relations,
        corpus_mb: file_mb(&corpus),
        steps,
    })
}

impl Outcome for FormatsResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "formats: {} docs, {} spans, {} relations, corpus {:.1} MB",
            r.docs, r.spans, r.relations, r.corpus_mb
        );
        for s in &r.steps {
            println!("{}", s.line());
        }
    }
}
