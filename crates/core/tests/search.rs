//! Search over a real workspace and a real tantivy index: the query language, snippets and
//! match offsets, span search, and an index that keeps itself up to date.

mod common;

use parallax_core::model::{DocMeta, DocStatus};
use parallax_core::search::{IndexProgress, Page, SearchIndex, SortBy, SyncOutcome};
use parallax_core::store::{NewDocument, NewSpan};
use parallax_core::{Error, Workspace};

const ARTICLES: &[(&str, &str, &str, &str)] = &[
    (
        "kestrel.example",
        "2022-02-15",
        "Some troops return to base",
        "🇷🇺 Moscow — Russia’s defence ministry said “some units are returning to their bases” after drills. \
         Igor Konashenkov, the ministry’s spokesman, said over 100,000 troops had taken part.",
    ),
    (
        "harbour.example",
        "2022-02-14",
        "Ministry statement",
        "Maj. Gen. Igor Konashenkov told reporters that some units are returning to their bases. \
         Western officials said they had seen no sign of it.",
    ),
    (
        "valley.example",
        "2022-02-20",
        "Satellite images",
        "Satellite images showed some 130,000 troops near the border, analysts said. \
         Konashenkov did not comment.",
    ),
    (
        "riverpost.example",
        "2022-03-02",
        "Talks in Geneva",
        "Diplomats met in Geneva to discuss security guarantees. Troopers were not mentioned.",
    ),
];

fn setup() -> (tempfile::TempDir, Workspace, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    let ids = ARTICLES
        .iter()
        .enumerate()
        .map(|(i, (outlet, date, title, text))| {
            ws.insert_document(&NewDocument {
                text: (*text).into(),
                meta: DocMeta {
                    title: Some((*title).into()),
                    outlet: Some((*outlet).into()),
                    published: Some((*date).into()),
                    ..Default::default()
                },
                sha256: format!("{i:064}"),
            })
            .unwrap()
        })
        .collect();
    (dir, ws, ids)
}

fn open(ws: &Workspace) -> (SearchIndex, SyncOutcome) {
    SearchIndex::open(ws, &mut |_| {}).unwrap()
}

fn outlets(index: &SearchIndex, ws: &Workspace, query: &str) -> Vec<String> {
    let mut found: Vec<String> = index
        .search_documents(ws, query, Page::default(), SortBy::Relevance)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.outlet.unwrap())
        .collect();
    found.sort();
    found
}

#[test]
fn accents_and_case_do_not_matter_and_lang_attr_and_doc_filter() {
    let (_dir, mut ws, ids) = setup();
    let french = ws
        .insert_document(&NewDocument {
            text: "Le ministère de la Défense a démenti ; le café du port était fermé.".into(),
            meta: DocMeta {
                title: Some("Démenti".into()),
                outlet: Some("presse.example".into()),
                language: Some("fr".into()),
                ..Default::default()
            },
            sha256: format!("{:064}", 99),
        })
        .unwrap();
    let text = ARTICLES[0].3;
    let quote = "some units are returning to their bases";
    let start = text[..text.find(quote).unwrap()].chars().count() as u32;
    let attrs = serde_json::json!({"check_worthy": true, "type": "quote"});
    ws.add_span(
        NewSpan {
            doc_id: ids[0].clone(),
            start,
            end: start + quote.chars().count() as u32,
            label: "CLAIM".into(),
            attrs: attrs.as_object().unwrap().clone(),
            ..Default::default()
        },
        "ana",
    )
    .unwrap();
    let (index, _) = open(&ws);

    // Accents and case are folded on both sides.
    for query in [
        "ministere defense",
        "MINISTÈRE",
        "cafe",
        "CAFÉ du port",
        "démenti",
        "title:DEMENTI",
    ] {
        assert_eq!(outlets(&index, &ws, query), ["presse.example"], "{query}");
    }
    assert_eq!(
        outlets(&index, &ws, "défence"),
        outlets(&index, &ws, "defence")
    );
    assert_eq!(outlets(&index, &ws, "defence").len(), 1);

    // lang: the document's language, in any case.
    assert_eq!(outlets(&index, &ws, "lang:fr"), ["presse.example"]);
    assert_eq!(outlets(&index, &ws, "lang:FR"), ["presse.example"]);
    assert!(outlets(&index, &ws, "lang:de").is_empty());

    // attr: a span's attribute and value, within the same span as the other clauses.
    let spans = |q: &str| {
        index
            .search_spans(&ws, q, Page::default())
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.passage.text)
            .collect::<Vec<_>>()
    };
    assert_eq!(spans("attr:check_worthy=true"), [quote]);
    assert_eq!(spans("label:CLAIM attr:type=QUOTE bases"), [quote]);
    assert!(spans("attr:check_worthy=false").is_empty());
    assert!(spans("label:SOURCE attr:type=quote").is_empty());

    // doc: one document only.
    let in_doc = |q: &str| {
        index
            .search_documents(&ws, q, Page::default(), SortBy::Relevance)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.doc_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        in_doc(&format!("doc:{} Konashenkov", ids[1])),
        [ids[1].clone()]
    );
    assert!(in_doc(&format!("doc:{french} Konashenkov")).is_empty());
    let err = index
        .search_documents(&ws, "doc:\"two words\"", Page::default(), SortBy::Relevance)
        .unwrap_err();
    assert!(
        err.to_string().contains("doc: takes a document id"),
        "{err}"
    );
}

#[test]
fn words_phrases_prefixes_and_booleans() {
    let (_dir, ws, _) = setup();
    let (index, outcome) = open(&ws);
    assert!(matches!(outcome, SyncOutcome::Rebuilt(_)), "{outcome:?}");

    assert_eq!(
        outlets(&index, &ws, "Konashenkov"),
        ["harbour.example", "kestrel.example", "valley.example"]
    );
    // Quote style and case do not matter; the phrase must be whole.
    assert_eq!(
        outlets(&index, &ws, "“Some units are RETURNING to their bases”"),
        ["harbour.example", "kestrel.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "troop*"),
        outlets(&index, &ws, "troops OR troopers")
    );
    assert_eq!(outlets(&index, &ws, "troop*").len(), 3);
    assert_eq!(
        outlets(&index, &ws, "konashenkov -satellite"),
        ["harbour.example", "kestrel.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "konashenkov AND NOT images"),
        ["harbour.example", "kestrel.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "geneva OR satellite"),
        ["riverpost.example", "valley.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "russia"),
        ["kestrel.example"],
        "Russia’s splits at the apostrophe"
    );
    assert!(outlets(&index, &ws, "\"units returning\"").is_empty());
    assert_eq!(outlets(&index, &ws, "").len(), 4);
}

/// Phrases are answered from the index's word pairs: the same documents and counts as the
/// words in sequence, for phrases of two to six words, odd and even.
#[test]
fn phrases_match_exactly_the_texts_with_the_words_in_sequence() {
    let long = "x".repeat(70);
    let other_long = "y".repeat(65);
    let texts = [
        (
            "in-order",
            "They will return to their bases soon.".to_string(),
        ),
        (
            "punctuated",
            "They will return. To their bases!".to_string(),
        ),
        (
            "word-between",
            "They will return to their own bases.".to_string(),
        ),
        ("reversed", "Bases their to return will they.".to_string()),
        ("no-will", "Some return to their bases.".to_string()),
        (
            "twice",
            "Return to their bases, return to their bases.".to_string(),
        ),
        ("long-word", format!("alpha beta {long} gamma delta")),
        ("adjacent", "alpha beta gamma delta".to_string()),
        ("short-between", "alpha beta zeta gamma delta".to_string()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    for (i, (title, text)) in texts.iter().enumerate() {
        ws.insert_document(&NewDocument {
            text: text.clone(),
            meta: DocMeta {
                outlet: Some((*title).into()),
                // The same words as a title: phrases over titles follow the same rules.
                title: Some(text.clone()),
                ..Default::default()
            },
            sha256: format!("{i:064}"),
        })
        .unwrap();
    }
    let (index, _) = open(&ws);
    let found = |q: &str| {
        let r = index
            .search_documents(&ws, q, Page::default(), SortBy::Relevance)
            .unwrap();
        let mut outlets: Vec<String> = r.hits.into_iter().map(|h| h.outlet.unwrap()).collect();
        outlets.sort();
        assert_eq!(r.total, outlets.len(), "{q}");
        outlets
    };
    assert_eq!(
        found("\"they will return to their bases\""),
        ["in-order", "punctuated"]
    );
    assert_eq!(
        found("\"will return to their bases\""),
        ["in-order", "punctuated"]
    );
    assert_eq!(
        found("\"return to their bases\""),
        ["in-order", "no-will", "punctuated", "twice"]
    );
    assert_eq!(
        found("\"to their bases\""),
        ["in-order", "no-will", "punctuated", "twice"]
    );
    assert_eq!(
        found("\"their bases\""),
        ["in-order", "no-will", "punctuated", "twice"]
    );
    assert_eq!(found("\"their own bases\""), ["word-between"]);
    assert!(found("\"bases to their\"").is_empty());
    assert_eq!(found("text:\"return will\""), ["reversed"]);
    // A word too long to index leaves a one-word gap, which any word fills, never no word...
    assert_eq!(
        found(&format!("\"alpha beta {other_long} gamma delta\"")),
        ["long-word", "short-between"]
    );
    assert_eq!(found("\"beta gamma\""), ["adjacent"]);
    // ...and a word with such gaps on both sides is only required.
    assert_eq!(
        found(&format!("\"beta {other_long} gamma\"")),
        ["adjacent", "long-word", "short-between"]
    );
    assert_eq!(
        found(&format!("title:\"alpha beta {other_long} gamma delta\"")),
        ["long-word", "short-between"]
    );
    assert_eq!(
        found("title:\"will return to their bases\""),
        ["in-order", "punctuated"]
    );
    // The pairs are also where "label all occurrences" looks.
    let occurrences = index.occurrences(&ws, "to their bases").unwrap();
    assert_eq!(occurrences.len(), 5, "{occurrences:?}");
}

#[test]
fn field_filters_narrow_and_dates_range() {
    let (_dir, ws, ids) = setup();
    let (index, _) = open(&ws);
    assert_eq!(outlets(&index, &ws, "outlet:harbour"), ["harbour.example"]);
    assert_eq!(
        outlets(&index, &ws, "konashenkov outlet:(kestrel OR valley)"),
        ["kestrel.example", "valley.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "published:[2022-02-14 TO 2022-02-15]"),
        ["harbour.example", "kestrel.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "published:2022-03"),
        ["riverpost.example"]
    );
    assert_eq!(
        outlets(&index, &ws, "published:[2022-02-16 TO *]"),
        ["riverpost.example", "valley.example"]
    );
    assert_eq!(outlets(&index, &ws, "title:satellite"), ["valley.example"]);

    let by_date = index
        .search_documents(&ws, "", Page::default(), SortBy::Date)
        .unwrap();
    let dates: Vec<String> = by_date
        .hits
        .iter()
        .map(|h| h.published.clone().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2022-03-02", "2022-02-20", "2022-02-15", "2022-02-14"]
    );

    let page = index
        .search_documents(
            &ws,
            "",
            Page {
                limit: 3,
                offset: 3,
            },
            SortBy::Date,
        )
        .unwrap();
    assert_eq!((page.total, page.hits.len()), (4, 1));
    assert_eq!(page.hits[0].doc_id, ids[1]);
}

#[test]
fn hits_carry_snippets_and_match_offsets_in_code_points() {
    let (_dir, ws, ids) = setup();
    let (index, _) = open(&ws);
    let results = index
        .search_documents(
            &ws,
            "konashenkov \"some units\"",
            Page::default(),
            SortBy::Relevance,
        )
        .unwrap();
    let hit = results.hits.iter().find(|h| h.doc_id == ids[0]).unwrap();
    let text: Vec<char> = ARTICLES[0].3.chars().collect();
    let found: Vec<String> = hit
        .matches
        .iter()
        .map(|[s, e]| text[*s as usize..*e as usize].iter().collect())
        .collect();
    assert_eq!(found, ["some units", "Konashenkov"]);
    let snippet: Vec<char> = hit.snippet.text.chars().collect();
    for [s, e] in &hit.snippet.highlights {
        let marked: String = snippet[*s as usize..*e as usize].iter().collect();
        assert!(found.contains(&marked), "{marked}");
    }
    assert_eq!(hit.snippet.highlights.len(), 2);
}

#[test]
fn malformed_queries_are_errors_that_say_where() {
    let (_dir, ws, _) = setup();
    let (index, _) = open(&ws);
    for (query, words) in [
        ("outlet:(", "character 8"),
        ("colour:red", "unknown field `colour:`"),
        ("published:yesterday", "not a date"),
        ("\"unclosed", "never closed"),
    ] {
        let err = index
            .search_documents(&ws, query, Page::default(), SortBy::Relevance)
            .unwrap_err();
        assert!(matches!(err, Error::Query(_)), "{query}: {err}");
        assert!(err.to_string().contains(words), "{query}: {err}");
    }
}

#[test]
fn spans_are_searchable_and_changes_are_found_without_a_reindex() {
    let (_dir, mut ws, ids) = setup();
    let (mut index, _) = open(&ws);
    let text = ARTICLES[0].3;
    let start = text[..text.find("some units").unwrap()].chars().count() as u32;
    let claim = ws
        .add_span(
            NewSpan {
                doc_id: ids[0].clone(),
                start,
                end: start + "some units are returning to their bases".chars().count() as u32,
                label: "CLAIM".into(),
                ..Default::default()
            },
            "ana",
        )
        .unwrap();
    assert_eq!(
        index.sync(&ws, &mut |_| {}).unwrap(),
        SyncOutcome::CaughtUp(1)
    );

    let spans = index
        .search_spans(&ws, "label:CLAIM bases", Page::default())
        .unwrap();
    assert_eq!(spans.total, 1);
    let hit = &spans.hits[0];
    assert_eq!(
        (hit.span_id.as_str(), hit.label.as_str()),
        (claim.id.as_str(), "CLAIM")
    );
    assert_eq!(
        (hit.passage.start, hit.passage.end),
        (claim.start, claim.end)
    );
    assert_eq!(hit.passage.outlet.as_deref(), Some("kestrel.example"));
    assert_eq!(hit.highlights, [[34, 39]]); // "bases"
    assert_eq!(
        outlets(&index, &ws, "label:claim annotator:ANA"),
        ["kestrel.example"]
    );
    // One layer's spans alone (blind annotation): ana's claim is in hers, in nobody else's.
    let of_layer = |who: &str| {
        index
            .search_spans_of_layer(&ws, "label:CLAIM", Page::default(), who)
            .unwrap()
            .total
    };
    assert_eq!((of_layer("ana"), of_layer("bo")), (1, 0));
    assert!(
        index
            .search_spans(&ws, "label:SOURCE", Page::default())
            .unwrap()
            .hits
            .is_empty()
    );

    // A change made by another process (a new open of the same workspace) is caught up on open.
    ws.set_status(&ids[2], DocStatus::Done, "bo").unwrap();
    ws.undo("ana").unwrap();
    ws.undo("ana").unwrap();
    let (index, outcome) = open(&ws);
    assert_eq!(outcome, SyncOutcome::CaughtUp(2));
    assert!(outlets(&index, &ws, "label:CLAIM").is_empty());
    assert!(outlets(&index, &ws, "status:done").is_empty());
    assert_eq!(outlets(&index, &ws, "status:new").len(), 4);
    let (_, outcome) = open(&ws);
    assert_eq!(outcome, SyncOutcome::UpToDate);
}

#[test]
fn a_corrupt_or_missing_index_is_rebuilt() {
    let (_dir, ws, _) = setup();
    drop(open(&ws));
    let meta = ws.index_dir().join("meta.json");
    std::fs::write(&meta, "{ not json").unwrap();
    let (index, outcome) = open(&ws);
    assert!(matches!(outcome, SyncOutcome::Rebuilt(_)), "{outcome:?}");
    assert_eq!(outlets(&index, &ws, "konashenkov").len(), 3);
    drop(index);

    // A segment's file gone while meta.json still names it (a process killed part-way through
    // removing the folder): rebuilt, not an error on every search.
    let term = std::fs::read_dir(ws.index_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "term"))
        .unwrap();
    std::fs::remove_file(term).unwrap();
    let (index, outcome) = open(&ws);
    assert!(matches!(outcome, SyncOutcome::Rebuilt(_)), "{outcome:?}");
    assert_eq!(outlets(&index, &ws, "konashenkov").len(), 3);
    drop(index);

    std::fs::remove_dir_all(ws.index_dir()).unwrap();
    let mut seen = Vec::new();
    let (index, outcome) = SearchIndex::open(&ws, &mut |p: IndexProgress| seen.push(p)).unwrap();
    assert_eq!(outcome, SyncOutcome::Rebuilt("there was no index"));
    assert_eq!(seen.last(), Some(&IndexProgress { done: 4, total: 4 }));
    assert_eq!(outlets(&index, &ws, "geneva"), ["riverpost.example"]);
}

#[test]
fn occurrences_of_a_phrase_across_the_corpus() {
    let (_dir, mut ws, ids) = setup();
    let text = ARTICLES[1].3;
    let start = text[..text.find("some units").unwrap()].chars().count() as u32;
    ws.add_span(
        NewSpan {
            doc_id: ids[1].clone(),
            start,
            end: start + 10,
            label: "CLAIM".into(),
            ..Default::default()
        },
        "ana",
    )
    .unwrap();
    let (index, _) = open(&ws);
    let found = index.occurrences(&ws, "Some Units").unwrap();
    let mut seen: Vec<(&str, &str, Vec<String>)> = found
        .iter()
        .map(|o| {
            (
                o.passage.outlet.as_deref().unwrap(),
                o.passage.text.as_str(),
                o.labels.clone(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("harbour.example", "some units", vec!["CLAIM".to_string()]),
            ("kestrel.example", "some units", vec![]),
        ]
    );
    let kestrel = found.iter().find(|o| o.passage.doc_id == ids[0]).unwrap();
    let chars: Vec<char> = ARTICLES[0].3.chars().collect();
    let at: String = chars[kestrel.passage.start as usize..kestrel.passage.end as usize]
        .iter()
        .collect();
    assert_eq!(at, "some units");
    assert_eq!(index.occurrences(&ws, "russia's defence").unwrap().len(), 1);
    assert!(index.occurrences(&ws, "—").is_err());
}

#[test]
fn similar_passages_in_other_documents_rank_the_reworded_quote_first() {
    let (_dir, mut ws, ids) = setup();
    let (mut index, _) = open(&ws);
    // Updated documents leave deleted records behind in the index until a merge; tantivy's
    // MoreLikeThisQuery panicked on those.
    for id in &ids {
        ws.set_status(id, DocStatus::InProgress, "ana").unwrap();
    }
    index.sync(&ws, &mut |_| {}).unwrap();
    let passage = "some units are returning to their bases";
    let found = index.similar(&ws, passage, Some(&ids[0]), 5).unwrap();
    assert!(!found.is_empty());
    assert!(found.iter().all(|p| p.passage.doc_id != ids[0]));
    let best = &found[0];
    assert_eq!(best.passage.doc_id, ids[1]);
    assert_eq!(
        best.passage.text,
        "Maj. Gen. Igor Konashenkov told reporters that some units are returning to their bases."
    );
    let chars: Vec<char> = ARTICLES[1].3.chars().collect();
    let at: String = chars[best.passage.start as usize..best.passage.end as usize]
        .iter()
        .collect();
    assert_eq!(at, best.passage.text);
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(
        found.iter().all(|p| p.passage.doc_id != ids[3]),
        "Geneva talks are not similar: {found:?}"
    );
    assert!(index.similar(&ws, "the of and", None, 5).is_err());
}

#[test]
fn the_background_worker_indexes_bursts_of_changes_in_few_commits() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use parallax_core::search::worker::IndexWorker;

    let (_dir, mut ws, ids) = setup();
    let syncs = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&syncs);
    let worker = IndexWorker::start(ws.root(), &mut |_| {}, move |outcome| {
        assert!(outcome.is_ok(), "{outcome:?}");
        counted.fetch_add(1, Ordering::SeqCst);
    })
    .unwrap();

    for (i, id) in ids.iter().cycle().take(40).enumerate() {
        let status = if i % 2 == 0 {
            DocStatus::Done
        } else {
            DocStatus::Skipped
        };
        ws.set_status(id, status, "ana").unwrap();
        worker.changed();
    }
    // All four documents changed; part may already be indexed if the burst paused.
    assert!(matches!(
        worker.flush().unwrap(),
        SyncOutcome::CaughtUp(1..=4) | SyncOutcome::UpToDate
    ));
    assert!(
        syncs.load(Ordering::SeqCst) < 40,
        "{} syncs",
        syncs.load(Ordering::SeqCst)
    );
    {
        let index = worker.index();
        let skipped = index
            .search_documents(&ws, "status:skipped", Page::default(), SortBy::Relevance)
            .unwrap();
        assert_eq!(skipped.total, 2); // odd turns fall on the second and fourth document
    }
    assert_eq!(worker.flush().unwrap(), SyncOutcome::UpToDate);
    drop(worker);
    // Its writer lock is released: another index handle can write.
    ws.set_status(&ids[0], DocStatus::New, "ana").unwrap();
    let (_, outcome) = open(&ws);
    assert_eq!(outcome, SyncOutcome::CaughtUp(1));
}

#[test]
fn a_span_deleted_since_the_last_commit_is_left_out_not_an_error() {
    let (_dir, mut ws, ids) = setup();
    let span = ws
        .add_span(
            NewSpan {
                doc_id: ids[0].clone(),
                start: 0,
                end: 5,
                label: "CLAIM".into(),
                ..NewSpan::default()
            },
            "ana",
        )
        .unwrap();
    let (index, _) = open(&ws);
    let before = index
        .search_spans(&ws, "label:CLAIM", Page::default())
        .unwrap();
    assert_eq!(before.hits.len(), 1);
    ws.delete_span(&span.id, "ana").unwrap();
    // The index has not seen the deletion yet.
    let after = index
        .search_spans(&ws, "label:CLAIM", Page::default())
        .unwrap();
    assert!(after.hits.is_empty(), "{:?}", after.hits);
}

#[test]
fn cancelling_a_rebuild_midway_leaves_an_index_that_the_next_open_rebuilds_whole() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let dataset = common::labelled_dataset(dir.path(), 1200);
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    ws.import_paths(
        &[dataset],
        &parallax_core::import::ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .unwrap();
    let cancel = AtomicBool::new(false);
    let mut cancelled_at = None;
    let err = SearchIndex::rebuild_cancellable(&ws, Some(&cancel), &mut |p: IndexProgress| {
        if p.done > 0 && cancelled_at.is_none() {
            cancelled_at = Some((p.done, p.total));
            cancel.store(true, Ordering::Relaxed);
        }
    })
    .err()
    .unwrap();
    assert!(matches!(err, Error::Cancelled), "{err}");
    let (done, total) = cancelled_at.unwrap();
    assert!(done < total, "cancelled at {done} of {total}");
    let (index, outcome) = open(&ws);
    assert!(matches!(outcome, SyncOutcome::Rebuilt(_)), "{outcome:?}");
    let hits = index
        .search_documents(&ws, "ministry", Page::default(), SortBy::Relevance)
        .unwrap();
    assert_eq!(hits.total, 1200);
}

#[test]
fn a_cancelled_rebuild_leaves_an_index_that_the_next_open_rebuilds() {
    use std::sync::atomic::AtomicBool;

    let (_dir, ws, _ids) = setup();
    let cancel = AtomicBool::new(true);
    let err = SearchIndex::rebuild_cancellable(&ws, Some(&cancel), &mut |_| {})
        .err()
        .unwrap();
    assert!(matches!(err, Error::Cancelled), "{err}");
    let (index, outcome) = open(&ws);
    assert!(matches!(outcome, SyncOutcome::Rebuilt(_)), "{outcome:?}");
    let hits = index
        .search_documents(&ws, "troops", Page::default(), SortBy::Relevance)
        .unwrap();
    assert!(hits.total > 0);
}

/// Takes the lock beside the index folder as a rebuild in another process holds it, until dropped.
fn hold_rebuild_lock(ws: &Workspace) -> std::fs::File {
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(ws.root().join(".parallax-index.lock"))
        .unwrap();
    lock.lock().unwrap();
    lock
}

/// A change to a document: its outlet, which `outlet:` searches.
fn set_outlet(ws: &mut Workspace, id: &str, outlet: &str) {
    let mut meta = ws.document(id).unwrap().summary.meta;
    meta.outlet = Some(outlet.into());
    ws.set_metadata(id, meta, "ana").unwrap();
}

#[test]
fn an_index_rebuilt_by_another_process_is_taken_up_by_the_one_open_before() {
    // The app holds its index open; `parallax reindex` (another process, here another
    // workspace handle) throws the folder away and builds it again. The app's next catch-up
    // must work on the new index, not write into it from its stale list of segments.
    let (dir, mut ws, ids) = setup();
    let (mut app, _) = open(&ws);
    let other = Workspace::open(dir.path().join("ws")).unwrap();
    SearchIndex::rebuild(&other, &mut |_| {}).unwrap();
    drop(other);
    set_outlet(&mut ws, &ids[0], "Rebuilt Wire");
    app.sync(&ws, &mut |_| {}).unwrap();
    assert_eq!(
        outlets(&app, &ws, "outlet:\"Rebuilt Wire\""),
        vec!["Rebuilt Wire".to_string()]
    );
    // What the app committed is an index the next process opens as it is, not rebuilds.
    drop(app);
    let (again, outcome) = open(&ws);
    assert_eq!(outcome, SyncOutcome::UpToDate);
    assert_eq!(
        outlets(&again, &ws, "outlet:\"Rebuilt Wire\""),
        vec!["Rebuilt Wire".to_string()]
    );
}

#[test]
fn catching_up_waits_while_another_process_rebuilds_and_then_takes_everything() {
    // While another process rebuilds the index (it holds the lock beside the folder), a
    // catch-up writes nothing (it would commit into the folder the rebuild is replacing) and
    // says the index is busy; the next one takes every change since.
    let (_dir, mut ws, ids) = setup();
    let (mut app, _) = open(&ws);
    let lock = hold_rebuild_lock(&ws);
    set_outlet(&mut ws, &ids[1], "Late Wire");
    assert_eq!(app.sync(&ws, &mut |_| {}).unwrap(), SyncOutcome::Busy);
    assert!(outlets(&app, &ws, "outlet:\"Late Wire\"").is_empty());
    lock.unlock().unwrap();
    assert_eq!(
        app.sync(&ws, &mut |_| {}).unwrap(),
        SyncOutcome::CaughtUp(1)
    );
    assert_eq!(
        outlets(&app, &ws, "outlet:\"Late Wire\""),
        vec!["Late Wire".to_string()]
    );
}

#[test]
fn the_background_worker_tries_again_after_a_rebuild_elsewhere_without_a_new_change() {
    use std::sync::{Arc, Mutex};

    use parallax_core::search::worker::{IndexWorker, RETRY};

    let (_dir, mut ws, ids) = setup();
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&outcomes);
    let worker = IndexWorker::start(ws.root(), &mut |_| {}, move |outcome| {
        seen.lock().unwrap().push(outcome.as_ref().ok().copied());
    })
    .unwrap();
    let lock = hold_rebuild_lock(&ws);
    set_outlet(&mut ws, &ids[2], "Retried Wire");
    worker.changed();
    // Polls what the worker reported (up to 30 s): the machine may be slow; nothing is timed.
    let wait_for = |what: &dyn Fn(&[Option<SyncOutcome>]) -> bool| {
        for _ in 0..300 {
            if what(&outcomes.lock().unwrap()) {
                return;
            }
            std::thread::sleep(RETRY / 10);
        }
    };
    wait_for(&|o| !o.is_empty());
    assert_eq!(outcomes.lock().unwrap()[0], Some(SyncOutcome::Busy));
    lock.unlock().unwrap();
    // No change since: the worker comes back on its own.
    wait_for(&|o| o.contains(&Some(SyncOutcome::CaughtUp(1))));
    assert!(
        outcomes
            .lock()
            .unwrap()
            .contains(&Some(SyncOutcome::CaughtUp(1))),
        "{:?}",
        outcomes.lock().unwrap()
    );
    let hits = worker
        .index()
        .search_documents(
            &ws,
            "outlet:\"Retried Wire\"",
            Page::default(),
            SortBy::Relevance,
        )
        .unwrap();
    assert_eq!(hits.total, 1);
}

#[test]
fn an_untitled_document_is_found_and_shown_by_its_derived_title() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    ws.insert_document(&NewDocument {
        text: "Ferry services resume after the storm\n\nBoats left the harbour on Monday.".into(),
        meta: DocMeta {
            source_file: Some("dataset.jsonl".into()),
            ..Default::default()
        },
        sha256: "ef".repeat(32),
    })
    .unwrap();
    let (index, _) = open(&ws);
    let hits = index
        .search_documents(&ws, "title:ferry", Page::default(), SortBy::Relevance)
        .unwrap()
        .hits;
    let titles: Vec<Option<&str>> = hits.iter().map(|h| h.title.as_deref()).collect();
    assert_eq!(titles, [Some("Ferry services resume after the storm")]);
}
