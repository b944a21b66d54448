//! The built-in demo workspace: five short invented reports of one invented event, with the
//! quirks of real input (date prefix, title/date/URL header, hard wraps, site boilerplate, curly
//! quotes, an emoji), imported through the normal text pipeline, plus example annotations
//! anchored by quote so that they survive changes to the import's normalisation.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::import::{ImportOptions, document_from_bytes};
use crate::model::DocStatus;
use crate::offsets::OffsetMap;
use crate::store::{ClaimStatus, GroupEdit, NewSpan, SourceKind, Workspace};

/// The demo articles: file name and content.
pub const FILES: &[(&str, &str)] = &[
    (
        "01_harbour_ledger.txt",
        include_str!("../demo/01_harbour_ledger.txt"),
    ),
    (
        "02_meridian_wire.txt",
        include_str!("../demo/02_meridian_wire.txt"),
    ),
    (
        "03_valley_courier.txt",
        include_str!("../demo/03_valley_courier.txt"),
    ),
    ("04_riverpost.txt", include_str!("../demo/04_riverpost.txt")),
    (
        "05_kestrel_daily.txt",
        include_str!("../demo/05_kestrel_daily.txt"),
    ),
];

const ANNOTATIONS: &str = include_str!("../demo/annotations.json");

#[derive(Deserialize)]
struct Annotations {
    annotator: String,
    spans: Vec<DemoSpan>,
    relations: Vec<DemoRelation>,
    entities: Vec<DemoEntity>,
    groups: Vec<DemoGroup>,
    status: HashMap<String, String>,
}

#[derive(Deserialize)]
struct DemoEntity {
    name: String,
    kind: SourceKind,
    spans: Vec<String>,
}

#[derive(Deserialize)]
struct DemoGroup {
    canonical: String,
    status: ClaimStatus,
    evidence: Vec<String>,
    rationale: String,
    spans: Vec<String>,
}

#[derive(Deserialize)]
struct DemoSpan {
    key: String,
    file: String,
    quote: String,
    occurrence: usize,
    label: String,
    #[serde(default)]
    attrs: Map<String, Value>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct DemoRelation {
    head: String,
    child: String,
    label: String,
}

fn demo_error(msg: String) -> Error {
    Error::Corrupt(format!("demo data: {msg}"))
}

/// Code point offsets of the `occurrence`-th (1-based) exact occurrence of `quote` in `text`.
fn find_occurrence(text: &str, quote: &str, occurrence: usize) -> Option<(u32, u32)> {
    let byte = text.match_indices(quote).nth(occurrence.checked_sub(1)?)?.0;
    let map = OffsetMap::new(text);
    let start = map.byte_to_cp(byte)?;
    let end = map.byte_to_cp(byte + quote.len())?;
    Some((start as u32, end as u32))
}

/// Creates the demo workspace in `root`, or opens it if it is already there.
pub fn open_or_create(root: &Path) -> Result<Workspace> {
    if root.join(crate::store::DB_FILE).is_file() {
        return Workspace::open(root);
    }
    let mut ws = Workspace::init(root)?;
    populate(&mut ws)?;
    Ok(ws)
}

/// Imports the demo articles and applies the example annotations.
pub fn populate(ws: &mut Workspace) -> Result<()> {
    let ann: Annotations = serde_json::from_str(ANNOTATIONS)?;
    let mut doc_ids = HashMap::new();
    for (name, content) in FILES {
        let doc = document_from_bytes(content.as_bytes(), name, &ImportOptions::default())
            .map_err(|e| demo_error(format!("{name}: {e}")))?;
        let id = ws.insert_document(&doc)?;
        doc_ids.insert(name.to_string(), (id, doc.text));
    }
    let mut span_ids = HashMap::new();
    for s in ann.spans {
        let (doc_id, text) = doc_ids
            .get(&s.file)
            .ok_or_else(|| demo_error(format!("span {} names unknown file {}", s.key, s.file)))?;
        let (start, end) = find_occurrence(text, &s.quote, s.occurrence).ok_or_else(|| {
            demo_error(format!(
                "span {}: `{}` not found in {}",
                s.key, s.quote, s.file
            ))
        })?;
        let span = ws.add_span(
            NewSpan {
                doc_id: doc_id.clone(),
                start,
                end,
                label: s.label,
                attrs: s.attrs,
                note: s.note,
            },
            &ann.annotator,
        )?;
        span_ids.insert(s.key, span.id);
    }
    for r in ann.relations {
        let id = |key: &str| {
            span_ids
                .get(key)
                .cloned()
                .ok_or_else(|| demo_error(format!("relation names unknown span {key}")))
        };
        ws.add_relation(&id(&r.head)?, &id(&r.child)?, &r.label, &ann.annotator)?;
    }
    let ids = |keys: &[String]| -> Result<Vec<String>> {
        keys.iter()
            .map(|k| {
                span_ids
                    .get(k)
                    .cloned()
                    .ok_or_else(|| demo_error(format!("unknown span {k}")))
            })
            .collect()
    };
    // Some spellings and claims are left for the suggestions to find.
    for e in &ann.entities {
        let entity = ws.create_source_entity(&e.name, e.kind, &[], &ann.annotator)?;
        ws.link_source_entity(&ids(&e.spans)?, Some(&entity.id), &ann.annotator)?;
    }
    for g in &ann.groups {
        let group = ws.start_claim_group(&ids(&g.spans)?, Some(&g.canonical), &ann.annotator)?;
        let edit = GroupEdit {
            status: Some(g.status),
            evidence: Some(g.evidence.clone()),
            rationale: Some(g.rationale.clone()),
            ..Default::default()
        };
        ws.update_claim_group(&group.id, edit, &ann.annotator)?;
    }
    for (file, status) in ann.status {
        let (doc_id, _) = doc_ids
            .get(&file)
            .ok_or_else(|| demo_error(format!("status names unknown file {file}")))?;
        let status = DocStatus::parse(&status).ok_or(Error::UnknownStatus(status))?;
        ws.set_status(doc_id, status, &ann.annotator)?;
    }
    // The example annotations are the starting point, not steps a user should undo.
    ws.clear_history()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_workspace_has_its_documents_and_annotations() {
        let dir = tempfile::tempdir().unwrap();
        let ws = open_or_create(dir.path()).unwrap();
        let docs = ws.list_documents().unwrap();
        assert_eq!(docs.len(), FILES.len());
        let spans: u32 = docs.iter().map(|d| d.span_count).sum();
        assert!(spans >= 20, "{spans} spans");
        for d in &docs {
            let text = ws.document(&d.id).unwrap().text;
            let map = OffsetMap::new(&text);
            for s in ws.spans(&d.id).unwrap() {
                assert_eq!(
                    map.slice(s.start as usize, s.end as usize),
                    Some(s.text.as_str())
                );
            }
        }
        // The header quirks went to metadata.
        let wire = docs
            .iter()
            .find(|d| d.meta.source_file.as_deref() == Some("02_meridian_wire.txt"))
            .unwrap();
        assert!(wire.meta.title.is_some());
        assert_eq!(wire.meta.published.as_deref(), Some("2025-03-14"));
        assert_eq!(wire.meta.outlet.as_deref(), Some("meridianwire.example"));
        // Claims grouped across outlets, one group with disagreeing figures.
        let groups = ws.group_overviews(&Default::default()).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].members.len(), 3);
        let residents = groups
            .iter()
            .find(|g| g.conflict)
            .expect("15,000 vs 12,000");
        assert_eq!(residents.members.len(), 2);
        assert_eq!(ws.source_entities().unwrap().len(), 2);
        // Documents without an outlet get a column each, named by their derived title (the
        // first sentence of these untitled files).
        let table = ws.compare_table(&Default::default()).unwrap();
        assert_eq!(
            table.columns,
            [
                "Officials in Vell confirmed on Friday that the Interior Ministry will begin a partial…",
                "Residents along Tarvesia’s River Maelin spent Friday filling sandbags and carrying…",
                "riverpost.example"
            ]
        );
        // Nothing to undo in a fresh demo.
        drop(ws);
        let mut ws = open_or_create(dir.path()).unwrap();
        assert!(matches!(ws.undo("me"), Err(Error::NothingToUndo)));
    }

    #[test]
    fn occurrences_count_from_one_in_code_points() {
        let text = "é said, é said";
        assert_eq!(find_occurrence(text, "said", 2), Some((10, 14)));
        assert_eq!(find_occurrence(text, "said", 3), None);
        assert_eq!(find_occurrence(text, "said", 0), None);
    }
}
