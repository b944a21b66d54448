//! `parallax bench`: measurements on generated corpora, recorded in docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;
use parallax_core::export::ExportFormat;
use parallax_core::import::ImportOptions;
use parallax_core::search::{Page, SearchIndex, SortBy};
use parallax_core::store::NewSpan;
use parallax_core::{Error, Workspace, synth};
use serde::Serialize;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Generate and import N articles, label some claims, build the search index, and time a
    /// fixed mix of queries (top 20 hits with snippets)
    Search {
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Runs of each query kind
        #[arg(long, default_value_t = 100)]
        runs: usize,
        /// Work in this folder (kept) instead of a temporary one (removed)
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Make a workspace holding one long generated document with many spans (a tenth of them
    /// overlapping another), for the reader's rendering benchmark in the app
    /// (tests/e2e/bench_reader.py)
    ReaderFixture {
        /// The workspace folder to create
        workspace: PathBuf,
        #[arg(long, default_value_t = 50_000)]
        words: usize,
        #[arg(long, default_value_t = 2_000)]
        spans: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Generate N pre-annotated articles as native JSONL, import them, export every format and
    /// import each export again; time, MB/s and peak memory of every step
    Formats {
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        /// Spans per document (one to four words each)
        #[arg(long, default_value_t = 10)]
        spans_per_doc: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these formats (repeatable; default: all)
        #[arg(long, value_enum)]
        format: Vec<crate::Format>,
        /// Skip importing each export again
        #[arg(long)]
        no_reimport: bool,
        /// Work in this folder (kept) instead of a temporary one (removed)
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// A workspace of claim groups carried by many outlets; time the compare view's table and
    /// the claim suggestions
    Compare {
        #[arg(long, default_value_t = 1_000)]
        groups: usize,
        #[arg(long, default_value_t = 50)]
        outlets: usize,
        /// Work in this folder (kept: its `ws` is the workspace) instead of a temporary one
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Generate N news-like articles as files, then import them into a new workspace
    Import {
        /// How many articles
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        /// Seed of the generated corpus
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Work in this folder (kept) instead of a temporary one (removed)
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct ImportResult {
    docs: u64,
    imported: usize,
    corpus_mb: f64,
    generate_s: f64,
    import_s: f64,
    docs_per_s: f64,
    mb_per_s: f64,
    database_mb: f64,
    peak_rss_mb: f64,
}

/// Peak resident memory of this process so far (Linux), in MB.
pub(crate) fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Starts measuring peak resident memory afresh (Linux: writing 5 to clear_refs resets VmHWM).
pub(crate) fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub(crate) fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

#[derive(Serialize)]
struct Latency {
    kind: &'static str,
    runs: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Hits of the first run (top 20 at most) and how many matched in all.
    hits: usize,
    total: usize,
}

#[derive(Serialize)]
struct SearchResult {
    docs: u64,
    spans: usize,
    index_build_s: f64,
    index_mb: f64,
    /// From adding one span to finding it with a span search (sync + search).
    change_searchable_ms: f64,
    queries: Vec<Latency>,
    peak_rss_mb: f64,
}

pub(crate) fn dir_mb(path: &Path) -> f64 {
    std::fs::read_dir(path).map_or(0.0, |entries| {
        entries
            .filter_map(|e| e.ok())
            .map(|e| {
                let p = e.path();
                if p.is_dir() { dir_mb(&p) } else { file_mb(&p) }
            })
            .sum()
    })
}

/// The value at quantile `q` (0 to 1) of sorted, non-empty timings.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Runs `query` `runs` times; milliseconds at the 50th and 99th percentile.
fn time_query(
    kind: &'static str,
    runs: usize,
    mut query: impl FnMut(usize) -> Result<(usize, usize), Error>,
) -> Result<Latency, Error> {
    let (hits, total) = query(0)?; // also warms the caches
    let mut ms: Vec<f64> = (0..runs)
        .map(|i| {
            let t = Instant::now();
            query(i).map(|_| t.elapsed().as_secs_f64() * 1e3)
        })
        .collect::<Result<_, _>>()?;
    ms.sort_by(f64::total_cmp);
    Ok(Latency {
        kind,
        runs,
        p50_ms: percentile(&ms, 0.5),
        p99_ms: percentile(&ms, 0.99),
        max_ms: percentile(&ms, 1.0),
        hits,
        total,
    })
}

/// The folder a benchmark works in: the one given (kept), or a temporary one (removed).
struct WorkDir {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl WorkDir {
    fn new(dir: Option<PathBuf>) -> Result<WorkDir, Error> {
        Ok(match dir {
            Some(path) => WorkDir {
                path,
                _temporary: None,
            },
            None => {
                let tmp = tempfile::tempdir().map_err(|e| Error::io("temporary folder", e))?;
                WorkDir {
                    path: tmp.path().to_path_buf(),
                    _temporary: Some(tmp),
                }
            }
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

/// A generated corpus imported into a new workspace, with the time each step took.
struct ImportedCorpus {
    workspace: Workspace,
    report: parallax_core::import::ImportReport,
    bytes: u64,
    generate_s: f64,
    import_s: f64,
}

fn generate_and_import(root: &Path, docs: u64, seed: u64) -> Result<ImportedCorpus, Error> {
    let corpus = root.join("corpus");
    let t = Instant::now();
    let bytes = synth::write_corpus(&corpus, docs, seed)?;
    let generate_s = t.elapsed().as_secs_f64();
    let mut workspace = Workspace::init(root.join("workspace"))?;
    let t = Instant::now();
    let report = workspace.import_paths(&[corpus], &ImportOptions::default(), None, &mut |_| {})?;
    Ok(ImportedCorpus {
        workspace,
        report,
        bytes,
        generate_s,
        import_s: t.elapsed().as_secs_f64(),
    })
}

fn search_bench(docs: u64, seed: u64, runs: usize, root: &Path) -> Result<SearchResult, Error> {
    let mut ws = generate_and_import(root, docs, seed)?.workspace;
    // Label the opening sentence of one document in 50 as a CLAIM.
    let ids = ws.document_ids()?;
    let mut spans = 0;
    for id in ids.iter().step_by(50) {
        let text = ws.document(id)?.text;
        let end = text.find(". ").map_or(text.chars().count().min(80), |b| {
            text[..b].chars().count() + 1
        });
        ws.add_span(
            NewSpan {
                doc_id: id.clone(),
                start: 0,
                end: end as u32,
                label: "CLAIM".into(),
                ..Default::default()
            },
            "bench",
        )?;
        spans += 1;
    }
    let t = Instant::now();
    let mut index = SearchIndex::rebuild(&ws, &mut |_| {})?;
    let index_build_s = t.elapsed().as_secs_f64();
    let index_mb = dir_mb(&ws.index_dir());

    let page = Page::default();
    let docs_query = |q: &str| -> Result<(usize, usize), Error> {
        let r = index.search_documents(&ws, q, page, SortBy::Relevance)?;
        Ok((r.hits.len(), r.total))
    };
    let terms = [
        "Lindqvar",
        "reservoir",
        "sanctions",
        "evacuation",
        "convoys",
    ];
    let phrases = [
        "\"will return to their bases\"",
        "\"highest level in thirty years\"",
        "\"talks will resume next week\"",
    ];
    let filters = [
        "troops outlet:riverpost",
        "residents outlet:kestreldaily status:new",
        "grain outlet:northgazette",
    ];
    let dates = [
        "published:[2025-03-01 TO 2025-03-07] troops",
        "published:[2025-03-10 TO 2025-03-20] water",
        "published:2025-03-15",
    ];
    let span_queries = [
        "label:CLAIM bases",
        "label:CLAIM gates",
        "label:CLAIM Dorval",
    ];
    let passages = [
        "the units completed their exercises and are going back to their bases",
        "they will open the gates step by step from Saturday morning",
        "inspections must be complete before sanctions are lifted",
    ];
    let mut queries = vec![
        time_query("single term", runs, |i| docs_query(terms[i % terms.len()]))?,
        time_query("phrase", runs, |i| docs_query(phrases[i % phrases.len()]))?,
        time_query("field filter", runs, |i| {
            docs_query(filters[i % filters.len()])
        })?,
        time_query("date range", runs, |i| docs_query(dates[i % dates.len()]))?,
        time_query("span search", runs, |i| {
            let r = index.search_spans(&ws, span_queries[i % span_queries.len()], page)?;
            Ok((r.hits.len(), r.total))
        })?,
        time_query("similar passage", runs.min(30), |i| {
            let r = index.similar(&ws, passages[i % passages.len()], None, 20)?;
            Ok((r.len(), r.len()))
        })?,
    ];
    queries.push(time_query("sorted by date", runs, |i| {
        let r = index.search_documents(&ws, terms[i % terms.len()], page, SortBy::Date)?;
        Ok((r.hits.len(), r.total))
    })?);

    // One annotation change, then searchable: sync and find it.
    let target = &ids[1];
    let t = Instant::now();
    let span = ws.add_span(
        NewSpan {
            doc_id: target.clone(),
            start: 0,
            end: 10,
            label: "EVIDENCE".into(),
            ..Default::default()
        },
        "bench",
    )?;
    let added = t.elapsed();
    index.sync(&ws, &mut |_| {})?;
    let found = index.search_spans(&ws, &format!("label:EVIDENCE doc:{target}"), page)?;
    let change_searchable_ms = (t.elapsed() - added).as_secs_f64() * 1e3;
    if !found.hits.iter().any(|h| h.span_id == span.id) {
        return Err(Error::Index("the new span was not found after sync".into()));
    }
    Ok(SearchResult {
        docs,
        spans,
        index_build_s,
        index_mb,
        change_searchable_ms,
        queries,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// Word boundaries `[start, end)` of `text` in code points.
pub(crate) fn word_extents(text: &str) -> Vec<(u32, u32)> {
    let mut words = Vec::new();
    let mut start: Option<u32> = None;
    let mut i = 0u32;
    for c in text.chars() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        words.push((s, i));
    }
    words
}

/// The reader benchmark's workspace: one document of `words` words with `spans` spans spread
/// evenly, each two to six words long; every tenth overlaps the one before it.
fn reader_fixture(
    root: &Path,
    words: usize,
    spans: usize,
    seed: u64,
) -> Result<(String, usize), Error> {
    let mut ws = Workspace::init(root)?;
    let text = synth::long_document(seed, words);
    let doc_id = ws.insert_document(&parallax_core::store::NewDocument {
        text: text.clone(),
        meta: parallax_core::model::DocMeta {
            title: Some(format!("A long document: {words} words, {spans} spans")),
            outlet: Some("bench.example".into()),
            ..Default::default()
        },
        sha256: parallax_core::import::text::sha256_hex(text.as_bytes()),
    })?;
    // A short second document, to open the long one from.
    let short = synth::article(seed, 0);
    ws.insert_document(&parallax_core::store::NewDocument {
        sha256: parallax_core::import::text::sha256_hex(short.as_bytes()),
        text: short,
        meta: parallax_core::model::DocMeta {
            title: Some("A short document".into()),
            ..Default::default()
        },
    })?;
    let extents = word_extents(&text);
    let labels = ["CLAIM", "SOURCE", "CUE", "QUANTITY", "EVIDENCE"];
    let step = (extents.len() / spans.max(1)).max(2);
    let mut made = 0;
    for k in 0..spans {
        let first = k * step;
        // Every tenth span starts inside the previous one, so that the two overlap.
        let first = if k % 10 == 9 {
            first.saturating_sub(step / 2 + 1)
        } else {
            first
        };
        let last = (first + 1 + k % 5).min(extents.len().saturating_sub(1));
        let (Some(&(start, _)), Some(&(_, end))) = (extents.get(first), extents.get(last)) else {
            break;
        };
        ws.add_span(
            NewSpan {
                doc_id: doc_id.clone(),
                start,
                end,
                label: labels[k % labels.len()].into(),
                ..NewSpan::default()
            },
            "bench",
        )?;
        made += 1;
    }
    Ok((doc_id, made))
}

pub fn run(what: BenchCommand) -> Result<(), Error> {
    match what {
        BenchCommand::Formats {
            docs,
            spans_per_doc,
            seed,
            format,
            no_reimport,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let formats: Vec<ExportFormat> = if format.is_empty() {
                ExportFormat::ALL.to_vec()
            } else {
                format.into_iter().map(Into::into).collect()
            };
            let r = crate::bench_formats::formats_bench(
                work.path(),
                docs,
                spans_per_doc,
                seed,
                &formats,
                !no_reimport,
            )?;
            crate::bench_formats::print(&r, json)?;
        }
        BenchCommand::Compare {
            groups,
            outlets,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let r = crate::bench_compare::compare_bench(work.path(), groups, outlets)?;
            crate::bench_compare::print(&r, json)?;
        }
        BenchCommand::ReaderFixture {
            workspace,
            words,
            spans,
            seed,
        } => {
            let (doc, made) = reader_fixture(&workspace, words, spans, seed)?;
            println!(
                "reader fixture: {} with document {doc} ({words} words, {made} spans)",
                workspace.display()
            );
        }
        BenchCommand::Search {
            docs,
            seed,
            runs,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let root = work.path();
            let r = search_bench(docs, seed, runs.max(1), root)?;
            if json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "search: {} docs, {} spans; index built in {:.1} s, {:.1} MB; one change searchable in {:.0} ms; peak RSS {:.0} MB",
                    r.docs,
                    r.spans,
                    r.index_build_s,
                    r.index_mb,
                    r.change_searchable_ms,
                    r.peak_rss_mb
                );
                for q in &r.queries {
                    println!(
                        "  {:<16} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} runs; {} of {} hits)",
                        q.kind, q.p50_ms, q.p99_ms, q.max_ms, q.runs, q.hits, q.total
                    );
                }
            }
        }
        BenchCommand::Import {
            docs,
            seed,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let root = work.path();
            let corpus = generate_and_import(root, docs, seed)?;
            let (ws, report, bytes) = (corpus.workspace, corpus.report, corpus.bytes);
            let (generate_s, import_s) = (corpus.generate_s, corpus.import_s);
            let corpus_mb = bytes as f64 / 1e6;
            let result = ImportResult {
                docs,
                imported: report.imported.len(),
                corpus_mb,
                generate_s,
                import_s,
                docs_per_s: docs as f64 / import_s,
                mb_per_s: corpus_mb / import_s,
                database_mb: file_mb(&ws.db_path()) + file_mb(&ws.root().join("parallax.db-wal")),
                peak_rss_mb: peak_rss_mb(),
            };
            if json {
                println!("{}", serde_json::to_string(&result)?);
            } else {
                println!(
                    "import: {} docs ({:.1} MB) in {:.2} s = {:.0} docs/s, {:.1} MB/s; database {:.1} MB; peak RSS {:.0} MB (corpus generated in {:.1} s)",
                    result.imported,
                    result.corpus_mb,
                    result.import_s,
                    result.docs_per_s,
                    result.mb_per_s,
                    result.database_mb,
                    result.peak_rss_mb,
                    result.generate_s
                );
            }
        }
    }
    Ok(())
}
