//! Suggestions against a real workspace: what the rules propose for a news text, held to the
//! schema; accepting them as one undo step with what proposed each span; nothing added twice;
//! a bad batch leaving nothing behind; and accepted spans carried through a native export.

use parallax_core::model::DocMeta;
use parallax_core::store::{BatchRelation, BatchSpan, NewDocument, NewSpan};
use parallax_core::suggest::{PatternSet, SuggestOptions, Suggestion};
use parallax_core::{Error, Workspace};

const ME: &str = "ana";

const TEXT: &str = "Russia says some troops pulling back\n\n\
    MOSCOW — Some troops are returning to their bases, Russia's defence ministry said on Tuesday.\n\n\
    “Units have completed their tasks and are loading onto trains,” Maj. Gen. Igor Konashenkov, \
    the ministry's chief spokesman, told reporters.\n\n\
    He said the drills in Belarus would go on.\n\n\
    The general is said to be furious about the leak.\n\n\
    You May Also Like\n\nA teaser headline\n\nThis article originally belongs to nbcnews.com";

fn workspace(dir: &std::path::Path) -> (Workspace, String) {
    let mut ws = Workspace::init(dir).unwrap();
    let id = ws
        .insert_document(&NewDocument {
            text: TEXT.into(),
            meta: DocMeta {
                title: Some("t".into()),
                ..Default::default()
            },
            sha256: "x".into(),
        })
        .unwrap();
    (ws, id)
}

/// A span the analyst adds by hand.
fn span(doc_id: &str, start: u32, end: u32, label: &str) -> NewSpan {
    NewSpan {
        doc_id: doc_id.to_string(),
        start,
        end,
        label: label.into(),
        ..Default::default()
    }
}

/// A suggestion as its kind, its spans' (label, text) and its relations as "HEAD type CHILD".
type Shape = (String, Vec<(String, String)>, Vec<String>);

fn shape(found: &[Suggestion]) -> Vec<Shape> {
    found
        .iter()
        .map(|s| {
            let spans = s
                .spans
                .iter()
                .map(|sp| {
                    let text: String = TEXT
                        .chars()
                        .skip(sp.start as usize)
                        .take((sp.end - sp.start) as usize)
                        .collect();
                    assert_eq!(text, sp.text, "code point offsets");
                    (sp.label.clone(), text)
                })
                .collect();
            let relations = s
                .relations
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {}",
                        s.spans[r.head].label, r.label, s.spans[r.child].label
                    )
                })
                .collect();
            (s.kind.clone(), spans, relations)
        })
        .collect()
}

#[test]
fn the_rules_propose_attributions_with_their_relations_and_the_furniture() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, id) = workspace(tmp.path());
    let found = ws
        .suggestions(&id, &PatternSet::default(), SuggestOptions::default())
        .unwrap();
    let pair = |l: &str, t: &str| (l.to_string(), t.to_string());
    let attributed = vec![
        "CLAIM attributed_to SOURCE".to_string(),
        "CUE cue_of CLAIM".to_string(),
    ];
    assert_eq!(
        shape(&found),
        [
            (
                "indirect".to_string(),
                vec![
                    pair("CLAIM", "Some troops are returning to their bases"),
                    pair("SOURCE", "Russia's defence ministry"),
                    pair("CUE", "said"),
                ],
                attributed.clone()
            ),
            (
                "direct".to_string(),
                vec![
                    pair(
                        "CLAIM",
                        "Units have completed their tasks and are loading onto trains"
                    ),
                    pair("SOURCE", "Maj. Gen. Igor Konashenkov"),
                    pair("CUE", "told reporters"),
                ],
                attributed.clone()
            ),
            (
                "indirect".to_string(),
                vec![
                    pair("CLAIM", "the drills in Belarus would go on"),
                    pair("SOURCE", "He"),
                    pair("CUE", "said"),
                ],
                attributed
            ),
            (
                "boilerplate".to_string(),
                vec![pair(
                    "BOILERPLATE",
                    "You May Also Like\n\nA teaser headline\n\nThis article originally belongs to nbcnews.com"
                )],
                vec![]
            ),
        ]
    );
    assert_eq!(found[1].spans[0].attrs["type"], "quote");
    assert_eq!(
        found[2].spans[1].attrs["refers_to"],
        "Maj. Gen. Igor Konashenkov"
    );
    assert_eq!(found[1].suggested_by, "rule:direct-quote");
}

#[test]
fn accepting_is_one_undo_step_says_what_proposed_each_span_and_adds_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(tmp.path());
    // The analyst marked the first claim already, a little differently.
    let mine = ws.add_span(span(&id, 47, 70, "CLAIM"), ME).unwrap();
    let found = ws
        .suggestions(&id, &PatternSet::default(), SuggestOptions::default())
        .unwrap();
    let outcome = ws.accept_suggestions(&id, &found, ME).unwrap();
    assert_eq!(outcome.spans_already_there, 1);
    assert_eq!(outcome.spans_added, 9);
    assert_eq!(outcome.relations_added, 6);
    let spans = ws.spans(&id).unwrap();
    assert_eq!(spans.len(), 10);
    let by = |label: &str, text: &str| {
        spans
            .iter()
            .find(|s| s.label == label && s.text == text)
            .unwrap_or_else(|| panic!("{label} {text:?} in {spans:#?}"))
    };
    assert_eq!(
        by("SOURCE", "Maj. Gen. Igor Konashenkov")
            .suggested_by
            .as_deref(),
        Some("rule:direct-quote")
    );
    assert_eq!(by("BOILERPLATE", "You May Also Like\n\nA teaser headline\n\nThis article originally belongs to nbcnews.com").suggested_by.as_deref(), Some("rule:boilerplate"));
    assert_eq!(ws.span(&mine.id).unwrap().suggested_by, None);
    // The ministry's attribution went to the analyst's own claim.
    let relations = ws.relations(&id).unwrap();
    assert!(
        relations
            .iter()
            .any(|r| r.head == mine.id && r.label == "attributed_to"),
        "{relations:#?}"
    );
    // Accepting again adds nothing.
    let again = ws.accept_suggestions(&id, &found, ME).unwrap();
    assert_eq!((again.spans_added, again.relations_added), (0, 0));
    assert_eq!(
        ws.history(10).unwrap().len(),
        2,
        "an empty batch records nothing"
    );
    // One undo takes the whole batch back, and redo brings it with what proposed it.
    ws.undo(ME).unwrap();
    assert_eq!(ws.spans(&id).unwrap().len(), 1);
    assert_eq!(ws.relations(&id).unwrap().len(), 0);
    ws.redo(ME).unwrap();
    let spans = ws.spans(&id).unwrap();
    assert_eq!(spans.len(), 10);
    assert_eq!(spans.iter().filter(|s| s.suggested_by.is_some()).count(), 9);
}

#[test]
fn a_batch_with_a_bad_span_or_relation_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(tmp.path());
    let span = |start, end, label: &str| BatchSpan {
        span: NewSpan {
            doc_id: String::new(),
            start,
            end,
            label: label.into(),
            ..Default::default()
        },
        suggested_by: Some("rule:test".into()),
    };
    let bad_label = ws.add_batch(
        &id,
        vec![span(0, 5, "CLAIM"), span(6, 9, "RUMOUR")],
        &[],
        ME,
    );
    assert!(
        matches!(bad_label, Err(Error::UnknownLabel(_))),
        "{bad_label:?}"
    );
    let relation = [BatchRelation {
        head: 0,
        child: 1,
        label: "cue_of".into(),
    }];
    // cue_of goes from a CUE, not a CLAIM.
    let bad_relation = ws.add_batch(
        &id,
        vec![span(0, 5, "CLAIM"), span(6, 9, "SOURCE")],
        &relation,
        ME,
    );
    assert!(
        matches!(bad_relation, Err(Error::RelationNotAllowed { .. })),
        "{bad_relation:?}"
    );
    let out_of_bounds = ws.add_batch(
        &id,
        vec![span(0, 5, "CLAIM"), span(6, 90_000, "SOURCE")],
        &[],
        ME,
    );
    assert!(matches!(out_of_bounds, Err(Error::SpanOutOfBounds { .. })));
    assert!(ws.spans(&id).unwrap().is_empty());
    assert!(ws.history(10).unwrap().is_empty());
}

#[test]
fn accepted_spans_keep_what_proposed_them_through_a_native_export_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(&tmp.path().join("a"));
    let found = ws
        .suggestions(&id, &PatternSet::default(), SuggestOptions::default())
        .unwrap();
    ws.accept_suggestions(&id, &found, ME).unwrap();
    let file = tmp.path().join("out.jsonl");
    ws.export(
        &parallax_core::export::ExportOptions {
            format: parallax_core::formats::Format::Jsonl,
            filter: Default::default(),
            split: None,
            seed: None,
        },
        &file,
        None,
        &mut |_, _| {},
    )
    .unwrap();
    let line = std::fs::read_to_string(&file).unwrap();
    let exported: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    let first = &exported["spans"][0];
    assert!(
        first["suggested_by"].as_str().unwrap().starts_with("rule:"),
        "{first}"
    );
    let mut other = Workspace::init(tmp.path().join("b")).unwrap();
    let report = other
        .import_paths(
            std::slice::from_ref(&file),
            &Default::default(),
            None,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(report.spans, 10, "{report:?}");
    let doc = other.list_documents().unwrap()[0].id.clone();
    let spans = other.spans(&doc).unwrap();
    assert_eq!(spans.len(), ws.spans(&id).unwrap().len());
    assert!(spans.iter().all(|s| {
        s.suggested_by
            .as_deref()
            .is_some_and(|b| b.starts_with("rule:"))
    }));
}

#[test]
fn an_export_without_boilerplate_cuts_its_text_and_keeps_every_other_span_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(tmp.path());
    let found = ws
        .suggestions(&id, &PatternSet::default(), SuggestOptions::default())
        .unwrap();
    ws.accept_suggestions(&id, &found, ME).unwrap();
    // A span across the boilerplate's edge cannot be kept.
    let edge = TEXT.find("nbcnews").unwrap();
    let edge = TEXT[..edge].chars().count() as u32;
    ws.add_span(span(&id, edge, edge + 7, "SOURCE"), "bo")
        .unwrap();
    let file = tmp.path().join("clean.jsonl");
    let opts = parallax_core::export::ExportOptions {
        format: parallax_core::formats::Format::Jsonl,
        filter: parallax_core::export::ExportFilter {
            without_boilerplate: true,
            ..Default::default()
        },
        split: None,
        seed: None,
    };
    ws.export(&opts, &file, None, &mut |_, _| {}).unwrap();
    let line = std::fs::read_to_string(&file).unwrap();
    let doc: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    let text = doc["text"].as_str().unwrap();
    assert!(
        text.ends_with("is said to be furious about the leak."),
        "{text:?}"
    );
    assert!(!text.contains("You May Also Like") && !text.contains("nbcnews"));
    let spans = doc["spans"].as_array().unwrap();
    assert_eq!(
        spans.len(),
        9,
        "the nine attribution spans, no BOILERPLATE, not bo's"
    );
    for s in spans {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        let sliced: String = text.chars().skip(a).take(b - a).collect();
        assert_eq!(sliced, s["text"].as_str().unwrap());
    }
    assert_eq!(doc["relations"].as_array().unwrap().len(), 6);
    // The stored text is unchanged; the export's hash is the shortened text's, so that a
    // re-import of it is not taken for the whole article.
    assert_eq!(ws.document(&id).unwrap().text, TEXT);
    assert_eq!(
        doc["meta"]["sha256"].as_str().unwrap(),
        parallax_core::text::sha256_hex(text.as_bytes())
    );
}

#[test]
fn a_turned_down_suggestion_is_not_proposed_again_to_that_annotator_and_accepted_ones_neither() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(tmp.path());
    let none = PatternSet::default();
    let options = SuggestOptions::default();
    let all = ws.open_suggestions(&id, &none, options, ME).unwrap();
    assert_eq!(all.len(), 4);
    let claim = &all[1].spans[0];
    ws.reject_suggestion(&id, (claim.start, claim.end), &claim.label, ME)
        .unwrap();
    // Turning it down twice records nothing more.
    ws.reject_suggestion(&id, (claim.start, claim.end), &claim.label, ME)
        .unwrap();
    assert_eq!(ws.history(10).unwrap().len(), 1);
    let open = ws.open_suggestions(&id, &none, options, ME).unwrap();
    assert_eq!(open.len(), 3);
    assert!(!open.contains(&all[1]));
    // Another annotator still gets it; the workspace's suggestions are unchanged.
    assert_eq!(
        ws.open_suggestions(&id, &none, options, "bo")
            .unwrap()
            .len(),
        4
    );
    assert_eq!(ws.suggestions(&id, &none, options).unwrap(), all);
    // Accepted suggestions are not proposed again either.
    ws.accept_suggestions(&id, &open[..1], ME).unwrap();
    assert_eq!(
        ws.open_suggestions(&id, &none, options, ME).unwrap().len(),
        2
    );
    // Undo takes the acceptance back, then the rejection.
    ws.undo(ME).unwrap();
    ws.undo(ME).unwrap();
    assert_eq!(ws.open_suggestions(&id, &none, options, ME).unwrap(), all);
    // The suggestion must name a label of the schema.
    let bad = ws.reject_suggestion(&id, (0, 5), "RUMOUR", ME);
    assert!(matches!(bad, Err(Error::UnknownLabel(_))), "{bad:?}");
}

#[test]
fn the_workspaces_source_entities_and_their_aliases_are_known_speakers() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path()).unwrap();
    let text = "The satellite images were doctored, bellingcat said on Friday.";
    let id = ws
        .insert_document(&NewDocument {
            text: text.into(),
            meta: DocMeta::default(),
            sha256: "y".into(),
        })
        .unwrap();
    let none = PatternSet::default();
    let options = SuggestOptions::default();
    assert!(ws.suggestions(&id, &none, options).unwrap().is_empty());
    ws.create_source_entity(
        "Bellingcat Investigation Team",
        parallax_core::store::SourceKind::Organisation,
        &["bellingcat".to_string()],
        ME,
    )
    .unwrap();
    let found = ws.suggestions(&id, &none, options).unwrap();
    let source: Vec<&str> = found[0]
        .spans
        .iter()
        .filter(|s| s.label == "SOURCE")
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(source, ["bellingcat"]);
    assert_eq!(found[0].spans[0].text, "The satellite images were doctored");
}

#[test]
fn an_open_suggestion_is_accepted_by_its_first_span_and_accept_all_takes_the_rest_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(tmp.path());
    let none = PatternSet::default();
    let options = SuggestOptions::default();
    let all = ws.open_suggestions(&id, &none, options, ME).unwrap();
    assert_eq!(all.len(), 4);
    let quote = &all[1];
    let first = &quote.spans[0];
    let outcome = ws
        .accept_open_suggestions(&id, Some((first.start, first.end, &first.label)), ME)
        .unwrap();
    assert_eq!(outcome.spans_added, quote.spans.len());
    assert_eq!(outcome.relations_added, quote.relations.len());
    let spans = ws.spans(&id).unwrap();
    assert_eq!(spans.len(), quote.spans.len());
    assert!(
        spans
            .iter()
            .all(|s| s.suggested_by.as_deref() == Some(quote.suggested_by.as_str()))
    );
    assert_eq!(ws.relations(&id).unwrap().len(), quote.relations.len());
    assert_eq!(ws.history(10).unwrap().len(), 1);

    // Accepted once: accepting it again is refused, naming it, and writes nothing.
    let again = ws.accept_open_suggestions(&id, Some((first.start, first.end, &first.label)), ME);
    assert!(
        matches!(&again, Err(Error::SuggestionNotFound { label, .. }) if label == "CLAIM"),
        "{again:?}"
    );
    assert!(again.unwrap_err().to_string().contains("CLAIM ["));
    assert_eq!(ws.history(10).unwrap().len(), 1);

    // A turned-down one is left out of "accept all", which takes the rest as one step.
    let turned = &all[0].spans[0];
    ws.reject_suggestion(&id, (turned.start, turned.end), &turned.label, ME)
        .unwrap();
    let rest = ws.accept_open_suggestions(&id, None, ME).unwrap();
    let expected: usize = all[2..].iter().map(|s| s.spans.len()).sum();
    assert_eq!(rest.spans_added, expected);
    assert_eq!(ws.history(10).unwrap().len(), 3);
    assert!(
        ws.open_suggestions(&id, &none, options, ME)
            .unwrap()
            .is_empty()
    );
    // Nothing open: nothing written, no undo step.
    assert_eq!(
        ws.accept_open_suggestions(&id, None, ME).unwrap(),
        Default::default()
    );
    assert_eq!(ws.history(10).unwrap().len(), 3);
}

/// `n` copies of the test article, each with its own heading.
fn articles(ws: &mut Workspace, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            ws.insert_document(&NewDocument {
                text: TEXT.replacen("pulling back", &format!("pulling back, day {i}"), 1),
                meta: DocMeta::default(),
                sha256: format!("{i:064}"),
            })
            .unwrap()
        })
        .collect()
}

#[test]
fn accepting_every_documents_suggestions_is_an_undo_step_a_document_and_reaches_the_search_index() {
    use parallax_core::search::{Page, SearchIndex};
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path()).unwrap();
    // More documents than one commit takes, so that the span log is paused and put back twice.
    let ids = articles(&mut ws, 205);
    let mine = ws.add_span(span(&ids[3], 54, 77, "CLAIM"), ME).unwrap();
    let (mut index, _) = SearchIndex::open(&ws, &mut |_| {}).unwrap();
    let konashenkov = |index: &SearchIndex, ws: &Workspace| {
        index
            .search_spans(ws, "label:SOURCE konashenkov", Page::default())
            .unwrap()
            .total
    };
    assert_eq!(konashenkov(&index, &ws), 0);

    let none = PatternSet::default();
    let suggester = ws.suggester(&none, SuggestOptions::default()).unwrap();
    let mut told = Vec::new();
    suggester
        .accept_all(&ws, &ids, ME, |doc, outcome| {
            told.push((doc.to_string(), outcome.clone()))
        })
        .unwrap();

    // Each document got what accepting its suggestions alone gives.
    assert_eq!(told.len(), ids.len());
    for (i, (doc, outcome)) in told.iter().enumerate() {
        assert_eq!(doc, &ids[i]);
        let already = usize::from(i == 3);
        assert_eq!(
            (outcome.spans_added, outcome.spans_already_there),
            (10 - already, already),
            "{doc}"
        );
        assert_eq!(outcome.relations_added, 6);
        let spans = ws.spans(doc).unwrap();
        assert_eq!(spans.len(), 10);
        assert_eq!(
            spans.iter().filter(|s| s.suggested_by.is_some()).count(),
            10 - already
        );
        assert_eq!(ws.relations(doc).unwrap().len(), 6);
    }
    assert!(
        ws.relations(&ids[3])
            .unwrap()
            .iter()
            .any(|r| r.head == mine.id && r.label == "attributed_to")
    );

    // The search index learns of every document's new spans.
    index.sync(&ws, &mut |_| {}).unwrap();
    assert_eq!(konashenkov(&index, &ws), ids.len());

    // One history entry a document (after the analyst's own span): undo takes back the last
    // document's, and nothing else.
    assert_eq!(ws.history(1000).unwrap().len(), ids.len() + 1);
    ws.undo(ME).unwrap();
    assert!(ws.spans(&ids[204]).unwrap().is_empty());
    assert_eq!(ws.spans(&ids[203]).unwrap().len(), 10);

    // The span log is back: an ordinary span logs its document for the index again.
    let head = ws.index_log_head().unwrap();
    ws.add_span(span(&ids[204], 0, 6, "CLAIM"), ME).unwrap();
    assert_eq!(
        ws.changed_since(head, ws.index_log_head().unwrap())
            .unwrap(),
        [ids[204].clone()]
    );
}

#[test]
fn a_document_that_fails_while_accepting_everything_keeps_what_those_before_it_got() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path()).unwrap();
    let ids = articles(&mut ws, 3);
    let order = [
        ids[0].clone(),
        ids[1].clone(),
        "0000-no-such-document".to_string(),
        ids[2].clone(),
    ];
    let none = PatternSet::default();
    let suggester = ws.suggester(&none, SuggestOptions::default()).unwrap();
    let mut told = 0;
    let failed = suggester.accept_all(&ws, &order, ME, |_, _| told += 1);
    assert!(
        matches!(failed, Err(Error::DocumentNotFound(_))),
        "{failed:?}"
    );
    assert_eq!(told, 2);
    assert_eq!(ws.spans(&ids[0]).unwrap().len(), 10);
    assert_eq!(ws.spans(&ids[1]).unwrap().len(), 10);
    assert!(ws.spans(&ids[2]).unwrap().is_empty());
    assert_eq!(ws.history(10).unwrap().len(), 2);
    // Running it again adds what is missing, and nothing twice.
    let mut added = Vec::new();
    suggester
        .accept_all(&ws, &ids, ME, |_, o| added.push(o.spans_added))
        .unwrap();
    assert_eq!(added, [0, 0, 10]);
}

#[test]
fn a_long_history_entry_is_kept_compressed_reads_back_after_reopening_and_damage_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, id) = workspace(tmp.path());
    let raw = || rusqlite::Connection::open(tmp.path().join("parallax.db")).unwrap();
    let found = ws
        .suggestions(&id, &PatternSet::default(), SuggestOptions::default())
        .unwrap();
    ws.accept_suggestions(&id, &found, ME).unwrap();
    ws.add_span(span(&id, 0, 6, "SOURCE"), ME).unwrap();
    // The batch's ten spans and six relations are compressed; the single span stays text.
    let stored: Vec<(String, i64, Option<i64>)> = raw()
        .prepare("SELECT action, length(changes), length(packed) FROM history ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored[0].0, "add_batch");
    assert_eq!(stored[0].1, 0);
    assert!(stored[0].2.is_some_and(|n| n < 4000), "{stored:?}");
    assert_eq!(stored[1].0, "add_span");
    assert!(stored[1].1 > 0 && stored[1].2.is_none(), "{stored:?}");

    // Read back after reopening: the log, undo and redo of the whole batch.
    drop(ws);
    let mut ws = Workspace::open(tmp.path()).unwrap();
    assert_eq!(ws.history(10).unwrap()[1].action, "add_batch");
    ws.undo(ME).unwrap();
    ws.undo(ME).unwrap();
    assert!(ws.spans(&id).unwrap().is_empty());
    ws.redo(ME).unwrap();
    let spans = ws.spans(&id).unwrap();
    assert_eq!(spans.len(), 10);
    assert!(spans.iter().all(|s| s.suggested_by.is_some()));

    // A damaged entry is reported, naming what to do, and undo changes nothing.
    raw()
        .execute(
            "UPDATE history SET packed = x'ff00000001' WHERE action = 'add_batch'",
            [],
        )
        .unwrap();
    let read = ws.history(10).unwrap_err().to_string();
    assert!(
        read.contains("compressed changes cannot be read") && read.contains("restore a backup"),
        "{read}"
    );
    ws.undo(ME).unwrap_err();
    assert_eq!(ws.spans(&id).unwrap().len(), 10);
}
