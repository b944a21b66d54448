//! Commands on a workspace as a whole: create it, back it up and restore it, check it, count
//! what it holds, read or replace its schema.

use std::path::PathBuf;
use std::process::ExitCode;

use parallax_core::model::LabelSchema;
use parallax_core::store::backup;
use parallax_core::{Error, Workspace};

use crate::print;

#[derive(clap::Args)]
pub struct InitArgs {
    /// Folder of the new workspace (created if missing)
    workspace: PathBuf,
}

pub fn init(args: InitArgs) -> Result<(), Error> {
    let ws = Workspace::init(&args.workspace)?;
    println!("created workspace {}", ws.root().display());
    Ok(())
}

pub fn demo(args: InitArgs) -> Result<(), Error> {
    let ws = parallax_core::demo::open_or_create(&args.workspace)?;
    println!(
        "demo workspace {} with {} documents",
        ws.root().display(),
        ws.document_count()?
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct BackupArgs {
    workspace: PathBuf,
    /// List the snapshots instead of taking one
    #[arg(long)]
    list: bool,
    /// Keep this many snapshots from now on (older ones are deleted)
    #[arg(long, value_name = "N")]
    keep: Option<usize>,
    #[arg(long)]
    json: bool,
}

pub fn backup(args: BackupArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    if let Some(keep) = args.keep {
        ws.set_backups_kept(keep)?;
    }
    if args.list {
        print::snapshots(&ws.backups()?, args.json)
    } else {
        print::snapshots(&[ws.backup("manual")?], args.json)
    }
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    workspace: PathBuf,
    /// A snapshot's file name in WORKSPACE/backups, or a path to one
    snapshot: PathBuf,
}

pub fn restore(args: RestoreArgs) -> Result<(), Error> {
    let snapshot = backup::find(&args.workspace, &args.snapshot);
    let kept = backup::restore(&args.workspace, &snapshot)?;
    println!(
        "restored {}; what it replaced is kept as {}",
        snapshot.display(),
        kept.path.display()
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct CheckArgs {
    workspace: PathBuf,
}

/// Exit status 1 when the database has problems.
pub fn check(args: CheckArgs) -> Result<ExitCode, Error> {
    let problems = Workspace::open(&args.workspace)?.problems()?;
    if problems.is_empty() {
        println!("{}: the database is whole", args.workspace.display());
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        println!("{p}");
    }
    eprintln!(
        "parallax: {} problems; `parallax backup {} --list` shows snapshots to restore",
        problems.len(),
        args.workspace.display()
    );
    Ok(ExitCode::FAILURE)
}

#[derive(clap::Args)]
pub struct StatsArgs {
    workspace: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn stats(args: StatsArgs) -> Result<(), Error> {
    print::stats(&Workspace::open(&args.workspace)?.stats()?, args.json)
}

#[derive(clap::Args)]
pub struct SchemaArgs {
    workspace: PathBuf,
    /// A schema in the same JSON form, to replace the current one with
    #[arg(long, value_name = "FILE")]
    apply: Option<PathBuf>,
    /// With --apply: a span label renamed, whose spans keep it (repeatable)
    #[arg(long, value_name = "OLD=NEW", requires = "apply", value_parser = parse_rename)]
    rename: Vec<(String, String)>,
    #[command(flatten)]
    who: super::Annotator,
}

pub fn schema(args: SchemaArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let schema = match args.apply {
        Some(file) => {
            let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
            let new: LabelSchema = serde_json::from_str(&text)
                .map_err(|e| Error::InvalidSchema(format!("{}: {e}", file.display())))?;
            ws.update_schema(&new, &args.rename, &args.who.annotator)?
        }
        None => ws.schema()?,
    };
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(())
}

fn parse_rename(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((old, new)) if !old.trim().is_empty() && !new.trim().is_empty() => {
            Ok((old.trim().to_string(), new.trim().to_string()))
        }
        _ => Err(format!("`{s}`: write the rename as OLD=NEW")),
    }
}
