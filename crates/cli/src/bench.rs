//! `parallax bench`: measurements on generated corpora, recorded in docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;
use parallax_core::import::TextOptions;
use parallax_core::{Error, Workspace, synth};
use serde::Serialize;

#[derive(Subcommand)]
pub enum BenchCommand {
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
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

pub fn run(what: BenchCommand) -> Result<(), Error> {
    match what {
        BenchCommand::Import {
            docs,
            seed,
            dir,
            json,
        } => {
            let tmp;
            let root = match dir {
                Some(d) => d,
                None => {
                    tmp = tempfile::tempdir().map_err(|e| Error::io("temporary folder", e))?;
                    tmp.path().to_path_buf()
                }
            };
            let corpus = root.join("corpus");
            let t = Instant::now();
            let bytes = synth::write_corpus(&corpus, docs, seed)?;
            let generate_s = t.elapsed().as_secs_f64();
            let ws_dir = root.join("workspace");
            let mut ws = Workspace::init(&ws_dir)?;
            let t = Instant::now();
            let report = ws.import_paths(&[corpus], &TextOptions::default(), None, &mut |_| {})?;
            let import_s = t.elapsed().as_secs_f64();
            let corpus_mb = bytes as f64 / 1e6;
            let result = ImportResult {
                docs,
                imported: report.imported.len(),
                corpus_mb,
                generate_s,
                import_s,
                docs_per_s: docs as f64 / import_s,
                mb_per_s: corpus_mb / import_s,
                database_mb: file_mb(&ws.db_path()) + file_mb(&ws_dir.join("parallax.db-wal")),
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
