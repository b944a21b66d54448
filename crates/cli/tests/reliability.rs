//! Crashes and concurrency with the real binary: `parallax` killed with SIGKILL at moments
//! spread over its run while it annotates, imports, exports, edits the schema, merges source
//! entities and rebuilds the index, and four processes writing to one workspace at once.
//! Afterwards every change a process acknowledged (it exited 0 and said so) is there, every
//! document is whole, the schema is the old one or the new one, a merge is done or not,
//! `parallax check` finds the database whole and search works (the index repairs itself).
//!
//! `PARALLAX_KILLS` sets the rounds (each kills up to six processes); `make reliability` runs
//! the long mode and prints the figures for docs/reliability.md.

mod util;

use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Dir, TestCommand};

/// Runs `cmd` and kills it with SIGKILL after `delay` if it is still running: its output if
/// it finished first, `None` if it was killed.
fn kill_after(cmd: &mut TestCommand, delay: Duration) -> Option<Output> {
    let mut child = cmd
        .process()
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

/// A doccano file `<tag>/dataset.jsonl` of `n` documents, each with two spans; `tag` makes its
/// texts its own.
fn dataset(t: &Dir, n: usize, tag: &str) -> std::path::PathBuf {
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
    t.create(format!("{tag}/dataset.jsonl"), out)
}

/// Every document has both of its spans: none was stored half.
fn every_document_whole(t: &Dir) {
    let docs = t.docs();
    let partial: Vec<&Value> = docs
        .iter()
        .filter(|d| d["source_file"] == "dataset.jsonl" && d["span_count"] != 2)
        .collect();
    assert!(partial.is_empty(), "documents stored half: {partial:?}");
}

/// Every dataset document has both of its spans (counted: the article holds the others).
fn datasets_whole(t: &Dir, article: &str) -> usize {
    let stats = t.cmd("stats").arg("--json").json();
    let view = t.show(article);
    let documents = stats["documents"].as_u64().unwrap() as usize - 1;
    let spans = stats["spans"].as_u64().unwrap() as usize - view["spans"].as_array().unwrap().len();
    assert_eq!(spans, 2 * documents, "documents stored half");
    documents
}

/// `parallax check` finds the database whole.
fn whole(t: &Dir) {
    t.cmd("check").assert_ok();
}

#[test]
fn killed_at_any_moment_nothing_acknowledged_is_lost_and_nothing_is_half_done() {
    let t = Dir::new();
    t.init();
    let words = "The ministry said units were returning to their bases after the drills. ";
    let article = t.create("article.txt", words.repeat(40));
    t.cmd("import").arg(&article).assert_ok();
    let doc = t.cmd("docs").arg("--json").json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = t.path("export.jsonl");
    // Each round imports a dataset of its own, killed within the time a whole one takes here.
    const PER_ROUND: usize = 3_000;
    let scratch = Dir::new();
    scratch.init();
    let started = Instant::now();
    scratch
        .cmd("import")
        .arg(dataset(&t, PER_ROUND, "warm-up"))
        .assert_ok();
    let import_ms = started.elapsed().as_millis() as u64;

    // Two schemas to switch between: the default, and one with a label more.
    let schema_a = t.cmd("schema").stdout();
    let mut with_more: Value = serde_json::from_str(&schema_a).unwrap();
    with_more["span_labels"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "name": "RUMOUR", "color": "#123456", "hotkey": null, "description": "added"
        }));
    let schema_b_file = t.create("schema-b.json", with_more.to_string());
    let schema_a_file = t.create("schema-a.json", &schema_a);
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
        let mut annotating = t.annotate_cmd(&doc, (start, start + 5), "CLAIM");
        match kill_after(&mut annotating, moment(round, 40)) {
            Some(done) if done.status.success() => {
                acknowledged.push(String::from_utf8(done.stdout).unwrap().trim().to_string())
            }
            Some(done) => panic!("annotate failed: {}", String::from_utf8_lossy(&done.stderr)),
            None => killed += 1,
        }
        // Importing: killed part-way, every document it stored is whole.
        let before = datasets_whole(&t, &doc);
        let data = dataset(&t, PER_ROUND, &format!("round{round}"));
        let mut import = t.cmd("import");
        import.arg(&data);
        if kill_after(&mut import, moment(round, import_ms * 2 / 3)).is_none() {
            killed += 1;
            let stored = datasets_whole(&t, &doc) - before;
            if 0 < stored && stored < PER_ROUND {
                cut_imports += 1; // killed with part of its dataset stored
            }
        }
        datasets_whole(&t, &doc);
        // Exporting: the file is absent or whole, never cut.
        let mut export = t.cmd("export");
        export.arg("-o").arg(&out);
        if kill_after(&mut export, moment(round, 600)).is_none() {
            killed += 1;
        }
        if out.exists() {
            for line in t.read(&out).lines() {
                serde_json::from_str::<Value>(line).expect("an export file cut short");
            }
        }
        // Editing the schema: afterwards it is the old one or the new one, nothing between.
        let target = if round % 2 == 0 {
            &schema_b_file
        } else {
            &schema_a_file
        };
        let mut edit = t.cmd("schema");
        edit.arg("--apply").arg(target);
        if kill_after(&mut edit, moment(round, 60)).is_none() {
            killed += 1;
        }
        let now = labels(&t.cmd("schema").stdout());
        assert!(
            now == labels_a || now == labels_b,
            "a schema half-applied: {now:?}"
        );
        // Merging two source entities: afterwards both are there as they were, or one holds
        // both mentions; never a mention lost or an entity half gone.
        let sentence = words.chars().count() * (round % 40);
        let mention =
            |from: usize, to: usize| t.annotate(&doc, (sentence + from, sentence + to), "SOURCE");
        let entity = |span: &str, name: &str| {
            let said = t
                .cmd("entity")
                .args(["link", "--span", span, "--new", name])
                .stdout();
            said.trim()
                .rsplit_once('(')
                .and_then(|(_, id)| id.strip_suffix(')'))
                .unwrap()
                .to_string()
        };
        let from = entity(&mention(0, 12), &format!("From {round}"));
        let into = entity(&mention(18, 23), &format!("Into {round}"));
        let mut merge = t.cmd("entity");
        merge.args(["merge", "--from", &from, "--into", &into]);
        if kill_after(&mut merge, moment(round, 60)).is_none() {
            killed += 1;
        }
        let mentions = |id: &str| {
            t.cmd("sources")
                .arg("--json")
                .json_lines()
                .into_iter()
                .find(|e| e["entity"]["id"] == id)
                .map(|e| e["mentions"].as_u64().unwrap())
        };
        let (left, right) = (mentions(&from), mentions(&into));
        assert!(
            (left, right) == (Some(1), Some(1)) || (left, right) == (None, Some(2)),
            "a merge half done: from {left:?}, into {right:?}"
        );
        // Merging two claim groups: afterwards both are there with a claim each, or one holds
        // both claims; never a claim lost from its group or a group half gone.
        let group = |from: usize, to: usize, wording: &str| {
            let claim = t.annotate(&doc, (sentence + from, sentence + to), "CLAIM");
            let said = t
                .cmd("group")
                .args(["add", "--span", &claim, "--new", wording])
                .stdout();
            said.trim().rsplit(' ').next().unwrap().to_string()
        };
        let group_from = group(25, 40, &format!("Returning {round}"));
        let group_into = group(48, 70, &format!("Bases {round}"));
        let mut merge = t.cmd("group");
        merge.args(["merge", "--from", &group_from, "--into", &group_into]);
        if kill_after(&mut merge, moment(round, 60)).is_none() {
            killed += 1;
        }
        let members = |id: &str| {
            t.cmd("groups")
                .arg("--json")
                .json_lines()
                .into_iter()
                .find(|g| g["group"]["id"] == id)
                .map(|g| g["members"].as_array().unwrap().len())
        };
        let (left, right) = (members(&group_from), members(&group_into));
        assert!(
            (left, right) == (Some(1), Some(1)) || (left, right) == (None, Some(2)),
            "a group merge half done: from {left:?}, into {right:?}"
        );
        // Rebuilding the index: the next search repairs it.
        if kill_after(&mut t.cmd("reindex"), moment(round, 300)).is_none() {
            killed += 1;
        }
        whole(&t);
    }

    // Every acknowledged span is there.
    let view = t.show(&doc);
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
        let data = t.path(format!("round{round}/dataset.jsonl"));
        t.cmd("import").arg(&data).assert_ok();
    }
    assert_eq!(datasets_whole(&t, &doc), rounds * PER_ROUND);
    assert!(
        cut_imports > 0,
        "no import was killed with part of its dataset stored"
    );
    let last = format!("\"Report round{}-{}\"", rounds - 1, PER_ROUND - 1);
    let hits = t.cmd("search").args([last.as_str(), "--json"]).stdout();
    assert_eq!(hits.lines().count(), 1, "{hits}");
    whole(&t);
    println!(
        "reliability: {rounds} rounds, {killed} processes killed mid-run ({cut_imports} imports with part of the dataset stored), {} annotations acknowledged, 0 lost",
        acknowledged.len()
    );
}

#[test]
fn four_processes_writing_at_once_all_succeed_and_every_write_is_there() {
    let t = Dir::new();
    t.init();
    for i in 0..4 {
        t.create(
            format!("articles/{i}.txt"),
            format!("Article {i}. ").repeat(200),
        );
    }
    t.cmd("import").arg(t.path("articles")).assert_ok();
    let ids: Vec<String> = t
        .docs()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let data = dataset(&t, 500, "concurrent");
    let per_writer = 12;
    std::thread::scope(|scope| {
        let writers: Vec<_> = ids
            .iter()
            .map(|id| {
                let t = &t;
                scope.spawn(move || {
                    for n in 0..per_writer {
                        let out = t.annotate_cmd(id, (n * 10, n * 10 + 7), "CLAIM").run();
                        let stderr = &out.stderr;
                        assert!(
                            out.status.success() && !stderr.contains("locked"),
                            "{stderr}"
                        );
                    }
                })
            })
            .collect();
        // An import and a rebuild of the index at the same time.
        let importer = scope.spawn(|| t.cmd("import").arg(&data).stdout());
        let indexer = scope.spawn(|| t.cmd("reindex").stdout());
        for w in writers {
            w.join().unwrap();
        }
        importer.join().unwrap();
        indexer.join().unwrap();
    });
    for id in &ids {
        let view = t.show(id);
        assert_eq!(view["spans"].as_array().unwrap().len(), per_writer, "{id}");
    }
    every_document_whole(&t);
    whole(&t);
}
