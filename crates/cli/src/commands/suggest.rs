//! `parallax suggest`: what the attribution rules and a pattern file propose for documents,
//! printed or accepted as annotations; and keeping a pattern file in the workspace.

use std::path::PathBuf;

use parallax_core::suggest::SuggestOptions;
use parallax_core::{Error, Workspace};

use super::Annotator;
use crate::print;

#[derive(clap::Args)]
pub struct SuggestArgs {
    workspace: PathBuf,
    /// Documents (ids or unique prefixes); all of them when none is given
    docs: Vec<String>,
    /// A spaCy/Prodigy pattern file (JSONL) to use instead of the one the workspace keeps
    #[arg(long, value_name = "FILE")]
    patterns: Option<PathBuf>,
    /// Keep the --patterns file in the workspace for later runs and the app (an empty file
    /// removes the kept one)
    #[arg(long, requires = "patterns")]
    keep: bool,
    /// Only the pattern file's suggestions, not the attribution and boilerplate rules'
    #[arg(long)]
    no_rules: bool,
    /// Add every suggestion as annotations of --annotator (one undo step per document); spans
    /// the layer already has are not added twice. Without it, what --annotator has not
    /// annotated or turned down yet is printed
    #[arg(long)]
    apply: bool,
    /// One JSON object a suggestion
    #[arg(long)]
    json: bool,
    /// Every match of every pattern, overlapping ones too (as spaCy's Matcher lists them), to
    /// check a pattern file
    #[arg(long, conflicts_with = "apply")]
    every_match: bool,
    #[command(flatten)]
    annotator: Annotator,
}

pub fn suggest(args: SuggestArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let patterns = match &args.patterns {
        Some(path) => {
            let jsonl = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            if args.keep {
                ws.set_patterns(&jsonl)?;
            }
            ws.checked_patterns(&jsonl)?
        }
        None => ws.patterns()?,
    };
    if args.no_rules && patterns.is_empty() {
        return Err(Error::InvalidSetting(
            "--no-rules leaves nothing to suggest without patterns: give a pattern file with \
             --patterns FILE (add --keep to keep it in the workspace)"
                .into(),
        ));
    }
    let options = SuggestOptions {
        rules: !args.no_rules,
        every_match: args.every_match,
    };
    let docs = if args.docs.is_empty() {
        ws.list_documents()?.into_iter().map(|d| d.id).collect()
    } else {
        args.docs
            .iter()
            .map(|d| ws.resolve_document(d))
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut totals = print::Accepted::default();
    let who = &args.annotator.annotator;
    let suggester = ws.suggester(&patterns, options)?;
    if args.apply {
        suggester.accept_all(&ws, &docs, who, |_, outcome| totals.add(outcome))?;
    } else {
        for doc in &docs {
            // What the annotator has not annotated or turned down yet.
            let found = suggester.open_suggestions(&ws, doc, who)?;
            print::suggestions(doc, &found, args.json)?;
            totals.suggestions += found.len();
        }
    }
    totals.documents = docs.len();
    print::accepted(&totals, args.apply)
}
