//! Workspaces kept in step through a real PostgreSQL server: one cluster started for the whole
//! file (`parallax-pgtest`), a database per scenario. Layers, gold and clones; the same
//! field changed on two machines; who may push what; versions; syncs killed at random moments.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use parallax_core::model::{DocMeta, LabelSchema};
use parallax_core::remote::{self, SyncReport};
use parallax_core::store::{GroupEdit, MergeRule, NewDocument, NewSpan};
use parallax_core::{Error, Workspace};
use parallax_pgtest::{ADMIN, Cluster, password};
use serde_json::{Value, json};

const ANNOTATORS: [&str; 3] = ["ana", "ben", "cy"];
const CURATOR: &str = "cura";
const READER: &str = "reed";

/// A scenario's server: a database of its own, set up by the administrator.
struct Server<'c> {
    cluster: &'c Cluster,
    db: String,
}

impl<'c> Server<'c> {
    fn new(cluster: &'c Cluster, name: &str) -> Server<'c> {
        cluster
            .admin("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let server = Server {
            cluster,
            db: name.to_string(),
        };
        let admin = server.workspace(ADMIN);
        remote::init_server(&admin.ws, Some(&password(ADMIN))).unwrap();
        server
    }

    fn url(&self, user: &str) -> String {
        self.cluster.url(user, &self.db)
    }

    /// A new, empty workspace of `user`, linked to this server.
    fn workspace(&self, user: &str) -> Local {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
        ws.set_remote_url(&self.url(user)).unwrap();
        Local {
            _dir: dir,
            ws,
            user: user.to_string(),
        }
    }

    /// A clone of the server into a new workspace of `user`.
    fn clone(&self, user: &str) -> Local {
        let dir = tempfile::tempdir().unwrap();
        let (ws, _) = remote::clone(
            &self.url(user),
            &dir.path().join("ws"),
            Some(&password(user)),
        )
        .unwrap();
        Local {
            _dir: dir,
            ws,
            user: user.to_string(),
        }
    }

    fn changes_on_server(&self) -> i64 {
        self.cluster
            .admin(&self.db)
            .query_one("SELECT count(*) FROM parallax.changes", &[])
            .unwrap()
            .get(0)
    }
}

struct Local {
    _dir: tempfile::TempDir,
    ws: Workspace,
    user: String,
}

impl Local {
    fn sync(&mut self) -> SyncReport {
        self.try_sync()
            .unwrap_or_else(|e| panic!("{}'s sync: {e}", self.user))
    }

    fn try_sync(&mut self) -> Result<SyncReport, Error> {
        remote::sync(&mut self.ws, Some(&password(&self.user)))
    }

    fn import(&mut self, title: &str, text: &str) -> String {
        self.ws
            .insert_document(&NewDocument {
                text: text.into(),
                meta: DocMeta {
                    title: Some(title.into()),
                    ..DocMeta::default()
                },
                sha256: parallax_core::text::sha256_hex(text.as_bytes()),
            })
            .unwrap()
    }

    fn doc(&self, title: &str) -> String {
        self.ws
            .list_documents()
            .unwrap()
            .into_iter()
            .find(|d| d.meta.title.as_deref() == Some(title))
            .unwrap_or_else(|| panic!("{} has no document {title}", self.user))
            .id
    }

    fn label(&mut self, doc: &str, start: u32, end: u32, label: &str) -> String {
        let who = self.user.clone();
        self.ws
            .add_span(
                NewSpan {
                    doc_id: doc.into(),
                    start,
                    end,
                    label: label.into(),
                    ..NewSpan::default()
                },
                &who,
            )
            .unwrap()
            .id
    }

    /// Everything a workspace holds that syncing keeps in step, in ids that are the same
    /// everywhere (documents by their SHA-256).
    fn state(&self) -> Value {
        let ws = &self.ws;
        let mut docs = BTreeMap::new();
        let mut spans = BTreeMap::new();
        let mut relations = BTreeMap::new();
        for d in ws.list_documents().unwrap() {
            docs.insert(
                d.sha256.clone(),
                json!([
                    d.meta.title,
                    d.status,
                    d.char_len,
                    ws.document(&d.id).unwrap().text
                ]),
            );
            for s in ws.spans(&d.id).unwrap() {
                spans.insert(
                    s.id.clone(),
                    json!([
                        d.sha256,
                        s.start,
                        s.end,
                        s.label,
                        s.annotator,
                        s.attrs,
                        s.claim_group,
                        s.source_entity
                    ]),
                );
            }
            for r in ws.relations(&d.id).unwrap() {
                relations.insert(r.id.clone(), serde_json::to_value(&r).unwrap());
            }
        }
        let mut schema: LabelSchema = ws.schema().unwrap();
        schema.version = 0; // counted per workspace
        json!({
            "documents": docs,
            "spans": spans,
            "relations": relations,
            "groups": ws.claim_groups().unwrap(),
            "entities": ws.source_entities().unwrap(),
            "schema": schema,
        })
    }
}

/// Renames CLAIM to `to` in `l`'s schema (relation types and attributes following), as `l`'s
/// annotator.
fn rename_claim(l: &mut Local, to: &str) {
    let rename = |n: &mut String| {
        if n == "CLAIM" {
            *n = to.into();
        }
    };
    let mut schema = l.ws.schema().unwrap();
    schema
        .span_labels
        .iter_mut()
        .for_each(|l| rename(&mut l.name));
    for r in &mut schema.relation_types {
        r.heads
            .iter_mut()
            .chain(r.children.iter_mut())
            .for_each(rename);
    }
    for a in &mut schema.attributes {
        a.labels.iter_mut().for_each(rename);
    }
    let who = l.user.clone();
    l.ws.update_schema(&schema, &[("CLAIM".into(), to.into())], &who)
        .unwrap();
}

/// A connection of `user`'s straight to database `db`, bypassing Parallax.
fn sql_as(cluster: &Cluster, user: &str, db: &str) -> postgres::Client {
    postgres::Client::connect(
        &format!(
            "host=127.0.0.1 port={} user={user} password={} dbname={db}",
            cluster.port,
            password(user)
        ),
        postgres::NoTls,
    )
    .unwrap()
}

fn assert_same(a: &Local, b: &Local) {
    let (sa, sb) = (a.state(), b.state());
    assert!(
        sa == sb,
        "{} and {} differ:\n{}\n---\n{}",
        a.user,
        b.user,
        serde_json::to_string_pretty(&sa).unwrap(),
        serde_json::to_string_pretty(&sb).unwrap()
    );
}

const TEXT_1: &str = "Officials said the bridge would reopen on Monday. \"We are confident,\" the mayor told reporters.";
const TEXT_2: &str = "The ministry reported 1,200 arrivals in March, up from 800 in February.";

/// Three annotators on one server annotate, sync and see each other's layers; a curator's gold
/// reaches all three; a reader's clone gets everything and can send nothing.
fn layers_gold_and_clones(cluster: &Cluster) {
    let server = Server::new(cluster, "layers");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    ana.import("arrivals", TEXT_2);
    ana.label(&doc, 0, 9, "SOURCE");
    let report = ana.sync();
    // The span, and the annotated document's annotations as they stand (for those imported).
    assert_eq!(
        (report.sent_documents, report.sent_changes),
        (2, 2),
        "{report:?}"
    );

    let mut ben = server.clone("ben");
    let mut cy = server.clone("cy");
    assert_same(&ana, &ben);
    let (ben_doc, cy_doc) = (ben.doc("bridge"), cy.doc("bridge"));
    ben.label(&ben_doc, 0, 9, "SOURCE");
    ben.label(&ben_doc, 10, 14, "CUE");
    cy.label(&cy_doc, 0, 9, "SOURCE");
    for _ in 0..2 {
        for l in [&mut ana, &mut ben, &mut cy] {
            l.sync();
        }
    }
    for l in [&ana, &ben, &cy] {
        let doc = l.doc("bridge");
        let layers: Vec<String> =
            l.ws.spans(&doc)
                .unwrap()
                .into_iter()
                .map(|s| s.annotator)
                .collect();
        for who in ANNOTATORS {
            assert!(
                layers.contains(&who.to_string()),
                "{} lacks {who}'s layer: {layers:?}",
                l.user
            );
        }
    }
    assert_same(&ana, &cy);

    let mut cura = server.clone(CURATOR);
    let cura_doc = cura.doc("bridge");
    let merged = cura
        .ws
        .merge_agreed(&cura_doc, MergeRule::Majority, CURATOR)
        .unwrap();
    assert!(merged.spans >= 1, "{merged:?}");
    cura.sync();
    for l in [&mut ana, &mut ben, &mut cy] {
        l.sync();
        let doc = l.doc("bridge");
        let gold: Vec<_> =
            l.ws.spans(&doc)
                .unwrap()
                .into_iter()
                .filter(|s| s.annotator == "gold")
                .collect();
        assert_eq!(gold.len(), 1, "{}: {gold:?}", l.user);
        assert_eq!(
            (gold[0].start, gold[0].end, gold[0].label.as_str()),
            (0, 9, "SOURCE")
        );
        assert_eq!(l.ws.unsent_changes().unwrap(), 0);
    }
    assert_same(&ana, &cura);

    let mut reed = server.clone(READER);
    assert_same(&ana, &reed);
    let before = server.changes_on_server();
    let reed_doc = reed.doc("arrivals");
    reed.label(&reed_doc, 0, 12, "SOURCE");
    let report = reed.sync();
    assert_eq!(report.refused, 1, "{report:?}");
    assert_eq!(
        server.changes_on_server(),
        before,
        "a refused push must store nothing"
    );
    // Kept here, set aside (no longer waiting to be sent) and listed.
    assert_eq!(reed.ws.unsent_changes().unwrap(), 0);
    assert!(
        reed.ws
            .spans(&reed_doc)
            .unwrap()
            .iter()
            .any(|s| s.annotator == READER)
    );
    let listed = reed.ws.sync_conflicts().unwrap();
    assert!(
        listed.iter().any(|c| c.field == "(refused by the server)"
            && c.lost
                .as_deref()
                .is_some_and(|l| l.contains("permission denied"))),
        "{listed:?}"
    );
}

/// A schema rename and a group merge made on two machines at once end in the same state
/// everywhere, with the conflicts listed on both.
fn simultaneous_renames_and_merges(cluster: &Cluster) {
    let server = Server::new(cluster, "conflicts");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    let c1 = ana.label(&doc, 10, 48, "CLAIM");
    let c2 = ana.label(&doc, 50, 70, "CLAIM");
    let g1 = ana.ws.start_claim_group(&[c1], None, "ana").unwrap().id;
    let g2 = ana
        .ws
        .start_claim_group(std::slice::from_ref(&c2), None, "ana")
        .unwrap()
        .id;
    ana.sync();
    let mut ben = server.clone("ben");
    assert_same(&ana, &ben);

    // At the same time, neither having seen the other's:
    rename_claim(&mut ana, "STATEMENT");
    ana.ws.merge_claim_groups(&g2, &g1, "ana").unwrap();
    rename_claim(&mut ben, "ASSERTION");
    ben.ws
        .update_claim_group(
            &g2,
            GroupEdit {
                canonical: Some("Reopening on Monday".into()),
                ..GroupEdit::default()
            },
            "ben",
        )
        .unwrap();

    ana.sync();
    let report = ben.sync();
    assert!(report.conflicts >= 2, "{report:?}");
    ana.sync();
    assert_same(&ana, &ben);
    let fresh = server.clone(READER);
    assert_same(&ana, &fresh);

    // The later change (ben's rename) won everywhere; the claim kept its label through both.
    let names: Vec<String> = ana
        .ws
        .schema()
        .unwrap()
        .span_labels
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert!(names.contains(&"ASSERTION".to_string()), "{names:?}");
    assert!(!names.contains(&"STATEMENT".to_string()), "{names:?}");
    assert_eq!(ana.ws.span(&c2).unwrap().label, "ASSERTION");
    assert_eq!(
        ana.ws.span(&c2).unwrap().claim_group.as_deref(),
        Some(g1.as_str())
    );
    // What was overwritten is listed on both sides.
    for l in [&ana, &ben] {
        let conflicts = l.ws.sync_conflicts().unwrap();
        assert!(
            conflicts.iter().any(|c| c.row == "schema"),
            "{}: {conflicts:?}",
            l.user
        );
    }
    let on_ben = ben.ws.sync_conflicts().unwrap();
    assert!(
        on_ben.iter().any(|c| c.row == format!("group {g2}")),
        "{on_ben:?}"
    );
    // The CLI lists them too.
    let out = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("sync")
        .arg(ben.ws.root())
        .arg("--conflicts")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("schema"));
}

/// Three workspaces syncing at the same time, each changing the same group's wording and
/// adding spans between syncs, end in one state: sending waits until everything before it is
/// taken in, so every workspace applies the same changes in the same order.
fn concurrent_syncs_agree(cluster: &Cluster) {
    let server = Server::new(cluster, "concurrent");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    let claim = ana.label(&doc, 10, 48, "CLAIM");
    let group = ana.ws.start_claim_group(&[claim], None, "ana").unwrap().id;
    ana.sync();
    let others: Vec<Local> = ["ben", "cy"].iter().map(|u| server.clone(u)).collect();
    let mut all: Vec<Local> = std::iter::once(ana).chain(others).collect();
    std::thread::scope(|scope| {
        for l in all.iter_mut() {
            let group = group.clone();
            scope.spawn(move || {
                let doc = l.doc("bridge");
                for i in 0..15u32 {
                    let who = l.user.clone();
                    let edit = GroupEdit {
                        canonical: Some(format!("{who} {i}")),
                        ..GroupEdit::default()
                    };
                    l.ws.update_claim_group(&group, edit, &who).unwrap();
                    l.label(&doc, i, i + 5, "CUE");
                    l.sync();
                }
            });
        }
    });
    for _ in 0..2 {
        for l in all.iter_mut() {
            l.sync();
        }
    }
    assert_same(&all[0], &all[1]);
    assert_same(&all[0], &all[2]);
    assert_eq!(
        all[0].ws.spans(&all[0].doc("bridge")).unwrap().len(),
        1 + 3 * 15
    );
}

/// Undo and redo travel as what they wrote; local undo takes back only changes made here.
fn undo_travels_and_stays_local(cluster: &Cluster) {
    let server = Server::new(cluster, "undo");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    ana.sync();
    let mut ben = server.clone("ben");
    let span = ana.label(&doc, 0, 9, "SOURCE");
    ana.sync();
    ben.sync();
    assert!(ben.ws.span(&span).is_ok());
    let err = ben.ws.undo("ben").unwrap_err();
    assert!(
        matches!(err, Error::NothingToUndo),
        "ben may not undo ana's change: {err}"
    );
    ana.ws.undo("ana").unwrap();
    ana.sync();
    ben.sync();
    assert!(ben.ws.span(&span).is_err(), "the undo reached ben");
    ana.ws.redo("ana").unwrap();
    ana.sync();
    ben.sync();
    assert!(ben.ws.span(&span).is_ok(), "the redo reached ben");
    assert_same(&ana, &ben);
}

/// A change made before a label was renamed travels under the label's name at the time, and a
/// change that cannot be applied on the receiving side is set aside there without holding up
/// the ones after it.
fn renames_in_order_and_bad_changes_set_aside(cluster: &Cluster) {
    let server = Server::new(cluster, "renames");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    ana.sync();
    let mut ben = server.clone("ben");
    // Offline: a claim, then CLAIM renamed, then another claim; one sync.
    let first = ana.label(&doc, 10, 48, "CLAIM");
    rename_claim(&mut ana, "STATEMENT");
    let second = ana.label(&doc, 50, 70, "STATEMENT");
    ana.sync();
    let report = ben.sync();
    assert_eq!(report.set_aside, 0, "{report:?}");
    assert_eq!(ben.ws.span(&first).unwrap().label, "STATEMENT");
    assert_eq!(ben.ws.span(&second).unwrap().label, "STATEMENT");
    assert_same(&ana, &ben);

    // A change ben's workspace cannot apply (a span of a document the server never had),
    // pushed straight into the log by ana, then a good one.
    let mut ana_sql = sql_as(cluster, "ana", "renames");
    ana_sql
        .execute(
            "INSERT INTO parallax.changes(change_id, author, at, action, changes)
             VALUES (gen_random_uuid(), 'ana', 'now', 'add_span',
                     '[{\"table\":\"span\",\"before\":null,\"after\":{\"doc\":\"nowhere\",\"annotator\":\"ana\"}}]')",
            &[],
        )
        .unwrap();
    let third = ana.label(&doc, 0, 9, "SOURCE");
    ana.sync();
    let report = ben.sync();
    assert_eq!(
        (report.set_aside, report.received_changes),
        (1, 1),
        "{report:?}"
    );
    assert!(
        ben.ws.span(&third).is_ok(),
        "the change after the bad one was taken in"
    );
    let listed = ben.ws.sync_conflicts().unwrap();
    assert!(
        listed
            .iter()
            .any(|c| c.field == "(could not be applied here)"),
        "{listed:?}"
    );
    // Taken once: the next sync does not try it again.
    assert_eq!(ben.sync().set_aside, 0);
}

/// Labels added on two machines at once, each used at once: both kept everywhere, with their
/// spans.
fn labels_added_at_once_are_both_kept(cluster: &Cluster) {
    let server = Server::new(cluster, "additions");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    ana.sync();
    let mut ben = server.clone("ben");
    let add = |l: &mut Local, name: &str, color: &str| {
        let mut schema = l.ws.schema().unwrap();
        schema.span_labels.push(parallax_core::model::SpanLabel {
            name: name.into(),
            color: color.into(),
            hotkey: None,
            description: String::new(),
        });
        let who = l.user.clone();
        l.ws.update_schema(&schema, &[], &who).unwrap();
    };
    add(&mut ana, "LOCATION", "#1b9e77");
    let at = ana.label(&doc, 18, 24, "LOCATION");
    add(&mut ben, "DATE", "#d95f02");
    let ben_doc = ben.doc("bridge");
    let on = ben.label(&ben_doc, 42, 48, "DATE");
    ana.sync();
    let report = ben.sync();
    assert!(report.conflicts >= 1, "{report:?}");
    ana.sync();
    assert_same(&ana, &ben);
    for l in [&ana, &ben] {
        let names: Vec<String> =
            l.ws.schema()
                .unwrap()
                .span_labels
                .into_iter()
                .map(|l| l.name)
                .collect();
        assert!(
            names.contains(&"LOCATION".into()) && names.contains(&"DATE".into()),
            "{}: {names:?}",
            l.user
        );
        assert_eq!(l.ws.span(&at).unwrap().label, "LOCATION");
        assert_eq!(l.ws.span(&on).unwrap().label, "DATE");
    }
}

/// Undo takes back only what the change it undoes still holds: a field another annotator
/// changed since stays, here and everywhere.
fn undo_leaves_others_fields(cluster: &Cluster) {
    let server = Server::new(cluster, "undo_fields");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    let claim = ana.label(&doc, 10, 48, "CLAIM");
    let group = ana
        .ws
        .start_claim_group(std::slice::from_ref(&claim), None, "ana")
        .unwrap()
        .id;
    ana.sync();
    let mut ben = server.clone("ben");
    // ana rewords the group (sent); ben verifies it (sent); ana takes ben's in, then undoes hers.
    ana.ws
        .update_claim_group(
            &group,
            GroupEdit {
                canonical: Some("Bridge reopens Monday".into()),
                ..GroupEdit::default()
            },
            "ana",
        )
        .unwrap();
    ana.sync();
    ben.sync();
    ben.ws
        .update_claim_group(
            &group,
            GroupEdit {
                rationale: Some("Checked with the city".into()),
                ..GroupEdit::default()
            },
            "ben",
        )
        .unwrap();
    ben.sync();
    ana.sync();
    ana.ws.undo("ana").unwrap();
    ana.sync();
    ben.sync();
    assert_same(&ana, &ben);
    let g = ben.ws.claim_group(&group).unwrap();
    assert_ne!(
        g.canonical, "Bridge reopens Monday",
        "ana's rewording was undone"
    );
    assert_eq!(g.rationale, "Checked with the city", "ben's field stayed");
}

/// The server decides who may push what, whatever the client does.
fn rights_are_the_servers(cluster: &Cluster) {
    let server = Server::new(cluster, "rights");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    let anas = ana.label(&doc, 0, 9, "SOURCE");
    ana.sync();
    let before = server.changes_on_server();

    // As another annotator, straight into the server's table.
    let mut ben_sql = sql_as(cluster, "ben", "rights");
    let err: Error = ben_sql
        .execute(
            "INSERT INTO parallax.changes(change_id, author, at, action, changes)
             VALUES (gen_random_uuid(), 'ana', 'now', 'forged', '[]')",
            &[],
        )
        .unwrap_err()
        .into();
    assert!(
        matches!(&err, Error::RemoteRefused(m) if m.contains("ben cannot push changes made by ana")),
        "{err}"
    );
    // Rewriting the log is refused too.
    let err: Error = ben_sql
        .execute("DELETE FROM parallax.changes", &[])
        .unwrap_err()
        .into();
    assert!(matches!(err, Error::RemoteRefused(_)), "{err}");

    // Through a workspace: ben edits ana's span.
    let mut ben = server.clone("ben");
    let who = "ben";
    ben.ws
        .update_span(
            &anas,
            parallax_core::store::SpanUpdate {
                end: Some(8),
                ..Default::default()
            },
            who,
        )
        .unwrap();
    // Refused and set aside: it no longer holds up ben's own work after it.
    let ben_doc = ben.doc("bridge");
    ben.label(&ben_doc, 10, 14, "CUE");
    let report = ben.sync();
    assert_eq!((report.refused, report.sent_changes), (1, 1), "{report:?}");
    let listed = ben.ws.sync_conflicts().unwrap();
    assert!(
        listed.iter().any(|c| c
            .lost
            .as_deref()
            .is_some_and(|l| l.contains("ben cannot change the layer of ana"))),
        "{listed:?}"
    );
    let before = before + 1;

    // Gold needs the curator role.
    let mut cy = server.clone("cy");
    cy.ws.accept_into_gold(&anas, "cy").unwrap();
    let report = cy.sync();
    assert_eq!(report.refused, 1, "{report:?}");
    let listed = cy.ws.sync_conflicts().unwrap();
    assert!(
        listed
            .iter()
            .any(|c| c.lost.as_deref().is_some_and(|l| l.contains("gold"))),
        "{listed:?}"
    );
    assert_eq!(
        server.changes_on_server(),
        before,
        "nothing refused was stored"
    );

    // A wrong password.
    let err = remote::sync(&mut ana.ws, Some("wrong")).unwrap_err();
    assert!(matches!(err, Error::PasswordNeeded(_)), "{err}");
    assert!(err.to_string().contains("PGPASSWORD"), "{err}");
}

/// The command line: linking, syncing with the password from `~/.pgpass` (`PGPASSFILE`) or
/// `PGPASSWORD`, and cloning; no password anywhere is refused with what to do.
fn command_line_and_passwords(cluster: &Cluster) {
    let server = Server::new(cluster, "cli");
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let parallax = |args: &[&str], env: &[(&str, String)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_parallax"));
        c.args(args)
            .env_remove("PGPASSWORD")
            .env("PGPASSFILE", dir.path().join("none"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    let ws_arg = ws.to_str().unwrap();
    assert!(parallax(&["init", ws_arg], &[]).status.success());
    let with_password = server.url("ana").replace("ana@", "ana:secret@");
    let out = parallax(&["remote", ws_arg, "set", &with_password], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("PGPASSWORD"),
        "{}",
        text(&out.stderr)
    );
    let out = parallax(&["remote", ws_arg, "set", &server.url("ana")], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = parallax(&["remote", ws_arg, "show"], &[]);
    assert!(text(&out.stdout).contains(&server.url("ana")));

    let out = parallax(&["sync", ws_arg], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("wants a password"),
        "{}",
        text(&out.stderr)
    );

    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:cli:ana:{}\n", cluster.port, password("ana")),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let doc = dir.path().join("a.txt");
    std::fs::write(&doc, TEXT_2).unwrap();
    assert!(
        parallax(&["import", ws_arg, doc.to_str().unwrap()], &[])
            .status
            .success()
    );
    let out = parallax(
        &["sync", ws_arg, "--json"],
        &[("PGPASSFILE", pgpass.display().to_string())],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sent_documents"], 1, "{report}");

    let copy = dir.path().join("copy");
    let out = parallax(
        &["clone", &server.url("ben"), copy.to_str().unwrap()],
        &[("PGPASSWORD", password("ben"))],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("received 1 document"),
        "{}",
        text(&out.stdout)
    );
    let copy_arg = copy.to_str().unwrap();
    let found = |query: &str| text(&parallax(&["search", copy_arg, query], &[]).stdout);
    assert!(
        found("arrivals").contains("[arrivals]"),
        "{}",
        found("arrivals")
    );

    // The search index follows what a sync takes in, as it follows local changes.
    let more = dir.path().join("bridge.txt");
    std::fs::write(&more, TEXT_1).unwrap();
    assert!(
        parallax(&["import", ws_arg, more.to_str().unwrap()], &[])
            .status
            .success()
    );
    let pgpass_env = [("PGPASSFILE", pgpass.display().to_string())];
    assert!(parallax(&["sync", ws_arg], &pgpass_env).status.success());
    let out = parallax(&["sync", copy_arg], &[("PGPASSWORD", password("ben"))]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(found("reopen").contains("[reopen]"), "{}", found("reopen"));
}

/// TLS as libpq's sslmode says: required and used; verify-ca and verify-full check the
/// certificate against the root given (and verify-full the host name); disable does without.
fn tls_as_sslmode_says(cluster: &Cluster) {
    let root = cluster.enable_tls();
    let root = root.display();
    let pw = password("ana");
    let used = |url: String| -> Result<bool, Error> {
        let mut client = remote::Link::parse(&url)?.connect(Some(&pw))?;
        Ok(client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .map_err(Error::from)?
            .get(0))
    };
    let at =
        |host: &str, mode: &str| format!("postgres://ana@{host}:{}/postgres?{mode}", cluster.port);
    assert!(used(at("127.0.0.1", "sslmode=require")).unwrap());
    assert!(used(at("127.0.0.1", "sslmode=prefer")).unwrap());
    assert!(!used(at("127.0.0.1", "sslmode=disable")).unwrap());
    assert!(
        used(at(
            "127.0.0.1",
            &format!("sslmode=verify-ca&sslrootcert={root}")
        ))
        .unwrap()
    );
    assert!(
        used(at(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={root}")
        ))
        .unwrap()
    );
    // The certificate names localhost, not 127.0.0.1; and without the root nothing vouches for it.
    let err = used(at(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={root}"),
    ))
    .unwrap_err();
    assert!(!matches!(err, Error::PasswordNeeded(_)), "{err}");
    assert!(used(at("localhost", "sslmode=verify-full")).is_err());
}

/// A server set up by a newer Parallax, or not set up, is refused with what to do.
fn versions_are_checked(cluster: &Cluster) {
    let server = Server::new(cluster, "versions");
    let mut ana = server.workspace("ana");
    ana.sync();
    cluster
        .admin("versions")
        .execute(
            "UPDATE parallax.server SET value = '99' WHERE key = 'version'",
            &[],
        )
        .unwrap();
    let err = ana.try_sync().unwrap_err();
    assert!(
        matches!(err, Error::RemoteTooNew { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer Parallax"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let err = remote::clone(
        &server.url("ana"),
        &dir.path().join("ws"),
        Some(&password("ana")),
    )
    .unwrap_err();
    assert!(matches!(err, Error::RemoteTooNew { .. }), "{err}");
    assert!(
        !dir.path().join("ws").exists(),
        "a refused clone leaves no workspace"
    );

    cluster
        .admin("postgres")
        .batch_execute("CREATE DATABASE empty")
        .unwrap();
    let mut bare = Server {
        cluster,
        db: "empty".into(),
    }
    .workspace("ana");
    let err = bare.try_sync().unwrap_err();
    assert!(matches!(err, Error::RemoteNotSetUp), "{err}");
    assert!(err.to_string().contains("init-server"), "{err}");
}

/// Syncs of the real binary killed at random moments: after syncs that finish, nothing is lost
/// and nothing doubled, on the server or in either workspace.
fn killed_syncs_lose_and_double_nothing(cluster: &Cluster) {
    let server = Server::new(cluster, "kills");
    let mut ana = server.workspace("ana");
    let doc = ana.import("bridge", TEXT_1);
    ana.sync();
    let ben = server.clone("ben");
    let ben_root = ben.ws.root().to_path_buf();
    let ana_root = ana.ws.root().to_path_buf();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut killed = 0;
    for round in 0..20u32 {
        for i in 0..40u32 {
            let at = (round * 40 + i) % 90;
            ana.label(&doc, at, at + 3, if i % 2 == 0 { "CLAIM" } else { "CUE" });
        }
        for (root, user) in [(&ana_root, "ana"), (&ben_root, "ben")] {
            if kill_sync_after(
                root,
                &server.url(user),
                user,
                Duration::from_millis(next(120)),
            ) {
                killed += 1;
            }
        }
    }
    assert!(
        killed >= 10,
        "only {killed} of 40 syncs were cut: the test proves too little"
    );
    // Syncs that finish complete what the cut ones left.
    let mut ben = ben;
    ana.sync();
    ben.sync();
    ana.sync();
    assert_same(&ana, &ben);
    assert_eq!(ana.ws.unsent_changes().unwrap(), 0);
    assert_eq!(ana.ws.spans(&doc).unwrap().len(), 800);
    let doubled: i64 = cluster
        .admin("kills")
        .query_one(
            "SELECT count(*) FROM (SELECT change_id FROM parallax.changes GROUP BY change_id HAVING count(*) > 1) d",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(doubled, 0);
    // One server change per change made, and ben's history holds each once.
    assert_eq!(server.changes_on_server(), 800);
    let pulled = ben.ws.history(10_000).unwrap().len();
    assert_eq!(pulled, 800);
    for root in [&ana_root, &ben_root] {
        let out = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .arg("check")
            .arg(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// Runs `parallax sync` and kills it after `delay` if it is still running; whether it was cut.
fn kill_sync_after(root: &Path, _url: &str, user: &str, delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("sync")
        .arg(root)
        .env("PGPASSWORD", password(user))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    match child.try_wait().unwrap() {
        Some(status) => {
            let out = child.wait_with_output().unwrap();
            assert!(
                status.success(),
                "sync failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            false
        }
        None => {
            child.kill().unwrap();
            child.wait().unwrap();
            true
        }
    }
}

/// A scenario, run against the one cluster.
type Scenario = fn(&Cluster);

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let tests: &[(&str, Scenario)] = &[
        ("layers_gold_and_clones", layers_gold_and_clones),
        (
            "simultaneous_renames_and_merges",
            simultaneous_renames_and_merges,
        ),
        ("concurrent_syncs_agree", concurrent_syncs_agree),
        ("undo_travels_and_stays_local", undo_travels_and_stays_local),
        ("undo_leaves_others_fields", undo_leaves_others_fields),
        (
            "labels_added_at_once_are_both_kept",
            labels_added_at_once_are_both_kept,
        ),
        (
            "renames_in_order_and_bad_changes_set_aside",
            renames_in_order_and_bad_changes_set_aside,
        ),
        ("rights_are_the_servers", rights_are_the_servers),
        ("versions_are_checked", versions_are_checked),
        ("command_line_and_passwords", command_line_and_passwords),
        (
            "killed_syncs_lose_and_double_nothing",
            killed_syncs_lose_and_double_nothing,
        ),
        // Last: it turns TLS on for the whole cluster.
        ("tls_as_sslmode_says", tls_as_sslmode_says),
    ];
    let cluster = Cluster::start();
    {
        // The team's login roles; init-server made the group roles they join.
        let setup = Server::new(&cluster, "setup");
        let mut admin = cluster.admin(&setup.db);
        for who in ANNOTATORS.iter().chain([&CURATOR, &READER]) {
            admin
                .batch_execute(&format!(
                    "CREATE ROLE {who} LOGIN PASSWORD '{}'",
                    password(who)
                ))
                .unwrap();
        }
        admin
            .batch_execute(
                "GRANT parallax_annotator TO ana, ben, cy; GRANT parallax_curator TO cura;
                 GRANT parallax_reader TO reed;",
            )
            .unwrap();
    }
    let mut failed = 0;
    for (name, test) in tests {
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        print!("test {name} ... ");
        match catch_unwind(AssertUnwindSafe(|| test(&cluster))) {
            Ok(()) => println!("ok"),
            Err(_) => {
                println!("FAILED");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("--- server log ---\n{}", cluster.log());
    }
    drop(cluster);
    std::process::exit(if failed > 0 { 1 } else { 0 });
}
