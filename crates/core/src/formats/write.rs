//! What every format's writer shares: the context it may need besides the document, the
//! tally of what it wrote and left out, the stream writer's interface, and writing a file
//! atomically (to a temporary file beside it, synced and renamed over it when complete).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::path::Path;

use super::Format;
use crate::error::{Error, Result};
use crate::model::{DocumentView, LabelSchema};
use crate::store::{ClaimGroup, SourceEntity, Workspace};

/// What every format writer may need besides the document: the schema, claim groups and
/// source entities by id.
pub struct ExportContext {
    pub schema: LabelSchema,
    pub groups: HashMap<String, ClaimGroup>,
    pub entities: HashMap<String, SourceEntity>,
    /// CLAIM spans whose figures disagree with another member of their group (`claims` only).
    pub conflicting: HashSet<String>,
}

impl ExportContext {
    pub fn load(ws: &Workspace, format: Format) -> Result<ExportContext> {
        let conflicting = if format == Format::Claims {
            ws.group_overviews(&Default::default())?
                .into_iter()
                .flat_map(|g| g.members)
                .filter(|m| m.conflicting)
                .map(|m| m.span_id)
                .collect()
        } else {
            HashSet::new()
        };
        Ok(ExportContext {
            conflicting,
            schema: ws.schema()?,
            groups: ws
                .claim_groups()?
                .into_iter()
                .map(|g| (g.id.clone(), g))
                .collect(),
            entities: ws
                .source_entities()?
                .into_iter()
                .map(|e| (e.id.clone(), e))
                .collect(),
        })
    }
}

/// Counts of what a format wrote and could not write, by kind, for the report and manifest.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub documents: usize,
    pub spans: usize,
    pub relations: usize,
    pub labels: BTreeMap<String, usize>,
    /// Things left out, by reason, e.g. "overlapping span left out of BIO tags".
    pub dropped: BTreeMap<String, usize>,
}

impl Tally {
    pub(crate) fn add_document(&mut self, doc: &DocumentView) {
        self.documents += 1;
        self.spans += doc.spans.len();
        self.relations += doc.relations.len();
        for s in &doc.spans {
            *self.labels.entry(s.label.clone()).or_default() += 1;
        }
    }

    pub fn drop_one(&mut self, reason: &str) {
        *self.dropped.entry(reason.to_string()).or_default() += 1;
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        self.documents += other.documents;
        self.spans += other.spans;
        self.relations += other.relations;
        for (k, v) in &other.labels {
            *self.labels.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.dropped {
            *self.dropped.entry(k.clone()).or_default() += v;
        }
    }
}

/// Everyone who made a span, relation or document label in `doc`, sorted.
pub(crate) fn annotators(doc: &DocumentView) -> Vec<&str> {
    let mut names: Vec<&str> = doc
        .spans
        .iter()
        .map(|s| s.annotator.as_str())
        .chain(doc.relations.iter().map(|r| r.annotator.as_str()))
        .chain(doc.doc_labels.iter().map(|l| l.annotator.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A format that writes documents one after another into one stream. Each call fills `out`
/// (an in-memory buffer, so that writing cannot fail half-way through a document); the caller
/// writes it to the file.
pub(crate) trait StreamWriter {
    fn start(&mut self, _out: &mut Vec<u8>) -> Result<()> {
        Ok(())
    }
    fn document(&mut self, doc: &DocumentView, out: &mut Vec<u8>, tally: &mut Tally) -> Result<()>;
    fn finish(&mut self, _out: &mut Vec<u8>) -> Result<()> {
        Ok(())
    }
    /// Whether each document's output depends on that document alone (no state carried from
    /// one to the next, nothing written by `start` or `finish` that depends on them): then two
    /// threads may format documents at once, each with its own writer.
    fn documents_independent(&self) -> bool {
        false
    }
}

pub(crate) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// A temporary file or folder for an export (`mode` 0o666 for a file, 0o777 for a folder), made
/// with the permissions the user's umask gives any new one, not a temporary file's owner-only
/// ones: a dataset is often written for a team's folder.
pub(crate) fn export_temporary(
    #[cfg_attr(not(unix), allow(unused))] mode: u32,
) -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".parallax-export-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    builder
}

/// Writes `path` atomically: `write` fills a buffered temporary file in the same folder, which
/// is synced and renamed over `path` only if `write` succeeds.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T>,
) -> Result<T> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = export_temporary(0o666)
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, tmp);
    let value = write(&mut out)?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(value)
}
