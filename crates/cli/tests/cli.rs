//! The `parallax` binary as users run it: one process per command against a real workspace.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn parallax() -> Command {
    let mut cmd = Command::cargo_bin("parallax").unwrap();
    cmd.env_remove("PARALLAX_ANNOTATOR").env("USER", "tester");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Articles with the quirks of real news files: an inline date prefix, a title/date/URL header,
/// hard wraps, a trailing "originally belongs to" line, curly quotes, dashes and an emoji.
fn news_folder(root: &Path) -> PathBuf {
    let dir = root.join("news");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("inline-date.txt"),
        " date 2022-02-15 Some Russian troops are returning to base — Moscow says “drills are over” 🇷🇺.\n\n\
         Igor Konashenkov said the units had completed their exercises.\n",
    )
    .unwrap();
    fs::write(
        dir.join("header.txt"),
        "Russia says some troops pulling back\n20220215\nhttps://www.presstv.ir/Detail/2022/02/15/1\n\n\
         Russia’s defence ministry says some units are returning to their bases.\n",
    )
    .unwrap();
    fs::write(
        dir.join("wrapped.txt"),
        "Russia's defence ministry said on Tuesday that some units of its armed forces\n\
         were returning to their bases after completing exercises, in a move that\n\
         Western officials said they would need to verify before drawing conclusions.\n\n\
         The announcement came as diplomats met in Moscow for a second day of talks on\n\
         the security guarantees that the Kremlin has demanded from NATO and the West.\n\n\
         This article originally belongs to nbcnews.com\n",
    )
    .unwrap();
    dir
}

fn init(root: &Path) -> PathBuf {
    let ws = root.join("ws");
    parallax().arg("init").arg(&ws).assert().success();
    ws
}

/// A new workspace with `news_folder` imported.
fn workspace_with_news(root: &Path) -> PathBuf {
    let ws = init(root);
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(news_folder(root))
        .assert()
        .success();
    ws
}

fn docs(ws: &Path) -> Vec<Value> {
    json_lines(&stdout_of(parallax().arg("docs").arg(ws).arg("--json")))
}

fn doc_by_file(ws: &Path, file: &str) -> Value {
    docs(ws)
        .into_iter()
        .find(|d| d["source_file"] == file)
        .unwrap()
}

fn text_of(ws: &Path, id: &str) -> String {
    let view = json_lines(&stdout_of(
        parallax().args(["show", "--json"]).arg(ws).arg(id),
    ));
    view[0]["document"]["text"].as_str().unwrap().to_string()
}

fn code_points(text: &str, needle: &str) -> (usize, usize) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn annotate(ws: &Path, doc: &str, (start, end): (usize, usize), label: &str) -> String {
    stdout_of(
        parallax()
            .arg("annotate")
            .arg(ws)
            .arg(doc)
            .args(["--start", &start.to_string(), "--end", &end.to_string()])
            .args(["--label", label]),
    )
    .trim()
    .to_string()
}

#[test]
fn import_takes_headers_into_metadata_and_a_second_import_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = init(tmp.path());
    let news = news_folder(tmp.path());
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&news)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "imported 3, duplicates 0, failed 0",
        ));

    let inline = doc_by_file(&ws, "inline-date.txt");
    assert_eq!(inline["published"], "2022-02-15");
    let text = text_of(&ws, inline["id"].as_str().unwrap());
    assert!(text.starts_with("Some Russian troops"), "{text:?}");
    assert!(text.contains("— Moscow says “drills are over” 🇷🇺."));

    let header = doc_by_file(&ws, "header.txt");
    assert_eq!(header["title"], "Russia says some troops pulling back");
    assert_eq!(header["url"], "https://www.presstv.ir/Detail/2022/02/15/1");
    assert_eq!(header["outlet"], "presstv.ir");
    assert_eq!(header["published"], "2022-02-15");
    assert_eq!(header["span_count"], 0);
    assert_eq!(header["status"], "new");
    assert_eq!(header["sha256"].as_str().unwrap().len(), 64);
    let text = text_of(&ws, header["id"].as_str().unwrap());
    assert_eq!(
        text,
        "Russia’s defence ministry says some units are returning to their bases."
    );

    let wrapped = doc_by_file(&ws, "wrapped.txt");
    assert_eq!(wrapped["outlet"], "nbcnews.com");
    let text = text_of(&ws, wrapped["id"].as_str().unwrap());
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 3, "{text:?}");
    assert!(paragraphs.iter().all(|p| !p.contains('\n')), "{text:?}");

    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&news)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "imported 0, duplicates 3, failed 0",
        ));
    assert_eq!(docs(&ws).len(), 3);
}

#[test]
fn spans_after_non_ascii_text_export_so_python_slices_them_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());
    let doc = doc_by_file(&ws, "inline-date.txt");
    let id = doc["id"].as_str().unwrap();
    let text = text_of(&ws, id);

    let claim = annotate(&ws, id, code_points(&text, "drills are over"), "CLAIM");
    let source = annotate(&ws, id, code_points(&text, "Igor Konashenkov"), "SOURCE");
    annotate(&ws, id, code_points(&text, "🇷🇺"), "EVIDENCE");
    annotate(&ws, id, code_points(&text, "Moscow says"), "CUE");
    parallax()
        .arg("relate")
        .arg(&ws)
        .arg(id)
        .args([
            "--head",
            &claim,
            "--child",
            &source,
            "--label",
            "attributed_to",
        ])
        .assert()
        .success();

    let out = tmp.path().join("export.jsonl");
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--format", "jsonl", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exported 3 documents, 4 spans, 1 relations",
        ));

    let check = r#"
import json, sys
spans = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        doc = json.loads(line)
        ids = {s["id"] for s in doc["spans"]}
        for s in doc["spans"]:
            assert doc["text"][s["start"]:s["end"]] == s["text"], (s, doc["text"][s["start"]:s["end"]])
            spans += 1
        for r in doc["relations"]:
            assert r["head"] in ids and r["child"] in ids, r
print(spans)
"#;
    let python = Process::new("python3")
        .arg("-c")
        .arg(check)
        .arg(&out)
        .output()
        .expect("python3 is needed for this test (scripts/setup.sh installs it)");
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&python.stdout).trim(), "4");
}

#[test]
fn every_format_exports_and_imports_back_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());
    let id = doc_by_file(&ws, "inline-date.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let text = text_of(&ws, &id);
    let claim = annotate(&ws, &id, code_points(&text, "drills are over"), "CLAIM");
    let source = annotate(&ws, &id, code_points(&text, "Igor Konashenkov"), "SOURCE");
    parallax()
        .arg("relate")
        .arg(&ws)
        .arg(&id)
        .args([
            "--head",
            &claim,
            "--child",
            &source,
            "--label",
            "attributed_to",
        ])
        .assert()
        .success();
    for (format, out, relations) in [
        ("jsonl", "d.jsonl", 1),
        ("doccano", "d.jsonl", 1),
        ("doccano-label", "d.jsonl", 0),
        ("spacy", "d.jsonl", 1),
        ("label-studio", "d.json", 1),
        ("brat", "brat", 1),
        ("conll", "d.conll", 0),
    ] {
        let dir = tmp.path().join(format);
        fs::create_dir_all(&dir).unwrap();
        let out = dir.join(out);
        let report: Value = serde_json::from_str(&stdout_of(
            parallax()
                .arg("export")
                .arg(&ws)
                .args(["--format", format, "--json", "-o"])
                .arg(&out),
        ))
        .unwrap();
        assert_eq!(report["documents"], 3, "{format}");
        let back = dir.join("ws");
        parallax().arg("init").arg(&back).assert().success();
        let imported: Value = serde_json::from_str(&stdout_of(
            parallax().arg("import").arg(&back).arg(&out).arg("--json"),
        ))
        .unwrap();
        assert_eq!(
            imported["imported"].as_array().unwrap().len(),
            3,
            "{format}: {imported}"
        );
        assert_eq!(imported["spans"], 2, "{format}: {imported}");
        assert_eq!(imported["relations"], relations, "{format}: {imported}");
    }
    // Claims: one line per CLAIM, with its source.
    let claims = tmp.path().join("claims.jsonl");
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--format", "claims", "-o"])
        .arg(&claims)
        .assert()
        .success();
    let lines = json_lines(&fs::read_to_string(&claims).unwrap());
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["sources"][0]["text"], "Igor Konashenkov");
}

#[test]
fn a_split_export_writes_parts_and_a_bad_split_says_what_to_write() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());
    let out = tmp.path().join("split");
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--format", "spacy", "--split", "60/40", "--seed", "3", "-o"])
        .arg(&out)
        .assert()
        .success();
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["split"]["names"],
        serde_json::json!(["train", "test"])
    );
    let lines = |p: &str| fs::read_to_string(out.join(p)).unwrap().lines().count();
    assert_eq!(lines("train.jsonl") + lines("test.jsonl"), 3);
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--split", "eighty", "-o"])
        .arg(tmp.path().join("x"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("80/10/10"));
    // Parts that do not add up to 100 are refused before anything is written.
    let over = tmp.path().join("over");
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--split", "80/30/10", "-o"])
        .arg(&over)
        .assert()
        .failure()
        .stderr(predicate::str::contains("add up to 120, not 100"));
    assert!(!over.exists());
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--from", "15.02.2022", "-o"])
        .arg(tmp.path().join("y.jsonl"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn undo_and_redo_work_across_invocations() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());
    let id = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let span = annotate(&ws, &id, (0, 8), "SOURCE");
    let span_count = || {
        doc_by_file(&ws, "header.txt")["span_count"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(span_count(), 1);

    parallax()
        .arg("undo")
        .arg(&ws)
        .assert()
        .success()
        .stdout(predicate::str::contains("undid").and(predicate::str::contains("add_span")));
    assert_eq!(span_count(), 0);
    parallax()
        .arg("undo")
        .arg(&ws)
        .assert()
        .failure()
        .stderr(predicate::str::contains("nothing to undo"));

    parallax().arg("redo").arg(&ws).assert().success();
    assert_eq!(span_count(), 1);
    let view = json_lines(&stdout_of(
        parallax().args(["show", "--json"]).arg(&ws).arg(&id),
    ));
    assert_eq!(view[0]["spans"][0]["id"], span.as_str());
    assert_eq!(view[0]["spans"][0]["text"], "Russia’s");
    assert_eq!(view[0]["spans"][0]["annotator"], "tester");

    let history = json_lines(&stdout_of(parallax().args(["history", "--json"]).arg(&ws)));
    let actions: Vec<&str> = history
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["redo", "undo", "add_span"]);
}

#[test]
fn a_folder_with_bad_files_imports_the_good_ones_and_exits_with_status_3() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = init(tmp.path());
    let dir = tmp.path().join("mixed");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("binary.dat"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    fs::write(dir.join("empty.txt"), b"").unwrap();
    let latin1: Vec<u8> =
        "Le ministère a déclaré que les unités étaient rentrées à la caserne après les exercices."
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
    fs::write(dir.join("latin1.txt"), latin1).unwrap();
    let mut utf16 = vec![0xFE, 0xFF];
    for unit in "Die Truppen kehren zurück – sagt das Ministerium.".encode_utf16() {
        utf16.extend_from_slice(&unit.to_be_bytes());
    }
    fs::write(dir.join("utf16.txt"), utf16).unwrap();

    let assert = parallax().arg("import").arg(&ws).arg(&dir).assert().code(3);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("imported 2, duplicates 0, failed 2"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{}: binary file",
            dir.join("binary.dat").display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}: empty file", dir.join("empty.txt").display())),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("2 files could not be imported"), "{stderr}");

    let latin = doc_by_file(&ws, "latin1.txt");
    assert!(text_of(&ws, latin["id"].as_str().unwrap()).starts_with("Le ministère a déclaré"));
    let utf16 = doc_by_file(&ws, "utf16.txt");
    assert_eq!(
        text_of(&ws, utf16["id"].as_str().unwrap()),
        "Die Truppen kehren zurück – sagt das Ministerium."
    );
}

#[test]
fn a_dataset_that_loses_annotations_exits_with_status_3_and_counts_them() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = init(tmp.path());
    // doccano: a span past the end of its text and a reversed span, beside a good one.
    let doccano = tmp.path().join("labels.jsonl");
    fs::write(
        &doccano,
        r#"{"text":"Kyiv said no.","label":[[0,4,"SOURCE"],[5,99,"CLAIM"],[9,5,"CLAIM"]]}"#,
    )
    .unwrap();
    // Label Studio: UTF-16 offsets outside the text.
    let studio = tmp.path().join("tasks.json");
    fs::write(
        &studio,
        r#"[{"data":{"text":"Moscow denied it."},"annotations":[{"result":[
            {"id":"a","type":"labels","value":{"start":0,"end":6,"labels":["SOURCE"]}},
            {"id":"b","type":"labels","value":{"start":7,"end":70,"labels":["CLAIM"]}}]}]}]"#,
    )
    .unwrap();
    let assert = parallax()
        .arg("import")
        .arg(&ws)
        .arg(&doccano)
        .arg(&studio)
        .assert()
        .code(3);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("imported 2 (2 spans, 0 relations), left out 3 annotations"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("3 annotations could not be imported"),
        "{stderr}"
    );
    // What could come in did, once: the good spans are there.
    let stats = json_lines(&stdout_of(parallax().args(["stats", "--json"]).arg(&ws)));
    assert_eq!(stats[0]["spans"], 2);

    // --json carries the counts; a bad record (not JSON) is counted apart from annotations.
    let more = tmp.path().join("more.jsonl");
    fs::write(
        &more,
        "{\"text\":\"A new text.\",\"label\":[[2,1,\"CLAIM\"]]}\nnot json\n",
    )
    .unwrap();
    let assert = parallax()
        .arg("import")
        .arg(&ws)
        .arg(&more)
        .arg("--json")
        .assert()
        .code(3);
    let report = json_lines(&String::from_utf8_lossy(&assert.get_output().stdout))[0].clone();
    assert_eq!(
        report["left_out"],
        serde_json::json!({"files": 0, "records": 1, "annotations": 1})
    );
    assert_eq!(report["failed"][0]["line"], 2);

    // A clean import still exits 0.
    let clean = tmp.path().join("clean.jsonl");
    fs::write(&clean, r#"{"text":"All is well.","label":[[0,3,"CLAIM"]]}"#).unwrap();
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&clean)
        .assert()
        .success();
}

#[test]
fn a_strict_import_of_a_file_with_a_bad_record_imports_nothing_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = init(tmp.path());
    let labels = || {
        let schema: Value =
            serde_json::from_str(&stdout_of(parallax().arg("schema").arg(&ws))).unwrap();
        schema["span_labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let before = labels();
    // Good documents with a label of their own, and one span past the end of its text on line 3
    // (found when storing it).
    let file = tmp.path().join("set.jsonl");
    let lines = [
        r#"{"text":"Kyiv said no.","label":[[0,4,"ORG"]]}"#,
        r#"{"text":"Moscow said yes.","label":[[0,6,"ORG"]]}"#,
        r#"{"text":"Minsk was silent.","label":[[0,99,"ORG"]]}"#,
    ];
    fs::write(&file, lines.join("\n")).unwrap();
    let assert = parallax()
        .arg("import")
        .arg(&ws)
        .arg(&file)
        .args(["--strict", "--json"])
        .assert()
        .code(3);
    let report = json_lines(&String::from_utf8_lossy(&assert.get_output().stdout))[0].clone();
    assert_eq!(report["imported"], serde_json::json!([]));
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed[0]["line"], 3, "{failed:?}");
    assert!(
        failed.last().unwrap()["reason"]
            .as_str()
            .unwrap()
            .contains("--strict: nothing of this file was imported")
    );
    assert!(docs(&ws).is_empty());
    assert_eq!(labels(), before, "the file's label stays out too");

    // A problem the store finds (text that does not match) undoes the file, labels and all.
    let stored = tmp.path().join("stored.jsonl");
    fs::write(
        &stored,
        [
            r#"{"text":"Kyiv said no.","spans":[{"id":"a","start":0,"end":4,"label":"ORG","text":"Kyiv"}],"relations":[],"schema_version":1}"#,
            r#"{"text":"Oslo said no.","spans":[{"id":"a","start":0,"end":4,"label":"ORG","text":"Rome"}],"relations":[],"schema_version":1}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&stored)
        .arg("--strict")
        .assert()
        .code(3)
        .stdout(predicate::str::contains("`Rome`"));
    assert!(docs(&ws).is_empty());
    assert_eq!(labels(), before);

    // Mended, the same file imports whole, with its label.
    fs::write(&file, lines[..2].join("\n")).unwrap();
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&file)
        .arg("--strict")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "imported 2 (2 spans, 0 relations)",
        ));
    assert!(labels().contains(&"ORG".to_string()));
    // Without --strict, the good records of a bad file come in as before.
    let mixed = tmp.path().join("mixed.jsonl");
    fs::write(
        &mixed,
        [lines[2], r#"{"text":"Riga spoke.","label":[[0,4,"ORG"]]}"#].join("\n"),
    )
    .unwrap();
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&mixed)
        .assert()
        .code(3);
    assert_eq!(docs(&ws).len(), 4);
}

#[test]
fn a_backup_restores_the_workspace_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());
    let taken = json_lines(&stdout_of(parallax().arg("backup").arg(&ws).arg("--json")));
    let name = Path::new(taken[0]["path"].as_str().unwrap())
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(taken[0]["reason"], "manual");
    let id = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    annotate(&ws, &id, (0, 8), "SOURCE");
    assert_eq!(doc_by_file(&ws, "header.txt")["span_count"], 1);

    let out = stdout_of(parallax().arg("restore").arg(&ws).arg(&name));
    assert!(out.contains("before-restore"), "{out}");
    assert_eq!(doc_by_file(&ws, "header.txt")["span_count"], 0);
    // Search works at once: the index is rebuilt from the restored database.
    let hits = json_lines(&stdout_of(
        parallax()
            .arg("search")
            .arg(&ws)
            .args(["Konashenkov", "--json"]),
    ));
    assert_eq!(hits.len(), 1);
    let listed = json_lines(&stdout_of(
        parallax().arg("backup").arg(&ws).args(["--list", "--json"]),
    ));
    let reasons: Vec<&str> = listed
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["manual", "before-restore"]);

    // A snapshot that is not one is refused, and the workspace stays as it is.
    let junk = tmp.path().join("junk.db");
    fs::write(&junk, "no database").unwrap();
    parallax()
        .arg("restore")
        .arg(&ws)
        .arg(&junk)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a usable snapshot"));
    assert_eq!(docs(&ws).len(), 3);
    parallax()
        .arg("backup")
        .arg(&ws)
        .args(["--keep", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("keep at least one"));
}

#[test]
fn a_workspace_under_a_path_with_spaces_and_accents_works_throughout() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp
        .path()
        .join("Équipe de vérification")
        .join("dossier 2022 — «kyiv»");
    fs::create_dir_all(&root).unwrap();
    let ws = init(&root);
    let news = news_folder(&root);
    parallax()
        .arg("import")
        .arg(&ws)
        .arg(&news)
        .assert()
        .success();
    let id = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    annotate(&ws, &id, (0, 8), "SOURCE");
    let out = root.join("export ü.jsonl");
    parallax()
        .arg("export")
        .arg(&ws)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 3);
    let hits = json_lines(&stdout_of(
        parallax()
            .arg("search")
            .arg(&ws)
            .args(["Konashenkov", "--json"]),
    ));
    assert_eq!(hits.len(), 1);
    let taken = json_lines(&stdout_of(parallax().arg("backup").arg(&ws).arg("--json")));
    let snapshot = taken[0]["path"].as_str().unwrap().to_string();
    stdout_of(parallax().arg("restore").arg(&ws).arg(&snapshot));
    stdout_of(parallax().arg("check").arg(&ws));
}

/// Runs the binary as a user who cannot write what root made: `nobody` when the tests run as
/// root (root writes through permission bits), else the user itself.
fn as_other_user() -> Command {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        == Some("0");
    let bin = assert_cmd::cargo::cargo_bin("parallax");
    let mut cmd = if root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "nobody", "--"]).arg(bin);
        cmd
    } else {
        Command::new(bin)
    };
    cmd.env_remove("PARALLAX_ANNOTATOR").env("USER", "tester");
    cmd
}

#[test]
fn a_workspace_that_cannot_be_written_opens_read_only_and_refuses_changes() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());
    let id = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    mode(tmp.path(), 0o755);
    for entry in fs::read_dir(&ws).unwrap() {
        let path = entry.unwrap().path();
        mode(&path, if path.is_dir() { 0o555 } else { 0o444 });
    }
    mode(&ws, 0o555);
    let out_dir = tmp.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    mode(&out_dir, 0o777);

    let listed = as_other_user()
        .arg("docs")
        .arg(&ws)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 3);
    as_other_user().arg("check").arg(&ws).assert().success();
    as_other_user()
        .arg("export")
        .arg(&ws)
        .arg("-o")
        .arg(out_dir.join("data.jsonl"))
        .assert()
        .success();
    as_other_user()
        .arg("annotate")
        .arg(&ws)
        .arg(&id)
        .args(["--start", "0", "--end", "8", "--label", "SOURCE"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot be written"));
    mode(&ws, 0o755);
    assert_eq!(doc_by_file(&ws, "header.txt")["span_count"], 0);

    // Changes still in the write-ahead log (an import killed part-way leaves them there) are
    // read too, not only what the database file holds.
    for entry in fs::read_dir(&ws).unwrap() {
        let path = entry.unwrap().path();
        mode(&path, if path.is_dir() { 0o755 } else { 0o644 });
    }
    let big = tmp.path().join("big.jsonl");
    let lines: Vec<String> = (0..4000)
        .map(|i| {
            format!(
                r#"{{"text":"Line {i} of a dataset, the ministry said.","label":[[0,4,"CLAIM"]]}}"#
            )
        })
        .collect();
    fs::write(&big, lines.join("\n")).unwrap();
    let mut import = std::process::Command::new(assert_cmd::cargo::cargo_bin("parallax"))
        .arg("import")
        .arg(&ws)
        .arg(&big)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once some of the dataset is committed (its import commits in batches), so that the
    // log holds documents the database file may not.
    let wal = ws.join("parallax.db-wal");
    let before = docs(&ws).len();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while docs(&ws).len() <= before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    import.kill().unwrap();
    import.wait().unwrap();
    assert!(
        wal.metadata().map_or(0, |m| m.len()) > 0,
        "no changes waiting in the log"
    );
    for entry in fs::read_dir(&ws).unwrap() {
        let path = entry.unwrap().path();
        mode(&path, if path.is_dir() { 0o555 } else { 0o444 });
    }
    mode(&ws, 0o555);
    let seen = as_other_user()
        .arg("docs")
        .arg(&ws)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        seen.status.success(),
        "{}",
        String::from_utf8_lossy(&seen.stderr)
    );
    let seen = String::from_utf8_lossy(&seen.stdout).lines().count();
    mode(&ws, 0o755);
    assert_eq!(
        seen,
        docs(&ws).len(),
        "read-only, the log's documents are missed"
    );
    assert!(seen > 3, "{seen}");
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_status() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nowhere");
    parallax()
        .arg("docs")
        .arg(&missing)
        .assert()
        .failure()
        .stdout("")
        .stderr(
            predicate::str::contains("not a Parallax workspace")
                .and(predicate::str::contains("parallax init")),
        );

    let ws = init(tmp.path());
    parallax()
        .arg("init")
        .arg(&ws)
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));

    parallax()
        .arg("import")
        .arg(&ws)
        .arg(news_folder(tmp.path()))
        .assert()
        .success();
    let id = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    parallax()
        .arg("annotate")
        .arg(&ws)
        .arg(&id)
        .args(["--start", "5", "--end", "5000", "--label", "CLAIM"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("outside the document"));
    parallax()
        .arg("annotate")
        .arg(&ws)
        .arg(&id)
        .args(["--start", "0", "--end", "4", "--label", "RUMOUR"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no span label `RUMOUR`"));
    // A negative offset and an empty label are refused before anything is written.
    parallax()
        .arg("annotate")
        .arg(&ws)
        .arg(&id)
        .args(["--start=-3", "--end", "4", "--label", "CLAIM"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("invalid value '-3'"));
    parallax()
        .arg("annotate")
        .arg(&ws)
        .arg(&id)
        .args(["--start", "0", "--end", "4", "--label", ""])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no span label ``"));
    assert_eq!(doc_by_file(&ws, "header.txt")["span_count"], 0);
    parallax()
        .arg("annotate")
        .arg(&ws)
        .arg(&id)
        .args([
            "--start",
            "0",
            "--end",
            "4",
            "--label",
            "CLAIM",
            "--attr",
            "type=gossip",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("gossip"));
    assert_eq!(doc_by_file(&ws, "header.txt")["span_count"], 0);
}

#[test]
fn the_benchmarks_are_not_a_command_of_the_users_binary() {
    let help = stdout_of(parallax().arg("--help"));
    assert!(help.contains("import"), "{help}");
    assert!(!help.contains("bench"), "{help}");
    parallax().args(["bench", "--help"]).assert().failure();
}

#[test]
fn import_and_export_take_only_the_formats_they_can_use() {
    let import = stdout_of(parallax().args(["import", "--help"]));
    let export = stdout_of(parallax().args(["export", "--help"]));
    assert!(
        import.contains("csv") && !import.contains("claim-pairs"),
        "{import}"
    );
    assert!(
        export.contains("claim-pairs") && !export.contains("csv"),
        "{export}"
    );
    let tmp = tempfile::tempdir().unwrap();
    parallax()
        .args(["export", "--format", "csv", "-o"])
        .arg(tmp.path().join("out.csv"))
        .arg(tmp.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("invalid value 'csv'"));
}

#[test]
fn every_command_has_help() {
    let commands = [
        "init",
        "demo",
        "import",
        "docs",
        "show",
        "annotate",
        "relate",
        "delete",
        "status",
        "undo",
        "redo",
        "history",
        "export",
        "stats",
        "backup",
        "restore",
        "check",
        "search",
        "occurrences",
        "reindex",
        "sources",
        "groups",
        "group",
        "entity",
        "similar",
    ];
    for command in commands {
        parallax()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: parallax"));
    }
}

#[test]
fn the_demo_workspace_has_annotated_articles_and_stats_count_them() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("demo");
    parallax()
        .arg("demo")
        .arg(&ws)
        .assert()
        .success()
        .stdout(predicate::str::contains("with 5 documents"));
    let stats = json_lines(&stdout_of(parallax().args(["stats", "--json"]).arg(&ws)));
    assert_eq!(stats[0]["documents"], 5);
    assert!(stats[0]["spans"].as_u64().unwrap() >= 30, "{}", stats[0]);
    // In the table every name stands apart from its count, the longest too.
    let table = stdout_of(parallax().arg("stats").arg(&ws));
    for name in ["attributed_to", "CLAIM", "done"] {
        let row = table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name} in\n{table}"));
        let count = row.split_whitespace().nth(1);
        assert!(
            count.is_some_and(|c| c.parse::<u32>().is_ok()),
            "{name}: {row:?}"
        );
    }
}

#[test]
fn search_finds_words_phrases_and_new_spans_without_a_reindex() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(tmp.path());

    let hits = json_lines(&stdout_of(
        parallax()
            .arg("search")
            .arg(&ws)
            .args(["Konashenkov", "--json"]),
    ));
    assert_eq!(hits.len(), 1);
    let text = text_of(&ws, hits[0]["doc_id"].as_str().unwrap());
    let chars: Vec<char> = text.chars().collect();
    let [s, e] = [&hits[0]["matches"][0][0], &hits[0]["matches"][0][1]]
        .map(|v| v.as_u64().unwrap() as usize);
    assert_eq!(chars[s..e].iter().collect::<String>(), "Konashenkov");

    let phrase = json_lines(&stdout_of(
        parallax()
            .arg("search")
            .arg(&ws)
            .args(["\"units are returning to their bases\"", "--json"]),
    ));
    assert_eq!(phrase.len(), 1);
    assert_eq!(phrase[0]["outlet"], "presstv.ir");
    let dated = json_lines(&stdout_of(parallax().arg("search").arg(&ws).args([
        "troops published:2022-02",
        "--json",
        "--sort",
        "date",
    ])));
    assert_eq!(dated.len(), 2);

    parallax()
        .arg("search")
        .arg(&ws)
        .arg("outlet:(")
        .assert()
        .failure()
        .stdout("")
        .stderr(
            predicate::str::contains("character 8").and(predicate::str::contains("never closed")),
        );

    let id = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let text = text_of(&ws, &id);
    let span = annotate(
        &ws,
        &id,
        code_points(&text, "some units are returning"),
        "CLAIM",
    );
    let spans = json_lines(&stdout_of(parallax().arg("search").arg(&ws).args([
        "label:CLAIM",
        "--spans",
        "--json",
    ])));
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0]["span_id"], span.as_str());
    assert_eq!(spans[0]["text"], "some units are returning");

    let found = json_lines(&stdout_of(
        parallax()
            .arg("occurrences")
            .arg(&ws)
            .args(["Some units", "--json"]),
    ));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|o| o["labels"] == serde_json::json!([])));
    let exact = json_lines(&stdout_of(
        parallax()
            .arg("occurrences")
            .arg(&ws)
            .args(["SOME UNITS ARE RETURNING", "--json"]),
    ));
    assert_eq!(exact.len(), 1);
    assert_eq!(exact[0]["labels"], serde_json::json!(["CLAIM"]));

    let similar = json_lines(&stdout_of(
        parallax()
            .arg("similar")
            .arg(&ws)
            .args(["--span", &span, "--json"]),
    ));
    assert!(!similar.is_empty());
    assert_eq!(similar[0]["source_file"], serde_json::Value::Null);
    assert!(
        similar.iter().all(|p| p["doc_id"] != id.as_str()),
        "{similar:?}"
    );
    assert!(
        similar[0]["text"]
            .as_str()
            .unwrap()
            .contains("units of its armed forces"),
        "{similar:?}"
    );
    parallax()
        .arg("similar")
        .arg(&ws)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--text"));

    parallax()
        .arg("reindex")
        .arg(&ws)
        .assert()
        .success()
        .stderr(predicate::str::contains("indexed 3 documents"));
}

#[test]
fn a_schema_edited_as_json_renames_a_label_and_keeps_its_spans() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(dir.path());
    let doc = doc_by_file(&ws, "header.txt");
    let id = doc["id"].as_str().unwrap();
    let text = text_of(&ws, id);
    let span = annotate(&ws, id, (0, text.chars().take(10).count()), "CLAIM");

    let printed = stdout_of(parallax().arg("schema").arg(&ws));
    let renamed = printed.replace("\"CLAIM\"", "\"ASSERTION\"");
    let file = dir.path().join("schema.json");
    fs::write(&file, renamed).unwrap();
    let applied: Value = serde_json::from_str(&stdout_of(
        parallax()
            .arg("schema")
            .arg(&ws)
            .arg("--apply")
            .arg(&file)
            .args(["--rename", "CLAIM=ASSERTION"]),
    ))
    .unwrap();
    assert_eq!(applied["span_labels"][0]["name"], "ASSERTION");
    let shown = stdout_of(parallax().arg("show").arg(&ws).arg(id).arg("--json"));
    assert!(
        shown.contains(&span) && shown.contains("\"ASSERTION\""),
        "{shown}"
    );

    // A schema that clashes is refused with the reason, and changes nothing.
    let clash = printed.replace("\"hotkey\": \"2\"", "\"hotkey\": \"1\"");
    fs::write(&file, clash).unwrap();
    parallax()
        .arg("schema")
        .arg(&ws)
        .arg("--apply")
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("hotkey `1` is used by two labels"));
    let after: Value = serde_json::from_str(&stdout_of(parallax().arg("schema").arg(&ws))).unwrap();
    assert_eq!(after, applied);
}

#[test]
fn claims_are_grouped_and_sources_linked_from_the_command_line() {
    let root = tempfile::tempdir().unwrap();
    let ws = workspace_with_news(root.path());
    let header = doc_by_file(&ws, "header.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let wrapped = doc_by_file(&ws, "wrapped.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let inline = doc_by_file(&ws, "inline-date.txt")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let claim_a = annotate(
        &ws,
        &header,
        code_points(
            &text_of(&ws, &header),
            "some units are returning to their bases",
        ),
        "CLAIM",
    );
    let claim_b = annotate(
        &ws,
        &wrapped,
        code_points(&text_of(&ws, &wrapped), "some units of its armed forces"),
        "CLAIM",
    );
    let source = annotate(
        &ws,
        &inline,
        code_points(&text_of(&ws, &inline), "Igor Konashenkov"),
        "SOURCE",
    );

    let out = stdout_of(parallax().args(["entity"]).arg(&ws).args([
        "link",
        "--span",
        &source,
        "--new",
        "Igor Konashenkov",
    ]));
    assert!(out.contains("linked to Igor Konashenkov"), "{out}");
    let sources = json_lines(&stdout_of(parallax().arg("sources").arg(&ws).arg("--json")));
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["entity"]["name"], "Igor Konashenkov");
    assert_eq!(sources[0]["mentions"], 1);

    let out = stdout_of(parallax().arg("group").arg(&ws).args([
        "add",
        "--span",
        &claim_a,
        "--new",
        "Some Russian units return to base",
    ]));
    let group = out.split_whitespace().last().unwrap().to_string();
    parallax()
        .arg("group")
        .arg(&ws)
        .args(["add", "--span", &claim_b, "--group", &group])
        .assert()
        .success();
    parallax()
        .arg("group")
        .arg(&ws)
        .args(["set", "--group", &group, "--status", "disputed"])
        .args(["--evidence", "https://example.org/satellite"])
        .assert()
        .success();
    // A bad URL is refused with a message, and the group keeps its evidence.
    parallax()
        .arg("group")
        .arg(&ws)
        .args(["set", "--group", &group, "--evidence", "satellite.png"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not a web address"));
    let groups = json_lines(&stdout_of(
        parallax()
            .arg("groups")
            .arg(&ws)
            .args(["--json", "--status", "disputed"]),
    ));
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        groups[0]["group"]["evidence"][0],
        "https://example.org/satellite"
    );
    let human = stdout_of(parallax().arg("groups").arg(&ws));
    assert!(
        human.contains("[disputed]  Some Russian units return to base"),
        "{human}"
    );
    assert!(
        stdout_of(
            parallax()
                .arg("groups")
                .arg(&ws)
                .args(["--status", "supported"])
        )
        .contains("0 claim groups")
    );

    // A passage `similar` lists joins the group, annotated as a claim on the way.
    let similar = json_lines(&stdout_of(
        parallax()
            .arg("similar")
            .arg(&ws)
            .args(["--span", &claim_a, "--json"]),
    ));
    let passage = similar
        .iter()
        .find(|p| p["doc_id"] == inline.as_str())
        .expect("the inline-date article is like the claim");
    let out = stdout_of(parallax().arg("group").arg(&ws).args([
        "add-passage",
        "--span",
        &claim_a,
        "--doc",
        &inline,
        "--start",
        &passage["start"].to_string(),
        "--end",
        &passage["end"].to_string(),
    ]));
    assert!(out.starts_with("new claim"), "{out}");
    assert!(out.trim_end().ends_with(&group), "{out}");
    let groups = json_lines(&stdout_of(parallax().arg("groups").arg(&ws).arg("--json")));
    assert_eq!(groups[0]["members"].as_array().unwrap().len(), 3);

    let out = root.path().join("pairs.jsonl");
    parallax()
        .arg("export")
        .arg(&ws)
        .args(["--format", "claim-pairs", "--seed", "3", "-o"])
        .arg(&out)
        .assert()
        .success();
    let pairs = json_lines(&fs::read_to_string(&out).unwrap());
    assert_eq!(
        pairs.len(),
        3,
        "three positives, no second group to sample negatives from"
    );
    assert_eq!(pairs[0]["label"], 1);

    // A SOURCE span is not a claim: refused, with the reason.
    parallax()
        .arg("group")
        .arg(&ws)
        .args(["add", "--span", &source, "--group", &group])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "only CLAIM spans join claim groups",
        ));
}
