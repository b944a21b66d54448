//! Dataset export in the formats people train with: native JSONL, claims, spaCy/Prodigy,
//! doccano (both forms), Label Studio, brat and CoNLL BIO; with filters, reproducible splits
//! that keep a claim group (or a document) on one side, and a manifest beside the data.
//!
//! Every file is written to a temporary file beside the target and renamed over it only when
//! complete, and a folder is built beside its target and swapped in whole, so a failed or
//! cancelled export leaves nothing half-written.

mod manifest;
pub mod select;
pub mod split;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
pub use crate::formats::write::write_atomically;
use crate::formats::write::{ExportContext, StreamWriter, Tally, io_err};
use crate::formats::{
    Format, brat, claim_pairs, claims, conll, doccano, label_studio, native, spacy,
};
use crate::job::{Job, Steps};
use crate::model::{DocumentSummary, DocumentView};
use crate::store::Workspace;
pub use select::ExportFilter;
pub use split::{SplitBy, SplitSpec};

/// What to export and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportOptions {
    pub format: Format,
    #[serde(default)]
    pub filter: ExportFilter,
    /// Train / dev / test splits; the output is then a folder.
    #[serde(default)]
    pub split: Option<SplitSpec>,
    /// Seed of the negatives `claim-pairs` samples; the split's seed when absent, else 0.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub seed: Option<u64>,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportReport {
    pub documents: usize,
    pub spans: usize,
    pub relations: usize,
    #[ts(type = "number")]
    pub bytes: u64,
    /// The files and folders written, the manifest included.
    pub files: Vec<String>,
    /// What the format could not carry (e.g. overlapping spans in CoNLL), counted.
    pub warnings: Vec<String>,
}

/// The writer of a format that writes one stream; `None` for brat, written file by file.
fn stream_writer<'a>(
    opts: &ExportOptions,
    ctx: &'a ExportContext,
) -> Option<Box<dyn StreamWriter + Send + 'a>> {
    let seed = opts
        .seed
        .or(opts.split.as_ref().map(|s| s.seed))
        .unwrap_or(0);
    Some(match opts.format {
        Format::Jsonl => Box::new(native::Writer::new(ctx)),
        Format::Claims => Box::new(claims::Writer::new(ctx)),
        Format::ClaimPairs => Box::new(claim_pairs::Writer::new(seed)),
        Format::Spacy => Box::new(spacy::Writer::new(ctx)),
        Format::Doccano => Box::new(doccano::Writer::entities()),
        Format::DoccanoLabel => Box::new(doccano::Writer::labels()),
        Format::LabelStudio => Box::new(label_studio::Writer::new(ctx)),
        Format::Conll => Box::new(conll::Writer::new()),
        Format::Brat | Format::Text | Format::Csv => return None,
    })
}

/// Builds a folder at `path` atomically: `fill` writes into an empty temporary folder beside
/// it, which replaces `path` (and whatever was there) only if `fill` succeeds.
pub fn write_folder_atomically<T>(path: &Path, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_file() {
        return Err(Error::io(
            path,
            std::io::Error::other("is a file; this export writes a folder, give a folder name"),
        ));
    }
    // Replacing a folder is only safe when it is an earlier export (or empty).
    if path.is_dir() {
        let empty = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .next()
            .is_none();
        if !empty && !path.join("manifest.json").is_file() {
            return Err(Error::io(
                path,
                std::io::Error::other(
                    "is a folder that is not an earlier Parallax export (no manifest.json); \
                     give the name of a new folder, which the export creates",
                ),
            ));
        }
    }
    let tmp = crate::formats::write::export_temporary(0o777)
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    let value = fill(tmp.path())?;
    sync_tree(tmp.path())?;
    // On Linux the new folder and the previous export trade places in one step, so that a
    // process killed at any moment leaves one or the other at `path`, never neither.
    #[cfg(target_os = "linux")]
    if path.exists() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, tmp.path(), CWD, path, RenameFlags::EXCHANGE) {
            // `tmp` now holds the previous export, removed when it is dropped.
            Ok(()) => return Ok(value),
            // A filesystem that cannot exchange: the two renames below.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(Error::io(path, e.into())),
        }
    }
    // Elsewhere the swap is two renames.
    let old = if path.exists() {
        let old = parent.join(format!(
            ".parallax-old-{}",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        std::fs::rename(path, &old).map_err(|e| Error::io(path, e))?;
        Some(old)
    } else {
        None
    };
    let tmp_path = tmp.keep();
    if let Err(e) = std::fs::rename(&tmp_path, path) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, path);
        }
        let _ = std::fs::remove_dir_all(&tmp_path);
        return Err(Error::io(path, e));
    }
    if let Some(old) = old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(value)
}

/// Makes everything written under `dir` durable: on Linux one `syncfs` for the filesystem
/// (a folder of 200,000 brat files would otherwise take 200,000 fsyncs), elsewhere file by file.
fn sync_tree(dir: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let d = std::fs::File::open(dir).map_err(io_err(dir))?;
        rustix::fs::syncfs(&d).map_err(|e| Error::io(dir, e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
            let path = entry.map_err(io_err(dir))?.path();
            if path.is_dir() {
                sync_tree(&path)?;
            } else {
                std::fs::File::open(&path)
                    .and_then(|f| f.sync_all())
                    .map_err(io_err(&path))?;
            }
        }
        Ok(())
    }
}

/// Documents read as one batch by one reader.
const CHUNK: usize = 32;
/// Batches each reader may have waiting for the writer: bounds the memory read ahead.
const READ_AHEAD: usize = 2;

/// What a reader hands the writing thread: documents, or (when the format writes each document
/// on its own) the bytes it already formatted and what it counted.
enum Batch {
    Docs(Vec<DocumentView>),
    Formatted(Vec<u8>, Tally),
}

/// Reads batches `first, first + step, ...` of `chunks`, formats them when given a writer, and
/// sends them in order. Documents sent unformatted come back on `returned` to be freed by the
/// thread that allocated them (freeing elsewhere makes the threads fight over the allocator).
#[allow(clippy::too_many_arguments)] // one reader's share of one export
fn read_chunks(
    ws: &Workspace,
    chunks: &[&[&DocumentSummary]],
    (first, step): (usize, usize),
    filter: &ExportFilter,
    mut formatter: Option<Box<dyn StreamWriter + Send + '_>>,
    send: &std::sync::mpsc::SyncSender<Batch>,
    returned: &std::sync::mpsc::Receiver<Vec<DocumentView>>,
    mut step_done: impl FnMut(usize) -> Result<()>,
) -> Result<()> {
    for chunk in chunks.iter().skip(first).step_by(step) {
        step_done(0)?;
        let docs = select::load(ws, chunk, filter)?;
        let n = docs.len();
        let batch = match formatter.as_mut() {
            Some(w) => {
                let mut buf = Vec::with_capacity(64 * 1024);
                let mut tally = Tally::default();
                for doc in &docs {
                    w.document(doc, &mut buf, &mut tally)?;
                    tally.add_document(doc);
                }
                Batch::Formatted(buf, tally)
            }
            None => Batch::Docs(docs),
        };
        // The writer stopped on an error: it is reported by the caller.
        if send.send(batch).is_err() {
            break;
        }
        step_done(n)?;
        while let Ok(formatted) = returned.try_recv() {
            drop(formatted);
        }
    }
    Ok(())
}

/// Writes one stream-format file of the given documents on both cores: two threads read (this
/// one, and one with a connection of its own, alternating batches) and, when the format writes
/// each document on its own, format too; a third writes the batches in order.
fn write_stream_file(
    ws: &Workspace,
    second: Option<&mut Workspace>,
    ctx: &ExportContext,
    opts: &ExportOptions,
    docs: &[&DocumentSummary],
    path: &Path,
    run: &mut Job<'_, Steps>,
) -> Result<(Tally, u64)> {
    let new_writer =
        || stream_writer(opts, ctx).ok_or_else(|| Error::Corrupt("not a stream format".into()));
    let mut writer = new_writer()?;
    let independent = writer.documents_independent();
    let chunks: Vec<&[&DocumentSummary]> = docs.chunks(CHUNK).collect();
    // A second reader when there is enough to share; without one this thread reads alone.
    let second = second.filter(|_| chunks.len() > 1);
    let readers = if second.is_some() { 2 } else { 1 };
    let formatter = |own: bool| -> Result<Option<Box<dyn StreamWriter + Send + '_>>> {
        if own {
            new_writer().map(Some)
        } else {
            Ok(None)
        }
    };
    let (format_a, format_b) = (formatter(independent)?, formatter(independent)?);
    let cancel = run.cancel;
    let progress_end = run.progress.done + docs.len();
    write_atomically(path, |out| {
        std::thread::scope(|scope| {
            let (send_a, receive_a) = std::sync::mpsc::sync_channel::<Batch>(READ_AHEAD);
            let (send_b, receive_b) = std::sync::mpsc::sync_channel::<Batch>(READ_AHEAD);
            let (back_a, returned_a) = std::sync::mpsc::channel::<Vec<DocumentView>>();
            let (back_b, returned_b) = std::sync::mpsc::channel::<Vec<DocumentView>>();
            let total = chunks.len();
            let written = scope.spawn(move || -> Result<(Tally, u64)> {
                let mut tally = Tally::default();
                let mut bytes = 0u64;
                let mut buf = Vec::with_capacity(256 * 1024);
                let mut emit = |buf: &[u8]| -> Result<()> {
                    out.write_all(buf).map_err(io_err(path))?;
                    bytes += buf.len() as u64;
                    Ok(())
                };
                writer.start(&mut buf)?;
                for i in 0..total {
                    let (receive, back) = if i % readers == 0 {
                        (&receive_a, &back_a)
                    } else {
                        (&receive_b, &back_b)
                    };
                    // A reader stopped (cancelled or failed): its error is reported below.
                    let Ok(batch) = receive.recv() else {
                        return Ok((tally, bytes));
                    };
                    match batch {
                        Batch::Formatted(formatted, counted) => {
                            emit(&buf)?;
                            buf.clear();
                            emit(&formatted)?;
                            tally.merge(&counted);
                        }
                        Batch::Docs(batch) => {
                            for doc in &batch {
                                writer.document(doc, &mut buf, &mut tally)?;
                                tally.add_document(doc);
                                if buf.len() >= 128 * 1024 {
                                    emit(&buf)?;
                                    buf.clear();
                                }
                            }
                            let _ = back.send(batch);
                        }
                    }
                }
                writer.finish(&mut buf)?;
                emit(&buf)?;
                Ok((tally, bytes))
            });
            let chunks = &chunks;
            let second_reader = second.map(|ws2| {
                scope.spawn(move || {
                    read_chunks(
                        ws2,
                        chunks,
                        (1, 2),
                        &opts.filter,
                        format_b,
                        &send_b,
                        &returned_b,
                        |_| cancel.check(),
                    )
                })
            });
            // Progress counts this thread's documents for both readers: they keep pace.
            let read = read_chunks(
                ws,
                chunks,
                (0, readers),
                &opts.filter,
                format_a,
                &send_a,
                &returned_a,
                |n| {
                    run.cancel.check()?;
                    for _ in 0..n * readers {
                        if run.progress.done < progress_end {
                            run.step();
                        }
                    }
                    Ok(())
                },
            );
            drop(send_a);
            let panicked = || Error::Corrupt("an export thread panicked".into());
            let read_b = match second_reader {
                Some(h) => h.join().map_err(|_| panicked())?,
                None => Ok(()),
            };
            let written = written.join().map_err(|_| panicked())?;
            read?;
            read_b?;
            let (tally, bytes) = written?;
            // Progress ends at the total even when the second reader's share was smaller.
            while run.progress.done < progress_end {
                run.step();
            }
            if tally.documents != docs.len() {
                return Err(Error::Corrupt(format!(
                    "the export wrote {} of {} documents",
                    tally.documents,
                    docs.len()
                )));
            }
            Ok((tally, bytes))
        })
    })
}

/// Writes the brat files of the given documents into `dir` (which exists).
fn write_brat_folder(
    ws: &Workspace,
    ctx: &ExportContext,
    opts: &ExportOptions,
    docs: &[&DocumentSummary],
    dir: &Path,
    run: &mut Job<'_, Steps>,
) -> Result<(Tally, u64)> {
    let mut tally = Tally::default();
    let mut bytes = 0;
    let mut names = brat::FileNames::default();
    for chunk in docs.chunks(CHUNK) {
        run.cancel.check()?;
        for doc in select::load(ws, chunk, &opts.filter)? {
            bytes += brat::write_document(&doc, dir, &mut names, &ctx.schema, &mut tally)?;
            tally.add_document(&doc);
            run.step();
        }
    }
    bytes += brat::write_config(&ctx.schema, dir)?;
    Ok((tally, bytes))
}

/// The name of a split's data: `train.jsonl`, or the folder `train` for brat.
fn part_name(format: Format, part: &str) -> String {
    if format.writes_folder() {
        part.to_string()
    } else {
        format!("{part}.{}", format.extension())
    }
}

/// `data.jsonl` → `data.manifest.json` (or `<folder>/manifest.json` for folder outputs).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    path.with_file_name(format!("{stem}.{suffix}"))
}

/// What one part of an export (the whole data, or one split) holds.
pub(crate) struct PartTally {
    /// `train`, `dev`, `test`, or empty without a split.
    pub part: String,
    /// The file (or folder) name of the part inside the output folder; empty without a split.
    pub name: String,
    pub tally: Tally,
}

impl Workspace {
    /// Writes each part: into `root` itself without a split, else into `root/<part name>`.
    fn write_parts(
        &self,
        ctx: &ExportContext,
        opts: &ExportOptions,
        parts: &[(String, Vec<&DocumentSummary>)],
        root: &Path,
        run: &mut Job<'_, Steps>,
    ) -> Result<(Vec<PartTally>, u64)> {
        let format = opts.format;
        let mut bytes = 0;
        let mut tallies = Vec::with_capacity(parts.len());
        // The second reader's connection, opened once for every part; without one (a read-only
        // folder, say) this thread reads alone.
        let mut second = if format.writes_folder() {
            None
        } else {
            Workspace::open(self.root()).ok()
        };
        for (part, ids) in parts {
            let name = if part.is_empty() {
                String::new()
            } else {
                part_name(format, part)
            };
            let target = if name.is_empty() {
                root.to_path_buf()
            } else {
                root.join(&name)
            };
            let (tally, b) = match format.writes_folder() {
                false => write_stream_file(self, second.as_mut(), ctx, opts, ids, &target, run)?,
                true => {
                    if !name.is_empty() {
                        std::fs::create_dir(&target).map_err(io_err(&target))?;
                    }
                    write_brat_folder(self, ctx, opts, ids, &target, run)?
                }
            };
            bytes += b;
            tallies.push(PartTally {
                part: part.clone(),
                name,
                tally,
            });
        }
        Ok((tallies, bytes))
    }

    /// Exports the workspace to `output`. Without a split `output` is the data file (a folder
    /// for brat) with the manifest beside it (`NAME.manifest.json`; inside the folder for
    /// brat); with a split it is a folder holding one part per split and `manifest.json`.
    /// `progress(done, total)` counts documents; `cancel` stops and leaves nothing behind.
    pub fn export(
        &self,
        opts: &ExportOptions,
        output: &Path,
        cancel: Option<&AtomicBool>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ExportReport> {
        opts.format.to_write()?;
        let opts = &ExportOptions {
            filter: opts.filter.with_layers(self)?,
            ..opts.clone()
        };
        let ctx = ExportContext::load(self, opts.format)?;
        let selected = select::select(self, &opts.filter)?;
        let by_id: HashMap<&str, &DocumentSummary> =
            selected.iter().map(|d| (d.id.as_str(), d)).collect();
        let parts: Vec<(String, Vec<&DocumentSummary>)> = match &opts.split {
            None => vec![(String::new(), selected.iter().collect())],
            Some(spec) => split::assign(self, &selected, spec)?
                .into_iter()
                .map(|(name, ids)| {
                    let docs = ids
                        .iter()
                        .filter_map(|id| by_id.get(id.as_str()).copied())
                        .collect();
                    (name, docs)
                })
                .collect(),
        };
        let mut told = |p: &Steps| progress(p.done, p.total);
        let steps = Steps {
            done: 0,
            total: selected.len(),
        };
        let mut run = Job::start(cancel, steps, &mut told);
        let mut report = ExportReport::default();
        let format = opts.format;
        let manifest_path;
        let tallies;
        if opts.split.is_some() || format.writes_folder() {
            (tallies, report.bytes) = write_folder_atomically(output, |dir| {
                let (tallies, mut bytes) = self.write_parts(&ctx, opts, &parts, dir, &mut run)?;
                if format == Format::LabelStudio {
                    bytes +=
                        label_studio::write_config(&ctx.schema, &dir.join("label_config.xml"))?;
                }
                let m = manifest::build(opts, &ctx.schema, &tallies)?;
                bytes += manifest::write(&m, &dir.join("manifest.json"))?;
                Ok((tallies, bytes))
            })?;
            manifest_path = output.join("manifest.json");
            report.files.push(output.display().to_string());
        } else {
            let bytes;
            (tallies, bytes) = self.write_parts(&ctx, opts, &parts, output, &mut run)?;
            report.bytes = bytes;
            report.files.push(output.display().to_string());
            if format == Format::LabelStudio {
                let config = sibling(output, "label_config.xml");
                report.bytes += label_studio::write_config(&ctx.schema, &config)?;
                report.files.push(config.display().to_string());
            }
            let m = manifest::build(opts, &ctx.schema, &tallies)?;
            manifest_path = sibling(output, "manifest.json");
            report.bytes += manifest::write(&m, &manifest_path)?;
        }
        let mut total = Tally::default();
        for part in &tallies {
            total.merge(&part.tally);
        }
        report.files.push(manifest_path.display().to_string());
        report.documents = total.documents;
        report.spans = total.spans;
        report.relations = total.relations;
        report.warnings = total
            .dropped
            .iter()
            .map(|(reason, n)| format!("{n} × {reason}"))
            .collect();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        let err = write_atomically(&path, |w| {
            w.write_all(b"partial").map_err(|e| Error::io("x", e))?;
            Err::<(), _>(Error::Cancelled)
        })
        .unwrap_err();
        assert!(matches!(err, Error::Cancelled));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "the temporary file must be gone");
    }

    /// Files and folders an export writes get the permissions any new one gets here (the
    /// umask), not a temporary file's owner-only ones.
    #[cfg(unix)]
    #[test]
    fn exports_follow_the_umask_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, "x").unwrap();
        let plain_dir = dir.path().join("plain");
        std::fs::create_dir(&plain_dir).unwrap();
        let file = dir.path().join("out.jsonl");
        write_atomically(&file, |w| {
            w.write_all(b"x\n").map_err(|e| Error::io("x", e))
        })
        .unwrap();
        let folder = dir.path().join("brat");
        write_folder_atomically(&folder, |tmp| {
            std::fs::write(tmp.join("a.txt"), "a").map_err(|e| Error::io(tmp, e))
        })
        .unwrap();
        assert_eq!(mode(&file), mode(&plain));
        assert_eq!(mode(&folder), mode(&plain_dir));
        assert_eq!(mode(&folder.join("a.txt")), mode(&plain));
        // Not owner-only (unless the umask says so, which it does not here).
        assert_ne!(mode(&plain), 0o600);
    }

    #[test]
    fn a_successful_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        write_atomically(&path, |w| {
            w.write_all(b"new\n").map_err(|e| Error::io("x", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }

    #[test]
    fn a_failed_folder_leaves_the_old_folder_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("brat");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("manifest.json"), "{}").unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();
        let err = write_folder_atomically(&out, |tmp| {
            std::fs::write(tmp.join("new.txt"), "half").unwrap();
            Err::<(), _>(Error::Cancelled)
        })
        .unwrap_err();
        assert!(matches!(err, Error::Cancelled));
        assert_eq!(std::fs::read_to_string(out.join("old.txt")).unwrap(), "old");
        assert!(!out.join("new.txt").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_that_is_not_an_export_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("documents");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("thesis.txt"), "mine").unwrap();
        let err = write_folder_atomically(&out, |_| Ok(())).unwrap_err();
        assert!(
            err.to_string().contains("not an earlier Parallax export"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_finished_folder_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("brat");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("manifest.json"), "{}").unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();
        write_folder_atomically(&out, |tmp| {
            std::fs::write(tmp.join("new.txt"), "new").map_err(|e| Error::io(tmp, e))
        })
        .unwrap();
        assert!(!out.join("old.txt").exists());
        assert_eq!(std::fs::read_to_string(out.join("new.txt")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
