//! Importing real folders into a real workspace: encodings, bad files, duplicates, progress and
//! cancellation. Each file is stored whole or not at all.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use parallax_core::Workspace;
use parallax_core::import::{ImportOptions, ImportProgress, ImportReport};

const LATIN1_TEXT: &str = "Le café de la Défense a été fermé. Les élèves sont allés à l'école \
     près de la forêt, où l'on a déjà vu des soldats français.\n";

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

/// A folder with one file of each kind the issue names, plus a nested folder and a hidden file.
fn mixed_folder(root: &Path) -> PathBuf {
    let dir = root.join("incoming");
    fs::create_dir_all(dir.join("nested")).unwrap();
    fs::write(
        dir.join("binary.bin"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xFF, 0x00, 1, 2],
    )
    .unwrap();
    fs::write(dir.join("empty.txt"), b"").unwrap();
    let latin1: Vec<u8> = LATIN1_TEXT.chars().map(|c| c as u32 as u8).collect();
    fs::write(dir.join("latin1.txt"), latin1).unwrap();
    fs::write(
        dir.join("nested").join("utf16.txt"),
        utf16le_with_bom("Kyiv 🇺🇦 — “troops are returning,” the ministry said.\r\n"),
    )
    .unwrap();
    fs::write(dir.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    dir
}

fn import(ws: &mut Workspace, paths: &[PathBuf]) -> (ImportReport, Vec<ImportProgress>) {
    let mut seen = Vec::new();
    let report = ws
        .import_paths(paths, &ImportOptions::default(), None, &mut |p| {
            seen.push(p.clone())
        })
        .unwrap();
    (report, seen)
}

fn failure_names(report: &ImportReport) -> Vec<(String, String)> {
    report
        .failed
        .iter()
        .map(|f| {
            (
                f.path.file_name().unwrap().to_string_lossy().into_owned(),
                f.reason.clone(),
            )
        })
        .collect()
}

#[test]
fn a_mixed_folder_imports_the_text_files_and_names_the_bad_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mixed_folder(tmp.path());
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let (report, progress) = import(&mut ws, std::slice::from_ref(&dir));

    assert_eq!(report.imported.len(), 2, "{report:#?}");
    let failed = failure_names(&report);
    assert_eq!(failed.len(), 2, "{report:#?}");
    assert_eq!(failed[0].0, "binary.bin");
    assert!(failed[0].1.contains("binary"), "{}", failed[0].1);
    assert_eq!(failed[1].0, "empty.txt");
    assert!(failed[1].1.contains("empty"), "{}", failed[1].1);
    assert!(report.failed.iter().all(|f| f.path.starts_with(&dir)));
    assert!(report.duplicates.is_empty());

    let docs = ws.list_documents().unwrap();
    assert_eq!(docs.len(), 2);
    let latin = docs
        .iter()
        .find(|d| d.meta.source_file.as_deref() == Some("latin1.txt"))
        .unwrap();
    assert_eq!(ws.document(&latin.id).unwrap().text, LATIN1_TEXT.trim_end());
    assert_eq!(latin.meta.language.as_deref(), Some("fra"));

    let utf16 = docs
        .iter()
        .find(|d| d.meta.source_file.as_deref() == Some("nested/utf16.txt"))
        .unwrap();
    assert_eq!(
        ws.document(&utf16.id).unwrap().text,
        "Kyiv 🇺🇦 — “troops are returning,” the ministry said."
    );
    // char_len counts code points: each flag is two regional indicators.
    assert_eq!(utf16.char_len, 52); // 54 UTF-16 units, 64 bytes

    let last = progress.last().unwrap();
    assert_eq!((last.files_done, last.files_total), (4, 4));
    assert_eq!(last.bytes_done, last.bytes_total);
    assert!(
        progress
            .windows(2)
            .all(|w| w[0].files_done <= w[1].files_done)
    );
}

#[test]
fn importing_the_same_files_again_adds_nothing_and_reports_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mixed_folder(tmp.path());
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let (first, _) = import(&mut ws, std::slice::from_ref(&dir));

    // The same bytes under another name are still a duplicate.
    let copy = tmp.path().join("copy-of-latin1.txt");
    fs::copy(dir.join("latin1.txt"), &copy).unwrap();
    let (again, _) = import(&mut ws, &[dir.clone(), copy]);
    assert!(again.imported.is_empty(), "{again:#?}");
    assert_eq!(again.duplicates.len(), 3);
    assert_eq!(again.failed.len(), 2);
    let latin_id = &first
        .imported
        .iter()
        .find(|i| i.path.ends_with("latin1.txt"))
        .unwrap()
        .doc_id;
    assert!(
        again
            .duplicates
            .iter()
            .filter(|d| &d.existing_doc_id == latin_id)
            .count()
            == 2
    );
    assert_eq!(ws.document_count().unwrap(), 2);
}

#[test]
fn too_large_and_missing_files_are_reported_and_the_rest_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("huge.txt");
    // Sparse: the size is checked before anything is read.
    fs::File::create(&big)
        .unwrap()
        .set_len(parallax_core::import::MAX_FILE_BYTES + 1)
        .unwrap();
    let good = tmp.path().join("good.txt");
    fs::write(
        &good,
        "Moscow said on Tuesday that some troops were returning to base.\n",
    )
    .unwrap();
    let missing = tmp.path().join("not-there.txt");

    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let (report, _) = import(&mut ws, &[big.clone(), missing.clone(), good]);
    assert_eq!(report.imported.len(), 1);
    let reasons: Vec<(&Path, &str)> = report
        .failed
        .iter()
        .map(|f| (f.path.as_path(), f.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == missing && r.contains("cannot open"))
    );
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == big && r.contains("too large"))
    );
}

#[test]
fn a_cancelled_import_keeps_nothing_half_done() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    parallax_synth::write_corpus(&dir, 20, 7).unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let cancel = AtomicBool::new(true);
    let report = ws
        .import_paths(
            &[dir],
            &ImportOptions::default(),
            Some(&cancel),
            &mut |_| {},
        )
        .unwrap();
    assert!(report.cancelled);
    assert!(report.imported.is_empty());
    assert_eq!(ws.document_count().unwrap(), 0);
}

#[test]
fn cancelling_a_dataset_import_midway_keeps_every_stored_document_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let file = common::labelled_dataset(tmp.path(), 1300);
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    // Cancelled once the first documents are committed, while the rest are being read.
    let report = common::import_cancelled_when(&mut ws, std::slice::from_ref(&file), |p| {
        p.documents_stored > 0
    });
    assert!(report.cancelled);
    let stored = report.imported.len();
    assert!(0 < stored && stored < 1300, "{stored} of 1300 stored");
    // What the report names is there, with both spans of each document; nothing else is.
    assert_eq!(ws.document_count().unwrap() as usize, stored);
    assert_eq!(ws.stats().unwrap().spans as usize, 2 * stored);
    for imported in &report.imported {
        let view = ws.document_view(&imported.doc_id).unwrap();
        let line = imported.line.unwrap() as usize;
        let (text, spans) = common::labelled_text(line - 1);
        assert_eq!(view.document.text, text);
        let mut got: Vec<(usize, usize, String)> = view
            .spans
            .iter()
            .map(|s| (s.start as usize, s.end as usize, s.label.clone()))
            .collect();
        got.sort();
        let mut want: Vec<(usize, usize, String)> = spans
            .iter()
            .map(|&(s, e, l)| (s, e, l.to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "line {line}");
    }
    assert!(common::broken_references(ws.root()).is_empty());

    // The same import again completes it: what came in before is a duplicate.
    let again = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(again.duplicates.len(), stored);
    assert_eq!(again.imported.len(), 1300 - stored);
    assert_eq!(ws.stats().unwrap().spans, 2600);
}

#[test]
fn cancelling_a_folder_import_midway_keeps_the_files_stored_so_far() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    parallax_synth::write_corpus(&dir, 1100, 3).unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let report =
        common::import_cancelled_when(&mut ws, std::slice::from_ref(&dir), |p| p.files_done > 0);
    assert!(report.cancelled);
    let stored = report.imported.len();
    assert!(0 < stored && stored < 1100, "{stored} of 1100 stored");
    assert_eq!(ws.document_count().unwrap() as usize, stored);
    for imported in &report.imported {
        let on_disk = fs::read(&imported.path).unwrap();
        let doc = ws.document(&imported.doc_id).unwrap();
        // Whole: the stored text ends as the file's text does (headers become metadata).
        let last_line = String::from_utf8(on_disk).unwrap();
        let last_line = last_line
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .trim()
            .to_string();
        assert!(
            doc.text.trim_end().ends_with(&last_line),
            "{}",
            imported.path.display()
        );
    }
    let again = ws
        .import_paths(&[dir], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(again.duplicates.len(), stored);
    assert_eq!(ws.document_count().unwrap(), 1100);
}

#[test]
fn headers_become_metadata_and_unwrapping_can_be_turned_off() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("wrapped.txt");
    let wrapped = "Ukraine crisis: troops head back\n20220215\nhttps://www.example-news.com/world/ukraine-troops\n\n\
Russia's defence ministry said on Tuesday that some units of its armed forces\n\
were returning to their bases after completing exercises, in a move that\n\
Western officials said they would need to verify before drawing conclusions.\n\n\
The announcement came as diplomats met in Moscow for a second day of talks on\n\
the security guarantees that the Kremlin has demanded from NATO and the West.\n";
    fs::write(&file, wrapped).unwrap();

    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let (report, _) = import(&mut ws, std::slice::from_ref(&file));
    let doc = ws.document(&report.imported[0].doc_id).unwrap();
    assert_eq!(
        doc.summary.meta.title.as_deref(),
        Some("Ukraine crisis: troops head back")
    );
    assert_eq!(doc.summary.meta.published.as_deref(), Some("2022-02-15"));
    assert_eq!(doc.summary.meta.outlet.as_deref(), Some("example-news.com"));
    assert!(
        doc.text.starts_with("Russia's defence ministry"),
        "{}",
        doc.text
    );
    let paragraphs: Vec<&str> = doc.text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 2, "{:?}", doc.text);
    assert!(paragraphs.iter().all(|p| !p.contains('\n')));

    let mut raw = Workspace::init(tmp.path().join("ws2")).unwrap();
    let opts = ImportOptions {
        unwrap: false,
        outlet: Some("Example News".into()),
        ..Default::default()
    };
    let report = raw.import_paths(&[file], &opts, None, &mut |_| {}).unwrap();
    let doc = raw.document(&report.imported[0].doc_id).unwrap();
    assert_eq!(doc.text.matches('\n').count(), 5, "{:?}", doc.text);
    assert_eq!(doc.summary.meta.outlet.as_deref(), Some("Example News"));
}

#[test]
fn the_document_list_pages_filters_and_finds_a_document_s_position() {
    use parallax_core::model::{DocMeta, DocStatus};
    use parallax_core::store::{DocFilter, NewDocument};

    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    let ids: Vec<String> = (0..25)
        .map(|i| {
            ws.insert_document(&NewDocument {
                text: format!("Article {i}."),
                meta: DocMeta {
                    outlet: Some(
                        if i % 2 == 0 {
                            "even.example"
                        } else {
                            "odd.example"
                        }
                        .into(),
                    ),
                    ..DocMeta::default()
                },
                sha256: format!("{i:064}"),
            })
            .unwrap()
        })
        .collect();
    ws.set_status(&ids[4], DocStatus::Done, "ana").unwrap();
    ws.set_status(&ids[7], DocStatus::Done, "ana").unwrap();

    let all = DocFilter::default();
    let page = ws.list_documents_page(&all, 20, 10).unwrap();
    assert_eq!(page.total, 25);
    assert_eq!(page.docs.len(), 5);
    assert_eq!(page.docs[0].id, ids[20]);

    let even = DocFilter {
        outlet: Some("even.example".into()),
        ..DocFilter::default()
    };
    let page = ws.list_documents_page(&even, 0, 100).unwrap();
    assert_eq!(page.total, 13);
    assert!(
        page.docs
            .iter()
            .all(|d| d.meta.outlet.as_deref() == Some("even.example"))
    );
    assert_eq!(ws.document_position(&even, &ids[6]).unwrap(), Some(3));
    assert_eq!(ws.document_position(&even, &ids[7]).unwrap(), None);
    assert_eq!(ws.document_position(&all, &ids[7]).unwrap(), Some(7));

    let done = DocFilter {
        status: Some(DocStatus::Done),
        outlet: Some("odd.example".into()),
        assigned_to: None,
    };
    let page = ws.list_documents_page(&done, 0, 10).unwrap();
    assert_eq!(
        page.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
        [ids[7].clone()]
    );

    let facets = ws.document_facets().unwrap();
    assert_eq!((facets.total, facets.done), (25, 2));
    assert_eq!(facets.outlets, ["even.example", "odd.example"]);
}

/// A new workspace whose database has had `sql` run on it (a rule or a fault the importer
/// knows nothing of), in a folder kept as long as the first value.
fn workspace_where(sql: &str) -> (tempfile::TempDir, PathBuf, Workspace) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    let ws = Workspace::init(&root).unwrap();
    common::database(&root).execute_batch(sql).unwrap();
    (tmp, root, ws)
}

#[test]
fn a_document_the_database_refuses_is_left_out_and_the_rest_of_its_batch_is_stored() {
    // A rule the importer's own checks know nothing of: no two spans may quote "boom". A
    // batch is first stored in one go, where the refusal undoes the batch; the importer then
    // stores it again a document at a time.
    let (tmp, root, mut ws) =
        workspace_where("CREATE UNIQUE INDEX one_boom ON spans(quote) WHERE quote = 'boom'");
    let line = |text: &str, spans: serde_json::Value| {
        serde_json::json!({"text": text, "entities": spans, "relations": [
            {"id": 1, "from_id": 2, "to_id": 1, "type": "attributed_to"}
        ]})
        .to_string()
    };
    let span = |id: u32, start: u32, end: u32, label: &str| serde_json::json!({"id": id, "start_offset": start, "end_offset": end, "label": label});
    let file = tmp.path().join("batch.jsonl");
    // The refused document comes first: the annotator it creates (the importer's default) is
    // undone with it, and the next documents must not point at that annotator.
    let lines = [
        line(
            "boom and boom",
            serde_json::json!([span(1, 0, 4, "SOURCE"), span(2, 9, 13, "CLAIM")]),
        ),
        line(
            "Officials said the dam held.",
            serde_json::json!([span(1, 0, 9, "SOURCE"), span(2, 10, 27, "CLAIM")]),
        ),
        line(
            "The agency said no village is at risk.",
            serde_json::json!([span(1, 0, 10, "SOURCE"), span(2, 16, 37, "CLAIM")]),
        ),
    ];
    fs::write(&file, lines.join("\n")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    let lines_of = |items: Vec<Option<u32>>| items.into_iter().flatten().collect::<Vec<_>>();
    assert_eq!(
        lines_of(report.imported.iter().map(|i| i.line).collect()),
        [2, 3]
    );
    assert_eq!(
        lines_of(report.failed.iter().map(|f| f.line).collect()),
        [1]
    );
    assert!(
        report.failed[0].reason.contains("cannot be stored")
            && report.failed[0].reason.contains("UNIQUE"),
        "{}",
        report.failed[0].reason
    );
    // The documents stored in the first try were undone with it, not stored twice.
    assert!(report.duplicates.is_empty(), "{:?}", report.duplicates);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!((report.spans, report.relations), (4, 2));
    assert_eq!(ws.document_count().unwrap(), 2);
    for imported in &report.imported {
        let spans = ws.spans(&imported.doc_id).unwrap();
        assert_eq!(spans.len(), 2);
        assert!(
            spans.iter().all(|s| s.annotator == "anonymous"),
            "{spans:?}"
        );
    }
    assert_eq!(common::broken_references(&root), Vec::<String>::new());
    // Nothing of the refused document is left: no span quotes "boom".
    let booms: i64 = common::database(&root)
        .query_row("SELECT count(*) FROM spans WHERE quote = 'boom'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(booms, 0);
}

/// A native JSONL line (told apart from spaCy's by its `schema_version`) whose first four
/// characters are a SOURCE span linked to an entity named by them.
fn linked_line(text: &str) -> String {
    let name = &text[..4];
    serde_json::json!({
        "schema_version": 1,
        "text": text,
        "spans": [{"id": "s1", "start": 0, "end": 4, "label": "SOURCE",
                   "source_entity": format!("e-{name}")}],
        "entities": [{"id": format!("e-{name}"), "name": name, "kind": "person",
                      "aliases": [], "created_at": "2022-02-15T00:00:00Z"}],
    })
    .to_string()
}

#[test]
fn an_error_that_ends_the_transaction_fails_the_import_and_keeps_nothing_of_the_batch() {
    // As a full disk does, this rolls the whole transaction back.
    let (tmp, root, mut ws) = workspace_where(
        "CREATE TRIGGER doom BEFORE INSERT ON spans WHEN NEW.quote = 'Doom'
         BEGIN SELECT RAISE(ROLLBACK, 'the disk is full (simulated)'); END",
    );
    let file = tmp.path().join("doom.jsonl");
    let lines = [
        linked_line("Anna said the dam held."),
        linked_line("Doom said the dam broke."),
        linked_line("Omar said nothing."),
    ];
    fs::write(&file, lines.join("\n")).unwrap();
    let err = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("disk is full"), "{err}");
    // The first document was stored in the transaction that was rolled back, and the third
    // was not stored on its own after it.
    assert_eq!(ws.document_count().unwrap(), 0);
    assert_eq!(common::broken_references(&root), Vec::<String>::new());
    // The workspace goes on working: a later import stores and links.
    common::database(&root)
        .execute_batch("DROP TRIGGER doom")
        .unwrap();
    let file = tmp.path().join("anna.jsonl");
    fs::write(&file, linked_line("Anna said the dam held.")).unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!((report.imported.len(), report.spans), (1, 1));
    let spans = ws.spans(&report.imported[0].doc_id).unwrap();
    assert_eq!(spans[0].source_entity.as_deref(), Some("e-Anna"));
    assert_eq!(common::broken_references(&root), Vec::<String>::new());
}

#[test]
fn a_database_error_storing_an_entity_fails_its_document_not_just_the_link() {
    // Every insert of an entity now fails in the database (its trigger cannot be compiled).
    let (tmp, _root, mut ws) = workspace_where(
        "CREATE TRIGGER broken AFTER INSERT ON source_entities
         BEGIN INSERT INTO no_such_table VALUES (1); END",
    );
    let file = tmp.path().join("linked.jsonl");
    let plain =
        serde_json::json!({"schema_version": 1, "text": "Nobody said anything."}).to_string();
    fs::write(
        &file,
        [linked_line("Anna said the dam held."), plain].join("\n"),
    )
    .unwrap();
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(report.imported.len(), 1, "{report:?}");
    assert_eq!(report.imported[0].line, Some(2));
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].reason.contains("no such table"),
        "{}",
        report.failed[0].reason
    );
    assert_eq!(ws.document_count().unwrap(), 1);
}
