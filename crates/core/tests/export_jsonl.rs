//! Native JSONL export of a real workspace: the shape of each line, offsets in code points, and
//! an atomic write that never leaves a half-written file.

mod common;

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use parallax_core::Workspace;
use parallax_core::export::{ExportOptions, SplitBy, SplitSpec};
use parallax_core::formats::Format;
use parallax_core::import::ImportOptions;
use parallax_core::model::{DocMeta, DocStatus};
use parallax_core::store::{NewDocument, NewSpan};
use serde_json::{Value, json};

const TEXT: &str = "🇺🇦 Kyiv — “Some units are returning to their bases,” said Igor Konashenkov.\n\nOver 100,000 troops remain, officials said.";

fn code_points(text: &str, needle: &str) -> (u32, u32) {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count() as u32;
    (start, start + needle.chars().count() as u32)
}

fn add(ws: &mut Workspace, doc: &str, needle: &str, label: &str) -> String {
    let (start, end) = code_points(TEXT, needle);
    ws.add_span(
        NewSpan {
            doc_id: doc.into(),
            start,
            end,
            label: label.into(),
            ..Default::default()
        },
        "ana",
    )
    .unwrap()
    .id
}

fn workspace(dir: &std::path::Path) -> (Workspace, String) {
    let mut ws = Workspace::init(dir.join("ws")).unwrap();
    let doc = ws
        .insert_document(&NewDocument {
            text: TEXT.into(),
            meta: DocMeta {
                title: Some("Troops return".into()),
                outlet: Some("kyiv-daily.example".into()),
                published: Some("2022-02-15".into()),
                source_file: Some("kyiv.txt".into()),
                ..Default::default()
            },
            sha256: "ab".repeat(32),
        })
        .unwrap();
    ws.insert_document(&NewDocument {
        text: "An unannotated second document.".into(),
        meta: DocMeta::default(),
        sha256: "cd".repeat(32),
    })
    .unwrap();
    (ws, doc)
}

fn jsonl() -> ExportOptions {
    ExportOptions {
        format: Format::Jsonl,
        filter: Default::default(),
        split: None,
        seed: None,
    }
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_span_slices_out_of_the_text_by_code_points() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, doc) = workspace(tmp.path());
    let claim = add(
        &mut ws,
        &doc,
        "Some units are returning to their bases",
        "CLAIM",
    );
    let source = add(&mut ws, &doc, "Igor Konashenkov", "SOURCE");
    add(&mut ws, &doc, "said", "CUE");
    add(&mut ws, &doc, "Over 100,000 troops", "QUANTITY");
    let rel = ws
        .add_relation(&claim, &source, "attributed_to", "bo")
        .unwrap();
    ws.set_status(&doc, DocStatus::Done, "ana").unwrap();

    let out = tmp.path().join("out.jsonl");
    let mut calls = Vec::new();
    let report = ws
        .export(&jsonl(), &out, None, &mut |done, total| {
            calls.push((done, total))
        })
        .unwrap();
    assert_eq!(
        (report.documents, report.spans, report.relations),
        (2, 4, 1)
    );
    assert_eq!(calls.last(), Some(&(2, 2)));
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("out.manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["format"], json!("jsonl"));
    assert_eq!(manifest["totals"]["spans"], json!(4));
    assert_eq!(manifest["totals"]["labels"]["CLAIM"], json!(1));

    let lines = lines(&out);
    assert_eq!(lines.len(), 2);
    let line = lines.iter().find(|l| l["id"] == json!(doc)).unwrap();
    let text: Vec<char> = line["text"].as_str().unwrap().chars().collect();
    for span in line["spans"].as_array().unwrap() {
        let (s, e) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        let sliced: String = text[s..e].iter().collect();
        assert_eq!(sliced, span["text"].as_str().unwrap());
        assert_eq!(span["annotator"], json!("ana"));
        assert!(span["note"].is_null());
        assert!(span["attrs"].is_object());
    }
    assert_eq!(line["status"], json!("done"));
    assert_eq!(
        line["meta"],
        json!({
            "title": "Troops return",
            "outlet": "kyiv-daily.example",
            "author": null,
            "published": "2022-02-15",
            "url": null,
            "language": null,
            "source_file": "kyiv.txt",
            "sha256": "ab".repeat(32),
            "imported_at": line["meta"]["imported_at"],
        })
    );
    assert_eq!(
        line["relations"],
        json!([{"id": rel.id, "head": claim, "child": source, "label": "attributed_to", "annotator": "bo"}])
    );
    assert_eq!(line["annotators"], json!(["ana", "bo"]));

    let empty = lines.iter().find(|l| l["id"] != json!(doc)).unwrap();
    assert_eq!(empty["spans"], json!([]));
    assert_eq!(empty["relations"], json!([]));
    assert!(empty["meta"]["title"].is_null());
    // In the app it is called by its first sentence; the export still says it has no title.
    let summary = ws.document(empty["id"].as_str().unwrap()).unwrap().summary;
    assert_eq!(
        summary.derived_title.as_deref(),
        Some("An unannotated second document.")
    );
    assert_eq!(summary.name(), "An unannotated second document.");
    assert!(!lines.iter().any(|l| l.to_string().contains("derived")));
}

#[test]
fn a_cancelled_export_leaves_the_previous_file_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, _) = workspace(tmp.path());
    let out = tmp.path().join("out.jsonl");
    fs::write(&out, "previous export\n").unwrap();
    let cancel = AtomicBool::new(true);
    let err = ws
        .export(&jsonl(), &out, Some(&cancel), &mut |_, _| {})
        .unwrap_err();
    assert_eq!(err.kind(), "cancelled");
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous export\n");
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "out.jsonl" && n != "ws")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The files in `dir` other than `keep`: what an export left behind.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<std::ffi::OsString> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| !keep.iter().any(|k| n == k))
        .collect()
}

#[test]
fn cancelling_an_export_midway_leaves_the_previous_file_and_folder_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dataset = common::labelled_dataset(tmp.path(), 600);
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    ws.import_paths(&[dataset], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    let out_dir = tmp.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let file = out_dir.join("data.jsonl");
    fs::write(&file, "previous export\n").unwrap();
    // The earlier split export, made whole; the cancelled one must leave it byte for byte.
    let split = out_dir.join("split");
    let split_opts = ExportOptions {
        split: Some(SplitSpec::parse("80/20", 1, SplitBy::Document).unwrap()),
        ..jsonl()
    };
    ws.export(&split_opts, &split, None, &mut |_, _| {})
        .unwrap();
    let read_folder = || {
        let mut files: Vec<(std::ffi::OsString, Vec<u8>)> = fs::read_dir(&split)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name(), fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let before = read_folder();
    assert_eq!(before.len(), 3, "train, test and the manifest");
    for (opts, output) in [(jsonl(), &file), (split_opts, &split)] {
        let cancel = AtomicBool::new(false);
        let mut cancelled_at = None;
        let err = ws
            .export(&opts, output, Some(&cancel), &mut |done, total| {
                // Cancelled a third of the way through, with part of the data written.
                if done >= total / 3 && cancelled_at.is_none() {
                    cancelled_at = Some((done, total));
                    cancel.store(true, Ordering::Relaxed);
                }
            })
            .unwrap_err();
        assert_eq!(err.kind(), "cancelled", "{}: {err}", output.display());
        let (done, total) = cancelled_at.unwrap();
        assert!(0 < done && done < total, "{done} of {total}");
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "previous export\n");
    assert_eq!(read_folder(), before);
    let left = leftovers(&out_dir, &["data.jsonl", "split"]);
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn exporting_into_a_missing_folder_says_which_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, _) = workspace(tmp.path());
    let out = tmp.path().join("no-such-folder").join("out.jsonl");
    let err = ws.export(&jsonl(), &out, None, &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("no-such-folder"), "{err}");
}
