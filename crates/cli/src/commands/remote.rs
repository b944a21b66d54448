//! Team server: linking a workspace, setting up the server, syncing, cloning.

use std::path::PathBuf;

use parallax_core::remote::{self, Link};
use parallax_core::{Error, Workspace};

use crate::print;

#[derive(clap::Args)]
pub struct RemoteArgs {
    workspace: PathBuf,
    #[command(subcommand)]
    action: RemoteAction,
}

#[derive(clap::Subcommand)]
enum RemoteAction {
    /// Link the workspace to a server: postgres://user@host[:port]/database[?sslmode=require]
    Set { url: String },
    /// Print the server the workspace is linked to, and what waits to be sent
    Show,
    /// Create the Parallax tables and roles on the linked server, or upgrade them
    InitServer,
}

#[derive(clap::Args)]
pub struct SyncArgs {
    workspace: PathBuf,
    /// List the conflicts syncs met instead of syncing
    #[arg(long)]
    conflicts: bool,
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct CloneArgs {
    /// The server: postgres://user@host[:port]/database
    url: String,
    /// The new workspace's folder
    workspace: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn remote(args: RemoteArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    match args.action {
        RemoteAction::Set { url } => {
            let link = Link::parse(&url)?;
            ws.set_remote_url(link.url())?;
            println!("linked to {} as {}", link.url(), link.user());
        }
        RemoteAction::Show => match ws.remote_url()? {
            Some(url) => println!("{url}\n{} changes to send", ws.unsent_changes()?),
            None => return Err(Error::NoRemote),
        },
        RemoteAction::InitServer => {
            let (from, to) = remote::init_server(&ws, None)?;
            if from == to {
                println!("the server is up to date (version {to})");
            } else {
                println!("the server was set up from version {from} to {to}");
            }
        }
    }
    Ok(())
}

pub fn sync(args: SyncArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    if args.conflicts {
        return print::sync_conflicts(&ws.sync_conflicts()?, args.json);
    }
    let report = remote::sync(&mut ws, None)?;
    print::sync_report(&report, args.json)
}

pub fn clone(args: CloneArgs) -> Result<(), Error> {
    let (_, report) = remote::clone(&args.url, &args.workspace, None)?;
    print::sync_report(&report, args.json)
}
