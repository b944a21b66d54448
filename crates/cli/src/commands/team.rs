//! Teams: who annotates which document, how far annotators agree, and curation into gold.

use std::path::PathBuf;

use parallax_core::agreement::AgreementOptions;
use parallax_core::model::DocStatus;
use parallax_core::store::{AssignOptions, MergeRule};
use parallax_core::{Error, Workspace};

use super::Annotator;
use crate::print;

#[derive(clap::Args)]
pub struct AssignArgs {
    workspace: PathBuf,
    /// Share every document out among these annotators, comma-separated
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "A,B,C",
        required_unless_present = "doc"
    )]
    annotators: Vec<String>,
    /// The share of documents (0 to 1) that more than one annotator labels, for agreement
    #[arg(long, default_value_t = 0.0, conflicts_with = "doc")]
    overlap: f64,
    /// Annotators of each shared document
    #[arg(long, default_value_t = 2, conflicts_with = "doc")]
    per_doc: u32,
    /// Picks the shared documents: the same seed shares out the same way
    #[arg(long, default_value_t = 1, conflicts_with = "doc")]
    seed: u64,
    /// Only documents with this status (repeatable)
    #[arg(long, conflicts_with = "doc")]
    status: Vec<DocStatus>,
    /// Set the annotators of this one document instead (with --to)
    #[arg(
        long,
        value_name = "DOC",
        requires = "to",
        conflicts_with = "annotators"
    )]
    doc: Option<String>,
    /// With --doc: its annotators, comma-separated (empty: nobody)
    #[arg(long, value_delimiter = ',', value_name = "A,B", num_args = 0..)]
    to: Option<Vec<String>>,
    #[command(flatten)]
    who: Annotator,
    #[arg(long)]
    json: bool,
}

pub fn assign(args: AssignArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    if let Some(doc) = &args.doc {
        let to: Vec<String> = args
            .to
            .unwrap_or_default()
            .into_iter()
            .filter(|n| !n.trim().is_empty())
            .collect();
        return ws.set_assignees(doc, &to, &args.who.annotator);
    }
    let report = ws.assign(
        &AssignOptions {
            annotators: args.annotators,
            overlap: args.overlap,
            per_doc: args.per_doc,
            seed: args.seed,
            statuses: args.status,
        },
        &args.who.annotator,
    )?;
    print::assign_report(&report, args.json)
}

#[derive(clap::Args)]
pub struct AgreementArgs {
    workspace: PathBuf,
    /// Only this span label (repeatable)
    #[arg(long = "label", value_name = "LABEL")]
    labels: Vec<String>,
    /// Only these annotators, comma-separated (the `gold` layer only when named)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    annotators: Vec<String>,
    /// One JSON object with every figure
    #[arg(long)]
    json: bool,
}

pub fn agreement(args: AgreementArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    let report = ws.agreement(&AgreementOptions {
        annotators: args.annotators,
        labels: args.labels,
    })?;
    print::agreement(&report, args.json)
}

#[derive(clap::Args)]
pub struct CurateArgs {
    workspace: PathBuf,
    /// Document id, or a unique prefix of one
    doc: String,
    /// Merge into gold what the layers agree on: every layer, or a majority
    #[arg(long, value_enum, value_name = "RULE")]
    merge: Option<MergeRule>,
    /// Put this span (any layer's version) into gold in place of the versions it conflicts
    /// with, with its relations (repeatable)
    #[arg(long, value_name = "SPAN")]
    accept: Vec<String>,
    /// Turn down this span's version (any layer's span with its extent and label): out of
    /// gold, and out of later merges (repeatable)
    #[arg(long, value_name = "SPAN")]
    reject: Vec<String>,
    /// Mark the document's curation finished (its gold status `curated`)
    #[arg(long)]
    finish: bool,
    #[command(flatten)]
    who: Annotator,
    /// One JSON object: the document's versions of each span and what gold has
    #[arg(long)]
    json: bool,
}

pub fn curate(args: CurateArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let curator = &args.who.annotator;
    if let Some(rule) = args.merge {
        let merged = ws.merge_agreed(&args.doc, rule, curator)?;
        eprintln!(
            "merged into gold: {} spans, {} relations",
            merged.spans, merged.relations
        );
    }
    for span in &args.accept {
        let merged = ws.accept_into_gold(span, curator)?;
        eprintln!(
            "accepted {span}: {} spans, {} relations into gold",
            merged.spans, merged.relations
        );
    }
    for span in &args.reject {
        ws.reject_version(span, curator)?;
        eprintln!("rejected {span}");
    }
    if args.finish {
        ws.finish_curation(&args.doc, true, curator)?;
        eprintln!("curation finished");
    }
    print::curation(&ws.curation(&args.doc, curator)?, args.json)
}
