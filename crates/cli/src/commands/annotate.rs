//! Reading and annotating documents: list and show them, add and delete spans and relations,
//! set a status, undo and redo, and the history of changes.

use std::path::PathBuf;

use parallax_core::model::DocStatus;
use parallax_core::store::{DocFilter, NewSpan};
use parallax_core::{Error, Workspace};

use super::{Annotator, parse_attrs};
use crate::print;

#[derive(clap::Args)]
pub struct DocsArgs {
    workspace: PathBuf,
    /// Only the documents assigned to this annotator: their queue
    #[arg(long, value_name = "ANNOTATOR")]
    assigned_to: Option<String>,
    /// One JSON object per line
    #[arg(long)]
    json: bool,
}

pub fn docs(args: DocsArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    let docs = match args.assigned_to {
        None => ws.list_documents()?,
        Some(who) => {
            let filter = DocFilter {
                assigned_to: Some(who),
                ..Default::default()
            };
            ws.list_documents_page(&filter, 0, u32::MAX)?.docs
        }
    };
    print::documents(&docs, args.json)
}

#[derive(clap::Args)]
pub struct ShowArgs {
    workspace: PathBuf,
    /// Document id, or a unique prefix of one (at least 4 characters)
    doc: String,
    #[arg(long)]
    json: bool,
}

pub fn show(args: ShowArgs) -> Result<(), Error> {
    print::document(
        &Workspace::open(&args.workspace)?.document_view(&args.doc)?,
        args.json,
    )
}

#[derive(clap::Args)]
pub struct AnnotateArgs {
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
}

pub fn annotate(args: AnnotateArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let span = ws.add_span(
        NewSpan {
            doc_id: args.doc,
            start: args.start,
            end: args.end,
            label: args.label,
            attrs: parse_attrs(&args.attrs)?,
            note: args.note,
        },
        &args.who.annotator,
    )?;
    println!("{}", span.id);
    Ok(())
}

#[derive(clap::Args)]
pub struct RelateArgs {
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
}

pub fn relate(args: RelateArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let doc_id = ws.resolve_document(&args.doc)?;
    if ws.span(&args.head)?.doc_id != doc_id {
        return Err(Error::SpanNotFound(format!(
            "{} in document {}",
            args.head, args.doc
        )));
    }
    let rel = ws.add_relation(&args.head, &args.child, &args.label, &args.who.annotator)?;
    println!("{}", rel.id);
    Ok(())
}

#[derive(clap::Args)]
pub struct DeleteArgs {
    workspace: PathBuf,
    /// Span id
    span: String,
    #[command(flatten)]
    who: Annotator,
}

pub fn delete(args: DeleteArgs) -> Result<(), Error> {
    Workspace::open(&args.workspace)?.delete_span(&args.span, &args.who.annotator)
}

#[derive(clap::Args)]
pub struct StatusArgs {
    workspace: PathBuf,
    doc: String,
    #[arg(value_enum)]
    status: DocStatus,
    #[command(flatten)]
    who: Annotator,
}

pub fn status(args: StatusArgs) -> Result<(), Error> {
    Workspace::open(&args.workspace)?.set_status(&args.doc, args.status, &args.who.annotator)
}

#[derive(clap::Args)]
pub struct UndoArgs {
    workspace: PathBuf,
    #[command(flatten)]
    who: Annotator,
}

pub fn undo(args: UndoArgs) -> Result<(), Error> {
    let e = Workspace::open(&args.workspace)?.undo(&args.who.annotator)?;
    println!(
        "undid #{} {} by {}: {}",
        e.seq, e.action, e.annotator, e.what
    );
    Ok(())
}

pub fn redo(args: UndoArgs) -> Result<(), Error> {
    let e = Workspace::open(&args.workspace)?.redo(&args.who.annotator)?;
    println!(
        "redid #{} {} by {}: {}",
        e.seq, e.action, e.annotator, e.what
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    workspace: PathBuf,
    #[arg(long, default_value_t = 20)]
    limit: u32,
    #[arg(long)]
    json: bool,
}

pub fn history(args: HistoryArgs) -> Result<(), Error> {
    print::history(
        &Workspace::open(&args.workspace)?.history(args.limit)?,
        args.json,
    )
}
