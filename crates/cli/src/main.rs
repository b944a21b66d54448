//! `parallax`: the command line over the Parallax engine. It only parses arguments, calls the
//! core and prints; all logic lives in `parallax-core`.

mod bench;
mod bench_compare;
mod bench_formats;
mod cross;
mod print;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use parallax_core::export::{ExportFilter, ExportFormat, ExportOptions, SplitBy, SplitSpec};
use parallax_core::import::{ImportFormat, ImportOptions};
use parallax_core::model::{DocStatus, LabelSchema};
use parallax_core::search::{Page, SearchIndex, SortBy, SyncOutcome};
use parallax_core::store::NewSpan;
use parallax_core::store::backup;
use parallax_core::{Error, Workspace};
use serde_json::{Map, Value};

// Imports, exports and indexing allocate a string or two per span on several threads at once;
// glibc's allocator spent a fifth of an import in malloc and free and their locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when an import finished but left something out: a file, a record or an annotation.
const EXIT_SOME_FAILED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "parallax",
    version,
    about = "Parallax: annotate claims and sources in news articles, offline",
    long_about = "Parallax: annotate claims and sources in news articles, offline.\n\n\
        A workspace is a folder holding a SQLite database. Offsets are Unicode code points, \
        end exclusive, as Python counts them."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a workspace with the default claims-and-sources schema
    Init {
        /// Folder of the new workspace (created if missing)
        workspace: PathBuf,
    },
    /// Create a workspace holding the built-in demo articles and annotations
    Demo {
        /// Folder of the new workspace (created if missing)
        workspace: PathBuf,
    },
    /// Import files and folders (recursively): text files, and datasets in the export formats
    #[command(long_about = "Import files and folders (recursively).\n\n\
        Text files (.txt and others) become documents, their header moved into metadata. \
        Dataset files bring their annotations: native JSONL, doccano and spaCy/Prodigy JSONL \
        (.jsonl, told apart by their keys), Label Studio JSON (.json, UTF-16 offsets converted), \
        brat (.txt with its .ann), CoNLL (.conll, .bio, .iob) and CSV/TSV with a text column. \
        Labels the schema lacks are added. A bad file, record or annotation is reported with its \
        line and the rest imports; the exit status is then 3.")]
    Import {
        workspace: PathBuf,
        /// Files and folders to import
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The format of every file (default: decided per file by extension and content)
        #[arg(long, value_enum, default_value_t = ImportFormatArg::Auto)]
        format: ImportFormatArg,
        /// CSV: the column holding the text (default: text, content, body or article)
        #[arg(long, value_name = "NAME")]
        text_column: Option<String>,
        /// Keep hard-wrapped lines as they are instead of joining them into paragraphs
        #[arg(long)]
        no_unwrap: bool,
        /// Set this outlet on every imported document
        #[arg(long, value_name = "NAME")]
        outlet: Option<String>,
        /// A file with any bad record or annotation imports nothing (all its problems listed)
        #[arg(long)]
        strict: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Annotator,
    },
    /// List documents
    Docs {
        workspace: PathBuf,
        /// One JSON object per line
        #[arg(long)]
        json: bool,
    },
    /// Show a document with its spans and relations
    Show {
        workspace: PathBuf,
        /// Document id, or a unique prefix of one (at least 4 characters)
        doc: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a span; prints the new span's id
    Annotate {
        workspace: PathBuf,
        /// Document id or unique prefix
        doc: String,
        /// Start offset in code points
        #[arg(long)]
        start: u32,
        /// End offset in code points (exclusive)
        #[arg(long)]
        end: u32,
        /// Span label, e.g. CLAIM
        #[arg(long)]
        label: String,
        /// Attribute as NAME=VALUE (VALUE as JSON if it parses, else text); repeatable
        #[arg(long = "attr", value_name = "NAME=VALUE")]
        attrs: Vec<String>,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        who: Annotator,
    },
    /// Link two spans of a document; prints the new relation's id
    Relate {
        workspace: PathBuf,
        /// Document id or unique prefix
        doc: String,
        /// Head span id
        #[arg(long)]
        head: String,
        /// Child span id
        #[arg(long)]
        child: String,
        /// Relation type, e.g. attributed_to
        #[arg(long)]
        label: String,
        #[command(flatten)]
        who: Annotator,
    },
    /// Delete a span and its relations
    Delete {
        workspace: PathBuf,
        /// Span id
        span: String,
        #[command(flatten)]
        who: Annotator,
    },
    /// Set a document's status
    Status {
        workspace: PathBuf,
        doc: String,
        #[arg(value_enum)]
        status: StatusArg,
        #[command(flatten)]
        who: Annotator,
    },
    /// Undo the latest change (works across sessions)
    Undo {
        workspace: PathBuf,
        #[command(flatten)]
        who: Annotator,
    },
    /// Redo the change most recently undone
    Redo {
        workspace: PathBuf,
        #[command(flatten)]
        who: Annotator,
    },
    /// Show the history of changes, newest first
    History {
        workspace: PathBuf,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Export the workspace as a dataset, with filters and train/dev/test splits
    #[command(long_about = "Export the workspace as a dataset.\n\n\
        Without --split, OUTPUT is the data file (a folder for brat) and NAME.manifest.json is \
        written beside it. With --split, OUTPUT is a folder holding train/dev/test parts and \
        manifest.json. Everything is written atomically. Offsets are code points, except \
        label-studio (UTF-16 code units, as Label Studio counts). docs/formats.md describes \
        each format and what it cannot carry.")]
    Export {
        workspace: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
        /// Output file, or folder for brat and for splits (written atomically)
        #[arg(short, long)]
        output: PathBuf,
        /// Only documents with this status (repeatable)
        #[arg(long, value_enum)]
        status: Vec<StatusArg>,
        /// Only spans with this label (repeatable); relations follow their spans
        #[arg(long)]
        label: Vec<String>,
        /// Only annotations by this annotator, and the documents they annotated (repeatable)
        #[arg(long = "annotator", value_name = "NAME")]
        annotators: Vec<String>,
        /// Only documents from this outlet (repeatable)
        #[arg(long)]
        outlet: Vec<String>,
        /// Only documents published on or after this day (YYYY-MM-DD)
        #[arg(long, value_name = "DAY")]
        from: Option<String>,
        /// Only documents published on or before this day (YYYY-MM-DD)
        #[arg(long, value_name = "DAY")]
        to: Option<String>,
        /// Split into parts, e.g. 80/10/10 (train/dev/test) or 90/10 (train/test)
        #[arg(long, value_name = "RATIOS")]
        split: Option<String>,
        /// Seed of the split and of the negatives of claim-pairs: the same seed and documents
        /// give the same output
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// What stays on one side of the split
        #[arg(long, value_enum, default_value_t = SplitByArg::Group, requires = "split")]
        by: SplitByArg,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Search documents (or spans with --spans); see `parallax search --help` for the syntax
    #[command(long_about = "Search documents, or spans with --spans.\n\n\
        Words must all match; \"exact phrases\"; prefix*; AND, OR, NOT, -word; parentheses; \
        fields: title:, outlet:, published:2022-02-15 (or 2022-02, or [2022-02-01 TO 2022-02-28]), \
        status:done, label:CLAIM, annotator:ana, lang:eng, attr:type=quote, doc:ID. \
        Case, accents and quote style do not matter.")]
    Search {
        workspace: PathBuf,
        query: String,
        /// Search spans instead of documents
        #[arg(long)]
        spans: bool,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Skip this many hits (paging)
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// One JSON object per hit
        #[arg(long)]
        json: bool,
    },
    /// Every occurrence of a phrase in the workspace (case and quote style ignored)
    Occurrences {
        workspace: PathBuf,
        phrase: String,
        #[arg(long)]
        json: bool,
    },
    /// Sentences in other documents most like a span or a piece of text
    #[command(group(clap::ArgGroup::new("passage").required(true).args(["span", "text"])))]
    Similar {
        workspace: PathBuf,
        /// Compare with this span's text (its own document is left out)
        #[arg(long)]
        span: Option<String>,
        /// Compare with this text
        #[arg(long)]
        text: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Source entities with their mentions, documents, outlets and attributed claims
    Sources {
        workspace: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Claim groups with their members, outlets, figures and disagreements
    Groups {
        workspace: PathBuf,
        /// Only groups with this verification status (repeatable)
        #[arg(long, value_enum)]
        status: Vec<cross::VerdictArg>,
        /// Only groups with a claim attributed to this source entity
        #[arg(long)]
        entity: Option<String>,
        /// Only groups carried by this outlet (repeatable)
        #[arg(long)]
        outlet: Vec<String>,
        /// Only groups whose figures disagree
        #[arg(long)]
        conflicts: bool,
        #[arg(long)]
        json: bool,
    },
    /// Put claims into groups, verify groups, merge them
    Group {
        workspace: PathBuf,
        #[command(subcommand)]
        action: cross::GroupAction,
        #[command(flatten)]
        who: Annotator,
    },
    /// Link SOURCE spans to source entities, find and merge entities
    Entity {
        workspace: PathBuf,
        #[command(subcommand)]
        action: cross::EntityAction,
        #[command(flatten)]
        who: Annotator,
    },
    /// Rebuild the search index from the database
    Reindex { workspace: PathBuf },
    /// Take a snapshot of the workspace's database (kept in WORKSPACE/backups), or list them
    #[command(long_about = "Take a snapshot of the workspace's database now, into \
        WORKSPACE/backups, and keep only the newest ones (10 unless --keep says otherwise). \
        Snapshots are also taken before every upgrade of the database and once a day while \
        the app is used. `parallax restore` puts one back.")]
    Backup {
        workspace: PathBuf,
        /// List the snapshots instead of taking one
        #[arg(long)]
        list: bool,
        /// Keep this many snapshots from now on (older ones are deleted)
        #[arg(long, value_name = "N")]
        keep: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Put a snapshot back in place of the workspace's database
    #[command(
        long_about = "Put a snapshot back in place of the workspace's database. Refused \
        while Parallax (the app or a command) has the workspace open. What it replaces is kept \
        as a `before-restore` snapshot, and the search index is rebuilt on the next open."
    )]
    Restore {
        workspace: PathBuf,
        /// A snapshot's file name in WORKSPACE/backups, or a path to one
        snapshot: PathBuf,
    },
    /// Check that the workspace's database is whole (exit status 1 if not)
    Check { workspace: PathBuf },
    /// Counts of documents, spans, relations and annotators
    Stats {
        workspace: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Print the label schema as JSON, or replace it with one from a file
    Schema {
        workspace: PathBuf,
        /// A schema in the same JSON form, to replace the current one with
        #[arg(long, value_name = "FILE")]
        apply: Option<PathBuf>,
        /// With --apply: a span label renamed, whose spans keep it (repeatable)
        #[arg(long, value_name = "OLD=NEW", requires = "apply", value_parser = parse_rename)]
        rename: Vec<(String, String)>,
    },
    /// Benchmarks on generated corpora
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
}

#[derive(clap::Args)]
struct Annotator {
    /// Who makes the change
    #[arg(long, env = "PARALLAX_ANNOTATOR", default_value_t = parallax_core::store::current_annotator())]
    annotator: String,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// Native JSONL, one document per line
    Jsonl,
    /// One CLAIM per line with its source, cue, figures, outlet, date and group
    Claims,
    /// Claim-matching pairs: members of one group (1), sampled claims of two (0)
    ClaimPairs,
    /// spaCy / Prodigy JSONL (tokens, spans with token indices, relations)
    Spacy,
    /// doccano JSONL with entities and relations
    Doccano,
    /// doccano JSONL, label form: [[start, end, "LABEL"]]
    DoccanoLabel,
    /// Label Studio JSON tasks (UTF-16 offsets) and a labeling config
    LabelStudio,
    /// brat standoff: a folder of .txt/.ann files with annotation.conf
    Brat,
    /// CoNLL-2003-style BIO, one token per line
    Conll,
}

impl From<Format> for ExportFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Jsonl => ExportFormat::Jsonl,
            Format::Claims => ExportFormat::Claims,
            Format::ClaimPairs => ExportFormat::ClaimPairs,
            Format::Spacy => ExportFormat::Spacy,
            Format::Doccano => ExportFormat::Doccano,
            Format::DoccanoLabel => ExportFormat::DoccanoLabel,
            Format::LabelStudio => ExportFormat::LabelStudio,
            Format::Brat => ExportFormat::Brat,
            Format::Conll => ExportFormat::Conll,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportFormatArg {
    /// Decide per file by extension and content
    Auto,
    Text,
    Jsonl,
    Doccano,
    Spacy,
    LabelStudio,
    Brat,
    Conll,
    Csv,
}

impl From<ImportFormatArg> for ImportFormat {
    fn from(f: ImportFormatArg) -> Self {
        match f {
            ImportFormatArg::Auto => ImportFormat::Auto,
            ImportFormatArg::Text => ImportFormat::Text,
            ImportFormatArg::Jsonl => ImportFormat::Jsonl,
            ImportFormatArg::Doccano => ImportFormat::Doccano,
            ImportFormatArg::Spacy => ImportFormat::Spacy,
            ImportFormatArg::LabelStudio => ImportFormat::LabelStudio,
            ImportFormatArg::Brat => ImportFormat::Brat,
            ImportFormatArg::Conll => ImportFormat::Conll,
            ImportFormatArg::Csv => ImportFormat::Csv,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SplitByArg {
    /// Documents that share a claim group stay together
    Group,
    /// Each document on its own
    Document,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    /// Newest first
    Date,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    New,
    InProgress,
    Done,
    Skipped,
}

impl From<StatusArg> for DocStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::New => DocStatus::New,
            StatusArg::InProgress => DocStatus::InProgress,
            StatusArg::Done => DocStatus::Done,
            StatusArg::Skipped => DocStatus::Skipped,
        }
    }
}

/// `NAME=VALUE` pairs to an attribute map; VALUE as JSON when it parses (true, 3, "x").
fn parse_attrs(pairs: &[String]) -> Result<Map<String, Value>, Error> {
    let mut map = Map::new();
    for pair in pairs {
        let (name, raw) = pair
            .split_once('=')
            .ok_or_else(|| Error::InvalidAttribute {
                attr: pair.clone(),
                problem: "must be given as NAME=VALUE".into(),
            })?;
        let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.into()));
        map.insert(name.trim().into(), value);
    }
    Ok(map)
}

/// Opens the workspace's search index, catching up with changes (progress bar if it takes long).
fn search_index(ws: &Workspace) -> Result<SearchIndex, Error> {
    let bar = progress::Bar::indexing();
    let (index, outcome) = SearchIndex::open(ws, &mut |p| bar.set(p.done, p.total))?;
    bar.finish();
    match outcome {
        SyncOutcome::Rebuilt(reason) => tracing::info!("search index rebuilt: {reason}"),
        SyncOutcome::Busy => eprintln!(
            "parallax: another Parallax is updating the search index; results may miss the latest changes"
        ),
        SyncOutcome::CaughtUp(_) | SyncOutcome::UpToDate => {}
    }
    Ok(index)
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Init { workspace } => {
            let ws = Workspace::init(&workspace)?;
            println!("created workspace {}", ws.root().display());
        }
        Command::Demo { workspace } => {
            let ws = parallax_core::demo::open_or_create(&workspace)?;
            println!(
                "demo workspace {} with {} documents",
                ws.root().display(),
                ws.document_count()?
            );
        }
        Command::Import {
            workspace,
            paths,
            format,
            text_column,
            no_unwrap,
            outlet,
            strict,
            json,
            who,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let opts = ImportOptions {
                format: format.into(),
                unwrap: !no_unwrap,
                outlet,
                text_column,
                annotator: who.annotator,
                strict,
            };
            let bar = progress::Bar::files();
            let report = ws.import_paths(&paths, &opts, None, &mut |p| bar.update(p))?;
            bar.finish();
            print::import_report(&report, json)?;
            // Index what came in now, so the first search is quick.
            if !report.imported.is_empty() {
                search_index(&ws)?;
            }
            let left = report.left_out();
            if !left.is_empty() {
                eprintln!(
                    "parallax: {} could not be imported (listed above)",
                    print::left_out(&left)
                );
                return Ok(ExitCode::from(EXIT_SOME_FAILED));
            }
        }
        Command::Docs { workspace, json } => {
            print::documents(&Workspace::open(&workspace)?.list_documents()?, json)?
        }
        Command::Show {
            workspace,
            doc,
            json,
        } => print::document(&Workspace::open(&workspace)?.document_view(&doc)?, json)?,
        Command::Annotate {
            workspace,
            doc,
            start,
            end,
            label,
            attrs,
            note,
            who,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let span = ws.add_span(
                NewSpan {
                    doc_id: doc,
                    start,
                    end,
                    label,
                    attrs: parse_attrs(&attrs)?,
                    note,
                },
                &who.annotator,
            )?;
            println!("{}", span.id);
        }
        Command::Relate {
            workspace,
            doc,
            head,
            child,
            label,
            who,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let doc_id = ws.resolve_document(&doc)?;
            if ws.span(&head)?.doc_id != doc_id {
                return Err(Error::SpanNotFound(format!("{head} in document {doc}")));
            }
            let rel = ws.add_relation(&head, &child, &label, &who.annotator)?;
            println!("{}", rel.id);
        }
        Command::Delete {
            workspace,
            span,
            who,
        } => Workspace::open(&workspace)?.delete_span(&span, &who.annotator)?,
        Command::Status {
            workspace,
            doc,
            status,
            who,
        } => Workspace::open(&workspace)?.set_status(&doc, status.into(), &who.annotator)?,
        Command::Undo { workspace, who } => {
            let e = Workspace::open(&workspace)?.undo(&who.annotator)?;
            println!("undid #{} {} by {}", e.seq, e.action, e.annotator);
        }
        Command::Redo { workspace, who } => {
            let e = Workspace::open(&workspace)?.redo(&who.annotator)?;
            println!("redid #{} {} by {}", e.seq, e.action, e.annotator);
        }
        Command::History {
            workspace,
            limit,
            json,
        } => print::history(&Workspace::open(&workspace)?.history(limit)?, json)?,
        Command::Export {
            workspace,
            format,
            output,
            status,
            label,
            annotators,
            outlet,
            from,
            to,
            split,
            seed,
            by,
            json,
        } => {
            let ws = Workspace::open(&workspace)?;
            let split = match split {
                None => None,
                Some(ratios) => Some(SplitSpec::parse(
                    &ratios,
                    seed,
                    match by {
                        SplitByArg::Group => SplitBy::Group,
                        SplitByArg::Document => SplitBy::Document,
                    },
                )?),
            };
            let opts = ExportOptions {
                format: format.into(),
                filter: ExportFilter {
                    statuses: status.into_iter().map(Into::into).collect(),
                    outlets: outlet,
                    published_from: from,
                    published_to: to,
                    labels: label,
                    annotators,
                },
                split,
                seed: Some(seed),
            };
            let bar = progress::Bar::documents();
            let report = ws.export(&opts, &output, None, &mut |done, total| {
                bar.set(done, total)
            })?;
            bar.finish();
            print::export_report(&report, json)?;
        }
        Command::Search {
            workspace,
            query,
            spans,
            limit,
            offset,
            sort,
            json,
        } => {
            let ws = Workspace::open(&workspace)?;
            let index = search_index(&ws)?;
            let page = Page { limit, offset };
            if spans {
                print::span_hits(&index.search_spans(&ws, &query, page)?, json)?;
            } else {
                let sort = match sort {
                    SortArg::Relevance => SortBy::Relevance,
                    SortArg::Date => SortBy::Date,
                };
                print::document_hits(&index.search_documents(&ws, &query, page, sort)?, json)?;
            }
        }
        Command::Occurrences {
            workspace,
            phrase,
            json,
        } => {
            let ws = Workspace::open(&workspace)?;
            print::occurrences(&search_index(&ws)?.occurrences(&ws, &phrase)?, json)?;
        }
        Command::Similar {
            workspace,
            span,
            text,
            limit,
            json,
        } => {
            let ws = Workspace::open(&workspace)?;
            // clap's `passage` group makes one of the two present.
            let (passage, exclude) = match span {
                Some(id) => {
                    let span = ws.span(&id)?;
                    (span.text, Some(span.doc_id))
                }
                None => (text.unwrap_or_default(), None),
            };
            let index = search_index(&ws)?;
            print::similar(
                &index.similar(&ws, &passage, exclude.as_deref(), limit)?,
                json,
            )?;
        }
        Command::Sources { workspace, json } => cross::sources(workspace, json)?,
        Command::Groups {
            workspace,
            status,
            entity,
            outlet,
            conflicts,
            json,
        } => cross::groups(
            workspace,
            parallax_core::cross::CompareFilter {
                statuses: status.into_iter().map(Into::into).collect(),
                entity,
                outlets: outlet,
                conflicts_only: conflicts,
            },
            json,
        )?,
        Command::Group {
            workspace,
            action,
            who,
        } => cross::group(workspace, action, &who.annotator)?,
        Command::Entity {
            workspace,
            action,
            who,
        } => cross::entity(workspace, action, &who.annotator)?,
        Command::Reindex { workspace } => {
            let ws = Workspace::open(&workspace)?;
            let bar = progress::Bar::indexing();
            let t = std::time::Instant::now();
            SearchIndex::rebuild(&ws, &mut |p| bar.set(p.done, p.total))?;
            bar.finish();
            eprintln!(
                "indexed {} documents in {:.1} s",
                ws.document_count()?,
                t.elapsed().as_secs_f64()
            );
        }
        Command::Backup {
            workspace,
            list,
            keep,
            json,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            if let Some(keep) = keep {
                ws.set_backups_kept(keep)?;
            }
            if list {
                print::snapshots(&ws.backups()?, json)?;
            } else {
                print::snapshots(&[ws.backup("manual")?], json)?;
            }
        }
        Command::Restore {
            workspace,
            snapshot,
        } => {
            let snapshot = backup::find(&workspace, &snapshot);
            let kept = backup::restore(&workspace, &snapshot)?;
            println!(
                "restored {}; what it replaced is kept as {}",
                snapshot.display(),
                kept.path.display()
            );
        }
        Command::Check { workspace } => {
            let problems = Workspace::open(&workspace)?.problems()?;
            if problems.is_empty() {
                println!("{}: the database is whole", workspace.display());
            } else {
                for p in &problems {
                    println!("{p}");
                }
                eprintln!(
                    "parallax: {} problems; `parallax backup {} --list` shows snapshots to restore",
                    problems.len(),
                    workspace.display()
                );
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Stats { workspace, json } => {
            print::stats(&Workspace::open(&workspace)?.stats()?, json)?
        }
        Command::Schema {
            workspace,
            apply,
            rename,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let schema = match apply {
                Some(file) => {
                    let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
                    let new: LabelSchema = serde_json::from_str(&text)
                        .map_err(|e| Error::InvalidSchema(format!("{}: {e}", file.display())))?;
                    ws.update_schema(&new, &rename)?
                }
                None => ws.schema()?,
            };
            println!("{}", serde_json::to_string_pretty(&schema)?);
        }
        Command::Bench { what } => bench::run(what)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_rename(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((old, new)) if !old.trim().is_empty() && !new.trim().is_empty() => {
            Ok((old.trim().to_string(), new.trim().to_string()))
        }
        _ => Err(format!("`{s}`: write the rename as OLD=NEW")),
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("PARALLAX_LOG"))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parallax: error: {e}");
            ExitCode::FAILURE
        }
    }
}
