//! `parallax export`: the workspace as a dataset, filtered, optionally split.

use std::path::PathBuf;

use parallax_core::export::{ExportFilter, ExportOptions, SplitBy, SplitSpec};
use parallax_core::formats::Format;
use parallax_core::model::DocStatus;
use parallax_core::{Error, Workspace};

use super::writable_format;
use crate::{print, progress};

#[derive(clap::Args)]
pub struct ExportArgs {
    workspace: PathBuf,
    #[arg(long, value_parser = writable_format(), default_value = "jsonl")]
    format: Format,
    /// Output file, or folder for brat and for splits (written atomically)
    #[arg(short, long)]
    output: PathBuf,
    /// Only documents with this status (repeatable)
    #[arg(long, value_enum)]
    status: Vec<DocStatus>,
    /// Only spans with this label (repeatable); relations follow their spans
    #[arg(long)]
    label: Vec<String>,
    /// The layer to export: `gold`, `all` (each annotation with its annotator), or an
    /// annotator's name (repeatable). Default: gold when the workspace has one, else all
    #[arg(long = "layer", visible_alias = "annotator", value_name = "LAYER")]
    layers: Vec<String>,
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
    #[arg(long, value_enum, default_value_t = SplitBy::Group, requires = "split")]
    by: SplitBy,
    /// Leave the text under BOILERPLATE spans out of each document (every other span's
    /// offsets follow; a span overlapping boilerplate is left out)
    #[arg(long)]
    without_boilerplate: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(args: ExportArgs) -> Result<(), Error> {
    let ws = Workspace::open(&args.workspace)?;
    let split = match args.split {
        None => None,
        Some(ratios) => Some(SplitSpec::parse(&ratios, args.seed, args.by)?),
    };
    let opts = ExportOptions {
        format: args.format,
        filter: ExportFilter {
            statuses: args.status,
            outlets: args.outlet,
            published_from: args.from,
            published_to: args.to,
            labels: args.label,
            all_layers: args.layers.iter().any(|l| l == "all"),
            annotators: args.layers.into_iter().filter(|l| l != "all").collect(),
            without_boilerplate: args.without_boilerplate,
        },
        split,
        seed: Some(args.seed),
    };
    let bar = progress::Bar::documents();
    let report = ws.export(&opts, &args.output, None, &mut |done, total| {
        bar.set(done, total)
    })?;
    bar.finish();
    print::export_report(&report, args.json)
}
