//! `parallax`: the command line over the Parallax engine. It only parses arguments and hands
//! each command to its module under `commands/`; all logic lives in `parallax-core`.

mod commands;
mod print;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commands::{annotate, cross, export, import, remote, search, suggest, team, workspace};
use parallax_core::Error;

// Imports, exports and indexing allocate a string or two per span on several threads at once;
// glibc's allocator spent a fifth of an import in malloc and free and their locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    Init(workspace::InitArgs),
    /// Create a workspace holding the built-in demo articles and annotations
    Demo(workspace::InitArgs),
    /// Import files and folders (recursively): text files, and datasets in the export formats
    #[command(long_about = "Import files and folders (recursively).\n\n\
        Text files (.txt and others) become documents, their header moved into metadata. \
        Dataset files bring their annotations: native JSONL, doccano and spaCy/Prodigy JSONL \
        (.jsonl, told apart by their keys), Label Studio JSON (.json, UTF-16 offsets converted), \
        brat (.txt with its .ann), CoNLL (.conll, .bio, .iob) and CSV/TSV with a text column. \
        Labels the schema lacks are added. A bad file, record or annotation is reported with its \
        line and the rest imports; the exit status is then 3.")]
    Import(import::ImportArgs),
    /// List documents
    Docs(annotate::DocsArgs),
    /// Show a document with its spans and relations
    Show(annotate::ShowArgs),
    /// Add a span; prints the new span's id
    Annotate(annotate::AnnotateArgs),
    /// Link two spans of a document; prints the new relation's id
    Relate(annotate::RelateArgs),
    /// Delete a span and its relations
    Delete(annotate::DeleteArgs),
    /// Set a document's status
    Status(annotate::StatusArgs),
    /// Undo the latest change (works across sessions)
    Undo(annotate::UndoArgs),
    /// Redo the change most recently undone
    Redo(annotate::UndoArgs),
    /// Show the history of changes, newest first
    History(annotate::HistoryArgs),
    /// Export the workspace as a dataset, with filters and train/dev/test splits
    #[command(long_about = "Export the workspace as a dataset.\n\n\
        Without --split, OUTPUT is the data file (a folder for brat) and NAME.manifest.json is \
        written beside it. With --split, OUTPUT is a folder holding train/dev/test parts and \
        manifest.json. Everything is written atomically. Offsets are code points, except \
        label-studio (UTF-16 code units, as Label Studio counts). docs/formats.md describes \
        each format and what it cannot carry.")]
    Export(export::ExportArgs),
    /// Search documents (or spans with --spans); see `parallax search --help` for the syntax
    #[command(long_about = "Search documents, or spans with --spans.\n\n\
        Words must all match; \"exact phrases\"; prefix*; AND, OR, NOT, -word; parentheses; \
        fields: title:, outlet:, published:2022-02-15 (or 2022-02, or [2022-02-01 TO 2022-02-28]), \
        status:done, label:CLAIM, annotator:ana, lang:eng, attr:type=quote, doc:ID. \
        Case, accents and quote style do not matter.")]
    Search(search::SearchArgs),
    /// Every occurrence of a phrase in the workspace (case and quote style ignored)
    Occurrences(search::OccurrencesArgs),
    /// Sentences in other documents most like a span or a piece of text
    Similar(search::SimilarArgs),
    /// Source entities with their mentions, documents, outlets and attributed claims
    Sources(cross::SourcesArgs),
    /// Claim groups with their members, outlets, figures and disagreements
    Groups(cross::GroupsArgs),
    /// Put claims into groups, verify groups, merge them
    Group(cross::GroupArgs),
    /// Link SOURCE spans to source entities, find and merge entities
    Entity(cross::EntityArgs),
    /// Share documents out among annotators (a share of them to two or more), or set one's
    #[command(
        long_about = "Share the documents out among annotators: every document gets one, \
        and the --overlap share of them gets --per-doc annotators, so that agreement can be \
        measured. The shares are balanced by length; the same --seed shares out the same way. \
        It replaces the documents' assignments and is one undoable change. With --doc and \
        --to, set the annotators of one document."
    )]
    Assign(team::AssignArgs),
    /// Curate a document: each version of each span, merged or accepted into the gold layer
    #[command(
        long_about = "Curate a document into the gold layer. Without options, list each \
        version of each span with the layers that have it and whether gold has it. --merge \
        unanimous (or majority) puts into gold the spans every layer (or most) has exactly; \
        --accept SPAN puts one layer's version in. Relations follow their spans. Each action \
        is one undoable change, recorded under --annotator, the curator."
    )]
    Curate(team::CurateArgs),
    /// How far annotators agree: span F1, Cohen's κ, Krippendorff's α, per pair, label, document
    #[command(
        long_about = "How far annotators agree, over the documents two or more of them \
        annotated or were assigned: span F1 with exact boundaries and with overlap, Cohen's κ \
        per pair on word tokens, Krippendorff's α (nominal) with each character a unit, α on \
        document labels, and relation F1 (both ends matched). Per annotator pair, per label, \
        per document (most disagreement first) and overall. The gold layer takes part only \
        when --annotators names it."
    )]
    Agreement(team::AgreementArgs),
    /// Attributions, boilerplate and pattern-file spans proposed for documents; --apply adds them
    #[command(
        long_about = "Attributions, boilerplate and pattern-file spans proposed for documents. \
        The rules (English) find direct quotes, mixed and indirect speech: the statement as a \
        CLAIM, the speaker as a SOURCE (a pronoun with the name it refers to), the reporting \
        words as a CUE, linked by attributed_to and cue_of; and site furniture as BOILERPLATE. \
        A spaCy/Prodigy pattern file (JSONL, one {\"label\", \"pattern\", \"id\"} a line) adds \
        phrase and token patterns (ORTH, TEXT, LOWER, NORM, LENGTH, IS_* flags, \
        LIKE_NUM/URL/EMAIL, IN, NOT_IN, REGEX, FUZZY, comparisons on LENGTH, the OP \
        quantifiers); patterns that need a trained model (POS, TAG, DEP, LEMMA, MORPH, \
        ENT_TYPE, _) are refused with their line. Suggestions are printed; --apply adds them as \
        annotations of --annotator, one undo step per document. docs/suggestions.md has more."
    )]
    Suggest(suggest::SuggestArgs),
    /// Rebuild the search index from the database
    Reindex(search::ReindexArgs),
    /// Take a snapshot of the workspace's database (kept in WORKSPACE/backups), or list them
    #[command(long_about = "Take a snapshot of the workspace's database now, into \
        WORKSPACE/backups, and keep only the newest ones (10 unless --keep says otherwise). \
        Snapshots are also taken before every upgrade of the database and once a day while \
        the app is used. `parallax restore` puts one back.")]
    Backup(workspace::BackupArgs),
    /// Put a snapshot back in place of the workspace's database
    #[command(
        long_about = "Put a snapshot back in place of the workspace's database. Refused \
        while Parallax (the app or a command) has the workspace open. What it replaces is kept \
        as a `before-restore` snapshot, and the search index is rebuilt on the next open."
    )]
    Restore(workspace::RestoreArgs),
    /// Check that the workspace's database is whole (exit status 1 if not)
    Check(workspace::CheckArgs),
    /// Counts of documents, spans, relations and annotators
    Stats(workspace::StatsArgs),
    /// Print the label schema as JSON, or replace it with one from a file
    Schema(workspace::SchemaArgs),
    /// Link the workspace to a team's PostgreSQL server, or set that server up
    #[command(
        long_about = "Link the workspace to a team's PostgreSQL server (set), show the \
        link (show), or create and upgrade the server's Parallax tables and roles \
        (init-server, by an administrator). The password comes from PGPASSWORD or ~/.pgpass, \
        never from the address. docs/team-server.md tells an administrator the rest."
    )]
    Remote(remote::RemoteArgs),
    /// Send this workspace's changes to its team server and take in everyone else's
    #[command(
        long_about = "Send the changes made here (under the server role's annotator \
        name) to the team server and take in everyone else's, in the server's one order. \
        Where two people changed the same field, the later change wins and the other value \
        is listed by --conflicts. A sync cut anywhere is completed by the next."
    )]
    Sync(remote::SyncArgs),
    /// Make a new workspace holding everything a team server has, linked to it
    Clone(remote::CloneArgs),
}

fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::Import(args) => return import::run(args),
        Command::Check(args) => return workspace::check(args),
        Command::Init(args) => workspace::init(args),
        Command::Demo(args) => workspace::demo(args),
        Command::Backup(args) => workspace::backup(args),
        Command::Restore(args) => workspace::restore(args),
        Command::Stats(args) => workspace::stats(args),
        Command::Schema(args) => workspace::schema(args),
        Command::Docs(args) => annotate::docs(args),
        Command::Show(args) => annotate::show(args),
        Command::Annotate(args) => annotate::annotate(args),
        Command::Relate(args) => annotate::relate(args),
        Command::Delete(args) => annotate::delete(args),
        Command::Status(args) => annotate::status(args),
        Command::Undo(args) => annotate::undo(args),
        Command::Redo(args) => annotate::redo(args),
        Command::History(args) => annotate::history(args),
        Command::Export(args) => export::run(args),
        Command::Search(args) => search::search(args),
        Command::Occurrences(args) => search::occurrences(args),
        Command::Similar(args) => search::similar(args),
        Command::Reindex(args) => search::reindex(args),
        Command::Sources(args) => cross::sources(args),
        Command::Groups(args) => cross::groups(args),
        Command::Group(args) => cross::group(args),
        Command::Entity(args) => cross::entity(args),
        Command::Assign(args) => team::assign(args),
        Command::Agreement(args) => team::agreement(args),
        Command::Curate(args) => team::curate(args),
        Command::Suggest(args) => suggest::suggest(args),
        Command::Remote(args) => remote::remote(args),
        Command::Sync(args) => remote::sync(args),
        Command::Clone(args) => remote::clone(args),
    }?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("PARALLAX_LOG"))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parallax: error: {e}");
            ExitCode::FAILURE
        }
    }
}
