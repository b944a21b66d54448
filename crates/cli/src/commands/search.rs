//! Finding things: search documents and spans, occurrences of a phrase, similar passages, and
//! rebuilding the index they read.

use std::path::PathBuf;

use parallax_core::search::{Page, SearchIndex, SortBy};
use parallax_core::{Error, Workspace};

use super::search_index;
use crate::{print, progress};

#[derive(clap::Args)]
pub struct SearchArgs {
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
    #[arg(long, value_enum, default_value_t = SortBy::Relevance)]
    sort: SortBy,
    /// One JSON object per hit
    #[arg(long)]
    json: bool,
}

pub fn search(args: SearchArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    let index = search_index(&ws)?;
    let page = Page {
        limit: args.limit,
        offset: args.offset,
    };
    if args.spans {
        print::span_hits(&index.search_spans(&ws, &args.query, page)?, args.json)
    } else {
        let hits = index.search_documents(&ws, &args.query, page, args.sort)?;
        print::document_hits(&hits, args.json)
    }
}

#[derive(clap::Args)]
pub struct OccurrencesArgs {
    workspace: PathBuf,
    phrase: String,
    #[arg(long)]
    json: bool,
}

pub fn occurrences(args: OccurrencesArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    print::occurrences(
        &search_index(&ws)?.occurrences(&ws, &args.phrase)?,
        args.json,
    )
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("passage").required(true).args(["span", "text"])))]
pub struct SimilarArgs {
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
}

pub fn similar(args: SimilarArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    // clap's `passage` group makes one of the two present.
    let (passage, exclude) = match args.span {
        Some(id) => {
            let span = ws.span(&id)?;
            (span.text, Some(span.doc_id))
        }
        None => (args.text.unwrap_or_default(), None),
    };
    let index = search_index(&ws)?;
    let similar = index.similar(&ws, &passage, exclude.as_deref(), args.limit)?;
    print::similar(&similar, args.json)
}

#[derive(clap::Args)]
pub struct ReindexArgs {
    workspace: PathBuf,
}

pub fn reindex(args: ReindexArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    let bar = progress::Bar::indexing();
    let t = std::time::Instant::now();
    SearchIndex::rebuild(&ws, &mut |p| bar.set(p.done, p.total))?;
    bar.finish();
    eprintln!(
        "indexed {} documents in {:.1} s",
        ws.document_count()?,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
