//! Across outlets, on a real workspace and a real search index: three short articles from
//! three outlets carry the same ministry statement and a troop figure (one of them a different
//! figure), among articles that share their words but not their claims.

mod common;

use parallax_core::cross::{CompareFilter, ComparePages};
use parallax_core::export::{ExportFilter, ExportOptions};
use parallax_core::formats::Format;
use parallax_core::model::DocMeta;
use parallax_core::search::SearchIndex;
use parallax_core::store::{ClaimStatus, EntityEdit, GroupEdit, NewDocument, NewSpan, SourceKind};
use parallax_core::{Error, Workspace};

const WHO: &str = "tester";

/// (outlet, date, text); the claims and sources are found by their text below.
const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "northwire.example",
        "2022-02-15",
        "Some units of the southern and western military districts are returning to their bases \
         after completing drills, Igor Konashenkov said on Tuesday. \
         Russia has massed over 100,000 troops near Ukraine's borders, according to Western estimates.",
    ),
    (
        "eastgate.example",
        "2022-02-16",
        "Units of the southern and western military districts have completed their drills and are \
         returning to their bases, Maj. Gen. Igor Konashenkov told reporters. \
         Russia has deployed some 130,000 troops around Ukraine on three sides.",
    ),
    (
        "tidewater.example",
        "2022-02-15",
        "Some units from the southern and western military districts are heading back to their \
         bases after exercises, Konashenkov said in a statement. \
         Russia has gathered more than 100,000 troops near the Ukrainian border.",
    ),
    (
        "riverpost.example",
        "2022-02-15",
        "Diplomats met in Geneva to discuss security guarantees for Europe. The talks ended \
         without agreement on troops or missiles, officials said.",
    ),
    (
        "hillside.example",
        "2022-02-16",
        "Kyiv said its own units would continue drills near the border. Ukraine's defence \
         ministry said it had seen no withdrawal of Russian troops from the districts.",
    ),
    (
        "fieldnotes.example",
        "2022-02-14",
        "Farmers in the southern districts are returning to their fields after the floods, \
         regional officials said. Drills of new wells will start in March.",
    ),
];

struct Fixture {
    _dir: tempfile::TempDir,
    ws: Workspace,
    docs: Vec<String>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
        let docs = ARTICLES
            .iter()
            .enumerate()
            .map(|(i, (outlet, date, text))| {
                ws.insert_document(&NewDocument {
                    text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                    meta: DocMeta {
                        title: Some(format!("Article {i}")),
                        outlet: Some((*outlet).into()),
                        published: Some((*date).into()),
                        ..Default::default()
                    },
                    sha256: format!("{i:064}"),
                })
                .unwrap()
            })
            .collect();
        Fixture {
            _dir: dir,
            ws,
            docs,
        }
    }

    /// Labels the first occurrence of `quote` in document `doc` (code points).
    fn label(&mut self, doc: usize, quote: &str, label: &str) -> String {
        let text = self.ws.document(&self.docs[doc]).unwrap().text;
        let byte = text
            .find(quote)
            .unwrap_or_else(|| panic!("`{quote}` not in document {doc}"));
        let start = text[..byte].chars().count() as u32;
        let end = start + quote.chars().count() as u32;
        self.ws
            .add_span(
                NewSpan {
                    doc_id: self.docs[doc].clone(),
                    start,
                    end,
                    label: label.into(),
                    ..Default::default()
                },
                WHO,
            )
            .unwrap()
            .id
    }

    fn index(&self) -> SearchIndex {
        SearchIndex::rebuild(&self.ws, &mut |_| {}).unwrap()
    }
}

/// The three withdrawal claims, the three troop claims and the spokesman's three spellings.
struct Annotated {
    withdrawal: [String; 3],
    troops: [String; 3],
    sources: [String; 3],
    quantities: [String; 3],
}

fn annotate(f: &mut Fixture) -> Annotated {
    let withdrawal = [
        f.label(0, "Some units of the southern and western military districts are returning to their bases after completing drills", "CLAIM"),
        f.label(1, "Units of the southern and western military districts have completed their drills and are returning to their bases", "CLAIM"),
        f.label(2, "Some units from the southern and western military districts are heading back to their bases after exercises", "CLAIM"),
    ];
    let troops = [
        f.label(
            0,
            "Russia has massed over 100,000 troops near Ukraine's borders",
            "CLAIM",
        ),
        f.label(
            1,
            "Russia has deployed some 130,000 troops around Ukraine on three sides",
            "CLAIM",
        ),
        f.label(
            2,
            "Russia has gathered more than 100,000 troops near the Ukrainian border",
            "CLAIM",
        ),
    ];
    let sources = [
        f.label(0, "Igor Konashenkov", "SOURCE"),
        f.label(1, "Maj. Gen. Igor Konashenkov", "SOURCE"),
        f.label(2, "Konashenkov", "SOURCE"),
    ];
    let quantities = [
        f.label(0, "over 100,000 troops", "QUANTITY"),
        f.label(1, "some 130,000 troops", "QUANTITY"),
        f.label(2, "more than 100,000 troops", "QUANTITY"),
    ];
    for i in 0..3 {
        f.ws.add_relation(&withdrawal[i], &sources[i], "attributed_to", WHO)
            .unwrap();
    }
    Annotated {
        withdrawal,
        troops,
        sources,
        quantities,
    }
}

#[test]
fn similar_passages_rank_each_true_counterpart_first() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let index = f.index();
    for claims in [&a.withdrawal, &a.troops] {
        for (i, claim) in claims.iter().enumerate() {
            let found = index.claim_suggestions(&f.ws, claim, 5).unwrap();
            let top: Vec<&str> = found
                .iter()
                .take(2)
                .map(|s| s.passage.passage.doc_id.as_str())
                .collect();
            let mut want: Vec<&str> = (0..3)
                .filter(|&j| j != i)
                .map(|j| f.docs[j].as_str())
                .collect();
            let mut got = top.clone();
            got.sort();
            want.sort();
            assert_eq!(got, want, "claim {i}: {found:#?}");
            // The counterpart is already annotated: the suggestion names its span.
            let counterpart = found[0].span_id.as_ref().expect("annotated counterpart");
            assert!(claims.contains(counterpart));
        }
    }
}

#[test]
fn grouping_the_three_claims_flags_the_disagreeing_figure() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let group =
        f.ws.start_claim_group(
            &a.troops[..1],
            Some("Russia has massed troops near Ukraine"),
            WHO,
        )
        .unwrap();
    f.ws.set_claim_group(&a.troops[1..], Some(&group.id), WHO)
        .unwrap();
    let overviews = f.ws.group_overviews(&CompareFilter::default()).unwrap();
    assert_eq!(overviews.len(), 1);
    let g = &overviews[0];
    assert!(g.conflict);
    assert_eq!(g.members.len(), 3);
    let by_doc = |d: usize| {
        g.members
            .iter()
            .find(|m| m.passage.doc_id == f.docs[d])
            .unwrap()
    };
    assert_eq!(by_doc(1).figures[0].value, 130_000.0);
    assert_eq!(by_doc(1).figures[0].qualifier.as_deref(), Some("some"));
    assert_eq!(by_doc(0).figures[0].qualifier.as_deref(), Some("over"));
    assert!(by_doc(1).conflicting);
    // 100,000 disagrees with 130,000: every member is flagged against the odd one out.
    assert!(by_doc(0).conflicting && by_doc(2).conflicting);
    // First appearance: the two published on the 15th.
    assert!(by_doc(0).first && by_doc(2).first && !by_doc(1).first);
    assert_eq!(g.outlets.len(), 3);

    // A figure inside its claim and linked to it (`quantity_of`) counts once.
    f.ws.add_relation(&a.quantities[0], &a.troops[0], "quantity_of", WHO)
        .unwrap();
    let overviews = f.ws.group_overviews(&CompareFilter::default()).unwrap();
    let linked = overviews[0]
        .members
        .iter()
        .find(|m| m.span_id == a.troops[0])
        .unwrap();
    assert_eq!(linked.figures.len(), 1, "{:?}", linked.figures);
    f.ws.undo(WHO).unwrap();

    // Without the odd one out, "over 100,000" and "more than 100,000" agree.
    f.ws.set_claim_group(&a.troops[1..2], None, WHO).unwrap();
    let g = &f.ws.group_overviews(&CompareFilter::default()).unwrap()[0];
    assert!(!g.conflict);
    assert!(g.members.iter().all(|m| !m.conflicting));

    // Only disagreeing groups, on request.
    let conflicts = CompareFilter {
        conflicts_only: true,
        ..Default::default()
    };
    assert!(f.ws.group_overviews(&conflicts).unwrap().is_empty());
    let _ = a.quantities;
}

#[test]
fn a_suggested_passage_joins_the_group_and_is_annotated_if_needed() {
    let mut f = Fixture::new();
    let claim = f.label(
        0,
        "Russia has massed over 100,000 troops near Ukraine's borders",
        "CLAIM",
    );
    f.label(1, "some 130,000 troops", "QUANTITY");
    let index = f.index();
    let found = index.claim_suggestions(&f.ws, &claim, 5).unwrap();
    let best = found
        .iter()
        .find(|s| s.passage.passage.doc_id == f.docs[1])
        .expect("the 130,000 sentence");
    assert_eq!(best.span_id, None, "not annotated yet");
    let added =
        f.ws.group_claim_with_passage(
            &claim,
            &best.passage.passage.doc_id,
            best.passage.passage.start,
            best.passage.passage.end,
            false,
            WHO,
        )
        .unwrap();
    assert!(added.created_span);
    assert_eq!(added.doc_id, f.docs[1]);
    let new_span = f.ws.span(&added.span_id).unwrap();
    assert_eq!(new_span.label, "CLAIM");
    assert!(
        new_span.text.contains("some 130,000 troops"),
        "{}",
        new_span.text
    );
    let group = f.ws.span(&claim).unwrap().claim_group.expect("grouped");
    assert_eq!(added.group_id, group);
    assert_eq!(new_span.claim_group.as_deref(), Some(group.as_str()));
    assert_eq!(
        f.ws.claim_group(&group).unwrap().canonical,
        "Russia has massed over 100,000 troops near Ukraine's borders"
    );
    // One undo takes back the group, the grouping and the new span together.
    f.ws.undo(WHO).unwrap();
    assert!(matches!(
        f.ws.span(&added.span_id),
        Err(Error::SpanNotFound(_))
    ));
    assert_eq!(f.ws.span(&claim).unwrap().claim_group, None);
    assert!(f.ws.claim_groups().unwrap().is_empty());

    // The suggestion says where the new span went (the claim in the passage), and carries the
    // passage's paragraph to move its ends in.
    let chars: Vec<char> = ARTICLES[1].2.chars().collect();
    let slice = |a: u32, b: u32| chars[a as usize..b as usize].iter().collect::<String>();
    assert_eq!(
        slice(best.claim_start, best.claim_end),
        new_span.text,
        "the suggested extent is the one added"
    );
    let p = &best.passage.passage;
    assert!(best.context_start <= p.start);
    assert_eq!(
        slice(
            best.context_start,
            best.context_start + best.context.chars().count() as u32
        ),
        best.context
    );
    assert!(best.context.contains(&p.text));
    // An extent the analyst set is annotated as it is, not trimmed: here the whole passage.
    let exact =
        f.ws.group_claim_with_passage(&claim, &p.doc_id, p.start, p.end, true, WHO)
            .unwrap();
    assert_eq!(f.ws.span(&exact.span_id).unwrap().text, p.text);
    assert_ne!(p.text, new_span.text, "the suggested extent was trimmed");
    f.ws.undo(WHO).unwrap();

    // A passage outside the document is refused, and no group is left behind.
    let err =
        f.ws.group_claim_with_passage(&claim, &f.docs[1], 10_000, 10_010, false, WHO)
            .unwrap_err();
    assert!(matches!(err, Error::SpanOutOfBounds { .. }), "{err}");
    assert!(f.ws.claim_groups().unwrap().is_empty());
    assert_eq!(f.ws.span(&claim).unwrap().claim_group, None);
}

#[test]
fn entity_suggestions_link_the_three_spellings_of_one_name() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let kyiv = f.label(4, "Kyiv", "SOURCE");
    let officials = f.label(3, "officials", "SOURCE");
    let entity =
        f.ws.create_entity_from_span(&a.sources[0], None, SourceKind::Person, WHO)
            .unwrap();
    assert_eq!(entity.name, "Igor Konashenkov");
    for s in &a.sources[1..] {
        let found = f.ws.entity_suggestions(s, 5).unwrap();
        assert_eq!(found[0].entity.id, entity.id, "{found:?}");
        assert!(found[0].score > 0.85);
    }
    assert!(f.ws.entity_suggestions(&kyiv, 5).unwrap().is_empty());
    let mentions = f.ws.entity_mentions(&entity.id, 10).unwrap();
    let ids: Vec<&str> = mentions.iter().map(|m| m.span_id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{mentions:?}");
    assert!(ids.contains(&a.sources[1].as_str()) && ids.contains(&a.sources[2].as_str()));
    assert!(!ids.contains(&officials.as_str()));

    let all: Vec<String> = mentions.into_iter().map(|m| m.span_id).collect();
    f.ws.link_source_entity(&all, Some(&entity.id), WHO)
        .unwrap();
    let entity = f.ws.source_entity(&entity.id).unwrap();
    assert!(
        entity
            .aliases
            .contains(&"Maj. Gen. Igor Konashenkov".to_string())
    );
    assert!(entity.aliases.contains(&"Konashenkov".to_string()));

    // A claim's source entity is its attributed SOURCE's: the compare view filters by it.
    let group = f.ws.start_claim_group(&a.withdrawal, None, WHO).unwrap();
    let filter = CompareFilter {
        entity: Some(entity.id.clone()),
        ..Default::default()
    };
    let table = f.ws.compare_table(&filter).unwrap();
    assert_eq!(table.groups.len(), 1);
    assert_eq!(table.groups[0].group.id, group.id);
    assert!(
        table.groups[0]
            .members
            .iter()
            .all(|m| m.sources[0].entity.as_deref() == Some("Igor Konashenkov"))
    );
    let overview = f.ws.source_overviews().unwrap();
    assert_eq!(
        (
            overview[0].mentions,
            overview[0].claims,
            overview[0].documents
        ),
        (3, 3, 3)
    );

    // Only SOURCE spans name an entity; nothing changes on a refusal.
    let err =
        f.ws.link_source_entity(&[a.troops[0].clone()], Some(&entity.id), WHO)
            .unwrap_err();
    assert!(matches!(err, Error::InvalidLink(_)), "{err}");
    assert_eq!(f.ws.span(&a.troops[0]).unwrap().source_entity, None);
}

#[test]
fn merge_and_split_of_entities_are_undoable() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let igor =
        f.ws.create_entity_from_span(&a.sources[0], None, SourceKind::Person, WHO)
            .unwrap();
    let other =
        f.ws.create_entity_from_span(
            &a.sources[2],
            Some("Konashenkov (ministry)"),
            SourceKind::Person,
            WHO,
        )
        .unwrap();
    let merged =
        f.ws.merge_source_entities(&other.id, &igor.id, WHO)
            .unwrap();
    assert!(
        merged
            .aliases
            .contains(&"Konashenkov (ministry)".to_string())
    );
    assert_eq!(
        f.ws.span(&a.sources[2]).unwrap().source_entity.as_deref(),
        Some(igor.id.as_str())
    );
    assert_eq!(f.ws.source_entities().unwrap().len(), 1);
    f.ws.undo(WHO).unwrap();
    assert_eq!(f.ws.source_entities().unwrap().len(), 2);
    assert_eq!(
        f.ws.span(&a.sources[2]).unwrap().source_entity.as_deref(),
        Some(other.id.as_str())
    );
    assert_eq!(f.ws.source_entity(&igor.id).unwrap(), igor);
    f.ws.redo(WHO).unwrap();
    assert_eq!(f.ws.source_entities().unwrap().len(), 1);

    let split =
        f.ws.split_source_entity(&igor.id, &[a.sources[2].clone()], "Konashenkov junior", WHO)
            .unwrap();
    assert_eq!(
        f.ws.span(&a.sources[2]).unwrap().source_entity.as_deref(),
        Some(split.id.as_str())
    );
    assert_eq!(split.aliases, vec!["Konashenkov".to_string()]);
    let err =
        f.ws.split_source_entity(&igor.id, &[a.sources[2].clone()], "Again", WHO)
            .unwrap_err();
    assert!(matches!(err, Error::InvalidLink(_)), "{err}");
    assert_eq!(
        f.ws.source_entities().unwrap().len(),
        2,
        "a refused split adds nothing"
    );

    let edited =
        f.ws.update_source_entity(
            &igor.id,
            EntityEdit {
                kind: Some(SourceKind::Organisation),
                aliases: Some(vec![" Igor  K. ".into(), "Igor K.".into(), "".into()]),
                ..Default::default()
            },
            WHO,
        )
        .unwrap();
    assert_eq!(edited.aliases, vec!["Igor K.".to_string()]);
    assert_eq!(edited.kind, SourceKind::Organisation);
    f.ws.delete_source_entity(&igor.id, WHO).unwrap();
    assert_eq!(f.ws.span(&a.sources[0]).unwrap().source_entity, None);
    f.ws.undo(WHO).unwrap();
    assert_eq!(
        f.ws.span(&a.sources[0]).unwrap().source_entity.as_deref(),
        Some(igor.id.as_str())
    );
}

#[test]
fn group_verification_is_checked_and_merges_keep_evidence() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let g1 = f.ws.start_claim_group(&a.troops[..2], None, WHO).unwrap();
    let g2 = f.ws.start_claim_group(&a.troops[2..], None, WHO).unwrap();
    let err =
        f.ws.update_claim_group(
            &g1.id,
            GroupEdit {
                status: Some(ClaimStatus::Disputed),
                evidence: Some(vec!["ftp://example.org/x".into()]),
                ..Default::default()
            },
            WHO,
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidLink(_)), "{err}");
    assert_eq!(
        f.ws.claim_group(&g1.id).unwrap(),
        g1,
        "nothing half-written"
    );
    f.ws.update_claim_group(
        &g2.id,
        GroupEdit {
            status: Some(ClaimStatus::Disputed),
            evidence: Some(vec!["https://example.org/satellite".into()]),
            rationale: Some("Satellite images show no withdrawal.".into()),
            ..Default::default()
        },
        WHO,
    )
    .unwrap();
    let merged = f.ws.merge_claim_groups(&g2.id, &g1.id, WHO).unwrap();
    assert_eq!(
        merged.evidence,
        vec!["https://example.org/satellite".to_string()]
    );
    assert!(
        a.troops
            .iter()
            .all(|t| f.ws.span(t).unwrap().claim_group.as_deref() == Some(g1.id.as_str()))
    );
    // A SOURCE span is not a claim.
    let err =
        f.ws.set_claim_group(&[a.sources[0].clone()], Some(&g1.id), WHO)
            .unwrap_err();
    assert!(matches!(err, Error::InvalidLink(_)), "{err}");
    let statuses = CompareFilter {
        statuses: vec![ClaimStatus::Supported],
        ..Default::default()
    };
    assert!(f.ws.compare_table(&statuses).unwrap().groups.is_empty());
    let table = f.ws.compare_table(&CompareFilter::default()).unwrap();
    assert_eq!(table.groups.len(), 1);
    // The withdrawal claims are not grouped yet: listed to group next.
    assert_eq!(table.ungrouped.len(), 3);
    assert_eq!(table.ungrouped_total, 3);
    f.ws.delete_claim_group(&g1.id, WHO).unwrap();
    assert!(
        a.troops
            .iter()
            .all(|t| f.ws.span(t).unwrap().claim_group.is_none())
    );
    f.ws.undo(WHO).unwrap();
    assert!(
        a.troops
            .iter()
            .all(|t| f.ws.span(t).unwrap().claim_group.as_deref() == Some(g1.id.as_str()))
    );
}

#[test]
fn a_group_left_without_members_goes_and_comes_back_with_undo() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let first =
        f.ws.start_claim_group(&a.troops[..1], Some("Troops massed"), WHO)
            .unwrap();
    // Its only member moves to a new group: the first group is gone, in the same step.
    let second = f.ws.start_claim_group(&a.troops[..2], None, WHO).unwrap();
    assert!(matches!(
        f.ws.claim_group(&first.id),
        Err(Error::GroupNotFound(_))
    ));
    assert_eq!(f.ws.claim_groups().unwrap(), vec![second.clone()]);
    f.ws.undo(WHO).unwrap();
    assert_eq!(f.ws.claim_group(&first.id).unwrap(), first);
    assert_eq!(
        f.ws.span(&a.troops[0]).unwrap().claim_group.as_deref(),
        Some(first.id.as_str())
    );
    f.ws.set_claim_group(&a.troops[..1], None, WHO).unwrap();
    assert!(f.ws.claim_groups().unwrap().is_empty());
}

#[test]
fn the_entity_filter_applies_to_every_ungrouped_claim() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let entity =
        f.ws.create_entity_from_span(&a.sources[1], None, SourceKind::Person, WHO)
            .unwrap();
    let filter = CompareFilter {
        entity: Some(entity.id),
        ..Default::default()
    };
    let table = f.ws.compare_table(&filter).unwrap();
    let ids: Vec<&str> = table.ungrouped.iter().map(|m| m.span_id.as_str()).collect();
    assert_eq!(ids, [a.withdrawal[1].as_str()]);
    assert_eq!(table.ungrouped_total, 1);
    assert_eq!(
        f.ws.compare_table(&CompareFilter::default())
            .unwrap()
            .ungrouped_total,
        6
    );
}

#[test]
fn the_compare_view_is_sent_a_window_of_rows_at_a_time() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let troops =
        f.ws.start_claim_group(&a.troops, Some("Troops massed"), WHO)
            .unwrap();
    f.ws.start_claim_group(&a.withdrawal[..2], Some("Units return"), WHO)
        .unwrap();
    let filter = CompareFilter::default();
    let whole = f.ws.compare_table(&filter).unwrap();
    let mut pages = ComparePages::default();
    let opening = pages.open(&f.ws, &filter, 0, 1).unwrap();

    // Every row, lean, in the table's order (the widest spread first).
    let rows: Vec<(&str, u32, u32, bool)> = opening
        .rows
        .iter()
        .map(|r| (r.group.canonical.as_str(), r.claims, r.spread, r.conflict))
        .collect();
    assert_eq!(
        rows,
        [("Troops massed", 3, 3, true), ("Units return", 2, 2, false)]
    );
    assert_eq!(opening.rows[0].group, troops);
    // The members of the first row only, as the whole table has them.
    assert_eq!(opening.window.first, 0);
    assert_eq!(opening.window.members, [whole.groups[0].members.clone()]);
    assert_eq!(opening.columns, whole.columns);
    assert!(opening.no_outlet.is_empty());
    assert_eq!(
        opening.outlets,
        ["eastgate.example", "northwire.example", "tidewater.example"]
    );
    // Documents oldest first: two of the 15th (by outlet), then the 16th.
    let documents: Vec<(&str, Option<&str>)> = opening
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), d.published.as_deref()))
        .collect();
    assert_eq!(
        documents,
        [
            (f.docs[0].as_str(), Some("2022-02-15")),
            (f.docs[2].as_str(), Some("2022-02-15")),
            (f.docs[1].as_str(), Some("2022-02-16")),
        ]
    );
    assert_eq!(opening.ungrouped.len(), 1);
    assert_eq!(opening.ungrouped_total, 1);

    // Later rows as the view scrolls, cut at the end.
    let later = pages.rows(opening.generation, 1, 10);
    assert_eq!(later.first, 1);
    assert_eq!(later.members, [whole.groups[1].members.clone()]);
    assert!(pages.rows(opening.generation, 5, 10).members.is_empty());

    // Opened again (a filter, a change): rows asked for by the older opening come back empty,
    // naming the newer one.
    f.ws.set_claim_group(&a.withdrawal[2..], None, WHO).unwrap();
    // Opened where the view was scrolled to: that row's members come with it.
    let again = pages.open(&f.ws, &filter, 1, 50).unwrap();
    assert_ne!(again.generation, opening.generation);
    let stale = pages.rows(opening.generation, 0, 10);
    assert!(stale.members.is_empty());
    assert_eq!(stale.generation, again.generation);
    assert_eq!(again.window.first, 1);
    assert_eq!(again.window.members, [whole.groups[1].members.clone()]);
}

/// Exports the fixture's workspace in `format` and returns the file.
fn export_file(f: &Fixture, format: Format, seed: u64) -> std::path::PathBuf {
    let out = f
        ._dir
        .path()
        .join(format!("{}-{seed}.jsonl", format.name()));
    f.ws.export(
        &ExportOptions {
            format,
            filter: ExportFilter::default(),
            split: None,
            seed: Some(seed),
        },
        &out,
        None,
        &mut |_, _| {},
    )
    .unwrap();
    out
}

fn export(f: &Fixture, format: Format, seed: u64) -> Vec<serde_json::Value> {
    std::fs::read_to_string(export_file(f, format, seed))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn claims_and_claim_pairs_exports_hold_the_groups() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let entity =
        f.ws.create_entity_from_span(&a.sources[0], None, SourceKind::Person, WHO)
            .unwrap();
    f.ws.link_source_entity(&a.sources[1..], Some(&entity.id), WHO)
        .unwrap();
    let withdrawal = f.ws.start_claim_group(&a.withdrawal, None, WHO).unwrap();
    let troops = f.ws.start_claim_group(&a.troops, None, WHO).unwrap();

    let claims = export(&f, Format::Claims, 0);
    assert_eq!(claims.len(), 6);
    for line in &claims {
        let id = line["claim_id"].as_str().unwrap();
        let want = if a.troops.iter().any(|t| t == id) {
            &troops.id
        } else {
            &withdrawal.id
        };
        assert_eq!(line["group"]["id"].as_str(), Some(want.as_str()));
        if a.troops.iter().any(|t| t == id) {
            let figure = &line["quantities"][0]["figure"];
            assert!(figure["value"].as_f64().unwrap() >= 100_000.0, "{line}");
            assert_eq!(line["figures_disagree"], true);
        } else {
            assert_eq!(line["source_entities"][0], "Igor Konashenkov");
            assert_eq!(line["figures_disagree"], false);
        }
    }

    let pairs = export(&f, Format::ClaimPairs, 7);
    let positives: Vec<_> = pairs.iter().filter(|p| p["label"] == 1).collect();
    let negatives: Vec<_> = pairs.iter().filter(|p| p["label"] == 0).collect();
    assert_eq!(positives.len(), 6, "three pairs in each of two groups");
    assert!(positives.iter().all(|p| p["group_a"] == p["group_b"]));
    assert_eq!(negatives.len(), 6);
    assert!(negatives.iter().all(|p| p["group_a"] != p["group_b"]));
    let mut keys: Vec<(String, String)> = negatives
        .iter()
        .map(|p| {
            let (x, y) = (p["claim_a"].to_string(), p["claim_b"].to_string());
            if x < y { (x, y) } else { (y, x) }
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 6, "no negative twice");
    assert_eq!(
        export(&f, Format::ClaimPairs, 7),
        pairs,
        "same seed, same pairs"
    );
}

#[test]
fn native_jsonl_carries_entities_and_groups_to_another_workspace() {
    let mut f = Fixture::new();
    let a = annotate(&mut f);
    let entity =
        f.ws.create_entity_from_span(&a.sources[0], None, SourceKind::Person, WHO)
            .unwrap();
    f.ws.link_source_entity(&a.sources[1..], Some(&entity.id), WHO)
        .unwrap();
    let troops =
        f.ws.start_claim_group(&a.troops, Some("Troops massed"), WHO)
            .unwrap();
    f.ws.update_claim_group(
        &troops.id,
        GroupEdit {
            status: Some(ClaimStatus::Disputed),
            evidence: Some(vec!["https://example.org/satellite".into()]),
            ..Default::default()
        },
        WHO,
    )
    .unwrap();
    let out = export_file(&f, Format::Jsonl, 0);
    let summary = |ws: &Workspace| {
        let groups: Vec<_> = ws
            .group_overviews(&CompareFilter::default())
            .unwrap()
            .into_iter()
            .map(|g| (g.group, g.members.len(), g.conflict))
            .collect();
        let sources: Vec<_> = ws
            .source_overviews()
            .unwrap()
            .into_iter()
            .map(|s| (s.entity, s.mentions, s.claims))
            .collect();
        (groups, sources)
    };
    let mut back = Workspace::init(f._dir.path().join("back")).unwrap();
    let report = back
        .import_paths(
            std::slice::from_ref(&out),
            &Default::default(),
            None,
            &mut |_| {},
        )
        .unwrap();
    assert!(
        report.failed.is_empty() && report.warnings.is_empty(),
        "{report:?}"
    );
    assert_eq!(summary(&back), summary(&f.ws));
    // The import stores with foreign-key checks off (its references are right by
    // construction): every reference it wrote resolves.
    assert_eq!(
        common::broken_references(&f._dir.path().join("back")),
        Vec::<String>::new()
    );
    // Imported into the workspace that exported it: duplicates, and nothing changes.
    let before = summary(&f.ws);
    let again =
        f.ws.import_paths(&[out], &Default::default(), None, &mut |_| {})
            .unwrap();
    assert_eq!(again.imported.len(), 0);
    assert_eq!(summary(&f.ws), before);
}
