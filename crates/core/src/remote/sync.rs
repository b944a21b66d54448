//! A sync: take in what the server has that this workspace lacks, then send what it has that
//! the server lacks. Sending waits its turn and goes only when the workspace has taken in
//! everything before it, so that every workspace applies the same changes in the same order.

use std::path::Path;

use postgres::{Client, IsolationLevel};
use serde::Serialize;

use super::link::Link;
use super::server;
use crate::error::{Error, Result};
use crate::store::Workspace;
use crate::store::replica::{Travelling, TravellingDocument};

/// Serialises sending (one workspace at a time), so that the server's order is the order in
/// which changes were committed.
/// The server's triggers take the same lock (crates/core/server/0001_server.sql: 5782993836994548552).
const PUSH_LOCK: i64 = 0x5041_5241_5055_5348; // "PARAPUSH"

/// Rows taken from the server per local transaction.
const BATCH: i64 = 2_000;

/// How many times a sync takes in and tries again when others sent in between.
const ATTEMPTS: usize = 10;

/// What one sync moved.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncReport {
    pub sent_documents: u32,
    pub sent_changes: u32,
    pub received_documents: u32,
    pub received_changes: u32,
    /// Conflicts met by this sync (all are in `parallax sync --conflicts`).
    pub conflicts: u32,
    /// Changes received that could not be applied here, set aside (listed as conflicts).
    pub set_aside: u32,
    /// Changes made here that the server refused, set aside (listed as conflicts).
    pub refused: u32,
    /// Changes made here under other annotators' names: only they can send them.
    pub unsent_of_others: u32,
}

/// Sends this workspace's unsent changes and takes in everyone else's. `password`: the
/// server's, if the user typed one (else `PGPASSWORD` or `~/.pgpass`).
pub fn sync(ws: &mut Workspace, password: Option<&str>) -> Result<SyncReport> {
    let link = linked(ws)?;
    let mut client = link.connect(password)?;
    server::check(&mut client)?;
    let mut report = SyncReport::default();
    let mut behind = 0;
    while behind < ATTEMPTS {
        pull(ws, &mut client, link.user(), &mut report)?;
        match push(ws, &mut client, link.user(), &mut report)? {
            Pushed::All => return Ok(report),
            Pushed::Behind => behind += 1,
            // One change fewer to send: again at once.
            Pushed::Refused => {}
        }
    }
    Err(Error::Remote(
        "others kept sending while this workspace caught up; sync again".into(),
    ))
}

/// Makes a new workspace in `root` holding everything the server at `url` has, linked to it.
pub fn clone(url: &str, root: &Path, password: Option<&str>) -> Result<(Workspace, SyncReport)> {
    let link = Link::parse(url)?;
    let mut client = link.connect(password)?;
    server::check(&mut client)?;
    let mut ws = Workspace::init(root)?;
    ws.set_remote_url(link.url())?;
    let mut report = SyncReport::default();
    pull(&mut ws, &mut client, link.user(), &mut report)?;
    Ok((ws, report))
}

/// Creates or upgrades the Parallax tables on the server the workspace is linked to.
/// Returns the server versions before and after.
pub fn init_server(ws: &Workspace, password: Option<&str>) -> Result<(i64, i64)> {
    let link = linked(ws)?;
    server::init(&mut link.connect(password)?)
}

fn linked(ws: &Workspace) -> Result<Link> {
    Link::parse(&ws.remote_url()?.ok_or(Error::NoRemote)?)
}

/// Takes in the documents and changes past the workspace's cursors, from one snapshot of the
/// server, in batches that each commit with their cursor.
fn pull(
    ws: &mut Workspace,
    client: &mut Client,
    user: &str,
    report: &mut SyncReport,
) -> Result<()> {
    let (mut cursor, mut doc_cursor) = ws.remote_cursors()?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    loop {
        let rows = tx.query(
            "SELECT seq, sha256, text, meta::text, imported_at FROM parallax.documents
             WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&doc_cursor, &(BATCH / 10)],
        )?;
        let Some(last) = rows.last() else { break };
        doc_cursor = last.get(0);
        let docs = rows
            .iter()
            .map(|r| {
                Ok((
                    r.get::<_, i64>(0),
                    TravellingDocument {
                        sha256: r.get(1),
                        text: r.get(2),
                        meta: serde_json::from_str(r.get::<_, &str>(3))?,
                        imported_at: r.get(4),
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let taken = ws.take_in(docs, vec![], user)?;
        report.received_documents += taken.documents;
    }
    loop {
        let rows = tx.query(
            "SELECT seq, change_id::text, author, at, doc, action, changes::text FROM parallax.changes
             WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&cursor, &BATCH],
        )?;
        let Some(last) = rows.last() else { break };
        cursor = last.get(0);
        let changes = rows
            .iter()
            .map(|r| {
                Ok((
                    r.get::<_, i64>(0),
                    Travelling {
                        change_id: r.get(1),
                        author: r.get(2),
                        at: r.get(3),
                        doc: r.get(4),
                        action: r.get(5),
                        changes: serde_json::from_str(r.get::<_, &str>(6))?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let taken = ws.take_in(vec![], changes, user)?;
        report.received_changes += taken.changes;
        report.conflicts += taken.conflicts;
        report.set_aside += taken.set_aside;
    }
    tx.commit()?;
    Ok(())
}

/// How a send ended.
enum Pushed {
    /// Everything there was to send is on the server.
    All,
    /// Others sent first: take in again, then send.
    Behind,
    /// The server refused a change, now set aside: send the rest again.
    Refused,
}

/// Sends what the workspace has and the server lacks, if the workspace has taken in all the
/// server has.
fn push(
    ws: &mut Workspace,
    client: &mut Client,
    user: &str,
    report: &mut SyncReport,
) -> Result<Pushed> {
    let outbox = ws.outbox(user)?;
    report.unsent_of_others = outbox.others;
    if outbox.documents.is_empty() && outbox.changes.is_empty() {
        return Ok(Pushed::All);
    }
    let (cursor, _) = ws.remote_cursors()?;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])?;
    let head: i64 = tx
        .query_one("SELECT coalesce(max(seq), 0) FROM parallax.changes", &[])?
        .get(0);
    if head > cursor {
        return Ok(Pushed::Behind); // rolled back as `tx` drops
    }
    let add_document = tx.prepare(
        "INSERT INTO parallax.documents(sha256, text, meta, imported_at)
         VALUES ($1, $2, $3::text::jsonb, $4) ON CONFLICT (sha256) DO NOTHING",
    )?;
    for doc in &outbox.documents {
        let meta = doc.meta.to_string();
        report.sent_documents += tx.execute(
            &add_document,
            &[&doc.sha256, &doc.text, &meta, &doc.imported_at],
        )? as u32;
    }
    let add_change = tx.prepare(
        "INSERT INTO parallax.changes(change_id, author, at, doc, action, changes)
         VALUES ($1::text::uuid, $2, $3, $4, $5, $6::text::jsonb)
         ON CONFLICT (change_id) DO NOTHING RETURNING seq",
    )?;
    let mut sent = Vec::with_capacity(outbox.changes.len());
    let mut last = cursor;
    for change in &outbox.changes {
        let changes = change.changes.to_string();
        let inserted = tx.query_opt(
            &add_change,
            &[
                &change.change_id,
                &change.author,
                &change.at,
                &change.doc,
                &change.action,
                &changes,
            ],
        );
        let row = match inserted.map_err(Error::from) {
            Ok(row) => row,
            // Set aside, so that it no longer holds up the rest; then everything again.
            Err(Error::RemoteRefused(why)) => {
                drop(tx);
                ws.refused(change, &why)?;
                report.refused += 1;
                return Ok(Pushed::Refused);
            }
            Err(e) => return Err(e),
        };
        let seq: i64 = match row {
            Some(row) => {
                report.sent_changes += 1;
                row.get(0)
            }
            None => tx
                .query_one(
                    "SELECT seq FROM parallax.changes WHERE change_id = $1::text::uuid",
                    &[&change.change_id],
                )?
                .get(0),
        };
        last = last.max(seq);
        sent.push((change.change_id.clone(), seq));
    }
    tx.commit()?;
    ws.mark_sent(&outbox.document_ids, &sent, last)?;
    Ok(Pushed::All)
}
