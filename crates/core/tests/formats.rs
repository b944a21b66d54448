//! Every export format, read back by the importer into a fresh workspace: what each format
//! carries comes back the same, and what it cannot carry is pinned here (and in
//! docs/formats.md). Real SQLite files, real folders.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use parallax_core::Workspace;
use parallax_core::export::{ExportFilter, ExportOptions, SplitBy, SplitSpec};
use parallax_core::formats::Format;
use parallax_core::import::ImportOptions;
use parallax_core::model::{DocMeta, DocStatus};
use parallax_core::store::{NewDocument, NewSpan};
use serde_json::{Map, Value, json};

const KYIV: &str = "🇺🇦 Kyiv — “Some units are returning to their bases,” said Maj. Gen. Igor Konashenkov.\n\nOver 100,000 troops remain near the border, officials said on Tuesday.";
const DAM: &str = "The Velska dam released water on Monday.\nThe agency’s director told reporters that “no village is at risk”, according to a statement.";
const PLAIN: &str = "A document with no annotations at all.";

fn cp(text: &str, needle: &str) -> (u32, u32) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let start = text[..byte].chars().count() as u32;
    (start, start + needle.chars().count() as u32)
}

fn span(
    ws: &mut Workspace,
    doc: &str,
    text: &str,
    needle: &str,
    label: &str,
    attrs: Value,
    who: &str,
) -> String {
    let (start, end) = cp(text, needle);
    let attrs: Map<String, Value> = attrs.as_object().cloned().unwrap_or_default();
    ws.add_span(
        NewSpan {
            doc_id: doc.into(),
            start,
            end,
            label: label.into(),
            attrs,
            note: None,
        },
        who,
    )
    .unwrap()
    .id
}

fn insert(ws: &mut Workspace, text: &str, outlet: &str, title: &str, file: &str) -> String {
    ws.insert_document(&NewDocument {
        text: text.into(),
        meta: DocMeta {
            title: Some(title.into()),
            outlet: Some(outlet.into()),
            published: Some("2022-02-15".into()),
            source_file: Some(file.into()),
            ..Default::default()
        },
        sha256: parallax_core::text::sha256_hex(text.as_bytes()),
    })
    .unwrap()
}

/// Three documents: spans after an emoji, nested and overlapping spans, a span across a line
/// break, relations, every attribute kind, a note, a document label, statuses.
fn fixture(root: &Path) -> Workspace {
    let mut ws = Workspace::init(root).unwrap();
    let mut schema = ws.schema().unwrap();
    schema.doc_labels.push(parallax_core::model::DocLabelDef {
        name: "relevant".into(),
        description: String::new(),
    });
    ws.update_schema(&schema, &[], "ana").unwrap();

    let kyiv = insert(
        &mut ws,
        KYIV,
        "kyiv-daily.example",
        "Troops return",
        "kyiv.txt",
    );
    let claim = span(
        &mut ws,
        &kyiv,
        KYIV,
        "Some units are returning to their bases",
        "CLAIM",
        json!({"type": "quote", "check_worthy": true, "stance": "reports"}),
        "ana",
    );
    let source = span(
        &mut ws,
        &kyiv,
        KYIV,
        "Maj. Gen. Igor Konashenkov",
        "SOURCE",
        json!({}),
        "ana",
    );
    let cue = span(&mut ws, &kyiv, KYIV, "said", "CUE", json!({}), "bo");
    let figure = span(
        &mut ws,
        &kyiv,
        KYIV,
        "Over 100,000 troops",
        "QUANTITY",
        json!({}),
        "ana",
    );
    let claim2 = span(
        &mut ws,
        &kyiv,
        KYIV,
        "Over 100,000 troops remain near the border",
        "CLAIM",
        json!({"type": "numerical", "check_worthy": false}),
        "ana",
    );
    ws.add_relation(&claim, &source, "attributed_to", "ana")
        .unwrap();
    ws.add_relation(&cue, &claim, "cue_of", "bo").unwrap();
    ws.add_relation(&figure, &claim2, "quantity_of", "ana")
        .unwrap();
    ws.update_span(
        &claim,
        parallax_core::store::SpanUpdate {
            note: Some(Some("check the ministry's statement".into())),
            ..Default::default()
        },
        "ana",
    )
    .unwrap();
    ws.set_doc_label(&kyiv, "relevant", true, "ana").unwrap();
    ws.set_status(&kyiv, DocStatus::Done, "ana").unwrap();

    let dam = insert(
        &mut ws,
        DAM,
        "valley-courier.example",
        "Dam release",
        "dam.txt",
    );
    // Across the line break.
    let across = span(
        &mut ws,
        &dam,
        DAM,
        "Monday.\nThe agency’s director",
        "EVIDENCE",
        json!({}),
        "bo",
    );
    let _ = across;
    let director = span(
        &mut ws,
        &dam,
        DAM,
        "The agency’s director",
        "SOURCE",
        json!({}),
        "bo",
    );
    let quote = span(
        &mut ws,
        &dam,
        DAM,
        "no village is at risk",
        "CLAIM",
        json!({"type": "quote"}),
        "bo",
    );
    ws.add_relation(&quote, &director, "attributed_to", "bo")
        .unwrap();
    ws.set_status(&dam, DocStatus::InProgress, "bo").unwrap();

    insert(&mut ws, PLAIN, "plain.example", "Plain", "plain.txt");
    ws
}

type SpanKey = (u32, u32, String);

/// A document as compared across a round trip.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Doc {
    text: String,
    spans: BTreeSet<(u32, u32, String)>,
    relations: BTreeSet<(SpanKey, SpanKey, String)>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Extras {
    title: Option<String>,
    outlet: Option<String>,
    status: DocStatus,
    doc_labels: BTreeSet<String>,
    /// (start, end, label) -> attrs as JSON text, note.
    details: BTreeSet<(u32, u32, String, String, Option<String>)>,
}

fn snapshot(ws: &Workspace) -> (Vec<Doc>, Vec<Extras>) {
    let mut docs = Vec::new();
    let mut extras = Vec::new();
    for d in ws.list_documents().unwrap() {
        let v = ws.document_view(&d.id).unwrap();
        let key = |id: &str| {
            let s = v.spans.iter().find(|s| s.id == id).unwrap();
            (s.start, s.end, s.label.clone())
        };
        docs.push(Doc {
            text: v.document.text.clone(),
            spans: v
                .spans
                .iter()
                .map(|s| (s.start, s.end, s.label.clone()))
                .collect(),
            relations: v
                .relations
                .iter()
                .map(|r| (key(&r.head), key(&r.child), r.label.clone()))
                .collect(),
        });
        extras.push(Extras {
            title: d.meta.title.clone(),
            outlet: d.meta.outlet.clone(),
            status: d.status,
            doc_labels: v.doc_labels.iter().map(|l| l.label.clone()).collect(),
            details: v
                .spans
                .iter()
                .map(|s| {
                    (
                        s.start,
                        s.end,
                        s.label.clone(),
                        Value::Object(s.attrs.clone()).to_string(),
                        s.note.clone(),
                    )
                })
                .collect(),
        });
    }
    docs.sort();
    extras.sort();
    (docs, extras)
}

fn export(ws: &Workspace, format: Format, out: &Path) -> parallax_core::export::ExportReport {
    let opts = ExportOptions {
        format,
        filter: ExportFilter::default(),
        split: None,
        seed: None,
    };
    ws.export(&opts, out, None, &mut |_, _| {}).unwrap()
}

fn reimport(
    tmp: &Path,
    name: &str,
    path: PathBuf,
    format: Option<Format>,
) -> (Workspace, parallax_core::import::ImportReport) {
    let mut ws = Workspace::init(tmp.join(name)).unwrap();
    let opts = ImportOptions {
        format,
        ..Default::default()
    };
    let report = ws.import_paths(&[path], &opts, None, &mut |_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    (ws, report)
}

fn round_trip(
    format: Format,
    file: &str,
) -> (
    Workspace,
    Workspace,
    parallax_core::import::ImportReport,
    PathBuf,
    tempfile::TempDir,
) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fixture(&tmp.path().join("ws"));
    let out = tmp.path().join(file);
    export(&ws, format, &out);
    for auto in [true, false] {
        let fmt = if auto {
            None
        } else {
            Some(format.read_back_as().expect("an importable format"))
        };
        let (back, report) = reimport(tmp.path(), &format!("back-{auto}"), out.clone(), fmt);
        if !auto {
            return (ws, back, report, out, tmp);
        }
        // Auto detection reads the same thing as the explicit format.
        assert_eq!(snapshot(&back).0.len(), 3, "{format:?} auto");
    }
    unreachable!()
}

#[test]
fn native_jsonl_round_trips_everything() {
    // Entities and groups too: crates/core/tests/cross_source.rs.
    let (ws, back, report, _, _tmp) = round_trip(Format::Jsonl, "out.jsonl");
    assert_eq!(snapshot(&back), snapshot(&ws));
    assert_eq!(report.imported.len(), 3);
    assert_eq!((report.spans, report.relations), (8, 4));
    // The fresh workspace lacked the document label the fixture added to its schema.
    assert_eq!(report.schema_added, ["document label relevant"]);
    // Annotators come back too.
    let docs = back.list_documents().unwrap();
    let kyiv = docs
        .iter()
        .find(|d| d.meta.title.as_deref() == Some("Troops return"))
        .unwrap();
    let who: BTreeSet<String> = back
        .spans(&kyiv.id)
        .unwrap()
        .into_iter()
        .map(|s| s.annotator)
        .collect();
    assert_eq!(who, BTreeSet::from(["ana".to_string(), "bo".to_string()]));
}

#[test]
fn a_native_export_whose_first_line_is_long_is_still_read_as_native() {
    // Format detection read the first 4 KB; a native line holds the article before the
    // `schema_version` that marks it, so a long article was read as doccano and lost its
    // spans. Every format that has a text key is checked, each with a long first document.
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let long = format!(
        "{KYIV}\n\n{}",
        "Officials said the drills went on. ".repeat(400)
    );
    let id = insert(&mut ws, &long, "Outlet", "Long", "long.txt");
    span(
        &mut ws,
        &id,
        &long,
        "Over 100,000 troops",
        "QUANTITY",
        json!({}),
        "ana",
    );
    for (format, file) in [
        (Format::Jsonl, "long.jsonl"),
        (Format::Spacy, "long-spacy.jsonl"),
        (Format::Doccano, "long-doccano.jsonl"),
    ] {
        let out = tmp.path().join(file);
        export(&ws, format, &out);
        let (back, report) = reimport(tmp.path(), &format!("back-{file}"), out, None);
        assert!(
            report.warnings.is_empty(),
            "{format:?}: {:?}",
            report.warnings
        );
        assert_eq!(report.spans, 1, "{format:?}");
        let doc = &back.list_documents().unwrap()[0];
        assert_eq!(back.spans(&doc.id).unwrap()[0].text, "Over 100,000 troops");
    }
}

#[test]
fn importing_the_same_export_twice_reports_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fixture(&tmp.path().join("ws"));
    let out = tmp.path().join("out.jsonl");
    export(&ws, Format::Jsonl, &out);
    let mut back = Workspace::init(tmp.path().join("back")).unwrap();
    back.import_paths(
        std::slice::from_ref(&out),
        &ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .unwrap();
    let again = back
        .import_paths(&[out], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!((again.imported.len(), again.duplicates.len()), (0, 3));
    assert_eq!(again.duplicates[1].line, Some(2));
    assert_eq!(back.document_count().unwrap(), 3);
}

#[test]
fn doccano_entities_round_trip_spans_and_relations() {
    let (ws, back, _, _, _tmp) = round_trip(Format::Doccano, "out.jsonl");
    assert_eq!(snapshot(&back).0, snapshot(&ws).0);
    // Lost: status, attributes, notes, document labels (doccano's JSONL has no place for them).
    let extras = snapshot(&back).1;
    assert!(
        extras
            .iter()
            .all(|e| e.status == DocStatus::New && e.doc_labels.is_empty())
    );
    assert!(
        extras
            .iter()
            .flat_map(|e| &e.details)
            .all(|d| d.3 == "{}" && d.4.is_none())
    );
}

#[test]
fn doccano_label_form_round_trips_spans_and_drops_relations() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fixture(&tmp.path().join("ws"));
    let out = tmp.path().join("out.jsonl");
    let report = export(&ws, Format::DoccanoLabel, &out);
    assert!(
        report.warnings.iter().any(|w| w.contains("4 × relation")),
        "{:?}",
        report.warnings
    );
    let line: Value =
        serde_json::from_str(fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    assert!(line["label"][0].is_array());
    let (back, _) = reimport(tmp.path(), "back", out, None);
    let (orig, got) = (snapshot(&ws).0, snapshot(&back).0);
    for (o, g) in orig.iter().zip(&got) {
        assert_eq!((&o.text, &o.spans), (&g.text, &g.spans));
        assert!(g.relations.is_empty());
    }
}

#[test]
fn spacy_round_trips_spans_and_relations_and_tokens_align_with_every_span() {
    let (ws, back, _, out, _tmp) = round_trip(Format::Spacy, "out.jsonl");
    assert_eq!(snapshot(&back).0, snapshot(&ws).0);
    for line in fs::read_to_string(out).unwrap().lines() {
        let task: Value = serde_json::from_str(line).unwrap();
        let tokens = task["tokens"].as_array().unwrap();
        for s in task["spans"].as_array().unwrap() {
            let (ts, te) = (
                s["token_start"].as_u64().unwrap() as usize,
                s["token_end"].as_u64().unwrap() as usize,
            );
            assert_eq!(tokens[ts]["start"], s["start"]);
            assert_eq!(tokens[te]["end"], s["end"], "token_end is inclusive");
        }
        for r in task["relations"].as_array().unwrap() {
            assert_eq!(r["head"], r["head_span"]["token_end"]);
        }
        assert_eq!(task["answer"], "accept");
        assert!(task["_input_hash"].is_i64() && task["_task_hash"].is_i64());
    }
}

#[test]
fn label_studio_uses_utf16_offsets_and_round_trips_spans_attributes_notes_and_relations() {
    let (ws, back, _, out, tmp) = round_trip(Format::LabelStudio, "out.json");
    assert_eq!(snapshot(&back).0, snapshot(&ws).0);
    let details = |w: &Workspace| -> BTreeSet<_> {
        snapshot(w).1.into_iter().flat_map(|e| e.details).collect()
    };
    assert_eq!(details(&back), details(&ws));
    // The flag is 2 code points but 4 UTF-16 units: offsets after it differ by 2.
    let tasks: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    let kyiv = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["data"]["title"] == "Troops return")
        .unwrap();
    let region = kyiv["annotations"][0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "labels" && r["value"]["labels"][0] == "SOURCE")
        .unwrap();
    let (s, _) = cp(KYIV, "Maj. Gen. Igor Konashenkov");
    assert_eq!(region["value"]["start"], json!(s + 2));
    assert_eq!(region["value"]["text"], "Maj. Gen. Igor Konashenkov");
    let config = fs::read_to_string(tmp.path().join("out.label_config.xml")).unwrap();
    assert!(config.contains("<Label value=\"CLAIM\""), "{config}");
    assert!(
        config.contains("<Relation value=\"attributed_to\"/>"),
        "{config}"
    );
    assert!(config.contains("<Choices name=\"type\""), "{config}");
}

#[test]
fn brat_round_trips_spans_relations_enum_attributes_and_notes() {
    let (ws, back, _, out, _tmp) = round_trip(Format::Brat, "brat");
    assert_eq!(snapshot(&back).0, snapshot(&ws).0);
    assert!(out.join("annotation.conf").is_file() && out.join("visual.conf").is_file());
    assert!(out.join("manifest.json").is_file());
    let ann = fs::read_to_string(out.join("dam.ann")).unwrap();
    // The span across the line break is two fragments.
    let (s, e) = cp(DAM, "Monday.\nThe agency’s director");
    let nl = s + "Monday.".chars().count() as u32;
    assert!(
        ann.contains(&format!("EVIDENCE {s} {nl};{} {e}\t", nl + 1)),
        "{ann}"
    );
    // Pinned losses: the `false` boolean; carried: enum values, `true`, notes.
    let details: BTreeSet<_> = snapshot(&back)
        .1
        .into_iter()
        .flat_map(|e| e.details)
        .collect();
    let (cs, ce) = cp(KYIV, "Some units are returning to their bases");
    let claim = details.iter().find(|d| (d.0, d.1) == (cs, ce)).unwrap();
    let attrs: Value = serde_json::from_str(&claim.3).unwrap();
    assert_eq!(
        attrs,
        json!({"type": "quote", "check_worthy": true, "stance": "reports"})
    );
    assert_eq!(claim.4.as_deref(), Some("check the ministry's statement"));
    let (ns, ne) = cp(KYIV, "Over 100,000 troops remain near the border");
    let numerical = details.iter().find(|d| (d.0, d.1) == (ns, ne)).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&numerical.3).unwrap(),
        json!({"type": "numerical"})
    );
}

#[test]
fn conll_keeps_tokens_and_non_overlapping_spans_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fixture(&tmp.path().join("ws"));
    let out = tmp.path().join("out.conll");
    let report = export(&ws, Format::Conll, &out);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("overlapping span")),
        "{:?}",
        report.warnings
    );
    let conll = fs::read_to_string(&out).unwrap();
    assert_eq!(conll.matches("-DOCSTART-").count(), 3);
    assert!(conll.contains("Konashenkov -X- _ I-SOURCE\n"), "{conll}");
    assert!(conll.contains("Maj. -X- _ B-SOURCE\n"), "{conll}");
    let (back, _) = reimport(tmp.path(), "back", out, None);
    // The text comes back as tokens joined by spaces: spans are compared by their text.
    let texts = |w: &Workspace| -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for d in w.list_documents().unwrap() {
            for s in w.spans(&d.id).unwrap() {
                out.insert((
                    s.text.split_whitespace().collect::<Vec<_>>().join(" "),
                    s.label,
                ));
            }
        }
        out
    };
    let got = texts(&back);
    assert!(
        got.contains(&("Maj. Gen. Igor Konashenkov".into(), "SOURCE".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("no village is at risk".into(), "CLAIM".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "Over 100,000 troops remain near the border".into(),
            "CLAIM".into()
        )),
        "{got:?}"
    );
}

#[test]
fn claims_export_has_one_line_per_claim_with_source_cue_figure_and_context() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fixture(&tmp.path().join("ws"));
    let out = tmp.path().join("claims.jsonl");
    export(&ws, Format::Claims, &out);
    let lines: Vec<Value> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let c = lines
        .iter()
        .find(|l| l["text"] == "Some units are returning to their bases")
        .unwrap();
    assert_eq!(c["sources"][0]["text"], "Maj. Gen. Igor Konashenkov");
    assert_eq!(c["cues"][0]["text"], "said");
    assert_eq!(c["outlet"], "kyiv-daily.example");
    assert_eq!(c["published"], "2022-02-15");
    assert_eq!(c["status"], "unverified");
    assert_eq!(c["attrs"]["type"], "quote");
    let ctx = c["context"]["text"].as_str().unwrap();
    assert!(
        ctx.starts_with("🇺🇦 Kyiv — “Some units") && ctx.ends_with("Konashenkov."),
        "{ctx}"
    );
    let chars: Vec<char> = KYIV.chars().collect();
    let (s, e) = (
        c["context"]["start"].as_u64().unwrap() as usize,
        c["context"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), ctx);
    let n = lines
        .iter()
        .find(|l| l["attrs"]["type"] == "numerical")
        .unwrap();
    assert_eq!(n["quantities"][0]["text"], "Over 100,000 troops");
}

#[test]
fn splits_write_parts_and_a_manifest_and_filters_narrow_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fixture(&tmp.path().join("ws"));
    let out = tmp.path().join("split");
    let opts = ExportOptions {
        format: Format::Jsonl,
        filter: ExportFilter::default(),
        split: Some(SplitSpec::parse("34/33/33", 5, SplitBy::Document).unwrap()),
        seed: None,
    };
    let report = ws.export(&opts, &out, None, &mut |_, _| {}).unwrap();
    assert_eq!(report.documents, 3);
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["split"]["seed"], 5);
    let parts = manifest["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 3);
    let mut total = 0;
    for p in parts {
        let path = out.join(p["path"].as_str().unwrap());
        let n = fs::read_to_string(&path).unwrap().lines().count();
        assert_eq!(p["documents"].as_u64().unwrap() as usize, n);
        total += n;
    }
    assert_eq!(total, 3);
    assert!(manifest["schema"]["span_labels"].is_array());

    let filtered = ExportOptions {
        format: Format::Jsonl,
        filter: ExportFilter {
            statuses: vec![DocStatus::Done, DocStatus::InProgress],
            labels: vec!["CLAIM".into(), "SOURCE".into()],
            annotators: vec!["bo".into()],
            ..Default::default()
        },
        split: None,
        seed: None,
    };
    let file = tmp.path().join("bo.jsonl");
    let r = ws.export(&filtered, &file, None, &mut |_, _| {}).unwrap();
    // bo annotated both documents (a cue in the first); only bo's CLAIM and SOURCE spans stay,
    // and only relations between them.
    assert_eq!((r.documents, r.spans, r.relations), (2, 2, 1));

    let bad = ExportOptions {
        format: Format::Jsonl,
        filter: ExportFilter {
            labels: vec!["NOPE".into()],
            ..Default::default()
        },
        split: None,
        seed: None,
    };
    let err = ws
        .export(&bad, &tmp.path().join("x.jsonl"), None, &mut |_, _| {})
        .unwrap_err();
    assert!(err.to_string().contains("NOPE"), "{err}");
    assert!(!tmp.path().join("x.jsonl").exists());
}

#[test]
fn bad_records_are_reported_by_line_and_the_rest_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mixed.jsonl");
    fs::write(
        &file,
        concat!(
            r#"{"text":"EU rejects German call","label":[[0,2,"ORG"],[3,99,"ORG"],[11,17,"MISC"]]}"#,
            "\n",
            "{not json\n",
            r#"{"text":"Peter Blackburn","entities":[{"id":1,"label":"PER","start_offset":0,"end_offset":15}],"relations":[{"id":1,"from_id":1,"to_id":9,"type":"x"}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(report.imported.len(), 2);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].line, Some(2));
    assert!(
        report.failed[0].reason.contains("not valid JSON"),
        "{}",
        report.failed[0].reason
    );
    let reasons: Vec<String> = report
        .warnings
        .iter()
        .map(|w| format!("{:?}: {}", w.line, w.reason))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("Some(1): span [3, 99) ORG") && r.contains("outside")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.starts_with("Some(3): relation x")),
        "{reasons:?}"
    );
    assert!(
        report.schema_added.contains(&"span label ORG".to_string()),
        "{:?}",
        report.schema_added
    );
    assert!(report.schema_added.contains(&"span label MISC".to_string()));
    assert_eq!(report.spans, 3);
    let schema = ws.schema().unwrap();
    assert!(schema.span_labels.iter().any(|l| l.name == "PER"));
}

#[test]
fn a_span_whose_text_does_not_match_is_left_out_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ls.json");
    fs::write(
        &file,
        r#"[{"data":{"text":"Kyiv said no"},"annotations":[{"result":[
            {"id":"a","from_name":"label","to_name":"text","type":"labels","value":{"start":0,"end":4,"text":"Kiev","labels":["SOURCE"]}},
            {"id":"b","from_name":"label","to_name":"text","type":"labels","value":{"start":5,"end":12,"text":"said no","labels":["CLAIM"]}}]}]}]"#,
    )
    .unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(report.spans, 1);
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].reason.contains("`Kiev`")
            && report.warnings[0].reason.contains("`Kyiv`")
    );
    assert_eq!(report.warnings[0].line, Some(1));
}

#[test]
fn csv_rows_import_and_brat_config_files_are_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("articles.csv"),
        "title,text,outlet\nA,First text.,x.example\nB,Second text.,y.example\n",
    )
    .unwrap();
    fs::write(dir.join("annotation.conf"), "[entities]\nX\n").unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report = ws
        .import_paths(&[dir], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(report.imported.len(), 2);
    assert_eq!(report.skipped.len(), 1);
    let docs = ws.list_documents().unwrap();
    assert_eq!(docs[1].meta.outlet.as_deref(), Some("y.example"));
}

#[test]
fn a_large_jsonl_file_imports_in_chunks_with_every_line_number_right() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("many.jsonl");
    // Lines for many chunks (a chunk is parsed while the one before is stored), a BOM, blank
    // lines, and bad lines in the first and the last chunks.
    let mut text = String::from("\u{feff}");
    for i in 1..=2600u32 {
        match i {
            7 | 2500 => text.push_str("{broken\n"),
            100 => text.push('\n'),
            _ => text.push_str(&format!(
                "{{\"text\":\"Document {i} says troops left.\",\"label\":[[0,8,\"DOC\"]]}}\n"
            )),
        }
    }
    fs::write(&file, text).unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let mut seen = Vec::new();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |p| {
            seen.push((p.files_done, p.documents_stored))
        })
        .unwrap();
    assert_eq!(report.imported.len(), 2597);
    // Progress after each stored chunk, not only at the end of the file.
    let within_file: Vec<usize> = seen
        .iter()
        .filter(|(files, _)| *files == 0)
        .map(|(_, docs)| *docs)
        .collect();
    assert!(within_file.len() >= 10, "{seen:?}");
    assert!(within_file.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&(1, 2597)));
    let bad: Vec<Option<u32>> = report.failed.iter().map(|f| f.line).collect();
    assert_eq!(bad, [Some(7), Some(2500)]);
    assert_eq!(report.imported.last().unwrap().line, Some(2600));
    let lines: Vec<u32> = report.imported.iter().filter_map(|d| d.line).collect();
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "stored in file order"
    );
    let ids: Vec<String> = ws
        .list_documents()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    let reported: Vec<String> = report.imported.iter().map(|d| d.doc_id.clone()).collect();
    assert_eq!(ids, reported, "the workspace lists them in file order too");
    assert_eq!(
        report.imported[0].line,
        Some(1),
        "the BOM does not hide the first line"
    );
    assert_eq!(report.spans, 2597);
    assert_eq!(report.schema_added, ["span label DOC"]);
}

#[test]
fn a_document_with_many_spans_and_relations_stores_every_one_as_the_file_says() {
    // 75 spans and 74 relations (of a type the import adds): stored by statements of 64, 8
    // and 1 rows.
    let words: Vec<String> = (0..75).map(|i| format!("w{i:02}")).collect();
    let text = words.join(" ");
    let entities: Vec<Value> = (0..75)
        .map(|i| json!({"id": 100 + i, "start_offset": i * 4, "end_offset": i * 4 + 3, "label": if i % 2 == 0 { "CLAIM" } else { "SOURCE" }}))
        .collect();
    let relations: Vec<Value> = (1..75)
        .map(|i| json!({"id": i, "from_id": 100 + i, "to_id": 100 + i - 1, "type": "next_to"}))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("dense.jsonl");
    let line = json!({"text": text, "entities": entities, "relations": relations});
    fs::write(&file, format!("{line}\n")).unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(
        (report.spans, report.relations),
        (75, 74),
        "{:?}",
        report.warnings
    );
    let doc = &report.imported[0].doc_id;
    let view = ws.document_view(doc).unwrap();
    let spans: Vec<(u32, u32, String, String)> = view
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.label.clone(), s.text.clone()))
        .collect();
    let expected: Vec<(u32, u32, String, String)> = (0..75u32)
        .map(|i| {
            let label = if i % 2 == 0 { "CLAIM" } else { "SOURCE" };
            (
                i * 4,
                i * 4 + 3,
                label.to_string(),
                words[i as usize].clone(),
            )
        })
        .collect();
    assert_eq!(spans, expected);
    let at: std::collections::HashMap<&str, u32> = view
        .spans
        .iter()
        .map(|s| (s.id.as_str(), s.start / 4))
        .collect();
    let mut links: Vec<(u32, u32)> = view
        .relations
        .iter()
        .map(|r| (at[r.head.as_str()], at[r.child.as_str()]))
        .collect();
    links.sort();
    assert_eq!(links, (1..75).map(|i| (i, i - 1)).collect::<Vec<_>>());
}

fn label_studio_task(i: u32) -> String {
    format!(
        r#"{{"data":{{"text":"🇺🇦 Task {i} says troops left."}},"annotations":[{{"completed_by":3,"result":[{{"id":"r{i}","from_name":"label","to_name":"text","type":"labels","value":{{"start":5,"end":9,"text":"Task","labels":["DOC"]}}}}]}}]}}"#
    )
}

#[test]
fn a_large_label_studio_list_imports_task_by_task_with_every_task_number_right() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("tasks.json");
    // More tasks than one chunk (512), a BOM, and a task that is not an object.
    let tasks: Vec<String> = (1..=1200u32)
        .map(|i| {
            if i == 600 {
                "42".into()
            } else {
                label_studio_task(i)
            }
        })
        .collect();
    fs::write(&file, format!("\u{feff}[\n{}\n]\n", tasks.join(",\n"))).unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(report.imported.len(), 1199);
    assert_eq!(report.spans, 1199);
    let bad: Vec<(Option<u32>, &str)> = report
        .failed
        .iter()
        .map(|f| (f.line, f.reason.as_str()))
        .collect();
    assert_eq!(bad, [(Some(600), "task is not a JSON object")]);
    assert_eq!(report.imported.last().unwrap().line, Some(1200));
    let doc = &report.imported[0];
    let view = ws.document_view(&doc.doc_id).unwrap();
    assert_eq!(view.spans[0].text, "Task", "UTF-16 offsets after the flag");
}

#[test]
fn broken_json_in_a_label_studio_list_keeps_the_tasks_before_and_names_the_task() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("tasks.json");
    let mut tasks: Vec<String> = (1..=700u32).map(label_studio_task).collect();
    tasks[599] = r#"{"data": {"text": "cut short"#.into();
    fs::write(&file, format!("[{}]", tasks.join(","))).unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    // Every task before the broken one, across the chunk boundary at 512.
    assert_eq!(report.imported.len(), 599);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].line, Some(600));
    assert!(
        report.failed[0]
            .reason
            .starts_with("task 600: not valid JSON"),
        "{}",
        report.failed[0].reason
    );
}
