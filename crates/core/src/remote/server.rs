//! The team server's own tables, kept in `crates/core/server/` as versioned steps (append new
//! files; never edit one that has shipped): creating and upgrading them, and refusing a server
//! that a newer Parallax set up.

use postgres::Client;

use crate::error::{Error, Result};

const STEPS: &[&str] = &[include_str!("../../server/0001_server.sql")];

/// The server version this build reads and writes.
pub const SERVER_VERSION: i64 = STEPS.len() as i64;

/// Serialises `init-server` runs (any number, any client) on one database.
const INIT_LOCK: i64 = 0x5041_5241_4c4c_4158; // "PARALLAX"

/// The server's version: 0 when it has no Parallax tables.
fn version(client: &mut impl postgres::GenericClient) -> Result<i64> {
    let exists: bool = client
        .query_one("SELECT to_regclass('parallax.server') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client.query_opt(
        "SELECT value FROM parallax.server WHERE key = 'version'",
        &[],
    )?;
    let value: String = row.map(|r| r.get(0)).unwrap_or_else(|| "0".into());
    value
        .parse()
        .map_err(|_| Error::Remote(format!("the server's Parallax version reads `{value}`")))
}

/// Refuses a server this build cannot work with, saying what to do.
pub(crate) fn check(client: &mut Client) -> Result<()> {
    match version(client)? {
        0 => Err(Error::RemoteNotSetUp),
        v if v > SERVER_VERSION => Err(Error::RemoteTooNew {
            found: v,
            supported: SERVER_VERSION,
        }),
        v if v < SERVER_VERSION => Err(Error::RemoteTooOld {
            found: v,
            supported: SERVER_VERSION,
        }),
        _ => Ok(()),
    }
}

/// Creates the Parallax tables, or brings them up to this build's version, in one
/// transaction. Returns the versions before and after.
pub fn init(client: &mut Client) -> Result<(i64, i64)> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INIT_LOCK])?;
    let found = version(&mut tx)?;
    if found > SERVER_VERSION {
        return Err(Error::RemoteTooNew {
            found,
            supported: SERVER_VERSION,
        });
    }
    for step in &STEPS[found as usize..] {
        tx.batch_execute(step)?;
    }
    tx.execute(
        "INSERT INTO parallax.server(key, value) VALUES ('version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&SERVER_VERSION.to_string()],
    )?;
    tx.commit()?;
    Ok((found, SERVER_VERSION))
}
