//! The `parallax` binary as users run it: one process per command against a real workspace.

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use serde_json::Value;
use util::{Dir, TestCommand, json_lines};

/// Articles with the quirks of real news files: an inline date prefix, a title/date/URL header,
/// hard wraps, a trailing "originally belongs to" line, curly quotes, dashes and an emoji.
fn news(t: &Dir) -> PathBuf {
    t.create(
        "news/inline-date.txt",
        " date 2022-02-15 Some Russian troops are returning to base — Moscow says “drills are over” 🇷🇺.\n\n\
         Igor Konashenkov said the units had completed their exercises.\n",
    );
    t.create(
        "news/header.txt",
        "Russia says some troops pulling back\n20220215\nhttps://www.presstv.ir/Detail/2022/02/15/1\n\n\
         Russia’s defence ministry says some units are returning to their bases.\n",
    );
    t.create(
        "news/wrapped.txt",
        "Russia's defence ministry said on Tuesday that some units of its armed forces\n\
         were returning to their bases after completing exercises, in a move that\n\
         Western officials said they would need to verify before drawing conclusions.\n\n\
         The announcement came as diplomats met in Moscow for a second day of talks on\n\
         the security guarantees that the Kremlin has demanded from NATO and the West.\n\n\
         This article originally belongs to nbcnews.com\n",
    );
    t.path("news")
}

/// `t` with its workspace made and `news` imported.
fn with_news(t: Dir) -> Dir {
    t.init();
    t.cmd("import").arg(news(&t)).assert_ok();
    t
}

fn code_points(text: &str, needle: &str) -> (usize, usize) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Relates `source` to `claim` in `doc` as `attributed_to`.
fn attribute(t: &Dir, doc: &str, claim: &str, source: &str) {
    t.cmd("relate")
        .arg(doc)
        .args(["--head", claim, "--child", source])
        .args(["--label", "attributed_to"])
        .assert_ok();
}

#[test]
fn import_takes_headers_into_metadata_and_a_second_import_adds_nothing() {
    let t = Dir::new();
    t.init();
    let news = news(&t);
    t.cmd("import")
        .arg(&news)
        .stdout_containing("imported 3, duplicates 0, failed 0");

    let inline = t.doc_by_file("inline-date.txt");
    assert_eq!(inline["published"], "2022-02-15");
    let text = t.text_of(inline["id"].as_str().unwrap());
    assert!(text.starts_with("Some Russian troops"), "{text:?}");
    assert!(text.contains("— Moscow says “drills are over” 🇷🇺."));

    let header = t.doc_by_file("header.txt");
    assert_eq!(header["title"], "Russia says some troops pulling back");
    assert_eq!(header["url"], "https://www.presstv.ir/Detail/2022/02/15/1");
    assert_eq!(header["outlet"], "presstv.ir");
    assert_eq!(header["published"], "2022-02-15");
    assert_eq!(header["span_count"], 0);
    assert_eq!(header["status"], "new");
    assert_eq!(header["sha256"].as_str().unwrap().len(), 64);
    let text = t.text_of(header["id"].as_str().unwrap());
    assert_eq!(
        text,
        "Russia’s defence ministry says some units are returning to their bases."
    );

    let wrapped = t.doc_by_file("wrapped.txt");
    assert_eq!(wrapped["outlet"], "nbcnews.com");
    let text = t.text_of(wrapped["id"].as_str().unwrap());
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 3, "{text:?}");
    assert!(paragraphs.iter().all(|p| !p.contains('\n')), "{text:?}");

    t.cmd("import")
        .arg(&news)
        .stdout_containing("imported 0, duplicates 3, failed 0");
    assert_eq!(t.docs().len(), 3);
}

#[test]
fn spans_after_non_ascii_text_export_so_python_slices_them_exactly() {
    let t = with_news(Dir::new());
    let id = &t.doc_id("inline-date.txt");
    let text = t.text_of(id);

    let claim = t.annotate(id, code_points(&text, "drills are over"), "CLAIM");
    let source = t.annotate(id, code_points(&text, "Igor Konashenkov"), "SOURCE");
    t.annotate(id, code_points(&text, "🇷🇺"), "EVIDENCE");
    t.annotate(id, code_points(&text, "Moscow says"), "CUE");
    attribute(&t, id, &claim, &source);

    let out = t.path("export.jsonl");
    t.cmd("export")
        .args(["--format", "jsonl", "-o"])
        .arg(&out)
        .stdout_containing("exported 3 documents, 4 spans, 1 relations");

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
    let t = with_news(Dir::new());
    let id = t.doc_id("inline-date.txt");
    let text = t.text_of(&id);
    let claim = t.annotate(&id, code_points(&text, "drills are over"), "CLAIM");
    let source = t.annotate(&id, code_points(&text, "Igor Konashenkov"), "SOURCE");
    attribute(&t, &id, &claim, &source);
    for (format, out, relations) in [
        ("jsonl", "d.jsonl", 1),
        ("doccano", "d.jsonl", 1),
        ("doccano-label", "d.jsonl", 0),
        ("spacy", "d.jsonl", 1),
        ("label-studio", "d.json", 1),
        ("brat", "brat", 1),
        ("conll", "d.conll", 0),
    ] {
        // The export and the workspace it goes back into, in a folder of their own.
        let back = Dir::new();
        let out = back.path(out);
        let report = t
            .cmd("export")
            .args(["--format", format, "--json", "-o"])
            .arg(&out)
            .json();
        assert_eq!(report["documents"], 3, "{format}");
        back.init();
        let imported = back.cmd("import").arg(&out).arg("--json").json();
        assert_eq!(
            imported["imported"].as_array().unwrap().len(),
            3,
            "{format}: {imported}"
        );
        assert_eq!(imported["spans"], 2, "{format}: {imported}");
        assert_eq!(imported["relations"], relations, "{format}: {imported}");
    }
    // Claims: one line per CLAIM, with its source.
    let claims = t.path("claims.jsonl");
    t.cmd("export")
        .args(["--format", "claims", "-o"])
        .arg(&claims)
        .assert_ok();
    let lines = json_lines(&t.read(&claims));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["sources"][0]["text"], "Igor Konashenkov");
}

#[test]
fn a_split_export_writes_parts_and_a_bad_split_says_what_to_write() {
    let t = with_news(Dir::new());
    let out = t.path("split");
    t.cmd("export")
        .args(["--format", "spacy", "--split", "60/40", "--seed", "3", "-o"])
        .arg(&out)
        .assert_ok();
    let manifest: Value = serde_json::from_str(&t.read(out.join("manifest.json"))).unwrap();
    assert_eq!(
        manifest["split"]["names"],
        serde_json::json!(["train", "test"])
    );
    let lines = |p: &str| t.read(out.join(p)).lines().count();
    assert_eq!(lines("train.jsonl") + lines("test.jsonl"), 3);
    t.cmd("export")
        .args(["--split", "eighty", "-o"])
        .arg(t.path("x"))
        .assert_fails_with("80/10/10");
    // Parts that do not add up to 100 are refused before anything is written.
    let over = t.path("over");
    t.cmd("export")
        .args(["--split", "80/30/10", "-o"])
        .arg(&over)
        .assert_fails_with("add up to 120, not 100");
    assert!(!over.exists());
    t.cmd("export")
        .args(["--from", "15.02.2022", "-o"])
        .arg(t.path("y.jsonl"))
        .assert_fails_with("YYYY-MM-DD");
}

#[test]
fn undo_and_redo_work_across_invocations() {
    let t = with_news(Dir::new());
    let id = t.doc_id("header.txt");
    let span = t.annotate(&id, (0, 8), "SOURCE");
    let span_count = || t.doc_by_file("header.txt")["span_count"].as_u64().unwrap();
    assert_eq!(span_count(), 1);

    let undone = t.cmd("undo").stdout_containing("undid");
    assert!(undone.contains("add_span"), "{undone}");
    assert_eq!(span_count(), 0);
    t.cmd("undo").assert_fails_with("nothing to undo");

    t.cmd("redo").assert_ok();
    assert_eq!(span_count(), 1);
    let view = t.show(&id);
    assert_eq!(view["spans"][0]["id"], span.as_str());
    assert_eq!(view["spans"][0]["text"], "Russia’s");
    assert_eq!(view["spans"][0]["annotator"], "tester");

    let history = t.cmd("history").arg("--json").json_lines();
    let actions: Vec<&str> = history
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["redo", "undo", "add_span"]);
}

#[test]
fn a_folder_with_bad_files_imports_the_good_ones_and_exits_with_status_3() {
    let t = Dir::new();
    t.init();
    t.create("mixed/binary.dat", [0u8, 159, 146, 150, 0, 1, 2, 3]);
    t.create("mixed/empty.txt", b"");
    let latin1: Vec<u8> =
        "Le ministère a déclaré que les unités étaient rentrées à la caserne après les exercices."
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
    t.create("mixed/latin1.txt", latin1);
    let mut utf16 = vec![0xFE, 0xFF];
    for unit in "Die Truppen kehren zurück – sagt das Ministerium.".encode_utf16() {
        utf16.extend_from_slice(&unit.to_be_bytes());
    }
    t.create("mixed/utf16.txt", utf16);
    let dir = t.path("mixed");

    let out = t.cmd("import").arg(&dir).assert_exit(3);
    let stdout = &out.stdout;
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
    let stderr = &out.stderr;
    assert!(stderr.contains("2 files could not be imported"), "{stderr}");

    let latin = t.doc_by_file("latin1.txt");
    assert!(
        t.text_of(latin["id"].as_str().unwrap())
            .starts_with("Le ministère a déclaré")
    );
    let utf16 = t.doc_by_file("utf16.txt");
    assert_eq!(
        t.text_of(utf16["id"].as_str().unwrap()),
        "Die Truppen kehren zurück – sagt das Ministerium."
    );
}

#[test]
fn a_dataset_that_loses_annotations_exits_with_status_3_and_counts_them() {
    let t = Dir::new();
    t.init();
    // doccano: a span past the end of its text and a reversed span, beside a good one.
    let doccano = t.create(
        "labels.jsonl",
        r#"{"text":"Kyiv said no.","label":[[0,4,"SOURCE"],[5,99,"CLAIM"],[9,5,"CLAIM"]]}"#,
    );
    // Label Studio: UTF-16 offsets outside the text.
    let studio = t.create(
        "tasks.json",
        r#"[{"data":{"text":"Moscow denied it."},"annotations":[{"result":[
            {"id":"a","type":"labels","value":{"start":0,"end":6,"labels":["SOURCE"]}},
            {"id":"b","type":"labels","value":{"start":7,"end":70,"labels":["CLAIM"]}}]}]}]"#,
    );
    let out = t.cmd("import").arg(&doccano).arg(&studio).assert_exit(3);
    let stdout = &out.stdout;
    assert!(
        stdout.contains("imported 2 (2 spans, 0 relations), left out 3 annotations"),
        "{stdout}"
    );
    let stderr = &out.stderr;
    assert!(
        stderr.contains("3 annotations could not be imported"),
        "{stderr}"
    );
    // What could come in did, once: the good spans are there.
    let stats = t.cmd("stats").arg("--json").json_lines();
    assert_eq!(stats[0]["spans"], 2);

    // --json carries the counts; a bad record (not JSON) is counted apart from annotations.
    let more = t.create(
        "more.jsonl",
        "{\"text\":\"A new text.\",\"label\":[[2,1,\"CLAIM\"]]}\nnot json\n",
    );
    let report = t
        .cmd("import")
        .arg(&more)
        .arg("--json")
        .assert_exit(3)
        .json_lines()[0]
        .clone();
    assert_eq!(
        report["left_out"],
        serde_json::json!({"files": 0, "records": 1, "annotations": 1})
    );
    assert_eq!(report["failed"][0]["line"], 2);

    // A clean import still exits 0.
    let clean = t.create(
        "clean.jsonl",
        r#"{"text":"All is well.","label":[[0,3,"CLAIM"]]}"#,
    );
    t.cmd("import").arg(&clean).assert_ok();
}

#[test]
fn a_strict_import_of_a_file_with_a_bad_record_imports_nothing_of_it() {
    let t = Dir::new();
    t.init();
    let labels = || {
        t.cmd("schema").json()["span_labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let before = labels();
    // Good documents with a label of their own, and one span past the end of its text on line 3
    // (found when storing it).
    let lines = [
        r#"{"text":"Kyiv said no.","label":[[0,4,"ORG"]]}"#,
        r#"{"text":"Moscow said yes.","label":[[0,6,"ORG"]]}"#,
        r#"{"text":"Minsk was silent.","label":[[0,99,"ORG"]]}"#,
    ];
    let file = t.create("set.jsonl", lines.join("\n"));
    let report = t
        .cmd("import")
        .arg(&file)
        .args(["--strict", "--json"])
        .assert_exit(3)
        .json_lines()[0]
        .clone();
    assert_eq!(report["imported"], serde_json::json!([]));
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed[0]["line"], 3, "{failed:?}");
    assert!(
        failed.last().unwrap()["reason"]
            .as_str()
            .unwrap()
            .contains("--strict: nothing of this file was imported")
    );
    assert!(t.docs().is_empty());
    assert_eq!(labels(), before, "the file's label stays out too");

    // A problem the store finds (text that does not match) undoes the file, labels and all.
    let stored = t.create(
        "stored.jsonl",
        [
            r#"{"text":"Kyiv said no.","spans":[{"id":"a","start":0,"end":4,"label":"ORG","text":"Kyiv"}],"relations":[],"schema_version":1}"#,
            r#"{"text":"Oslo said no.","spans":[{"id":"a","start":0,"end":4,"label":"ORG","text":"Rome"}],"relations":[],"schema_version":1}"#,
        ]
        .join("\n"),
    );
    let out = t.cmd("import").arg(&stored).arg("--strict").assert_exit(3);
    assert!(out.stdout.contains("`Rome`"), "{out}");
    assert!(t.docs().is_empty());
    assert_eq!(labels(), before);

    // Mended, the same file imports whole, with its label.
    t.create(&file, lines[..2].join("\n"));
    t.cmd("import")
        .arg(&file)
        .arg("--strict")
        .stdout_containing("imported 2 (2 spans, 0 relations)");
    assert!(labels().contains(&"ORG".to_string()));
    // Without --strict, the good records of a bad file come in as before.
    let mixed = t.create(
        "mixed.jsonl",
        [lines[2], r#"{"text":"Riga spoke.","label":[[0,4,"ORG"]]}"#].join("\n"),
    );
    t.cmd("import").arg(&mixed).assert_exit(3);
    assert_eq!(t.docs().len(), 4);
}

#[test]
fn a_backup_restores_the_workspace_as_it_was() {
    let t = with_news(Dir::new());
    let taken = t.cmd("backup").arg("--json").json_lines();
    let name = Path::new(taken[0]["path"].as_str().unwrap())
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(taken[0]["reason"], "manual");
    let id = t.doc_id("header.txt");
    t.annotate(&id, (0, 8), "SOURCE");
    assert_eq!(t.doc_by_file("header.txt")["span_count"], 1);

    let out = t.cmd("restore").arg(&name).stdout();
    assert!(out.contains("before-restore"), "{out}");
    assert_eq!(t.doc_by_file("header.txt")["span_count"], 0);
    // Search works at once: the index is rebuilt from the restored database.
    let hits = t.cmd("search").args(["Konashenkov", "--json"]).json_lines();
    assert_eq!(hits.len(), 1);
    let listed = t.cmd("backup").args(["--list", "--json"]).json_lines();
    let reasons: Vec<&str> = listed
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["manual", "before-restore"]);

    // A snapshot that is not one is refused, and the workspace stays as it is.
    let junk = t.create("junk.db", "no database");
    t.cmd("restore")
        .arg(&junk)
        .assert_fails_with("not a usable snapshot");
    assert_eq!(t.docs().len(), 3);
    t.cmd("backup")
        .args(["--keep", "0"])
        .assert_fails_with("keep at least one");
}

#[test]
fn a_workspace_under_a_path_with_spaces_and_accents_works_throughout() {
    let t = with_news(Dir::under("Équipe de vérification/dossier 2022 — «kyiv»"));
    let id = t.doc_id("header.txt");
    t.annotate(&id, (0, 8), "SOURCE");
    let out = t.path("export ü.jsonl");
    t.cmd("export").arg("-o").arg(&out).assert_ok();
    assert_eq!(t.read(&out).lines().count(), 3);
    let hits = t.cmd("search").args(["Konashenkov", "--json"]).json_lines();
    assert_eq!(hits.len(), 1);
    let taken = t.cmd("backup").arg("--json").json_lines();
    let snapshot = taken[0]["path"].as_str().unwrap().to_string();
    t.cmd("restore").arg(&snapshot).assert_ok();
    t.cmd("check").assert_ok();
}

/// `parallax <sub> <ws>` run as a user who cannot write what root made: `nobody` when the tests
/// run as root (root writes through permission bits), else the user itself.
fn as_other_user(t: &Dir, sub: &str) -> TestCommand {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        == Some("0");
    let wrapper: &[&str] = if root {
        &["runuser", "-u", "nobody", "--"]
    } else {
        &[]
    };
    t.cmd_via(wrapper, sub)
}

#[test]
fn a_workspace_that_cannot_be_written_opens_read_only_and_refuses_changes() {
    use std::os::unix::fs::PermissionsExt;
    let t = with_news(Dir::new());
    let ws = t.ws();
    let id = t.doc_id("header.txt");
    let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    // The modes of what the workspace holds: its folders get `dirs`, its files `files`.
    let contents = |dirs: u32, files: u32| {
        for entry in fs::read_dir(ws).unwrap() {
            let path = entry.unwrap().path();
            mode(&path, if path.is_dir() { dirs } else { files });
        }
    };
    mode(t.root(), 0o755);
    contents(0o555, 0o444);
    mode(ws, 0o555);
    let out_dir = t.mkdir("out");
    mode(&out_dir, 0o777);

    let listed = as_other_user(&t, "docs").arg("--json").stdout();
    assert_eq!(listed.lines().count(), 3);
    as_other_user(&t, "check").assert_ok();
    as_other_user(&t, "export")
        .arg("-o")
        .arg(out_dir.join("data.jsonl"))
        .assert_ok();
    as_other_user(&t, "annotate")
        .arg(&id)
        .args(["--start", "0", "--end", "8", "--label", "SOURCE"])
        .assert_fails_with("cannot be written");
    mode(ws, 0o755);
    assert_eq!(t.doc_by_file("header.txt")["span_count"], 0);

    // Changes still in the write-ahead log (an import killed part-way leaves them there) are
    // read too, not only what the database file holds.
    contents(0o755, 0o644);
    let lines: Vec<String> = (0..4000)
        .map(|i| {
            format!(
                r#"{{"text":"Line {i} of a dataset, the ministry said.","label":[[0,4,"CLAIM"]]}}"#
            )
        })
        .collect();
    let big = t.create("big.jsonl", lines.join("\n"));
    let mut import = t
        .cmd("import")
        .arg(&big)
        .process()
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once some of the dataset is committed (its import commits in batches), so that the
    // log holds documents the database file may not.
    let wal = ws.join("parallax.db-wal");
    let before = t.docs().len();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while t.docs().len() <= before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    import.kill().unwrap();
    import.wait().unwrap();
    assert!(
        wal.metadata().map_or(0, |m| m.len()) > 0,
        "no changes waiting in the log"
    );
    contents(0o555, 0o444);
    mode(ws, 0o555);
    let seen = as_other_user(&t, "docs")
        .arg("--json")
        .stdout()
        .lines()
        .count();
    mode(ws, 0o755);
    assert_eq!(
        seen,
        t.docs().len(),
        "read-only, the log's documents are missed"
    );
    assert!(seen > 3, "{seen}");
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_status() {
    let t = Dir::new();
    // No workspace yet.
    let missing = t.cmd("docs").assert_fails_with("not a Parallax workspace");
    assert_eq!(missing.stdout, "");
    assert!(missing.stderr.contains("parallax init"), "{missing}");

    t.init();
    t.cmd("init").assert_fails_with("already exists");

    t.cmd("import").arg(news(&t)).assert_ok();
    let id = t.doc_id("header.txt");
    let outside = t
        .annotate_cmd(&id, (5, 5000), "CLAIM")
        .assert_fails_with("outside the document");
    assert_eq!(outside.stdout, "");
    t.annotate_cmd(&id, (0, 4), "RUMOUR")
        .assert_fails_with("no span label `RUMOUR`");
    // A negative offset and an empty label are refused before anything is written.
    t.cmd("annotate")
        .arg(&id)
        .args(["--start=-3", "--end", "4", "--label", "CLAIM"])
        .assert_fails_with("invalid value '-3'");
    t.annotate_cmd(&id, (0, 4), "")
        .assert_fails_with("no span label ``");
    assert_eq!(t.doc_by_file("header.txt")["span_count"], 0);
    t.annotate_cmd(&id, (0, 4), "CLAIM")
        .args(["--attr", "type=gossip"])
        .assert_fails_with("gossip");
    assert_eq!(t.doc_by_file("header.txt")["span_count"], 0);
}

#[test]
fn the_benchmarks_are_not_a_command_of_the_users_binary() {
    let help = TestCommand::new().arg("--help").stdout();
    assert!(help.contains("import"), "{help}");
    assert!(!help.contains("bench"), "{help}");
    TestCommand::new().args(["bench", "--help"]).assert_err();
}

#[test]
fn import_and_export_take_only_the_formats_they_can_use() {
    let import = TestCommand::new().args(["import", "--help"]).stdout();
    let export = TestCommand::new().args(["export", "--help"]).stdout();
    assert!(
        import.contains("csv") && !import.contains("claim-pairs"),
        "{import}"
    );
    assert!(
        export.contains("claim-pairs") && !export.contains("csv"),
        "{export}"
    );
    let t = Dir::new();
    TestCommand::new()
        .args(["export", "--format", "csv", "-o"])
        .arg(t.path("out.csv"))
        .arg(t.root())
        .assert_fails_with("invalid value 'csv'");
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
        TestCommand::new()
            .args([command, "--help"])
            .stdout_containing("Usage: parallax");
    }
}

#[test]
fn the_demo_workspace_has_annotated_articles_and_stats_count_them() {
    let t = Dir::new();
    t.cmd("demo").stdout_containing("with 5 documents");
    let stats = t.cmd("stats").arg("--json").json_lines();
    assert_eq!(stats[0]["documents"], 5);
    assert!(stats[0]["spans"].as_u64().unwrap() >= 30, "{}", stats[0]);
    // In the table every name stands apart from its count, the longest too.
    let table = t.cmd("stats").stdout();
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
    let t = with_news(Dir::new());

    let hits = t.cmd("search").args(["Konashenkov", "--json"]).json_lines();
    assert_eq!(hits.len(), 1);
    let text = t.text_of(hits[0]["doc_id"].as_str().unwrap());
    let chars: Vec<char> = text.chars().collect();
    let [s, e] = [&hits[0]["matches"][0][0], &hits[0]["matches"][0][1]]
        .map(|v| v.as_u64().unwrap() as usize);
    assert_eq!(chars[s..e].iter().collect::<String>(), "Konashenkov");

    let phrase = t
        .cmd("search")
        .args(["\"units are returning to their bases\"", "--json"])
        .json_lines();
    assert_eq!(phrase.len(), 1);
    assert_eq!(phrase[0]["outlet"], "presstv.ir");
    let dated = t
        .cmd("search")
        .args(["troops published:2022-02", "--json", "--sort", "date"])
        .json_lines();
    assert_eq!(dated.len(), 2);

    let unclosed = t
        .cmd("search")
        .arg("outlet:(")
        .assert_fails_with("character 8");
    assert_eq!(unclosed.stdout, "");
    assert!(unclosed.stderr.contains("never closed"), "{unclosed}");

    let id = t.doc_id("header.txt");
    let text = t.text_of(&id);
    let span = t.annotate(&id, code_points(&text, "some units are returning"), "CLAIM");
    let spans = t
        .cmd("search")
        .args(["label:CLAIM", "--spans", "--json"])
        .json_lines();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0]["span_id"], span.as_str());
    assert_eq!(spans[0]["text"], "some units are returning");

    let found = t
        .cmd("occurrences")
        .args(["Some units", "--json"])
        .json_lines();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|o| o["labels"] == serde_json::json!([])));
    let exact = t
        .cmd("occurrences")
        .args(["SOME UNITS ARE RETURNING", "--json"])
        .json_lines();
    assert_eq!(exact.len(), 1);
    assert_eq!(exact[0]["labels"], serde_json::json!(["CLAIM"]));

    let similar = t
        .cmd("similar")
        .args(["--span", &span, "--json"])
        .json_lines();
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
    t.cmd("similar").assert_fails_with("--text");

    let reindexed = t.cmd("reindex").assert_ok();
    assert!(
        reindexed.stderr.contains("indexed 3 documents"),
        "{reindexed}"
    );
}

#[test]
fn a_schema_edited_as_json_renames_a_label_and_keeps_its_spans() {
    let t = with_news(Dir::new());
    let id = &t.doc_id("header.txt");
    let text = t.text_of(id);
    let span = t.annotate(id, (0, text.chars().take(10).count()), "CLAIM");

    let printed = t.cmd("schema").stdout();
    let renamed = printed.replace("\"CLAIM\"", "\"ASSERTION\"");
    let file = t.create("schema.json", renamed);
    let applied = t
        .cmd("schema")
        .arg("--apply")
        .arg(&file)
        .args(["--rename", "CLAIM=ASSERTION"])
        .json();
    assert_eq!(applied["span_labels"][0]["name"], "ASSERTION");
    let shown = t.cmd("show").arg(id).arg("--json").stdout();
    assert!(
        shown.contains(&span) && shown.contains("\"ASSERTION\""),
        "{shown}"
    );

    // A schema that clashes is refused with the reason, and changes nothing.
    let clash = printed.replace("\"hotkey\": \"2\"", "\"hotkey\": \"1\"");
    t.create(&file, clash);
    t.cmd("schema")
        .arg("--apply")
        .arg(&file)
        .assert_fails_with("hotkey `1` is used by two labels");
    let after = t.cmd("schema").json();
    assert_eq!(after, applied);
}

#[test]
fn claims_are_grouped_and_sources_linked_from_the_command_line() {
    let t = with_news(Dir::new());
    let header = t.doc_id("header.txt");
    let wrapped = t.doc_id("wrapped.txt");
    let inline = t.doc_id("inline-date.txt");
    let claim_a = t.annotate(
        &header,
        code_points(
            &t.text_of(&header),
            "some units are returning to their bases",
        ),
        "CLAIM",
    );
    let claim_b = t.annotate(
        &wrapped,
        code_points(&t.text_of(&wrapped), "some units of its armed forces"),
        "CLAIM",
    );
    let source = t.annotate(
        &inline,
        code_points(&t.text_of(&inline), "Igor Konashenkov"),
        "SOURCE",
    );

    let out = t
        .cmd("entity")
        .args(["link", "--span", &source, "--new", "Igor Konashenkov"])
        .stdout();
    assert!(out.contains("linked to Igor Konashenkov"), "{out}");
    let sources = t.cmd("sources").arg("--json").json_lines();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["entity"]["name"], "Igor Konashenkov");
    assert_eq!(sources[0]["mentions"], 1);

    let out = t
        .cmd("group")
        .args(["add", "--span", &claim_a])
        .args(["--new", "Some Russian units return to base"])
        .stdout();
    let group = out.split_whitespace().last().unwrap().to_string();
    t.cmd("group")
        .args(["add", "--span", &claim_b, "--group", &group])
        .assert_ok();
    t.cmd("group")
        .args(["set", "--group", &group, "--status", "disputed"])
        .args(["--evidence", "https://example.org/satellite"])
        .assert_ok();
    // A bad URL is refused with a message, and the group keeps its evidence.
    t.cmd("group")
        .args(["set", "--group", &group, "--evidence", "satellite.png"])
        .assert_fails_with("is not a web address");
    let groups = t
        .cmd("groups")
        .args(["--json", "--status", "disputed"])
        .json_lines();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        groups[0]["group"]["evidence"][0],
        "https://example.org/satellite"
    );
    let human = t.cmd("groups").stdout();
    assert!(
        human.contains("[disputed]  Some Russian units return to base"),
        "{human}"
    );
    assert!(
        t.cmd("groups")
            .args(["--status", "supported"])
            .stdout()
            .contains("0 claim groups")
    );

    // A passage `similar` lists joins the group, annotated as a claim on the way.
    let similar = t
        .cmd("similar")
        .args(["--span", &claim_a, "--json"])
        .json_lines();
    let passage = similar
        .iter()
        .find(|p| p["doc_id"] == inline.as_str())
        .expect("the inline-date article is like the claim");
    let out = t
        .cmd("group")
        .args(["add-passage", "--span", &claim_a, "--doc", &inline])
        .args(["--start", &passage["start"].to_string()])
        .args(["--end", &passage["end"].to_string()])
        .stdout();
    assert!(out.starts_with("new claim"), "{out}");
    assert!(out.trim_end().ends_with(&group), "{out}");
    let groups = t.cmd("groups").arg("--json").json_lines();
    assert_eq!(groups[0]["members"].as_array().unwrap().len(), 3);

    let out = t.path("pairs.jsonl");
    t.cmd("export")
        .args(["--format", "claim-pairs", "--seed", "3", "-o"])
        .arg(&out)
        .assert_ok();
    let pairs = json_lines(&t.read(&out));
    assert_eq!(
        pairs.len(),
        3,
        "three positives, no second group to sample negatives from"
    );
    assert_eq!(pairs[0]["label"], 1);

    // A SOURCE span is not a claim: refused, with the reason.
    t.cmd("group")
        .args(["add", "--span", &source, "--group", &group])
        .assert_fails_with("only CLAIM spans join claim groups");
}

#[test]
fn suggest_prints_what_a_pattern_file_proposes_and_keeps_it_when_asked() {
    let t = with_news(Dir::new());
    let id = t.doc_id("wrapped.txt");
    let patterns = t.create(
        "patterns.jsonl",
        "{\"label\": \"SOURCE\", \"pattern\": \"Western officials\", \"id\": \"west\"}\n\
         \n\
         {\"label\": \"CUE\", \"pattern\": [{\"LOWER\": {\"IN\": [\"said\", \"says\"]}}]}\n\
         {\"label\": \"BOILERPLATE\", \"pattern\": [{\"LOWER\": \"this\"}, {\"LOWER\": \"article\"}, {\"IS_SPACE\": false, \"OP\": \"+\"}, {\"LIKE_URL\": true}]}\n",
    );
    let out = t
        .cmd("suggest")
        .arg(&id)
        .args(["--no-rules", "--json", "--patterns"])
        .arg(&patterns)
        .stdout();
    let found = json_lines(&out);
    let text = t.cmd("show").arg(&id).arg("--json").stdout();
    let text: Value = serde_json::from_str(&text).unwrap();
    let text = text["document"]["text"].as_str().unwrap().to_string();
    let spans: Vec<(String, String, String)> = found
        .iter()
        .map(|s| {
            assert_eq!(s["document"], id.as_str());
            assert_eq!(s["kind"], "pattern");
            assert_eq!(s["relations"], serde_json::json!([]));
            let span = &s["spans"][0];
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            // Code point offsets, as Python slices.
            let sliced: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(sliced, span["text"].as_str().unwrap());
            (
                span["label"].as_str().unwrap().to_string(),
                sliced,
                s["suggested_by"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s =
        |label: &str, text: &str, by: &str| (label.to_string(), text.to_string(), by.to_string());
    assert_eq!(
        spans,
        [
            s("CUE", "said", "pattern:line 3"),
            s("SOURCE", "Western officials", "pattern:west"),
            s("CUE", "said", "pattern:line 3"),
            s(
                "BOILERPLATE",
                "This article originally belongs to nbcnews.com",
                "pattern:line 4"
            ),
        ]
    );
    // Printing adds nothing to the workspace.
    assert_eq!(t.doc_by_file("wrapped.txt")["span_count"], 0);

    // Without a kept file only the rules suggest; --keep keeps one for later runs.
    t.cmd("suggest")
        .arg("--no-rules")
        .assert_fails_with("--patterns FILE");
    t.cmd("suggest")
        .args(["--keep", "--patterns"])
        .arg(&patterns)
        .assert_ok();
    let kept = t
        .cmd("suggest")
        .arg(&id)
        .args(["--no-rules", "--json"])
        .stdout();
    assert_eq!(json_lines(&kept).len(), 4);
}

#[test]
fn suggest_apply_adds_what_the_rules_propose_once_as_an_undo_step_a_document() {
    let t = with_news(Dir::new());
    let proposed = json_lines(&t.cmd("suggest").arg("--json").stdout());
    let mut per_doc: std::collections::BTreeMap<String, usize> = Default::default();
    for s in &proposed {
        *per_doc
            .entry(s["document"].as_str().unwrap().to_string())
            .or_default() += s["spans"].as_array().unwrap().len();
    }
    assert!(per_doc.len() >= 2, "{per_doc:?}");
    let applied = t.cmd("suggest").arg("--apply").stdout();
    let spans: usize = t
        .docs()
        .iter()
        .map(|d| d["span_count"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(spans, per_doc.values().sum::<usize>());
    assert!(
        applied.contains(&format!("{spans} spans added (0 already there)")),
        "{applied}"
    );
    let shown = t.show(proposed[0]["document"].as_str().unwrap());
    assert!(
        shown["spans"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["suggested_by"].as_str().unwrap().starts_with("rule:")
                && s["annotator"] == "tester"),
        "{shown}"
    );

    // Again: nothing is added twice, and nothing is recorded.
    let again = t.cmd("suggest").arg("--apply").stdout();
    assert!(again.contains(" 0 spans added"), "{again}");
    let history = t.cmd("history").arg("--json").json_lines();
    assert_eq!(history.len(), per_doc.len());
    // One undo takes back one document's suggestions.
    t.cmd("undo").assert_ok();
    let left: usize = t
        .docs()
        .iter()
        .map(|d| d["span_count"].as_u64().unwrap() as usize)
        .sum();
    let undone = spans - left;
    assert!(
        per_doc.values().any(|&n| n == undone),
        "{undone} of {per_doc:?}"
    );
}

#[test]
fn suggest_refuses_a_pattern_that_needs_a_model_or_an_unknown_label_naming_its_line() {
    let t = with_news(Dir::new());
    let pos = t.create(
        "pos.jsonl",
        "{\"label\": \"CUE\", \"pattern\": \"said\"}\n\
         {\"label\": \"SOURCE\", \"pattern\": [{\"POS\": \"PROPN\", \"OP\": \"+\"}]}\n",
    );
    let out = t
        .cmd("suggest")
        .args(["--keep", "--patterns"])
        .arg(&pos)
        .assert_fails_with("line 2: token 1: POS needs part-of-speech tags");
    assert_eq!(out.stdout, "");
    let label = t.create(
        "label.jsonl",
        "{\"label\": \"RUMOUR\", \"pattern\": \"said\"}\n",
    );
    t.cmd("suggest")
        .arg("--patterns")
        .arg(&label)
        .assert_fails_with("line 1: the schema has no span label `RUMOUR`");
    // Neither refused file was kept.
    t.cmd("suggest")
        .arg("--no-rules")
        .assert_fails_with("nothing to suggest without patterns");
}
