//! `parallax-bench compare`: a workspace with many claim groups carried by many outlets (1,000
//! groups over 50 outlets by default, each group in 20 outlets, each claim with a figure), and
//! the time the compare view's table and the claim suggestions take on it. With `--dir` the
//! workspace is kept, for the app's compare-view benchmark (tests/e2e/bench_compare.py).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use parallax_core::cross::{CompareFilter, ComparePages};
use parallax_core::import::ImportOptions;
use parallax_core::search::SearchIndex;
use parallax_core::{Error, Workspace};
use serde::Serialize;
use serde_json::json;

use crate::measure::{Outcome, percentile};

/// Outlets carrying each group.
const OUTLETS_PER_GROUP: usize = 20;
/// Documents each outlet publishes; a group's claim in an outlet goes to one of them.
const DOCS_PER_OUTLET: usize = 20;

#[derive(Serialize)]
pub struct CompareResult {
    groups: usize,
    outlets: usize,
    documents: usize,
    claims: usize,
    build_s: f64,
    /// The compare view's table: every group with members, sources and figures compared.
    table_p50_ms: f64,
    table_max_ms: f64,
    table_json_mb: f64,
    /// The compare view as the app opens it: the table kept, every row lean, the members of
    /// the first 32 rows (`ComparePages::open`, as the app asks), and that answer's size as JSON.
    opening_p50_ms: f64,
    opening_max_ms: f64,
    opening_json_kb: f64,
    conflicting_groups: usize,
    /// Similar passages for a selected claim, with their CLAIM spans looked up.
    suggestions_p50_ms: f64,
    suggestions_max_ms: f64,
}

/// The JSONL of the corpus: documents of outlet `o` hold the claims of the groups they carry.
fn write_corpus(path: &Path, groups: usize, outlets: usize) -> Result<usize, Error> {
    let mut docs: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for g in 0..groups {
        for i in 0..OUTLETS_PER_GROUP.min(outlets) {
            let o = (g * 7 + i * 13) % outlets;
            docs.entry((o, g % DOCS_PER_OUTLET)).or_default().push(g);
        }
    }
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let mut keys: Vec<_> = docs.keys().copied().collect();
    keys.sort();
    for (o, j) in &keys {
        // Each outlet words its bulletin its own way, so that no two documents are the same.
        let mut text = format!("Bulletin {j} of outlet {o}.\n\n");
        let mut spans = Vec::new();
        for g in &docs[&(*o, *j)] {
            // Outlets of one group report its figure differently every fifth time.
            let figure = 1_000 * (g % 97 + 1) + if (g + o) % 5 == 0 { 500 } else { 0 };
            let claim = match o % 3 {
                0 => format!(
                    "Officials of region {g} said some {figure} troops moved to the border of district {g}."
                ),
                1 => format!(
                    "Officials of region {g} reported some {figure} troops near district {g}."
                ),
                _ => format!(
                    "Officials of region {g} estimate some {figure} troops at the edge of district {g}."
                ),
            };
            let start = text.chars().count();
            let q = claim.find("some").unwrap_or(0);
            let q_start = start + claim[..q].chars().count();
            let q_len = format!("some {figure} troops").chars().count();
            spans.push(json!({"id": format!("c{g}"), "start": start, "end": start + claim.chars().count(), "label": "CLAIM"}));
            spans.push(json!({"id": format!("q{g}"), "start": q_start, "end": q_start + q_len, "label": "QUANTITY"}));
            text.push_str(&claim);
            text.push_str(" Other news followed.\n\n");
        }
        let line = json!({
            "text": text,
            "meta": {"title": format!("Bulletin {j} of outlet {o}"), "outlet": format!("outlet{o:02}.example"),
                     "published": format!("2025-03-{:02}", 1 + (o + j) % 28)},
            "spans": spans,
            "relations": [],
            "schema_version": 1,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n").map_err(|e| Error::io(path, e))?;
    }
    out.flush().map_err(|e| Error::io(path, e))?;
    Ok(keys.len())
}

pub fn compare_bench(root: &Path, groups: usize, outlets: usize) -> Result<CompareResult, Error> {
    let t = Instant::now();
    std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
    let corpus = root.join("compare-corpus.jsonl");
    let documents = write_corpus(&corpus, groups, outlets)?;
    let mut ws = Workspace::init(root.join("ws"))?;
    ws.import_paths(&[corpus], &ImportOptions::default(), None, &mut |_| {})?;
    // Group the claims by the region their text names.
    let mut by_group: HashMap<usize, Vec<String>> = HashMap::new();
    let mut claims = 0;
    for d in ws.list_documents()? {
        for s in ws.spans(&d.id)? {
            if s.label != "CLAIM" {
                continue;
            }
            let g = s
                .text
                .split_whitespace()
                .nth(3)
                .and_then(|w| w.parse::<usize>().ok())
                .ok_or_else(|| {
                    Error::Corrupt(format!("bench claim without a region: {}", s.text))
                })?;
            by_group.entry(g).or_default().push(s.id);
            claims += 1;
        }
    }
    for g in 0..groups {
        if let Some(spans) = by_group.get(&g) {
            ws.start_claim_group(
                spans,
                Some(&format!("Troops moved to district {g}")),
                "bench",
            )?;
        }
    }
    let build_s = t.elapsed().as_secs_f64();

    let mut times = Vec::new();
    let mut table = None;
    for _ in 0..10 {
        let t = Instant::now();
        table = Some(ws.compare_table(&CompareFilter::default())?);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let table = table.ok_or_else(|| Error::Corrupt("no table".into()))?;
    let table_json_mb = serde_json::to_vec(&table)?.len() as f64 / 1e6;

    let mut pages = ComparePages::default();
    let mut opens = Vec::new();
    let mut opening = None;
    for _ in 0..10 {
        let t = Instant::now();
        opening = Some(pages.open(&ws, &CompareFilter::default(), 0, 32)?);
        opens.push(t.elapsed().as_secs_f64() * 1e3);
    }
    opens.sort_by(f64::total_cmp);
    let opening_json_kb = serde_json::to_vec(&opening)?.len() as f64 / 1e3;

    let index = SearchIndex::rebuild(&ws, &mut |_| {})?;
    let mut sugg = Vec::new();
    for g in table.groups.iter().take(20) {
        let t = Instant::now();
        index.claim_suggestions(&ws, &g.members[0].span_id, 8)?;
        sugg.push(t.elapsed().as_secs_f64() * 1e3);
    }
    sugg.sort_by(f64::total_cmp);
    Ok(CompareResult {
        groups: table.groups.len(),
        outlets: table.columns.len(),
        documents,
        claims,
        build_s,
        table_p50_ms: percentile(&times, 0.5),
        table_max_ms: percentile(&times, 1.0),
        table_json_mb,
        opening_p50_ms: percentile(&opens, 0.5),
        opening_max_ms: percentile(&opens, 1.0),
        opening_json_kb,
        conflicting_groups: table.groups.iter().filter(|g| g.conflict).count(),
        suggestions_p50_ms: percentile(&sugg, 0.5),
        suggestions_max_ms: percentile(&sugg, 1.0),
    })
}

impl Outcome for CompareResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "{} groups × {} outlets ({} documents, {} claims) built in {:.1} s",
            r.groups, r.outlets, r.documents, r.claims, r.build_s
        );
        println!(
            "compare table: p50 {:.1} ms, max {:.1} ms, {:.1} MB as JSON; {} groups with disagreeing figures",
            r.table_p50_ms, r.table_max_ms, r.table_json_mb, r.conflicting_groups
        );
        println!(
            "compare view opened (table kept, rows lean, 32 rows' members): p50 {:.1} ms, max {:.1} ms, {:.0} kB as JSON",
            r.opening_p50_ms, r.opening_max_ms, r.opening_json_kb
        );
        println!(
            "claim suggestions: p50 {:.1} ms, max {:.1} ms",
            r.suggestions_p50_ms, r.suggestions_max_ms
        );
    }
}
