//! Annotation operations against a real workspace file: validation, transactions, and undo/redo
//! that survive closing and reopening the workspace.

use parallax_core::model::{DocMeta, DocStatus};
use parallax_core::store::{NewDocument, NewSpan, SpanUpdate};
use parallax_core::{Error, Workspace};
use serde_json::{Map, Value, json};

const ME: &str = "ana";

/// “Curly quotes”, an emoji and a combining accent, so code points differ from UTF-16 and bytes.
const TEXT: &str =
    "Kyiv 🇺🇦 — the ministry said “troops are returning”, according to Cafe\u{301} Igor.";

fn doc(ws: &mut Workspace, text: &str, sha: &str) -> String {
    ws.insert_document(&NewDocument {
        text: text.into(),
        meta: DocMeta {
            title: Some("t".into()),
            ..Default::default()
        },
        sha256: sha.into(),
    })
    .unwrap()
}

fn find(text: &str, needle: &str) -> (u32, u32) {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count() as u32;
    (start, start + needle.chars().count() as u32)
}

fn span(doc_id: &str, (start, end): (u32, u32), label: &str) -> NewSpan {
    NewSpan {
        doc_id: doc_id.into(),
        start,
        end,
        label: label.into(),
        ..Default::default()
    }
}

fn setup() -> (tempfile::TempDir, Workspace, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    let id = doc(&mut ws, TEXT, "a");
    (dir, ws, id)
}

#[test]
fn a_span_after_non_ascii_text_keeps_its_text_in_code_points() {
    let (_dir, mut ws, d) = setup();
    let s = ws
        .add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
        .unwrap();
    assert_eq!(s.text, "troops are returning");
    assert_eq!(s.annotator, ME);
    let s = ws
        .add_span(span(&d, find(TEXT, "Cafe\u{301} Igor"), "SOURCE"), ME)
        .unwrap();
    assert_eq!(s.text, "Cafe\u{301} Igor");
    assert!(s.prefix.ends_with("according to "), "prefix {:?}", s.prefix);
    assert_eq!(s.suffix, ".");
}

#[test]
fn bad_spans_are_refused_and_nothing_is_written() {
    let (_dir, mut ws, d) = setup();
    let len = TEXT.chars().count() as u32;
    let cases: Vec<(NewSpan, &str)> = vec![
        (span(&d, (3, len + 1), "CLAIM"), "invalid_span"),
        (span(&d, (5, 5), "CLAIM"), "invalid_span"),
        (span(&d, (6, 2), "CLAIM"), "invalid_span"),
        (span(&d, (0, 4), "RUMOUR"), "unknown_name"),
        (span("0000-nope", (0, 4), "CLAIM"), "document_not_found"),
    ];
    for (bad, kind) in cases {
        let err = ws.add_span(bad.clone(), ME).unwrap_err();
        assert_eq!(err.kind(), kind, "{bad:?}: {err}");
    }
    let mut attrs = Map::new();
    attrs.insert("type".into(), json!("gossip"));
    let err = ws
        .add_span(
            NewSpan {
                attrs,
                ..span(&d, (0, 4), "CLAIM")
            },
            ME,
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidAttribute { .. }), "{err}");
    assert!(err.to_string().contains("gossip") || err.to_string().contains("type"));
    assert!(ws.spans(&d).unwrap().is_empty());
    assert!(ws.history(10).unwrap().is_empty());
}

#[test]
fn the_end_of_the_text_is_a_valid_end() {
    let (_dir, mut ws, d) = setup();
    let len = TEXT.chars().count() as u32;
    let s = ws.add_span(span(&d, (len - 1, len), "CUE"), ME).unwrap();
    assert_eq!(s.text, ".");
}

#[test]
fn relations_follow_the_schema_and_stay_in_one_document() {
    let (_dir, mut ws, d) = setup();
    let claim = ws
        .add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
        .unwrap();
    let source = ws
        .add_span(span(&d, find(TEXT, "the ministry"), "SOURCE"), ME)
        .unwrap();
    let cue = ws
        .add_span(span(&d, find(TEXT, "said"), "CUE"), ME)
        .unwrap();

    let rel = ws
        .add_relation(&claim.id, &source.id, "attributed_to", ME)
        .unwrap();
    assert_eq!(
        (rel.head.as_str(), rel.child.as_str()),
        (claim.id.as_str(), source.id.as_str())
    );
    ws.add_relation(&cue.id, &claim.id, "cue_of", ME).unwrap();

    // Reversed direction: a SOURCE cannot be the head of attributed_to.
    let err = ws
        .add_relation(&source.id, &claim.id, "attributed_to", ME)
        .unwrap_err();
    assert!(matches!(err, Error::RelationNotAllowed { .. }), "{err}");
    assert!(err.to_string().contains("SOURCE"));
    assert!(matches!(
        ws.add_relation(&claim.id, &source.id, "caused", ME)
            .unwrap_err(),
        Error::UnknownRelationType(_)
    ));
    assert!(matches!(
        ws.add_relation(&claim.id, &claim.id, "supports", ME)
            .unwrap_err(),
        Error::RelationToSelf
    ));

    let other = doc(&mut ws, "Another outlet says troops stay.", "b");
    let far = ws.add_span(span(&other, (21, 32), "CLAIM"), ME).unwrap();
    assert!(matches!(
        ws.add_relation(&claim.id, &far.id, "supports", ME)
            .unwrap_err(),
        Error::RelationAcrossDocuments
    ));
    assert!(matches!(
        ws.add_relation(&claim.id, "no-such-span", "attributed_to", ME)
            .unwrap_err(),
        Error::SpanNotFound(_)
    ));
    assert_eq!(ws.relations(&d).unwrap().len(), 2);
}

#[test]
fn changing_a_label_refuses_one_that_breaks_a_relation_or_keeps_only_valid_attributes() {
    let (_dir, mut ws, d) = setup();
    let claim = ws
        .add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
        .unwrap();
    ws.set_attribute(&claim.id, "check_worthy", Value::Bool(true), ME)
        .unwrap();
    let updated = ws
        .update_span(
            &claim.id,
            SpanUpdate {
                label: Some("EVIDENCE".into()),
                ..Default::default()
            },
            ME,
        )
        .unwrap();
    assert_eq!(updated.label, "EVIDENCE");
    // check_worthy belongs to CLAIM only.
    assert!(updated.attrs.is_empty(), "{:?}", updated.attrs);

    let err = ws
        .set_attribute(&claim.id, "check_worthy", Value::Bool(true), ME)
        .unwrap_err();
    assert!(matches!(err, Error::InvalidAttribute { .. }), "{err}");
}

#[test]
fn deleting_a_span_takes_its_relations_and_undo_brings_both_back() {
    let (_dir, mut ws, d) = setup();
    let claim = ws
        .add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
        .unwrap();
    let source = ws
        .add_span(span(&d, find(TEXT, "the ministry"), "SOURCE"), ME)
        .unwrap();
    ws.add_relation(&claim.id, &source.id, "attributed_to", ME)
        .unwrap();
    ws.delete_span(&source.id, ME).unwrap();
    assert!(ws.relations(&d).unwrap().is_empty());
    assert_eq!(ws.spans(&d).unwrap().len(), 1);

    let undone = ws.undo("bo").unwrap();
    assert_eq!(undone.action, "delete_span");
    assert_eq!(ws.spans(&d).unwrap().len(), 2);
    assert_eq!(ws.relations(&d).unwrap().len(), 1);
    assert_eq!(ws.span(&source.id).unwrap(), source);
}

#[test]
fn undo_and_redo_survive_closing_and_reopening_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let (d, first, second) = {
        let mut ws = Workspace::init(&root).unwrap();
        let d = doc(&mut ws, TEXT, "a");
        let first = ws
            .add_span(span(&d, find(TEXT, "the ministry"), "SOURCE"), ME)
            .unwrap();
        let second = ws
            .add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
            .unwrap();
        ws.set_status(&d, DocStatus::Done, ME).unwrap();
        (d, first, second)
    };

    // Each step in a fresh process-like open of the same file.
    let reopen = || Workspace::open(&root).unwrap();
    assert_eq!(reopen().undo(ME).unwrap().action, "set_status");
    // Back to where the first span had put it.
    assert_eq!(
        reopen().document_summary(&d).unwrap().status,
        DocStatus::InProgress
    );
    assert_eq!(reopen().undo(ME).unwrap().action, "add_span");
    let ids: Vec<String> = reopen()
        .spans(&d)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, vec![first.id.clone()]);

    assert_eq!(reopen().redo(ME).unwrap().action, "add_span");
    assert_eq!(reopen().span(&second.id).unwrap(), second);
    assert_eq!(reopen().redo(ME).unwrap().action, "set_status");
    assert_eq!(
        reopen().document_summary(&d).unwrap().status,
        DocStatus::Done
    );
    assert!(matches!(
        reopen().redo(ME).unwrap_err(),
        Error::NothingToRedo
    ));

    // The audit trail keeps the undo and redo entries, newest first.
    let actions: Vec<String> = reopen()
        .history(4)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["redo", "redo", "undo", "undo"]);
}

#[test]
fn a_new_change_after_undo_drops_the_redo_stack() {
    let (_dir, mut ws, d) = setup();
    ws.add_span(span(&d, find(TEXT, "the ministry"), "SOURCE"), ME)
        .unwrap();
    ws.undo(ME).unwrap();
    ws.add_span(span(&d, find(TEXT, "said"), "CUE"), ME)
        .unwrap();
    assert!(matches!(ws.redo(ME).unwrap_err(), Error::NothingToRedo));
    let labels: Vec<String> = ws.spans(&d).unwrap().into_iter().map(|s| s.label).collect();
    assert_eq!(labels, ["CUE"]);
    ws.undo(ME).unwrap();
    assert!(matches!(ws.undo(ME).unwrap_err(), Error::NothingToUndo));
    assert!(ws.spans(&d).unwrap().is_empty());
}

#[test]
fn updates_notes_and_metadata_undo_to_the_exact_previous_state() {
    let (_dir, mut ws, d) = setup();
    let s = ws
        .add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
        .unwrap();
    let mut attrs = Map::new();
    attrs.insert("type".into(), json!("quote"));
    let moved = ws
        .update_span(
            &s.id,
            SpanUpdate {
                start: Some(s.start - 1),
                end: Some(s.end + 1),
                attrs: Some(attrs),
                note: Some(Some("with the quotes".into())),
                ..Default::default()
            },
            "bo",
        )
        .unwrap();
    assert_eq!(moved.text, "“troops are returning”");
    assert_eq!(moved.attrs["type"], json!("quote"));
    assert_eq!(moved.note.as_deref(), Some("with the quotes"));
    ws.undo(ME).unwrap();
    assert_eq!(ws.span(&s.id).unwrap(), s);

    let before = ws.document(&d).unwrap().summary.meta;
    let meta = DocMeta {
        outlet: Some("Kyiv Daily".into()),
        published: Some("2022-02-15".into()),
        ..before.clone()
    };
    ws.set_metadata(&d, meta.clone(), ME).unwrap();
    assert_eq!(ws.document(&d).unwrap().summary.meta, meta);
    ws.undo(ME).unwrap();
    assert_eq!(ws.document(&d).unwrap().summary.meta, before);
}

#[test]
fn an_impossible_published_date_is_refused() {
    let (_dir, mut ws, d) = setup();
    let before = ws.document(&d).unwrap().summary.meta;
    let err = ws
        .set_metadata(
            &d,
            DocMeta {
                published: Some("2022-02-30".into()),
                ..before.clone()
            },
            ME,
        )
        .unwrap_err();
    assert!(err.to_string().contains("2022-02-30"), "{err}");
    assert_eq!(ws.document(&d).unwrap().summary.meta, before);
}

#[test]
fn documents_resolve_by_unique_prefix() {
    let (_dir, mut ws, d) = setup();
    assert_eq!(ws.resolve_document(&d[..12]).unwrap(), d);
    let other = doc(&mut ws, "Second text.", "b");
    // UUID v7 ids made in the same millisecond share their first characters.
    let common = d
        .chars()
        .zip(other.chars())
        .take_while(|(a, b)| a == b)
        .count();
    if common >= 4 {
        assert!(matches!(
            ws.resolve_document(&d[..common]).unwrap_err(),
            Error::AmbiguousDocument(_)
        ));
    }
    assert!(matches!(
        ws.resolve_document("ffffffff").unwrap_err(),
        Error::DocumentNotFound(_)
    ));
}

#[test]
fn a_change_waits_for_another_connection_writing_instead_of_failing() {
    use std::sync::mpsc;
    use std::time::Duration;

    let (_dir, mut ws, doc) = setup();
    let db = ws.db_path();
    let (locked, wait_for_lock) = mpsc::channel();
    // Another connection (the indexer, the CLI) takes the write lock, writes, and holds on a while.
    let other = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE; UPDATE documents SET title = title;")
            .unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        conn.execute_batch("COMMIT").unwrap();
    });
    wait_for_lock.recv().unwrap();
    let span = ws.add_span(
        NewSpan {
            doc_id: doc.clone(),
            start: 0,
            end: 4,
            label: "CLAIM".into(),
            ..NewSpan::default()
        },
        "ana",
    );
    other.join().unwrap();
    assert!(span.is_ok(), "{span:?}");
    assert_eq!(ws.spans(&doc).unwrap().len(), 1);
}

/// Each annotator's status of the document's layers, by name.
fn layer_statuses(ws: &Workspace, doc: &str) -> Vec<(String, String)> {
    ws.document_layers(doc, ME)
        .unwrap()
        .into_iter()
        .map(|l| (l.annotator, l.status))
        .collect()
}

#[test]
fn a_document_is_in_progress_from_its_first_annotation_and_undo_makes_it_new_again() {
    let (_dir, mut ws, d) = setup();
    assert_eq!(ws.document_summary(&d).unwrap().status, DocStatus::New);
    ws.add_span(span(&d, find(TEXT, "troops are returning"), "CLAIM"), ME)
        .unwrap();
    assert_eq!(
        ws.document_summary(&d).unwrap().status,
        DocStatus::InProgress
    );
    assert_eq!(
        layer_statuses(&ws, &d),
        [(ME.to_string(), "in_progress".to_string())]
    );
    // The status is part of the span's change: one undo takes both back (and says what it took).
    let undone = ws.undo(ME).unwrap();
    assert_eq!(undone.what, "added CLAIM “troops are returning”");
    assert_eq!(ws.document_summary(&d).unwrap().status, DocStatus::New);
    assert!(ws.spans(&d).unwrap().is_empty());
    assert_eq!(layer_statuses(&ws, &d), []); // an empty, new layer is no layer
    ws.redo(ME).unwrap();
    assert_eq!(
        ws.document_summary(&d).unwrap().status,
        DocStatus::InProgress
    );

    // A document marked done stays done when a span is added, and so does its layer.
    ws.set_status(&d, DocStatus::Done, ME).unwrap();
    ws.add_span(span(&d, find(TEXT, "the ministry"), "SOURCE"), ME)
        .unwrap();
    assert_eq!(ws.document_summary(&d).unwrap().status, DocStatus::Done);
    // Another annotator's first span starts their layer alone.
    ws.add_span(span(&d, find(TEXT, "Igor"), "SOURCE"), "ben")
        .unwrap();
    assert_eq!(ws.document_summary(&d).unwrap().status, DocStatus::Done);
    let statuses = layer_statuses(&ws, &d);
    assert!(
        statuses.contains(&("ben".to_string(), "in_progress".to_string())),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&(ME.to_string(), "done".to_string())),
        "{statuses:?}"
    );
}

#[test]
fn an_undo_says_what_it_took_back() {
    let (_dir, mut ws, d) = setup();
    let claim = ws
        .add_span(span(&d, find(TEXT, "troops are returning"), "SOURCE"), ME)
        .unwrap();
    ws.update_span(
        &claim.id,
        SpanUpdate {
            label: Some("CLAIM".into()),
            ..Default::default()
        },
        ME,
    )
    .unwrap();
    assert_eq!(
        ws.undo(ME).unwrap().what,
        "SOURCE “troops are returning”: label SOURCE → CLAIM"
    );
    let source = ws
        .add_span(span(&d, find(TEXT, "the ministry"), "SOURCE"), ME)
        .unwrap();
    ws.update_span(
        &source.id,
        SpanUpdate {
            note: Some(Some("check the spelling".into())),
            ..Default::default()
        },
        ME,
    )
    .unwrap();
    assert_eq!(ws.undo(ME).unwrap().what, "SOURCE “the ministry”: note");
    ws.delete_span(&source.id, ME).unwrap();
    assert_eq!(ws.undo(ME).unwrap().what, "deleted SOURCE “the ministry”");
    // The audit trail says it too.
    let trail = ws.history(10).unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.what == "added SOURCE “the ministry”"),
        "{trail:?}"
    );
}
