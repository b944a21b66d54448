//! `parallax-bench import`: N generated articles written as files, then imported into a new
//! workspace; throughput, database size and peak memory.

use std::path::Path;
use std::time::Instant;

use parallax_core::import::{ImportOptions, ImportReport};
use parallax_core::{Error, Workspace};
use serde::Serialize;

use crate::measure::{Outcome, file_mb, peak_rss_mb};

#[derive(Serialize)]
pub struct ImportResult {
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

/// A generated corpus imported into a new workspace, with the time each step took.
pub struct ImportedCorpus {
    pub workspace: Workspace,
    pub report: ImportReport,
    pub bytes: u64,
    pub generate_s: f64,
    pub import_s: f64,
}

pub fn generate_and_import(root: &Path, docs: u64, seed: u64) -> Result<ImportedCorpus, Error> {
    let corpus = root.join("corpus");
    let t = Instant::now();
    let bytes =
        parallax_synth::write_corpus(&corpus, docs, seed).map_err(|e| Error::io(&corpus, e))?;
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

/// Generates and imports `docs` articles in `root`; what it took.
pub fn import_bench(root: &Path, docs: u64, seed: u64) -> Result<ImportResult, Error> {
    let corpus = generate_and_import(root, docs, seed)?;
    let ws = &corpus.workspace;
    let corpus_mb = corpus.bytes as f64 / 1e6;
    Ok(ImportResult {
        docs,
        imported: corpus.report.imported.len(),
        corpus_mb,
        generate_s: corpus.generate_s,
        import_s: corpus.import_s,
        docs_per_s: docs as f64 / corpus.import_s,
        mb_per_s: corpus_mb / corpus.import_s,
        database_mb: file_mb(&ws.db_path()) + file_mb(&ws.root().join("parallax.db-wal")),
        peak_rss_mb: peak_rss_mb(),
    })
}

impl Outcome for ImportResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "import: {} docs ({:.1} MB) in {:.2} s = {:.0} docs/s, {:.1} MB/s; database {:.1} MB; peak RSS {:.0} MB (corpus generated in {:.1} s)",
            r.imported,
            r.corpus_mb,
            r.import_s,
            r.docs_per_s,
            r.mb_per_s,
            r.database_mb,
            r.peak_rss_mb,
            r.generate_s
        );
    }
}
