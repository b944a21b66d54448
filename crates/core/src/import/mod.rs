//! Import of files and folders: plain text news files, and the dataset formats Parallax
//! exports (native JSONL, doccano, spaCy/Prodigy, Label Studio, brat, CoNLL) plus CSV. Files
//! are read and parsed in parallel, then stored in batches; each document is stored whole or
//! not at all, a bad file or record is reported by path and line with its reason and never
//! stops the others, a document whose content is already in the workspace is reported as a
//! duplicate, and labels the schema lacks are added (and reported).

#[cfg(test)]
mod full_disk_tests;
pub mod header;
pub mod text;
pub mod unwrap;

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;
use serde::Serialize;
use ts_rs::TS;

pub use text::document_from_bytes;

use crate::error::Result;
use crate::formats::read::{self, Records, line_reader, read_jsonl, text_of};
use crate::formats::{self, Format};
use crate::job::Job;
use crate::store::{AnnotatedDoc, DocOutcome, Stored, Workspace};

/// How files are turned into documents.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The format of every file; `None` decides per file by extension and content.
    pub format: Option<Format>,
    /// Text files: join hard-wrapped lines into paragraphs when the text looks hard-wrapped.
    pub unwrap: bool,
    /// The outlet for every document, instead of what the files say.
    pub outlet: Option<String>,
    /// CSV: the column holding the text.
    pub text_column: Option<String>,
    /// Who made the annotations a file names no annotator for.
    pub annotator: String,
    /// A file with any record or annotation that cannot be imported imports nothing (its
    /// problems are all reported), instead of importing the rest.
    pub strict: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            unwrap: true,
            outlet: None,
            text_column: None,
            annotator: crate::store::current_annotator(),
            strict: false,
        }
    }
}

/// Text files over this size are refused: news articles are kilobytes, not tens of megabytes.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Dataset files (many documents in one file) may be larger.
pub const MAX_DATASET_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Files parsed in parallel and stored in one transaction.
const BATCH: usize = 512;

/// A file that was imported.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Imported {
    pub path: PathBuf,
    /// The line (or task number) of the document in a dataset file.
    pub line: Option<u32>,
    pub doc_id: String,
}

/// A file whose content is already in the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Duplicate {
    pub path: PathBuf,
    pub line: Option<u32>,
    /// The document that already has this content.
    pub existing_doc_id: String,
    /// Annotators the file has annotations of, whose layers the document has already: not
    /// imported again (a name two people share would need `--annotator`).
    pub layers_present: Vec<String>,
}

/// Annotations of a document the workspace has (the same text), stored as the layers of
/// annotators it had none of: a colleague's work on the same texts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LayersAdded {
    pub path: PathBuf,
    pub line: Option<u32>,
    pub doc_id: String,
    /// The annotators whose layers were added.
    pub added: Vec<String>,
    /// Annotators whose layers the document had already: left as they were.
    pub present: Vec<String>,
}

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Failure {
    pub path: PathBuf,
    /// The line (or task number) in the file, when the problem is in one record.
    pub line: Option<u32>,
    pub reason: String,
}

impl Failure {
    fn file(path: &Path, reason: impl Into<String>) -> Failure {
        Failure {
            path: path.to_path_buf(),
            line: None,
            reason: reason.into(),
        }
    }
}

/// What an import did, file by file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub imported: Vec<Imported>,
    /// Layers added to documents the workspace had.
    pub layers: Vec<LayersAdded>,
    pub duplicates: Vec<Duplicate>,
    pub failed: Vec<Failure>,
    /// Annotations left out of documents that were imported (bad offsets, text that does not
    /// match, a relation the schema does not allow), each with its document's file and line.
    pub warnings: Vec<Failure>,
    /// Files left alone: brat configuration, export manifests.
    pub skipped: Vec<Failure>,
    /// Schema entries the import added, e.g. "span label ORG".
    pub schema_added: Vec<String>,
    pub spans: usize,
    pub relations: usize,
    /// The import was cancelled; the files listed above were handled before that.
    pub cancelled: bool,
}

/// What the files held that is not in the workspace after an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Files that could not be read at all.
    pub files: usize,
    /// Records (documents of a dataset file) that could not be read or stored.
    pub records: usize,
    /// Spans, relations, attributes and links left out of documents that were imported.
    pub annotations: usize,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        *self == LeftOut::default()
    }
}

impl ImportReport {
    /// What did not come in. Duplicates are not counted: their content is in the workspace.
    pub fn left_out(&self) -> LeftOut {
        let records = self.failed.iter().filter(|f| f.line.is_some()).count();
        LeftOut {
            files: self.failed.len() - records,
            records,
            annotations: self.warnings.len(),
        }
    }
}

/// Progress of a long import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub files_done: usize,
    pub files_total: usize,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    /// Documents stored (committed) so far, also within a file.
    pub documents_stored: usize,
}

/// An import under way: its report so far, and its job (progress told after each file and
/// after each transaction of documents, so that a large file shows progress; the cancel flag).
struct Run<'a> {
    report: ImportReport,
    job: Job<'a, ImportProgress>,
}

impl Run<'_> {
    /// Whether the import was cancelled; if so, the report says so.
    fn cancelled(&mut self) -> bool {
        let cancelled = self.job.cancel.requested();
        self.report.cancelled |= cancelled;
        cancelled
    }

    fn stored(&mut self, documents: usize) {
        self.job.progress.documents_stored += documents;
        self.job.tell();
    }

    fn file_done(&mut self, bytes: u64) {
        self.job.progress.files_done += 1;
        self.job.progress.bytes_done += bytes;
        self.job.tell();
    }
}

/// One file to import and the name it is stored under.
#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    /// Relative to the folder given, or the file name for a file given directly.
    name: String,
    size: u64,
}

/// Every file under the given paths, folders walked recursively in name order; hidden files
/// and folders (dot names) skipped. Paths that do not exist are failures.
fn collect(paths: &[PathBuf], failed: &mut Vec<Failure>) -> Vec<Entry> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<Entry>, failed: &mut Vec<Failure>) {
        let mut children = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .collect::<Vec<_>>(),
            Err(e) => {
                failed.push(Failure::file(dir, format!("cannot read the folder: {e}")));
                return;
            }
        };
        children.sort();
        for child in children {
            let hidden = child
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if child.is_dir() {
                walk(&child, base, out, failed);
            } else if let Ok(md) = child.metadata() {
                let name = child
                    .strip_prefix(base)
                    .unwrap_or(&child)
                    .to_string_lossy()
                    .into_owned();
                out.push(Entry {
                    path: child,
                    name,
                    size: md.len(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        match path.metadata() {
            Ok(md) if md.is_dir() => walk(path, path, &mut out, failed),
            Ok(md) => out.push(Entry {
                path: path.clone(),
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                size: md.len(),
            }),
            Err(e) => failed.push(Failure::file(path, format!("cannot open: {e}"))),
        }
    }
    out
}

/// The first bytes of a file, for format detection.
fn head(path: &Path) -> Vec<u8> {
    let mut buf = Vec::with_capacity(4096);
    let Ok(mut f) = std::fs::File::open(path) else {
        return buf;
    };
    let _ = (&mut f).take(4096).read_to_end(&mut buf);
    // A JSON line is told apart by its keys, and a native export's `schema_version` comes
    // after the text: read the whole first line (up to a bound), not only its start.
    let json = path.extension().is_some_and(|e| {
        ["jsonl", "ndjson", "json"]
            .iter()
            .any(|j| e.eq_ignore_ascii_case(j))
    });
    let mut line_ends = buf.contains(&b'\n');
    while json && !line_ends && buf.len() < MAX_SNIFFED_LINE {
        let before = buf.len();
        if (&mut f).take(1 << 20).read_to_end(&mut buf).is_err() || buf.len() == before {
            break;
        }
        line_ends = buf[before..].contains(&b'\n');
    }
    buf
}

/// How much of a JSON file's first line format detection reads.
const MAX_SNIFFED_LINE: usize = 64 << 20;

/// A file with the format it will be read in.
struct Planned {
    entry: Entry,
    format: Format,
}

/// Decides each file's format. Brat `.ann` files whose `.txt` is imported too are read with
/// it; files an import leaves alone are reported as skipped.
fn plan(entries: Vec<Entry>, opts: &ImportOptions, report: &mut ImportReport) -> Vec<Planned> {
    let paths: HashSet<PathBuf> = entries.iter().map(|e| e.path.clone()).collect();
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let format = match opts.format {
            _ if read::is_side_file(&entry.path) => None,
            None => read::detect(&entry.path, &head(&entry.path)),
            Some(f) => Some(f),
        };
        let Some(format) = format else {
            report.skipped.push(Failure::file(
                &entry.path,
                "brat configuration or an export's manifest / labeling config",
            ));
            continue;
        };
        let is_ann = entry.path.extension().is_some_and(|e| e == "ann");
        if format == Format::Brat && is_ann && paths.contains(&entry.path.with_extension("txt")) {
            continue; // read with its .txt
        }
        out.push(Planned { entry, format });
    }
    out
}

/// Whether a planned file is read a chunk at a time (`import_lines`, `import_label_studio`).
fn streams(planned: &Planned) -> bool {
    if line_reader(planned.format).is_some() {
        return true;
    }
    if planned.format != Format::LabelStudio {
        return false;
    }
    let mut head = [0u8; 64];
    let n = std::fs::File::open(&planned.entry.path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    formats::label_studio::streams(&head[..n])
}

fn parse(planned: &Planned, opts: &ImportOptions) -> Result<Records, String> {
    let entry = &planned.entry;
    let limit = match planned.format {
        Format::Text => MAX_FILE_BYTES,
        _ => MAX_DATASET_BYTES,
    };
    if entry.size > limit {
        return Err(format!(
            "too large ({:.1} MB; the limit is {} MB)",
            entry.size as f64 / 1e6,
            limit / 1024 / 1024
        ));
    }
    let bytes = if planned.format == Format::Brat {
        Vec::new() // the brat reader reads the pair itself
    } else {
        std::fs::read(&entry.path).map_err(|e| format!("cannot read: {e}"))?
    };
    read_file(planned.format, &entry.path, &entry.name, &bytes, opts)
}

/// Reads one file in `format` without storing anything: the documents it holds
/// with their annotations, and the records that failed. Brat reads `path` and its `.ann`.
pub fn read_file(
    format: Format,
    path: &Path,
    name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Records, String> {
    match (format, line_reader(format)) {
        (_, Some(reader)) => Ok(read_jsonl(&text_of(bytes)?, name, reader)),
        (Format::LabelStudio, _) => formats::label_studio::read(&text_of(bytes)?, name),
        (Format::Brat, _) => formats::brat::read(path, name),
        (Format::Conll, _) => Ok(formats::conll::read(&text_of(bytes)?, name)),
        (Format::Csv, _) => formats::csv::read(bytes, path, name, opts.text_column.as_deref()),
        // Plain text; JSONL formats always have a line reader and are taken above.
        _ => text::document_from_bytes(bytes, name, opts)
            .map(|doc| vec![Ok(AnnotatedDoc::new(None, doc))]),
    }
}

/// Documents stored in one transaction.
const DOCS_PER_TRANSACTION: usize = 512;

/// Lines of a JSONL file parsed together.
const LINES_PER_CHUNK: usize = DOCS_PER_TRANSACTION / 2;

/// A JSONL file read a chunk of non-blank lines at a time, each with its 1-based number.
struct LineChunks<R> {
    input: R,
    n: u32,
    at_end: bool,
}

impl<R: std::io::BufRead> LineChunks<R> {
    /// The next lines (none at the end). A read error is reported as a failure at its line;
    /// the lines before stay imported and the rest of the file cannot be read.
    fn next_chunk(&mut self, path: &Path, report: &mut ImportReport) -> Vec<(u32, Vec<u8>)> {
        let mut chunk = Vec::with_capacity(LINES_PER_CHUNK);
        while chunk.len() < LINES_PER_CHUNK && !self.at_end {
            let mut line = Vec::new();
            match self.input.read_until(b'\n', &mut line) {
                Ok(0) => self.at_end = true,
                Ok(_) => {
                    self.n += 1;
                    if !line.iter().all(u8::is_ascii_whitespace) {
                        chunk.push((self.n, line));
                    }
                }
                Err(e) => {
                    report.failed.push(Failure {
                        path: path.to_path_buf(),
                        line: Some(self.n + 1),
                        reason: format!("cannot read: {e}"),
                    });
                    self.at_end = true;
                }
            }
        }
        chunk
    }
}

/// A reader's records as the documents to store (with the outlet the import sets) and the
/// records that failed, each with its line.
fn split_records(
    path: &Path,
    records: Records,
    opts: &ImportOptions,
) -> (Vec<AnnotatedDoc>, Vec<Failure>) {
    let mut docs = Vec::with_capacity(records.len());
    let mut failed = Vec::new();
    for r in records {
        match r {
            Ok(mut d) => {
                if let Some(outlet) = &opts.outlet {
                    d.doc.meta.outlet = Some(outlet.clone());
                }
                docs.push(d);
            }
            Err(e) => failed.push(Failure {
                path: path.to_path_buf(),
                line: e.line,
                reason: e.reason,
            }),
        }
    }
    (docs, failed)
}

/// The records a parsing thread made; its panic is an error, not a crash of the import.
fn join_parsed(handle: std::thread::ScopedJoinHandle<'_, Records>) -> Result<Records> {
    handle
        .join()
        .map_err(|_| crate::Error::Corrupt("a thread parsing the file panicked".into()))
}

impl Workspace {
    /// Imports files and folders. `on_progress` is called after every file and every committed
    /// transaction of documents; setting `cancel` stops the import after the batch in hand
    /// (every file before it stays imported).
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        cancel: Option<&AtomicBool>,
        on_progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportReport> {
        if let Some(format) = opts.format {
            format.to_read()?;
        }
        let mut report = ImportReport::default();
        let entries = collect(paths, &mut report.failed);
        let planned = plan(entries, opts, &mut report);
        let progress = ImportProgress {
            files_done: 0,
            files_total: planned.len(),
            bytes_done: 0,
            bytes_total: planned.iter().map(|p| p.entry.size).sum(),
            documents_stored: 0,
        };
        let mut run = Run {
            report,
            job: Job::start(cancel, progress, on_progress),
        };
        for batch in planned.chunks(BATCH) {
            if run.cancelled() {
                break;
            }
            // JSONL files and lists of Label Studio tasks are read a chunk at a time below; the
            // rest whole, in parallel.
            let streamed: Vec<bool> = batch.iter().map(|p| !opts.strict && streams(p)).collect();
            let parsed: Vec<Option<Result<Records, String>>> = batch
                .par_iter()
                .zip(&streamed)
                .map(|(p, streamed)| (!streamed).then(|| parse(p, opts)))
                .collect();
            for (planned, records) in batch.iter().zip(parsed) {
                let path = &planned.entry.path;
                match (records, line_reader(planned.format)) {
                    (Some(Err(reason)), _) => run.report.failed.push(Failure::file(path, reason)),
                    (Some(Ok(records)), _) if opts.strict => {
                        self.store_file_whole(path, records, opts, &mut run)?
                    }
                    (Some(Ok(records)), _) => self.store_records(path, records, opts, &mut run)?,
                    (None, Some(reader)) => self.import_lines(planned, reader, opts, &mut run)?,
                    (None, None) => self.import_label_studio(planned, opts, &mut run)?,
                }
                run.file_done(planned.entry.size);
            }
        }
        Ok(run.report)
    }

    /// Imports a JSONL file a chunk of lines at a time, so that a file of any size imports in
    /// bounded memory. A chunk is parsed (in parallel) while the one before is stored.
    fn import_lines(
        &mut self,
        planned: &Planned,
        reader: read::LineReader,
        opts: &ImportOptions,
        run: &mut Run<'_>,
    ) -> Result<()> {
        let path = &planned.entry.path;
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                run.report
                    .failed
                    .push(Failure::file(path, format!("cannot read: {e}")));
                return Ok(());
            }
        };
        let mut lines = LineChunks {
            input: std::io::BufReader::with_capacity(1 << 20, file),
            n: 0,
            at_end: false,
        };
        let name = planned.entry.name.as_str();
        let parse = move |chunk: Vec<(u32, Vec<u8>)>| -> Records {
            chunk
                .par_iter()
                .map(|(n, bytes)| match std::str::from_utf8(bytes) {
                    Ok(line) => read::read_json_line(reader, *n, line, name),
                    Err(_) => Err(read::RecordError {
                        line: Some(*n),
                        reason: "not valid UTF-8 (JSONL files are UTF-8)".into(),
                    }),
                })
                .collect()
        };
        std::thread::scope(|scope| {
            let mut parsing = None;
            loop {
                let chunk = lines.next_chunk(path, &mut run.report);
                let next = (!chunk.is_empty()).then(|| scope.spawn(move || parse(chunk)));
                if let Some(parsed) = parsing.take() {
                    let records = join_parsed(parsed)?;
                    if run.cancelled() {
                        return Ok(());
                    }
                    self.store_records(path, records, opts, run)?;
                }
                match next {
                    Some(next) => parsing = Some(next),
                    None => return Ok(()),
                }
            }
        })
    }

    /// Imports a list of Label Studio tasks a chunk of tasks at a time, so that an export of
    /// any size imports in bounded memory (a whole one in memory takes about 8 times its size).
    fn import_label_studio(
        &mut self,
        planned: &Planned,
        opts: &ImportOptions,
        run: &mut Run<'_>,
    ) -> Result<()> {
        use std::io::{Seek, SeekFrom};
        let path = &planned.entry.path;
        let opened = std::fs::File::open(path).and_then(|mut f| {
            // A UTF-8 byte order mark is skipped; `streams` let nothing else through.
            let mut bom = [0u8; 3];
            let n = f.read(&mut bom)?;
            if bom[..n] != *b"\xEF\xBB\xBF" {
                f.seek(SeekFrom::Start(0))?;
            }
            Ok(f)
        });
        let file = match opened {
            Ok(f) => f,
            Err(e) => {
                run.report
                    .failed
                    .push(Failure::file(path, format!("cannot read: {e}")));
                return Ok(());
            }
        };
        let name = planned.entry.name.clone();
        let read =
            formats::label_studio::read_stream(file, &name, DOCS_PER_TRANSACTION, &mut |records| {
                if run.cancelled() {
                    return Err(crate::Error::Cancelled);
                }
                self.store_records(path, records, opts, run)
            });
        match read {
            // Cancelled between chunks: what was stored stays, as for JSONL.
            Err(crate::Error::Cancelled) => Ok(()),
            Err(e) => Err(e),
            Ok(Err(bad)) => {
                run.report.failed.push(Failure {
                    path: path.clone(),
                    line: bad.line,
                    reason: bad.reason,
                });
                Ok(())
            }
            Ok(Ok(())) => Ok(()),
        }
    }

    /// Stores what a reader made of (part of) a file: records that failed are reported with
    /// their line, documents stored a transaction's worth at a time.
    fn store_records(
        &mut self,
        path: &Path,
        records: Records,
        opts: &ImportOptions,
        run: &mut Run<'_>,
    ) -> Result<()> {
        let (docs, failed) = split_records(path, records, opts);
        run.report.failed.extend(failed);
        self.extend_schema_for(&docs, &mut run.report)?;
        for (i, chunk) in docs.chunks(DOCS_PER_TRANSACTION).enumerate() {
            if i > 0 && run.cancelled() {
                break;
            }
            let before = run.report.imported.len();
            self.store_documents(path, chunk, opts, &mut run.report)?;
            run.stored(run.report.imported.len() - before);
        }
        Ok(())
    }

    /// `strict`: stores a whole file in one transaction, with the schema entries it adds, or
    /// nothing of it when any record or annotation cannot be imported; then every problem is
    /// reported with its line, and the file as a failure of its own.
    fn store_file_whole(
        &mut self,
        path: &Path,
        records: Records,
        opts: &ImportOptions,
        run: &mut Run<'_>,
    ) -> Result<()> {
        let (docs, mut problems) = split_records(path, records, opts);
        for d in &docs {
            for w in &d.warnings {
                problems.push(Failure {
                    path: path.to_path_buf(),
                    line: d.line,
                    reason: w.clone(),
                });
            }
        }
        if problems.is_empty() {
            problems = self.store_all_or_nothing(path, &docs, opts, run)?;
        }
        if !problems.is_empty() {
            let n = problems.len();
            run.report.failed.extend(problems);
            run.report.failed.push(Failure::file(
                path,
                format!(
                    "--strict: nothing of this file was imported, for the {n} problem{} listed",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        Ok(())
    }

    /// Stores `docs` in one transaction that also extends the schema; nothing stored, and the
    /// problems returned, at the first document or annotation that cannot be stored.
    fn store_all_or_nothing(
        &mut self,
        path: &Path,
        docs: &[AnnotatedDoc],
        opts: &ImportOptions,
        run: &mut Run<'_>,
    ) -> Result<Vec<Failure>> {
        let stored = match self.store_annotated_file(docs, &opts.annotator)? {
            Ok(stored) => stored,
            Err(problems) => {
                return Ok(problems
                    .into_iter()
                    .map(|(i, reason)| Failure {
                        path: path.to_path_buf(),
                        line: docs[i].line,
                        reason,
                    })
                    .collect());
            }
        };
        run.report.schema_added.extend(stored.schema_added);
        let before = run.report.imported.len();
        report_outcomes(path, docs, stored.outcomes, &mut run.report);
        let imported = run.report.imported.len() - before;
        run.stored(imported);
        Ok(Vec::new())
    }

    /// Adds the labels, relation types, attributes and document labels the parsed documents
    /// use and the schema lacks.
    fn extend_schema_for(
        &mut self,
        docs: &[AnnotatedDoc],
        report: &mut ImportReport,
    ) -> Result<()> {
        if docs
            .iter()
            .all(|d| d.spans.is_empty() && d.relations.is_empty() && d.doc_labels.is_empty())
        {
            return Ok(());
        }
        let schema = self.schema()?;
        if let Some((extended, added)) = crate::store::annotated::extend_schema(&schema, docs) {
            self.update_schema(&extended, &[], &crate::store::current_annotator())?;
            report.schema_added.extend(added);
        }
        Ok(())
    }

    /// Stores documents in one transaction, each whole (with the annotations that pass the
    /// checks) or not at all, and reports them once they are on disk.
    fn store_documents(
        &mut self,
        path: &Path,
        docs: &[AnnotatedDoc],
        opts: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<()> {
        let outcomes = self.store_annotated_batch(docs, &opts.annotator)?;
        report_outcomes(path, docs, outcomes, report);
        Ok(())
    }
}

/// Adds what became of each of a file's documents to the report.
fn report_outcomes(
    path: &Path,
    docs: &[AnnotatedDoc],
    outcomes: Vec<DocOutcome>,
    report: &mut ImportReport,
) {
    for (doc, outcome) in docs.iter().zip(outcomes) {
        let path = path.to_path_buf();
        let line = doc.line;
        let stored_counts = |stored: &mut Stored, report: &mut ImportReport| {
            report.spans += stored.spans;
            report.relations += stored.relations;
            for w in std::mem::take(&mut stored.warnings) {
                report.warnings.push(Failure {
                    path: path.clone(),
                    line,
                    reason: w,
                });
            }
        };
        match outcome {
            DocOutcome::Imported(mut stored) => {
                stored_counts(&mut stored, report);
                report.imported.push(Imported {
                    path,
                    line,
                    doc_id: stored.doc_id,
                });
            }
            DocOutcome::Layers(mut stored) => {
                stored_counts(&mut stored, report);
                report.layers.push(LayersAdded {
                    path,
                    line,
                    doc_id: stored.doc_id,
                    added: stored.layers.into_iter().collect(),
                    present: stored.present.into_iter().collect(),
                });
            }
            DocOutcome::Duplicate(existing_doc_id, layers_present) => {
                report.duplicates.push(Duplicate {
                    path,
                    line,
                    existing_doc_id,
                    layers_present,
                })
            }
            DocOutcome::Failed(reason) => report.failed.push(Failure { path, line, reason }),
        }
    }
}
