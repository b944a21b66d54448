//! Editing the label schema of a workspace that has annotations.

use parallax_core::model::{AttrDef, AttrKind, DocMeta, LabelSchema, RelationType, SpanLabel};
use parallax_core::store::{NewDocument, NewSpan};
use parallax_core::{Error, Workspace};

fn setup() -> (tempfile::TempDir, Workspace, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    let doc = ws
        .insert_document(&NewDocument {
            text: "The ministry said troops would return.".into(),
            meta: DocMeta::default(),
            sha256: "0".repeat(64),
        })
        .unwrap();
    (dir, ws, doc)
}

fn label<'a>(schema: &'a mut LabelSchema, name: &str) -> &'a mut SpanLabel {
    schema
        .span_labels
        .iter_mut()
        .find(|l| l.name == name)
        .unwrap()
}

fn add(ws: &mut Workspace, doc: &str, label: &str) -> String {
    ws.add_span(
        NewSpan {
            doc_id: doc.into(),
            start: 0,
            end: 12,
            label: label.into(),
            ..NewSpan::default()
        },
        "ana",
    )
    .unwrap()
    .id
}

#[test]
fn renaming_a_label_keeps_its_spans_and_the_relation_types_that_name_it() {
    let (_dir, mut ws, doc) = setup();
    let span = add(&mut ws, &doc, "CLAIM");
    let mut schema = ws.schema().unwrap();
    let version = schema.version;
    label(&mut schema, "CLAIM").name = "ASSERTION".into();
    for r in &mut schema.relation_types {
        for l in r.heads.iter_mut().chain(r.children.iter_mut()) {
            if l == "CLAIM" {
                *l = "ASSERTION".into();
            }
        }
    }
    for a in &mut schema.attributes {
        for l in &mut a.labels {
            if l == "CLAIM" {
                *l = "ASSERTION".into();
            }
        }
    }
    let saved = ws
        .update_schema(&schema, &[("CLAIM".into(), "ASSERTION".into())], "ana")
        .unwrap();
    assert_eq!(saved.version, version + 1);
    assert_eq!(ws.span(&span).unwrap().label, "ASSERTION");
    let attributed = saved
        .relation_types
        .iter()
        .find(|r| r.name == "attributed_to")
        .unwrap();
    assert_eq!(attributed.heads, ["ASSERTION"]);
}

#[test]
fn two_labels_can_swap_hotkeys_and_names() {
    let (_dir, mut ws, doc) = setup();
    let claim = add(&mut ws, &doc, "CLAIM");
    let mut schema = ws.schema().unwrap();
    label(&mut schema, "CLAIM").hotkey = Some("2".into());
    label(&mut schema, "SOURCE").hotkey = Some("1".into());
    let saved = ws.update_schema(&schema, &[], "ana").unwrap();
    let key = |s: &LabelSchema, n: &str| {
        s.span_labels
            .iter()
            .find(|l| l.name == n)
            .unwrap()
            .hotkey
            .clone()
    };
    assert_eq!(key(&saved, "CLAIM").as_deref(), Some("2"));
    assert_eq!(key(&saved, "SOURCE").as_deref(), Some("1"));

    // Swap the names of CLAIM and SOURCE, with everything that names them.
    let mut schema = saved.clone();
    label(&mut schema, "CLAIM").name = "TMP".into();
    label(&mut schema, "SOURCE").name = "CLAIM".into();
    label(&mut schema, "TMP").name = "SOURCE".into();
    for r in &mut schema.relation_types {
        for l in r.heads.iter_mut().chain(r.children.iter_mut()) {
            *l = match l.as_str() {
                "CLAIM" => "SOURCE".into(),
                "SOURCE" => "CLAIM".into(),
                other => other.into(),
            };
        }
    }
    for a in &mut schema.attributes {
        for l in &mut a.labels {
            *l = match l.as_str() {
                "CLAIM" => "SOURCE".into(),
                "SOURCE" => "CLAIM".into(),
                other => other.into(),
            };
        }
    }
    ws.update_schema(
        &schema,
        &[
            ("CLAIM".into(), "SOURCE".into()),
            ("SOURCE".into(), "CLAIM".into()),
        ],
        "ana",
    )
    .unwrap();
    assert_eq!(ws.span(&claim).unwrap().label, "SOURCE");
}

#[test]
fn a_hotkey_clash_is_refused_and_nothing_changes() {
    let (_dir, mut ws, _doc) = setup();
    let before = ws.schema().unwrap();
    let mut schema = before.clone();
    label(&mut schema, "SOURCE").hotkey = Some("1".into());
    let err = ws.update_schema(&schema, &[], "ana").unwrap_err();
    assert!(
        matches!(&err, Error::InvalidSchema(m) if m.contains("hotkey `1` is used by two labels")),
        "{err}"
    );
    assert_eq!(ws.schema().unwrap(), before);
}

#[test]
fn a_label_with_spans_cannot_be_removed_but_an_unused_one_can() {
    let (_dir, mut ws, doc) = setup();
    add(&mut ws, &doc, "EVIDENCE");
    let before = ws.schema().unwrap();
    let mut schema = before.clone();
    schema.span_labels.retain(|l| l.name != "EVIDENCE");
    let err = ws.update_schema(&schema, &[], "ana").unwrap_err();
    assert!(
        err.to_string()
            .contains("label `EVIDENCE` is used by 1 annotation(s)"),
        "{err}"
    );
    assert_eq!(ws.schema().unwrap(), before);

    let mut schema = before.clone();
    schema.span_labels.retain(|l| l.name != "BOILERPLATE");
    let saved = ws.update_schema(&schema, &[], "ana").unwrap();
    assert!(saved.span_labels.iter().all(|l| l.name != "BOILERPLATE"));
}

#[test]
fn new_labels_relation_types_and_attributes_are_added_in_order() {
    let (_dir, mut ws, doc) = setup();
    let mut schema = ws.schema().unwrap();
    schema.span_labels.push(SpanLabel {
        name: "LOCATION".into(),
        color: "#123456".into(),
        hotkey: Some("l".into()),
        description: "A place.".into(),
    });
    schema.relation_types.push(RelationType {
        name: "located_in".into(),
        heads: vec!["CLAIM".into()],
        children: vec!["LOCATION".into()],
        directed: true,
        description: String::new(),
        required: true,
    });
    // Whether a relation is required is saved both ways.
    assert!(schema.relation_types[0].required);
    schema.relation_types[0].required = false;
    schema.attributes.push(AttrDef {
        name: "precision".into(),
        labels: vec!["LOCATION".into()],
        kind: AttrKind::Enum {
            options: vec!["city".into(), "country".into()],
        },
        description: String::new(),
    });
    let saved = ws.update_schema(&schema, &[], "ana").unwrap();
    assert_eq!(saved.span_labels.last().unwrap().name, "LOCATION");
    assert_eq!(saved.span_labels, schema.span_labels);
    assert_eq!(saved.relation_types, schema.relation_types);
    assert_eq!(saved.attributes, schema.attributes);
    // And it is usable at once.
    let claim = add(&mut ws, &doc, "CLAIM");
    let place = add(&mut ws, &doc, "LOCATION");
    ws.add_relation(&claim, &place, "located_in", "ana")
        .unwrap();
    ws.set_attribute(&place, "precision", "city".into(), "ana")
        .unwrap();
}

#[test]
fn renaming_onto_an_existing_label_is_refused() {
    let (_dir, mut ws, _doc) = setup();
    let schema = ws.schema().unwrap();
    let err = ws
        .update_schema(&schema, &[("CUE".into(), "SOURCE".into())], "ana")
        .unwrap_err();
    assert!(
        err.to_string().contains("a label `SOURCE` exists already"),
        "{err}"
    );
}
