//! Teams on one corpus: a colleague's dataset of the same texts becomes their layer, documents
//! are shared out, and agreement is measured on hand-made cases whose figures are worked out
//! here by hand (the Python reference in tests/agreement checks the same code against
//! scikit-learn and `krippendorff`).

use std::fs;
use std::path::Path;

use parallax_core::Workspace;
use parallax_core::agreement::{AgreementOptions, AgreementReport};
use parallax_core::import::ImportOptions;
use parallax_core::model::DocMeta;
use parallax_core::store::{AssignOptions, MergeRule, Merged, NewDocument, NewSpan};

const TEXTS: [&str; 2] = [
    "Officials said the troops would return to their bases on Tuesday",
    "The ministry said some units had completed their drills near the border",
];

fn import(ws: &mut Workspace, path: &Path, annotator: &str) -> parallax_core::import::ImportReport {
    let opts = ImportOptions {
        annotator: annotator.into(),
        ..Default::default()
    };
    ws.import_paths(&[path.to_path_buf()], &opts, None, &mut |_| {})
        .unwrap()
}

/// A doccano file of the two texts with `spans[i]` as the labels of text `i`.
fn doccano(dir: &Path, name: &str, spans: [&[(u32, u32, &str)]; 2]) -> std::path::PathBuf {
    let lines: Vec<String> = TEXTS
        .iter()
        .zip(spans)
        .map(|(text, spans)| {
            let label: Vec<serde_json::Value> = spans
                .iter()
                .map(|(s, e, l)| serde_json::json!([s, e, l]))
                .collect();
            serde_json::json!({"text": text, "label": label}).to_string()
        })
        .collect();
    let path = dir.join(name);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn span_count(ws: &Workspace) -> u32 {
    ws.stats().unwrap().spans
}

#[test]
fn a_second_annotators_file_of_the_same_texts_becomes_their_layer_and_a_reimport_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let ana = doccano(
        tmp.path(),
        "ana.jsonl",
        [&[(0, 9, "SOURCE")], &[(4, 12, "SOURCE")]],
    );
    let ben = doccano(
        tmp.path(),
        "ben.jsonl",
        [&[(0, 9, "SOURCE"), (15, 63, "CLAIM")], &[]],
    );
    let first = import(&mut ws, &ana, "ana");
    assert_eq!(first.imported.len(), 2);
    let second = import(&mut ws, &ben, "ben");
    // Not refused as duplicates: ben's spans are ben's layer of the same documents.
    assert_eq!(second.imported.len(), 0);
    assert_eq!(second.layers.len(), 1, "{second:?}");
    assert_eq!(second.layers[0].added, vec!["ben".to_string()]);
    assert_eq!(second.layers[0].doc_id, first.imported[0].doc_id);
    // The second text has no spans of ben: nothing to add, a plain duplicate.
    assert_eq!(second.duplicates.len(), 1);
    assert_eq!(second.spans, 2);
    assert_eq!(ws.document_count().unwrap(), 2);
    let view = ws.document_view(&first.imported[0].doc_id).unwrap();
    let by = |who: &str| view.spans.iter().filter(|s| s.annotator == who).count();
    assert_eq!((by("ana"), by("ben")), (1, 2));
    // The same files again: every layer is there already, nothing changes.
    let spans = span_count(&ws);
    let again = import(&mut ws, &ben, "ben");
    assert!(again.layers.is_empty());
    assert_eq!(again.duplicates[0].layers_present, vec!["ben".to_string()]);
    let again = import(&mut ws, &ana, "ana");
    assert!(again.layers.is_empty() && again.imported.is_empty());
    assert_eq!(span_count(&ws), spans);
}

#[test]
fn a_label_studio_task_with_two_annotations_imports_as_two_layers_and_another_file_adds_a_third() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let text = TEXTS[0];
    let region = |id: &str, start: u32, end: u32, label: &str| {
        serde_json::json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": &text[start as usize..end as usize],
                      "labels": [label]}})
    };
    let tasks = serde_json::json!([{"data": {"text": text}, "annotations": [
        {"completed_by": 1, "result": [region("a", 0, 9, "SOURCE")]},
        {"completed_by": 2, "result": [region("b", 0, 9, "SOURCE"), region("c", 15, 63, "CLAIM")]}
    ]}]);
    let path = tmp.path().join("tasks.json");
    fs::write(&path, tasks.to_string()).unwrap();
    let report = import(&mut ws, &path, "lead");
    assert_eq!((report.imported.len(), report.spans), (1, 3));
    let doc = &report.imported[0].doc_id;
    let mut layers: Vec<String> = ws
        .document_view(doc)
        .unwrap()
        .spans
        .iter()
        .map(|s| s.annotator.clone())
        .collect();
    layers.dedup();
    assert_eq!(layers.len(), 2);
    let third = doccano(tmp.path(), "cleo.jsonl", [&[(10, 14, "CLAIM")], &[]]);
    let report = import(&mut ws, &third, "cleo");
    assert_eq!(report.layers[0].added, vec!["cleo".to_string()]);
    assert_eq!(report.layers[0].doc_id, *doc);
}

#[test]
fn label_studio_json_min_records_of_one_text_by_two_annotators_become_two_layers() {
    // JSON-MIN writes a record per annotation: the same task's text twice, each with its
    // annotator; the second is that annotator's layer, not a duplicate to skip.
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let text = TEXTS[0];
    let record = |annotator: &str, id: u32, start: usize, end: usize, label: &str| {
        serde_json::json!({"id": 1, "text": text, "annotator": annotator, "annotation_id": id,
            "label": [{"start": start, "end": end, "text": &text[start..end], "labels": [label]}]})
    };
    let records = serde_json::json!([
        record("ana@example.org", 1, 0, 9, "SOURCE"),
        record("ben@example.org", 2, 15, 64, "CLAIM"),
    ]);
    let path = tmp.path().join("min.json");
    fs::write(&path, records.to_string()).unwrap();
    let report = import(&mut ws, &path, "lead");
    assert_eq!(report.imported.len(), 1);
    assert!(report.duplicates.is_empty(), "{:?}", report.duplicates);
    let doc = &report.imported[0].doc_id;
    let mut layers: Vec<(String, String, String)> = ws
        .document_view(doc)
        .unwrap()
        .spans
        .into_iter()
        .map(|s| (s.annotator, s.label, s.text))
        .collect();
    layers.sort();
    assert_eq!(
        layers,
        vec![
            (
                "ana@example.org".into(),
                "SOURCE".into(),
                "Officials".into()
            ),
            (
                "ben@example.org".into(),
                "CLAIM".into(),
                "the troops would return to their bases on Tuesday".into()
            ),
        ]
    );
}

/// A workspace with the two texts and each annotator's spans, `(annotator, text, start, end,
/// label)`, added as the app adds them.
fn workspace(dir: &Path, spans: &[(&str, usize, u32, u32, &str)]) -> (Workspace, Vec<String>) {
    let mut ws = Workspace::init(dir.join("ws")).unwrap();
    let ids: Vec<String> = TEXTS
        .iter()
        .map(|t| {
            ws.insert_document(&NewDocument {
                text: t.to_string(),
                meta: DocMeta::default(),
                sha256: format!("{:064}", t.len()),
            })
            .unwrap()
        })
        .collect();
    for &(who, doc, start, end, label) in spans {
        ws.add_span(
            NewSpan {
                doc_id: ids[doc].clone(),
                start,
                end,
                label: label.into(),
                ..Default::default()
            },
            who,
        )
        .unwrap();
    }
    (ws, ids)
}

fn agreement(ws: &Workspace) -> AgreementReport {
    ws.agreement(&AgreementOptions::default()).unwrap()
}

#[test]
fn identical_layers_agree_fully_and_disjoint_ones_not_at_all() {
    let tmp = tempfile::tempdir().unwrap();
    let same = [
        ("ana", 0, 0, 9, "SOURCE"),
        ("ana", 0, 15, 63, "CLAIM"),
        ("ben", 0, 0, 9, "SOURCE"),
        ("ben", 0, 15, 63, "CLAIM"),
    ];
    let (ws, _) = workspace(tmp.path(), &same);
    let r = agreement(&ws);
    assert_eq!(r.documents, 1);
    assert_eq!(r.annotators, vec!["ana", "ben"]);
    let o = &r.overall;
    assert_eq!(
        (o.spans.exact_f1, o.spans.overlap_f1),
        (Some(1.0), Some(1.0))
    );
    assert_eq!((o.alpha, o.mean_kappa), (Some(1.0), Some(1.0)));
    assert_eq!(r.pairs.len(), 1);
    assert_eq!(r.pairs[0].spans.exact.matched, 2);

    let tmp = tempfile::tempdir().unwrap();
    let disjoint = [("ana", 0, 0, 9, "SOURCE"), ("ben", 0, 15, 63, "CLAIM")];
    let (ws, _) = workspace(tmp.path(), &disjoint);
    let r = agreement(&ws);
    assert_eq!(r.overall.spans.overlap_f1, Some(0.0));
    assert!(r.overall.alpha.unwrap() < 0.0, "{:?}", r.overall.alpha);
    assert_eq!(r.by_document[0].unmatched, 2);
}

#[test]
fn nested_and_overlapping_spans_match_by_overlap_but_not_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let spans = [
        // Nested: ben's claim inside ana's.
        ("ana", 0, 15, 63, "CLAIM"),
        ("ben", 0, 20, 40, "CLAIM"),
        // Overlapping: sharing "ministry".
        ("ana", 1, 0, 12, "SOURCE"),
        ("ben", 1, 4, 20, "SOURCE"),
    ];
    let (ws, _) = workspace(tmp.path(), &spans);
    let r = agreement(&ws);
    assert_eq!(r.documents, 2);
    let o = &r.overall.spans;
    assert_eq!((o.exact.matched, o.overlap.matched), (0, 2));
    assert_eq!((o.exact_f1, o.overlap_f1), (Some(0.0), Some(1.0)));
    let claim = r.by_label.iter().find(|l| l.label == "CLAIM").unwrap();
    // 20 of ana's 48 claim characters are ben's too: α is between none and full agreement.
    let alpha = claim.alpha.unwrap();
    assert!(0.0 < alpha && alpha < 1.0, "{alpha}");
}

#[test]
fn an_assigned_annotator_who_marked_nothing_is_an_empty_layer_that_disagrees() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, ids) = workspace(tmp.path(), &[("ana", 0, 0, 9, "SOURCE")]);
    // Nobody else took part: nothing to compare.
    assert_eq!(agreement(&ws).documents, 0);
    ws.set_assignees(&ids[0], &["ana".into(), "ben".into()], "lead")
        .unwrap();
    let r = agreement(&ws);
    assert_eq!(r.documents, 1);
    assert_eq!(r.annotators, vec!["ana", "ben"]);
    let p = &r.pairs[0];
    assert_eq!((p.spans.exact.first, p.spans.exact.second), (1, 0));
    assert_eq!(p.spans.exact_f1, Some(0.0));
    // Only ana says anything: no agreement beyond chance.
    assert!(p.kappa.unwrap().abs() < 1e-12, "{:?}", p.kappa);
}

#[test]
fn three_annotators_give_three_pairs_and_the_gold_layer_only_when_named() {
    let tmp = tempfile::tempdir().unwrap();
    let spans = [
        ("ana", 0, 0, 9, "SOURCE"),
        ("ben", 0, 0, 9, "SOURCE"),
        ("cleo", 0, 0, 10, "SOURCE"),
        ("gold", 0, 0, 9, "SOURCE"),
    ];
    let (ws, _) = workspace(tmp.path(), &spans);
    let r = agreement(&ws);
    assert_eq!(r.annotators, vec!["ana", "ben", "cleo"]);
    let pairs: Vec<(String, String, u32)> = r
        .pairs
        .iter()
        .map(|p| (p.first.clone(), p.second.clone(), p.spans.exact.matched))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("ana".into(), "ben".into(), 1),
            ("ana".into(), "cleo".into(), 0),
            ("ben".into(), "cleo".into(), 0),
        ]
    );
    // Exactly 1 of 3 pairs matches exactly; all 3 by overlap.
    assert_eq!(r.overall.spans.exact_f1, Some(1.0 / 3.0));
    assert_eq!(r.overall.spans.overlap_f1, Some(1.0));
    let named = ws
        .agreement(&AgreementOptions {
            annotators: vec!["gold".into(), "cleo".into()],
            labels: vec![],
        })
        .unwrap();
    assert_eq!(named.annotators, vec!["cleo", "gold"]);
    let unknown = ws.agreement(&AgreementOptions {
        annotators: vec!["nobody".into()],
        labels: vec![],
    });
    assert!(unknown.unwrap_err().to_string().contains("nobody"));
}

#[test]
fn documents_are_shared_out_by_length_with_a_seeded_overlap_and_undone_in_one_step() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    for i in 0..20 {
        ws.insert_document(&NewDocument {
            text: "word ".repeat(10 + i * 7),
            meta: DocMeta::default(),
            sha256: format!("{i:064}"),
        })
        .unwrap();
    }
    let opts = AssignOptions {
        annotators: vec!["ana".into(), "ben".into(), "cleo".into()],
        overlap: 0.25,
        per_doc: 2,
        seed: 7,
        statuses: vec![],
    };
    let report = ws.assign(&opts, "lead").unwrap();
    assert_eq!((report.documents, report.shared), (20, 5));
    let assigned = ws.assignments().unwrap();
    assert_eq!(assigned.len(), 20);
    assert_eq!(assigned.values().filter(|a| a.len() == 2).count(), 5);
    assert!(assigned.values().all(|a| !a.is_empty() && a.len() <= 2));
    // Balanced: the shares differ by less than the longest document.
    let chars: Vec<u64> = report.shares.iter().map(|s| s.characters).collect();
    let longest = 5 * (10 + 19 * 7) as u64;
    assert!(
        chars.iter().max().unwrap() - chars.iter().min().unwrap() <= longest,
        "{chars:?}"
    );
    // The same seed shares out the same way; the whole assignment is one undo step.
    ws.assign(&opts, "lead").unwrap();
    assert_eq!(ws.assignments().unwrap(), assigned);
    ws.undo("lead").unwrap();
    assert_eq!(ws.assignments().unwrap(), assigned);
    ws.undo("lead").unwrap();
    assert!(ws.assignments().unwrap().is_empty());
    let bad = AssignOptions {
        overlap: 1.5,
        ..opts.clone()
    };
    assert!(ws.assign(&bad, "lead").is_err());
    let gold = AssignOptions {
        annotators: vec!["gold".into()],
        ..opts
    };
    assert!(
        ws.assign(&gold, "lead")
            .unwrap_err()
            .to_string()
            .contains("curated")
    );
}

#[test]
fn curation_merges_what_all_agree_on_accepts_the_rest_and_gold_is_what_exports() {
    let tmp = tempfile::tempdir().unwrap();
    let spans = [
        ("ana", 0, 0, 9, "SOURCE"),
        ("ben", 0, 0, 9, "SOURCE"),
        ("cleo", 0, 0, 9, "SOURCE"),
        ("ana", 0, 15, 63, "CLAIM"),
        ("ben", 0, 15, 63, "CLAIM"),
        ("cleo", 0, 15, 40, "CLAIM"),
    ];
    let (mut ws, ids) = workspace(tmp.path(), &spans);
    let doc = &ids[0];
    let view = ws.document_view(doc).unwrap();
    let id_of = |who: &str, label: &str| {
        view.spans
            .iter()
            .find(|s| s.annotator == who && s.label == label)
            .unwrap()
            .id
            .clone()
    };
    ws.add_relation(
        &id_of("ana", "CLAIM"),
        &id_of("ana", "SOURCE"),
        "attributed_to",
        "ana",
    )
    .unwrap();
    let c = ws.curation(doc, "lead").unwrap();
    assert_eq!(c.annotators, vec!["ana", "ben", "cleo"]);
    assert_eq!(c.candidates.len(), 3);
    assert_eq!(c.candidates.iter().filter(|v| v.unanimous).count(), 1);

    // Unanimous: only the SOURCE every layer has.
    let merged = ws.merge_agreed(doc, MergeRule::Unanimous, "lead").unwrap();
    assert_eq!((merged.spans, merged.relations), (1, 0));
    // Majority: ana's and ben's CLAIM too, and ana's relation now that both ends are gold.
    let merged = ws.merge_agreed(doc, MergeRule::Majority, "lead").unwrap();
    assert_eq!((merged.spans, merged.relations), (1, 1));
    let gold: Vec<_> = ws
        .document_view(doc)
        .unwrap()
        .spans
        .into_iter()
        .filter(|s| s.annotator == "gold")
        .map(|s| (s.start, s.end, s.label))
        .collect();
    assert_eq!(
        gold,
        vec![(0, 9, "SOURCE".into()), (15, 63, "CLAIM".into())]
    );
    // Merging again adds nothing; accepting cleo's shorter claim adds it.
    assert_eq!(
        ws.merge_agreed(doc, MergeRule::Majority, "lead").unwrap(),
        Merged::default()
    );
    let accepted = ws
        .accept_into_gold(&id_of("cleo", "CLAIM"), "lead")
        .unwrap();
    assert_eq!(accepted.spans, 1);
    // Each action is one undo step, in the curator's name.
    let history = ws.history(3).unwrap();
    assert!(history.iter().all(|h| h.annotator == "lead"));
    ws.undo("lead").unwrap();
    let gold_spans = |ws: &Workspace| {
        ws.document_view(doc)
            .unwrap()
            .spans
            .iter()
            .filter(|s| s.annotator == "gold")
            .count()
    };
    assert_eq!(gold_spans(&ws), 2);

    // With gold in the workspace, an export holds gold alone unless asked for every layer.
    let out = tmp.path().join("gold.jsonl");
    let opts = parallax_core::export::ExportOptions {
        format: parallax_core::formats::Format::Jsonl,
        filter: Default::default(),
        split: None,
        seed: None,
    };
    ws.export(&opts, &out, None, &mut |_, _| {}).unwrap();
    let line: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    let exported: Vec<&str> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["annotator"].as_str().unwrap())
        .collect();
    assert_eq!(exported, vec!["gold", "gold"]);
    assert_eq!(line["relations"].as_array().unwrap().len(), 1);
    let mut all = opts.clone();
    all.filter.all_layers = true;
    ws.export(&all, &out, None, &mut |_, _| {}).unwrap();
    let line: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(line["spans"].as_array().unwrap().len(), 8);
}

#[test]
fn accepting_a_version_replaces_the_one_it_conflicts_with_and_a_rejected_one_stays_out() {
    let tmp = tempfile::tempdir().unwrap();
    let spans = [
        ("ana", 0, 0, 9, "SOURCE"),
        ("ben", 0, 0, 9, "SOURCE"),
        ("ana", 0, 15, 63, "CLAIM"),
        ("ben", 0, 15, 40, "CLAIM"),
        ("ben", 0, 41, 63, "SOURCE"),
    ];
    let (mut ws, ids) = workspace(tmp.path(), &spans);
    let doc = &ids[0];
    ws.assign(
        &AssignOptions {
            annotators: vec!["ana".into(), "ben".into()],
            overlap: 1.0,
            per_doc: 2,
            seed: 1,
            statuses: vec![],
        },
        "lead",
    )
    .unwrap();
    let id_of = |ws: &Workspace, who: &str, start: u32| {
        ws.document_view(doc)
            .unwrap()
            .spans
            .into_iter()
            .find(|s| s.annotator == who && s.start == start)
            .unwrap()
            .id
    };
    let open = |ws: &Workspace| {
        ws.curation(doc, "lead")
            .unwrap()
            .candidates
            .iter()
            .filter(|c| c.open())
            .map(|c| (c.start, c.end))
            .collect::<Vec<_>>()
    };
    assert_eq!(open(&ws), vec![(0, 9), (15, 40), (15, 63), (41, 63)]);
    ws.merge_agreed(doc, MergeRule::Unanimous, "lead").unwrap();
    assert_eq!(open(&ws), vec![(15, 40), (15, 63), (41, 63)]);

    // Accepting ana's claim settles ben's shorter one, which it conflicts with.
    ws.accept_into_gold(&id_of(&ws, "ana", 15), "lead").unwrap();
    assert_eq!(open(&ws), vec![(41, 63)]);
    // Accepting ben's instead puts it in place of ana's in gold.
    ws.accept_into_gold(&id_of(&ws, "ben", 15), "lead").unwrap();
    let gold: Vec<(u32, u32)> = ws
        .document_view(doc)
        .unwrap()
        .spans
        .iter()
        .filter(|s| s.annotator == "gold")
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(gold, vec![(0, 9), (15, 40)]);

    // A rejected version stays out of gold, even when a majority merge would take it.
    ws.reject_version(&id_of(&ws, "ben", 41), "lead").unwrap();
    assert!(open(&ws).is_empty());
    let c = ws.curation(doc, "lead").unwrap();
    assert!(c.candidates.iter().any(|c| c.start == 41 && c.rejected));
    ws.merge_agreed(doc, MergeRule::Majority, "lead").unwrap();
    assert!(
        ws.document_view(doc)
            .unwrap()
            .spans
            .iter()
            .all(|s| !(s.annotator == "gold" && s.start == 41))
    );
    // Rejecting gold's version takes it out; one undo puts it back.
    ws.reject_version(&id_of(&ws, "gold", 0), "lead").unwrap();
    assert!(
        ws.curation(doc, "lead").unwrap().candidates[0]
            .gold
            .is_none()
    );
    ws.undo("lead").unwrap();
    assert!(
        ws.curation(doc, "lead").unwrap().candidates[0]
            .gold
            .is_some()
    );

    // Finishing marks the document curated, and the team's progress counts it.
    ws.finish_curation(doc, true, "lead").unwrap();
    assert!(ws.curation(doc, "lead").unwrap().curated);
    let progress = ws.team_progress().unwrap();
    assert_eq!((progress.to_curate, progress.curated), (2, 1));
    ws.undo("lead").unwrap();
    assert_eq!(ws.team_progress().unwrap().curated, 0);
}

#[test]
fn an_annotators_status_is_their_own_and_counts_in_their_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, ids) = workspace(tmp.path(), &[("ana", 0, 0, 9, "SOURCE")]);
    ws.assign(
        &AssignOptions {
            annotators: vec!["ana".into(), "ben".into()],
            overlap: 1.0,
            per_doc: 2,
            seed: 1,
            statuses: vec![],
        },
        "lead",
    )
    .unwrap();
    ws.set_status(&ids[0], parallax_core::model::DocStatus::Done, "ana")
        .unwrap();
    ws.set_status(&ids[1], parallax_core::model::DocStatus::InProgress, "ben")
        .unwrap();
    let progress = ws.team_progress().unwrap();
    let of = |who: &str| {
        progress
            .annotators
            .iter()
            .find(|p| p.annotator == who)
            .cloned()
            .unwrap()
    };
    assert_eq!((of("ana").assigned, of("ana").done), (2, 1));
    assert_eq!((of("ben").in_progress, of("ben").done), (1, 0));
    let layers = ws.document_layers(&ids[0], "lead").unwrap();
    let status: Vec<(&str, &str, u32)> = layers
        .iter()
        .map(|l| (l.annotator.as_str(), l.status.as_str(), l.spans))
        .collect();
    assert_eq!(status, vec![("ana", "done", 1), ("ben", "new", 0)]);
    // Setting a status is one undo step for the document's and the annotator's: undoing ben's
    // takes back both.
    ws.undo("ben").unwrap();
    let progress = ws.team_progress().unwrap();
    assert_eq!(progress.annotators[1].in_progress, 0);
    assert_eq!(progress.annotators[0].done, 1);
    assert_eq!(
        ws.document_summary(&ids[1]).unwrap().status,
        parallax_core::model::DocStatus::New
    );
}

#[test]
fn blind_annotation_shows_each_annotator_their_own_layer_and_lets_only_curators_curate() {
    let tmp = tempfile::tempdir().unwrap();
    let spans = [("ana", 0, 0, 9, "SOURCE"), ("ben", 0, 15, 63, "CLAIM")];
    let (mut ws, ids) = workspace(tmp.path(), &spans);
    let doc = &ids[0];
    // The statistics count each layer's spans.
    assert_eq!(
        ws.stats().unwrap().spans_by_layer,
        vec![("ana".to_string(), 1), ("ben".to_string(), 1)]
    );
    let no_curator = parallax_core::store::TeamSettings {
        blind: true,
        curators: vec![" ".into()],
    };
    let err = ws.set_team_settings(&no_curator).unwrap_err();
    assert!(err.to_string().contains("curator"), "{err}");
    assert!(!ws.team_settings().unwrap().blind);
    let kept = ws
        .set_team_settings(&parallax_core::store::TeamSettings {
            blind: true,
            curators: vec![" lead ".into(), "lead".into()],
        })
        .unwrap();
    assert_eq!(kept.curators, vec!["lead"]);

    let seen = |ws: &Workspace, who: &str| -> Vec<String> {
        ws.document_view_as(doc, who)
            .unwrap()
            .spans
            .into_iter()
            .map(|s| s.annotator)
            .collect()
    };
    assert_eq!(seen(&ws, "ana"), vec!["ana"]);
    assert_eq!(seen(&ws, "ben"), vec!["ben"]);
    assert_eq!(seen(&ws, "lead"), vec!["ana", "ben"]);
    let layers: Vec<String> = ws
        .document_layers(doc, "ana")
        .unwrap()
        .into_iter()
        .map(|l| l.annotator)
        .collect();
    assert_eq!(layers, vec!["ana"]);
    let err = ws.curation(doc, "ana").unwrap_err();
    assert!(err.to_string().contains("blind"), "{err}");
    let before = ws.stats().unwrap().spans;
    assert!(ws.merge_agreed(doc, MergeRule::Majority, "ana").is_err());
    assert_eq!(ws.stats().unwrap().spans, before);
    assert!(ws.curation(doc, "lead").is_ok());

    // Open again, everyone sees every layer.
    ws.set_team_settings(&Default::default()).unwrap();
    assert_eq!(seen(&ws, "ana"), vec!["ana", "ben"]);
}
