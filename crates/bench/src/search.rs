//! `parallax-bench search`: a generated corpus imported and indexed, then a fixed mix of queries
//! timed (top 20 hits with snippets), and the time from a change to finding it.

use std::path::Path;
use std::time::Instant;

use parallax_core::Error;
use parallax_core::search::{Page, SearchIndex, SortBy};
use parallax_core::store::NewSpan;
use serde::Serialize;

use crate::import::generate_and_import;
use crate::measure::{Outcome, dir_mb, peak_rss_mb, percentile};

#[derive(Serialize)]
struct Latency {
    kind: &'static str,
    runs: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Hits of the first run (top 20 at most) and how many matched in all.
    hits: usize,
    total: usize,
}

#[derive(Serialize)]
pub struct SearchResult {
    docs: u64,
    spans: usize,
    index_build_s: f64,
    index_mb: f64,
    /// From adding one span to finding it with a span search (sync + search).
    change_searchable_ms: f64,
    queries: Vec<Latency>,
    peak_rss_mb: f64,
}

/// Runs `query` `runs` times; milliseconds at the 50th and 99th percentile.
fn time_query(
    kind: &'static str,
    runs: usize,
    mut query: impl FnMut(usize) -> Result<(usize, usize), Error>,
) -> Result<Latency, Error> {
    let (hits, total) = query(0)?; // also warms the caches
    let mut ms: Vec<f64> = (0..runs)
        .map(|i| {
            let t = Instant::now();
            query(i).map(|_| t.elapsed().as_secs_f64() * 1e3)
        })
        .collect::<Result<_, _>>()?;
    ms.sort_by(f64::total_cmp);
    Ok(Latency {
        kind,
        runs,
        p50_ms: percentile(&ms, 0.5),
        p99_ms: percentile(&ms, 0.99),
        max_ms: percentile(&ms, 1.0),
        hits,
        total,
    })
}

pub fn search_bench(docs: u64, seed: u64, runs: usize, root: &Path) -> Result<SearchResult, Error> {
    let mut ws = generate_and_import(root, docs, seed)?.workspace;
    // Label the opening sentence of one document in 50 as a CLAIM.
    let ids = ws.document_ids()?;
    let mut spans = 0;
    for id in ids.iter().step_by(50) {
        let text = ws.document(id)?.text;
        let end = text.find(". ").map_or(text.chars().count().min(80), |b| {
            text[..b].chars().count() + 1
        });
        ws.add_span(
            NewSpan {
                doc_id: id.clone(),
                start: 0,
                end: end as u32,
                label: "CLAIM".into(),
                ..Default::default()
            },
            "bench",
        )?;
        spans += 1;
    }
    let t = Instant::now();
    let mut index = SearchIndex::rebuild(&ws, &mut |_| {})?;
    let index_build_s = t.elapsed().as_secs_f64();
    let index_mb = dir_mb(&ws.index_dir());

    let page = Page::default();
    let docs_query = |q: &str| -> Result<(usize, usize), Error> {
        let r = index.search_documents(&ws, q, page, SortBy::Relevance)?;
        Ok((r.hits.len(), r.total))
    };
    let terms = [
        "Lindqvar",
        "reservoir",
        "sanctions",
        "evacuation",
        "convoys",
    ];
    let phrases = [
        "\"will return to their bases\"",
        "\"highest level in thirty years\"",
        "\"talks will resume next week\"",
    ];
    let filters = [
        "troops outlet:riverpost",
        "residents outlet:kestreldaily status:new",
        "grain outlet:northgazette",
    ];
    let dates = [
        "published:[2025-03-01 TO 2025-03-07] troops",
        "published:[2025-03-10 TO 2025-03-20] water",
        "published:2025-03-15",
    ];
    let span_queries = [
        "label:CLAIM bases",
        "label:CLAIM gates",
        "label:CLAIM Dorval",
    ];
    let passages = [
        "the units completed their exercises and are going back to their bases",
        "they will open the gates step by step from Saturday morning",
        "inspections must be complete before sanctions are lifted",
    ];
    let mut queries = vec![
        time_query("single term", runs, |i| docs_query(terms[i % terms.len()]))?,
        time_query("phrase", runs, |i| docs_query(phrases[i % phrases.len()]))?,
        time_query("field filter", runs, |i| {
            docs_query(filters[i % filters.len()])
        })?,
        time_query("date range", runs, |i| docs_query(dates[i % dates.len()]))?,
        time_query("span search", runs, |i| {
            let r = index.search_spans(&ws, span_queries[i % span_queries.len()], page)?;
            Ok((r.hits.len(), r.total))
        })?,
        time_query("similar passage", runs.min(30), |i| {
            let r = index.similar(&ws, passages[i % passages.len()], None, 20)?;
            Ok((r.len(), r.len()))
        })?,
    ];
    queries.push(time_query("sorted by date", runs, |i| {
        let r = index.search_documents(&ws, terms[i % terms.len()], page, SortBy::Date)?;
        Ok((r.hits.len(), r.total))
    })?);

    // One annotation change, then searchable: sync and find it.
    let target = &ids[1];
    let t = Instant::now();
    let span = ws.add_span(
        NewSpan {
            doc_id: target.clone(),
            start: 0,
            end: 10,
            label: "EVIDENCE".into(),
            ..Default::default()
        },
        "bench",
    )?;
    let added = t.elapsed();
    index.sync(&ws, &mut |_| {})?;
    let found = index.search_spans(&ws, &format!("label:EVIDENCE doc:{target}"), page)?;
    let change_searchable_ms = (t.elapsed() - added).as_secs_f64() * 1e3;
    if !found.hits.iter().any(|h| h.span_id == span.id) {
        return Err(Error::Index("the new span was not found after sync".into()));
    }
    Ok(SearchResult {
        docs,
        spans,
        index_build_s,
        index_mb,
        change_searchable_ms,
        queries,
        peak_rss_mb: peak_rss_mb(),
    })
}

impl Outcome for SearchResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "search: {} docs, {} spans; index built in {:.1} s, {:.1} MB; one change searchable in {:.0} ms; peak RSS {:.0} MB",
            r.docs, r.spans, r.index_build_s, r.index_mb, r.change_searchable_ms, r.peak_rss_mb
        );
        for q in &r.queries {
            println!(
                "  {:<16} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} runs; {} of {} hits)",
                q.kind, q.p50_ms, q.p99_ms, q.max_ms, q.runs, q.hits, q.total
            );
        }
    }
}
