//! `parallax-bench`: Parallax's benchmarks on generated corpora, recorded in docs/benchmarks.md.
//! A tool for developers, not installed with the app or the `parallax` command.

mod agreement;
mod compare;
mod formats;
mod import;
mod measure;
mod reader;
mod search;
mod suggest;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use parallax_core::Error;
use parallax_core::formats::Format;

use crate::measure::WorkDir;

// The same allocator as the `parallax` command, so that the figures are the user's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "parallax-bench",
    about = "Benchmarks of Parallax on generated corpora"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
        format: Vec<Format>,
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
    /// A workspace where every document has several annotators' layers; time agreement over
    /// all of it
    Agreement {
        #[arg(long, default_value_t = 2_000)]
        docs: u64,
        #[arg(long, default_value_t = 3)]
        annotators: usize,
        /// Spans of each annotator in each document
        #[arg(long, default_value_t = 130)]
        spans_per_doc: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Work in this folder (kept) instead of a temporary one (removed)
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The attribution rules over one long article, then suggest --apply over N articles
    Suggest {
        /// Words of the long article
        #[arg(long, default_value_t = 5_000)]
        words: usize,
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Articles to suggest over and accept into
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Work in this folder (kept) instead of a temporary one (removed)
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Keep workspaces in step through a PostgreSQL server it starts: N changes sent and taken
    /// in, then DOCS annotated documents sent and cloned
    Sync {
        #[arg(long, default_value_t = 10_000)]
        changes: usize,
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        #[arg(long, default_value_t = 10)]
        spans_per_doc: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Work in this folder (kept) instead of a temporary one (removed)
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

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Formats {
            docs,
            spans_per_doc,
            seed,
            format,
            no_reimport,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let formats = if format.is_empty() {
                Format::writable().collect()
            } else {
                format
            };
            let r = formats::formats_bench(
                work.path(),
                docs,
                spans_per_doc,
                seed,
                &formats,
                !no_reimport,
            )?;
            measure::print(&r, json)
        }
        Command::Compare {
            groups,
            outlets,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            measure::print(&compare::compare_bench(work.path(), groups, outlets)?, json)
        }
        Command::ReaderFixture {
            workspace,
            words,
            spans,
            seed,
        } => {
            let (doc, made) = reader::reader_fixture(&workspace, words, spans, seed)?;
            println!(
                "reader fixture: {} with document {doc} ({words} words, {made} spans)",
                workspace.display()
            );
            Ok(())
        }
        Command::Search {
            docs,
            seed,
            runs,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            measure::print(
                &search::search_bench(docs, seed, runs.max(1), work.path())?,
                json,
            )
        }
        Command::Agreement {
            docs,
            annotators,
            spans_per_doc,
            runs,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let r = agreement::agreement_bench(
                work.path(),
                docs,
                annotators,
                spans_per_doc,
                runs.max(1),
            )?;
            measure::print(&r, json)
        }
        Command::Suggest {
            words,
            runs,
            docs,
            seed,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let r = suggest::suggest_bench(work.path(), words, runs.max(1), docs, seed)?;
            measure::print(&r, json)
        }
        Command::Sync {
            changes,
            docs,
            spans_per_doc,
            seed,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            let r = sync::sync_bench(work.path(), changes, docs, spans_per_doc, seed)?;
            measure::print(&r, json)
        }
        Command::Import {
            docs,
            seed,
            dir,
            json,
        } => {
            let work = WorkDir::new(dir)?;
            measure::print(&import::import_bench(work.path(), docs, seed)?, json)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parallax-bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}
