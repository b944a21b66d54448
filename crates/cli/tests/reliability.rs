//! Crashes and concurrency with the real binary: `parallax` killed with SIGKILL at moments
//! spread over its run while it annotates, imports, exports, edits the schema, merges source
//! entities and rebuilds the index, and four processes writing to one workspace at once.
//! Afterwards every change a process acknowledged (it exited 0 and said so) is there, every
//! document is whole, the schema is the old one or the new one, a merge is done or not,
//! `parallax check` finds the database whole and search works (the index repairs itself).
//!
//! `PARALLAX_KILLS` sets the rounds (each kills up to six processes); `make reliability` runs
//! the long mode and prints the figures for docs/reliability.md.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("parallax")
}

fn parallax(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_remove("PARALLAX_ANNOTATOR").env("USER", "tester");
    for a in args {
        cmd.arg(a);
    }
    cmd
}

/// `parallax annotate` of `[start, end)` with `label`, ready to run.
fn annotate(ws: &Path, doc: &str, start: usize, end: usize, label: &str) -> Command {
    let (s, e) = (start.to_string(), end.to_string());
    parallax(&[
        &"annotate",
        &ws,
        &doc,
        &"--start",
        &s,
        &"--end",
        &e,
        &"--label",
        &label,
    ])
}

fn ok(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `cmd` and kills it with SIGKILL after `delay` if it is still running: its output if
/// it finished first, `None` if it was killed.
fn kill_after(cmd: &mut Command, delay: Duration) -> Option<Output> {
    let mut child: Child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    if child.try_wait().unwrap().is_some() {
        return Some(child.wait_with_output().unwrap());
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    None
}

/// The moments to kill at: spread over `0..max_ms` by the golden ratio, so that any few rounds
/// fall far apart and many fill the range evenly.
fn moment(round: usize, max_ms: u64) -> Duration {
    let spread = ((round + 1) as f64 * 0.618_033_988_75).fract();
    Duration::from_millis((spread * max_ms as f64) as u64)
}

fn kills() -> usize {
    std::env::var("PARALLAX_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

/// A doccano file of `n` documents, each with two spans; `tag` makes its texts its own.
fn dataset(dir: &Path, n: usize, tag: &str) -> PathBuf {
    let dir = dir.join(tag);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dataset.jsonl");
    let mut out = String::new();
    for i in 0..n {
        let text =
            format!("Report {tag}-{i}: the ministry said that units {i} had returned to base.");
        let source = text.find("the ministry").unwrap();
        let claim = text.find("units").unwrap();
        let claim_end = text.find(" to base").unwrap();
        let line = serde_json::json!({
            "text": text,
            "label": [[source, source + 12, "SOURCE"], [claim, claim_end, "CLAIM"]],
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    fs::write(&path, out).unwrap();
    path
}

/// Every document has both of its spans: none was stored half.
fn every_document_whole(ws: &Path) {
    let docs: Vec<Value> = ok(parallax(&[&"docs", &ws, &"--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let partial: Vec<&Value> = docs
        .iter()
        .filter(|d| d["source_file"] == "dataset.jsonl" && d["span_count"] != 2)
        .collect();
    assert!(partial.is_empty(), "documents stored half: {partial:?}");
}

/// Every dataset document has both of its spans (counted: the article holds the others).
fn datasets_whole(ws: &Path, article: &str) -> usize {
    let stats: Value =
        serde_json::from_str(ok(parallax(&[&"stats", &ws, &"--json"])).trim()).unwrap();
    let view: Value =
        serde_json::from_str(ok(parallax(&[&"show", &ws, &article, &"--json"])).trim()).unwrap();
    let documents = stats["documents"].as_u64().unwrap() as usize - 1;
    let spans = stats["spans"].as_u64().unwrap() as usize - view["spans"].as_array().unwrap().len();
    assert_eq!(spans, 2 * documents, "documents stored half");
    documents
}

fn whole(ws: &Path) {
    let out = parallax(&[&"check", &ws]).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn killed_at_any_moment_nothing_acknowledged_is_lost_and_nothing_is_half_done() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    ok(parallax(&[&"init", &ws]));
    let article = tmp.path().join("article.txt");
    let words = "The ministry said units were returning to their bases after the drills. ";
    fs::write(&article, words.repeat(40)).unwrap();
    ok(parallax(&[&"import", &ws, &article]));
    let doc: Value = serde_json::from_str(ok(parallax(&[&"docs", &ws, &"--json"])).trim()).unwrap();
    let doc = doc["id"].as_str().unwrap().to_string();
    let out = tmp.path().join("export.jsonl");
    // Each round imports a dataset of its own, killed within the time a whole one takes here.
    const PER_ROUND: usize = 3_000;
    let scratch = tmp.path().join("scratch");
    ok(parallax(&[&"init", &scratch]));
    let started = Instant::now();
    ok(parallax(&[
        &"import",
        &scratch,
        &dataset(tmp.path(), PER_ROUND, "warm-up"),
    ]));
    let import_ms = started.elapsed().as_millis() as u64;

    // Two schemas to switch between: the default, and one with a label more.
    let schema_a = ok(parallax(&[&"schema", &ws]));
    let mut with_more: Value = serde_json::from_str(&schema_a).unwrap();
    with_more["span_labels"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "name": "RUMOUR", "color": "#123456", "hotkey": null, "description": "added"
        }));
    let schema_b_file = tmp.path().join("schema-b.json");
    fs::write(&schema_b_file, with_more.to_string()).unwrap();
    let schema_a_file = tmp.path().join("schema-a.json");
    fs::write(&schema_a_file, &schema_a).unwrap();
    let labels = |schema: &str| -> Vec<String> {
        let v: Value = serde_json::from_str(schema).unwrap();
        v["span_labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (labels_a, labels_b) = (labels(&schema_a), labels(&with_more.to_string()));

    let (mut killed, mut cut_imports, mut acknowledged) = (0usize, 0usize, Vec::new());
    let rounds = kills();
    for round in 0..rounds {
        // Annotating: a span per process, acknowledged by its printed id.
        let start = (round * 7) % 2_000;
        let mut annotating = annotate(&ws, &doc, start, start + 5, "CLAIM");
        match kill_after(&mut annotating, moment(round, 40)) {
            Some(done) if done.status.success() => {
                acknowledged.push(String::from_utf8(done.stdout).unwrap().trim().to_string())
            }
            Some(done) => panic!("annotate failed: {}", String::from_utf8_lossy(&done.stderr)),
            None => killed += 1,
        }
        // Importing: killed part-way, every document it stored is whole.
        let before = datasets_whole(&ws, &doc);
        let data = dataset(tmp.path(), PER_ROUND, &format!("round{round}"));
        let mut import = parallax(&[&"import", &ws, &data]);
        if kill_after(&mut import, moment(round, import_ms * 2 / 3)).is_none() {
            killed += 1;
            let stored = datasets_whole(&ws, &doc) - before;
            if 0 < stored && stored < PER_ROUND {
                cut_imports += 1; // killed with part of its dataset stored
            }
        }
        datasets_whole(&ws, &doc);
        // Exporting: the file is absent or whole, never cut.
        let mut export = parallax(&[&"export", &ws, &"-o", &out]);
        if kill_after(&mut export, moment(round, 600)).is_none() {
            killed += 1;
        }
        if out.exists() {
            for line in fs::read_to_string(&out).unwrap().lines() {
                serde_json::from_str::<Value>(line).expect("an export file cut short");
            }
        }
        // Editing the schema: afterwards it is the old one or the new one, nothing between.
        let target = if round % 2 == 0 {
            &schema_b_file
        } else {
            &schema_a_file
        };
        let mut edit = parallax(&[&"schema", &ws, &"--apply", target]);
        if kill_after(&mut edit, moment(round, 60)).is_none() {
            killed += 1;
        }
        let now = labels(&ok(parallax(&[&"schema", &ws])));
        assert!(
            now == labels_a || now == labels_b,
            "a schema half-applied: {now:?}"
        );
        // Merging two source entities: afterwards both are there as they were, or one holds
        // both mentions; never a mention lost or an entity half gone.
        let sentence = words.chars().count() * (round % 40);
        let mention = |from: usize, to: usize| {
            ok(annotate(
                &ws,
                &doc,
                sentence + from,
                sentence + to,
                "SOURCE",
            ))
            .trim()
            .to_string()
        };
        let entity = |span: &str, name: &str| {
            let said = ok(parallax(&[
                &"entity", &ws, &"link", &"--span", &span, &"--new", &name,
            ]));
            said.trim()
                .rsplit_once('(')
                .and_then(|(_, id)| id.strip_suffix(')'))
                .unwrap()
                .to_string()
        };
        let from = entity(&mention(0, 12), &format!("From {round}"));
        let into = entity(&mention(18, 23), &format!("Into {round}"));
        let mut merge = parallax(&[&"entity", &ws, &"merge", &"--from", &from, &"--into", &into]);
        if kill_after(&mut merge, moment(round, 60)).is_none() {
            killed += 1;
        }
        let mentions = |id: &str| {
            ok(parallax(&[&"sources", &ws, &"--json"]))
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .find(|e| e["entity"]["id"] == id)
                .map(|e| e["mentions"].as_u64().unwrap())
        };
        let (left, right) = (mentions(&from), mentions(&into));
        assert!(
            (left, right) == (Some(1), Some(1)) || (left, right) == (None, Some(2)),
            "a merge half done: from {left:?}, into {right:?}"
        );
        // Rebuilding the index: the next search repairs it.
        let mut reindex = parallax(&[&"reindex", &ws]);
        if kill_after(&mut reindex, moment(round, 300)).is_none() {
            killed += 1;
        }
        whole(&ws);
    }

    // Every acknowledged span is there.
    let view: Value =
        serde_json::from_str(ok(parallax(&[&"show", &ws, &doc, &"--json"])).trim()).unwrap();
    let present: Vec<&str> = view["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !present.contains(&id.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged and lost: {lost:?}");
    // The imports again complete what the killed ones began; search works on what is there.
    for round in 0..rounds {
        let data = tmp
            .path()
            .join(format!("round{round}"))
            .join("dataset.jsonl");
        let report = parallax(&[&"import", &ws, &data]).output().unwrap();
        assert!(
            report.status.success(),
            "{}",
            String::from_utf8_lossy(&report.stderr)
        );
    }
    assert_eq!(datasets_whole(&ws, &doc), rounds * PER_ROUND);
    assert!(
        cut_imports > 0,
        "no import was killed with part of its dataset stored"
    );
    let last = format!("\"Report round{}-{}\"", rounds - 1, PER_ROUND - 1);
    let hits = ok(parallax(&[&"search", &ws, &last, &"--json"]));
    assert_eq!(hits.lines().count(), 1, "{hits}");
    whole(&ws);
    println!(
        "reliability: {rounds} rounds, {killed} processes killed mid-run ({cut_imports} imports with part of the dataset stored), {} annotations acknowledged, 0 lost",
        acknowledged.len()
    );
}

#[test]
fn four_processes_writing_at_once_all_succeed_and_every_write_is_there() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    ok(parallax(&[&"init", &ws]));
    let dir = tmp.path().join("articles");
    fs::create_dir_all(&dir).unwrap();
    for i in 0..4 {
        fs::write(
            dir.join(format!("{i}.txt")),
            format!("Article {i}. ").repeat(200),
        )
        .unwrap();
    }
    ok(parallax(&[&"import", &ws, &dir]));
    let ids: Vec<String> = ok(parallax(&[&"docs", &ws, &"--json"]))
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let data = dataset(tmp.path(), 500, "concurrent");
    let per_writer = 12;
    std::thread::scope(|scope| {
        let writers: Vec<_> = ids
            .iter()
            .map(|id| {
                let ws = &ws;
                scope.spawn(move || {
                    for n in 0..per_writer {
                        let out = annotate(ws, id, n * 10, n * 10 + 7, "CLAIM")
                            .output()
                            .unwrap();
                        let stderr = String::from_utf8_lossy(&out.stderr);
                        assert!(
                            out.status.success() && !stderr.contains("locked"),
                            "{stderr}"
                        );
                    }
                })
            })
            .collect();
        // An import and a rebuild of the index at the same time.
        let importer = scope.spawn(|| ok(parallax(&[&"import", &ws, &data])));
        let indexer = scope.spawn(|| ok(parallax(&[&"reindex", &ws])));
        for w in writers {
            w.join().unwrap();
        }
        importer.join().unwrap();
        indexer.join().unwrap();
    });
    for id in &ids {
        let view: Value =
            serde_json::from_str(ok(parallax(&[&"show", &ws, id, &"--json"])).trim()).unwrap();
        assert_eq!(view["spans"].as_array().unwrap().len(), per_writer, "{id}");
    }
    every_document_whole(&ws);
    whole(&ws);
}
