//! `parallax suggest`: the spans a pattern file proposes for documents, and keeping a pattern
//! file in the workspace.

use std::path::PathBuf;

use parallax_core::{Error, Workspace};

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
    /// One JSON object a suggestion
    #[arg(long)]
    json: bool,
    /// Every match of every pattern, overlapping ones too (as spaCy's Matcher lists them), to
    /// check a pattern file
    #[arg(long)]
    every_match: bool,
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
    if patterns.is_empty() {
        return Err(Error::InvalidSetting(
            "no patterns: give a pattern file with --patterns FILE (add --keep to keep it in \
             the workspace)"
                .into(),
        ));
    }
    let docs = if args.docs.is_empty() {
        ws.list_documents()?.into_iter().map(|d| d.id).collect()
    } else {
        args.docs
            .iter()
            .map(|d| ws.resolve_document(d))
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut total = 0;
    for doc in &docs {
        let found = ws.suggestions(doc, &patterns, args.every_match)?;
        total += found.len();
        print::suggestions(doc, &found, args.json)?;
    }
    if !args.json {
        eprintln!("{total} suggestions in {} documents", docs.len());
    }
    Ok(())
}
