//! Keeping workspaces in step through a team's PostgreSQL server: each analyst's workspace stays
//! local (and works offline) while its history meets the others' in one append-only log there.
//! Here: the link (`link`), the server's tables (`server`) and a sync (`sync`); the workspace's
//! own side is `store::replica`, and changes as they travel `store::wire`.

mod link;
mod pgpass;
mod server;
mod sync;

pub use link::Link;
pub use server::SERVER_VERSION;
pub use sync::{SyncReport, clone, init_server, sync};
