//! `parallax-bench sync`: keeping workspaces in step through a local PostgreSQL server (one the
//! benchmark starts, as the tests do): N changes sent by one workspace and taken in by another,
//! then a workspace of many pre-annotated documents sent and cloned from scratch.

use std::path::Path;
use std::time::Instant;

use parallax_core::import::ImportOptions;
use parallax_core::store::NewSpan;
use parallax_core::{Error, Workspace, remote};
use parallax_pgtest::{ADMIN, Cluster, password};
use serde::Serialize;

use crate::formats::write_corpus;
use crate::import::generate_and_import;
use crate::measure::Outcome;

#[derive(Serialize)]
pub struct SyncResult {
    changes: usize,
    /// Sending the changes (one sync).
    push_s: f64,
    /// Taking them in on another workspace (one sync).
    pull_s: f64,
    docs: u64,
    spans: usize,
    /// The first sync of the annotated workspace: texts, and the annotations as imported.
    first_push_s: f64,
    /// A new workspace cloned from the server.
    clone_s: f64,
    clone_docs: u32,
    clone_spans: u32,
}

fn server(cluster: &Cluster, root: &Path, db: &str) -> Result<String, Error> {
    cluster
        .admin("postgres")
        .batch_execute(&format!("CREATE DATABASE {db}"))?;
    let url = cluster.url(ADMIN, db);
    let mut ws = Workspace::init(root.join(format!("{db}-admin")))?;
    ws.set_remote_url(&url)?;
    remote::init_server(&ws, Some(&password(ADMIN)))?;
    Ok(url)
}

fn sync(ws: &mut Workspace) -> Result<remote::SyncReport, Error> {
    remote::sync(ws, Some(&password(ADMIN)))
}

pub fn sync_bench(
    root: &Path,
    changes: usize,
    docs: u64,
    spans_per_doc: usize,
    seed: u64,
) -> Result<SyncResult, Error> {
    let cluster = Cluster::start();

    // N changes: spans added one at a time over a hundred articles, sent, and taken in.
    let url = server(&cluster, root, "changes")?;
    let mut corpus = generate_and_import(&root.join("a"), 100, seed)?;
    let a = &mut corpus.workspace;
    a.set_remote_url(&url)?;
    sync(a)?;
    let (mut b, _) = remote::clone(&url, &root.join("b"), Some(&password(ADMIN)))?;
    let docs_a = a.list_documents()?;
    let mut made = 0;
    'outer: for round in 0.. {
        for d in &docs_a {
            let text = a.document(&d.id)?.text;
            let words = parallax_synth::word_extents(&text);
            let Some(&(start, end)) = words.get(round) else {
                continue;
            };
            a.add_span(
                NewSpan {
                    doc_id: d.id.clone(),
                    start,
                    end,
                    label: "CUE".into(),
                    ..NewSpan::default()
                },
                ADMIN,
            )?;
            made += 1;
            if made == changes {
                break 'outer;
            }
        }
    }
    let t = Instant::now();
    let sent = sync(a)?;
    let push_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let received = sync(&mut b)?;
    let pull_s = t.elapsed().as_secs_f64();
    assert_eq!(sent.sent_changes as usize, changes, "{sent:?}");
    assert_eq!(received.received_changes as usize, changes, "{received:?}");

    // A workspace of pre-annotated documents, sent for the first time, then cloned.
    let url = server(&cluster, root, "clone")?;
    let jsonl = root.join("annotated.jsonl");
    let (spans, _) = write_corpus(&jsonl, docs, spans_per_doc, seed)?;
    let mut c = Workspace::init(root.join("c"))?;
    let options = ImportOptions {
        annotator: ADMIN.into(),
        ..ImportOptions::default()
    };
    c.import_paths(&[jsonl], &options, None, &mut |_| {})?;
    c.set_remote_url(&url)?;
    let t = Instant::now();
    sync(&mut c)?;
    let first_push_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (d, _) = remote::clone(&url, &root.join("d"), Some(&password(ADMIN)))?;
    let clone_s = t.elapsed().as_secs_f64();
    let stats = d.stats()?;
    Ok(SyncResult {
        changes,
        push_s,
        pull_s,
        docs,
        spans,
        first_push_s,
        clone_s,
        clone_docs: d.document_count()?,
        clone_spans: stats.spans,
    })
}

impl Outcome for SyncResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "sync: {} changes sent in {:.2} s, taken in by another workspace in {:.2} s",
            r.changes, r.push_s, r.pull_s
        );
        println!(
            "sync: {} documents with {} spans sent for the first time in {:.2} s; cloned in {:.2} s ({} documents, {} spans)",
            r.docs, r.spans, r.first_push_s, r.clone_s, r.clone_docs, r.clone_spans
        );
    }
}
