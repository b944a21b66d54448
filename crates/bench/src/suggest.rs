//! `parallax-bench suggest`: the attribution and boilerplate rules over one long generated
//! article (the 5,000 words, many runs), and accepting every suggestion over a
//! generated corpus as `parallax suggest --apply` does (each document one undo step), after
//! a pass that only reads each document and runs the rules over it, for the split.

use std::path::Path;
use std::time::Instant;

use parallax_core::Error;
use parallax_core::suggest::{PatternSet, SuggestOptions, suggest};
use serde::Serialize;

use crate::import::generate_and_import;
use crate::measure::{Outcome, percentile};

#[derive(Serialize)]
pub struct SuggestResult {
    words: usize,
    /// Suggestions for the long article.
    suggestions: usize,
    runs: usize,
    article_p50_ms: f64,
    article_max_ms: f64,
    docs: u64,
    import_s: f64,
    /// Suggesting and accepting over every document of the corpus.
    apply_s: f64,
    /// A pass before it that reads every document and runs the rules, writing nothing.
    rules_s: f64,
    apply_docs_per_s: f64,
    spans_added: usize,
    relations_added: usize,
}

pub fn suggest_bench(
    root: &Path,
    words: usize,
    runs: usize,
    docs: u64,
    seed: u64,
) -> Result<SuggestResult, Error> {
    let article = parallax_synth::long_document(seed, words);
    let none = PatternSet::default();
    let options = SuggestOptions::default();
    let mut times = Vec::with_capacity(runs);
    let mut suggestions = 0;
    for _ in 0..runs {
        let t = Instant::now();
        suggestions = suggest(&article, &none, options).len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);

    let mut corpus = generate_and_import(root, docs, seed)?;
    let ws = &mut corpus.workspace;
    let ids: Vec<String> = ws.list_documents()?.into_iter().map(|d| d.id).collect();
    let t = Instant::now();
    let suggester = ws.suggester(&none, options)?;
    for id in &ids {
        suggester.suggestions(ws, id)?;
    }
    let rules_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (mut spans_added, mut relations_added) = (0, 0);
    suggester.accept_all(ws, &ids, "suggester", |_, outcome| {
        spans_added += outcome.spans_added;
        relations_added += outcome.relations_added;
    })?;
    let apply_s = t.elapsed().as_secs_f64();
    Ok(SuggestResult {
        words: article.split_whitespace().count(),
        suggestions,
        runs,
        article_p50_ms: percentile(&times, 0.5),
        article_max_ms: times.last().copied().unwrap_or(0.0),
        docs: ids.len() as u64,
        import_s: corpus.import_s,
        apply_s,
        rules_s,
        apply_docs_per_s: ids.len() as f64 / apply_s.max(1e-9),
        spans_added,
        relations_added,
    })
}

impl Outcome for SuggestResult {
    fn print_text(&self) {
        let r = self;
        println!(
            "suggest: {} words, {} suggestions: p50 {:.2} ms, max {:.2} ms ({} runs)",
            r.words, r.suggestions, r.article_p50_ms, r.article_max_ms, r.runs
        );
        println!(
            "suggest --apply: {} docs in {:.2} s = {:.0} docs/s (reading and the rules alone {:.2} s), {} spans and {} relations added (import {:.1} s, not counted)",
            r.docs,
            r.apply_s,
            r.apply_docs_per_s,
            r.rules_s,
            r.spans_added,
            r.relations_added,
            r.import_s
        );
    }
}
