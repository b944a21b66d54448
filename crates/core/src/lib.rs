//! The Parallax engine: a workspace of news documents and their annotations, stored in SQLite;
//! text import, dataset export, and the offset arithmetic they share. No GUI dependency: the
//! desktop shell and the `parallax` CLI only translate to and from this crate.

pub mod agreement;
pub mod clock;
pub mod cross;
pub mod demo;
pub mod error;
pub mod export;
pub mod formats;
pub mod ids;
pub mod import;
mod job;
pub mod model;
pub mod offsets;
pub mod remote;
pub mod search;
pub mod store;
pub mod suggest;
pub mod text;

pub use error::{Error, Result};
pub use store::Workspace;
