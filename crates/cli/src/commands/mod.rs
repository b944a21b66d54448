//! The commands, one module per group, each with its arguments and what it runs; and what they
//! share: who makes a change, attributes given on the command line, opening the search index.

pub mod annotate;
pub mod cross;
pub mod export;
pub mod import;
pub mod remote;
pub mod search;
pub mod suggest;
pub mod team;
pub mod workspace;

use clap::ValueEnum;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use parallax_core::formats::Format;
use parallax_core::search::{SearchIndex, SyncOutcome};
use parallax_core::{Error, Workspace};
use serde_json::{Map, Value};

use crate::progress;

#[derive(clap::Args)]
pub struct Annotator {
    /// Who makes the change
    #[arg(long, env = "PARALLAX_ANNOTATOR", default_value_t = parallax_core::store::current_annotator())]
    pub annotator: String,
}

/// clap's parser of the formats a command takes, so that its help lists only those.
fn format_parser(formats: impl Iterator<Item = Format>) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(formats.filter_map(|f| f.to_possible_value()))
        .try_map(|name| Format::from_str(&name, false))
}

fn readable_format() -> impl TypedValueParser<Value = Format> {
    format_parser(Format::readable())
}

fn writable_format() -> impl TypedValueParser<Value = Format> {
    format_parser(Format::writable())
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
