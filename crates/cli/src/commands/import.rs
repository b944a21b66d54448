//! `parallax import`: files and folders into a workspace, with a report of what was left out.

use std::path::PathBuf;
use std::process::ExitCode;

use parallax_core::formats::Format;
use parallax_core::import::ImportOptions;
use parallax_core::{Error, Workspace};

use super::{Annotator, readable_format, search_index};
use crate::{print, progress};

/// Exit status when an import finished but left something out: a file, a record or an annotation.
const EXIT_SOME_FAILED: u8 = 3;

#[derive(clap::Args)]
pub struct ImportArgs {
    workspace: PathBuf,
    /// Files and folders to import
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format of every file (default: decided per file by extension and content)
    #[arg(long, value_parser = readable_format())]
    format: Option<Format>,
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
}

pub fn run(args: ImportArgs) -> Result<ExitCode, Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let opts = ImportOptions {
        format: args.format,
        unwrap: !args.no_unwrap,
        outlet: args.outlet,
        text_column: args.text_column,
        annotator: args.who.annotator,
        strict: args.strict,
    };
    let bar = progress::Bar::files();
    let report = ws.import_paths(&args.paths, &opts, None, &mut |p| bar.update(p))?;
    bar.finish();
    print::import_report(&report, args.json)?;
    // Index what came in now, so the first search is quick.
    if !report.imported.is_empty() {
        search_index(&ws)?;
    }
    let left = report.left_out();
    if left.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "parallax: {} could not be imported (listed above)",
        print::left_out(&left)
    );
    Ok(ExitCode::from(EXIT_SOME_FAILED))
}
