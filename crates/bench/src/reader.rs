//! `parallax-bench reader-fixture`: the workspace of the reader's rendering benchmark in the app
//! (tests/e2e/bench_reader.py): one long generated document with many spans.

use std::path::Path;

use parallax_core::store::NewSpan;
use parallax_core::{Error, Workspace};
use parallax_synth::{self as synth, word_extents};

/// The reader benchmark's workspace: one document of `words` words with `spans` spans spread
/// evenly, each two to six words long; every tenth overlaps the one before it. Related as an
/// analyst would relate them, for the arcs: in each run of five (CLAIM, SOURCE, CUE, QUANTITY,
/// EVIDENCE) the claim is attributed to the source (but every fourth claim, left without one),
/// the cue introduces it and the figure belongs to it.
pub fn reader_fixture(
    root: &Path,
    words: usize,
    spans: usize,
    seed: u64,
) -> Result<(String, usize), Error> {
    let mut ws = Workspace::init(root)?;
    let text = synth::long_document(seed, words);
    let doc_id = ws.insert_document(&parallax_core::store::NewDocument {
        text: text.clone(),
        meta: parallax_core::model::DocMeta {
            title: Some(format!("A long document: {words} words, {spans} spans")),
            outlet: Some("bench.example".into()),
            ..Default::default()
        },
        sha256: parallax_core::text::sha256_hex(text.as_bytes()),
    })?;
    // A short second document, to open the long one from.
    let short = synth::article(seed, 0);
    ws.insert_document(&parallax_core::store::NewDocument {
        sha256: parallax_core::text::sha256_hex(short.as_bytes()),
        text: short,
        meta: parallax_core::model::DocMeta {
            title: Some("A short document".into()),
            ..Default::default()
        },
    })?;
    let extents = word_extents(&text);
    let labels = ["CLAIM", "SOURCE", "CUE", "QUANTITY", "EVIDENCE"];
    let step = (extents.len() / spans.max(1)).max(2);
    let mut made = 0;
    let mut run: Vec<String> = Vec::new(); // the span ids of the current run of five
    for k in 0..spans {
        let first = k * step;
        // Every tenth span starts inside the previous one, so that the two overlap.
        let first = if k % 10 == 9 {
            first.saturating_sub(step / 2 + 1)
        } else {
            first
        };
        let last = (first + 1 + k % 5).min(extents.len().saturating_sub(1));
        let (Some(&(start, _)), Some(&(_, end))) = (extents.get(first), extents.get(last)) else {
            break;
        };
        let span = ws.add_span(
            NewSpan {
                doc_id: doc_id.clone(),
                start,
                end,
                label: labels[k % labels.len()].into(),
                ..NewSpan::default()
            },
            "bench",
        )?;
        made += 1;
        if k % labels.len() == 0 {
            run.clear();
        }
        run.push(span.id);
        if let [claim, source, cue, quantity] = run.as_slice() {
            if (k / labels.len()) % 4 != 3 {
                ws.add_relation(claim, source, "attributed_to", "bench")?;
            }
            ws.add_relation(cue, claim, "cue_of", "bench")?;
            ws.add_relation(quantity, claim, "quantity_of", "bench")?;
        }
    }
    Ok((doc_id, made))
}
