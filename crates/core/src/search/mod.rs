//! Full-text search over a workspace: a tantivy index in `<workspace>/index/`, derived from the
//! database and never the source of truth. Database triggers log every changed document in
//! `index_log`; the index's commit payload records the last log entry it contains, so opening
//! it finds what is stale and catches up, and a missing or corrupt index is rebuilt.

pub mod fields;
pub mod highlight;
pub mod occurrences;
mod pairs;
pub mod query;
pub mod similar;
mod translate;
pub mod worker;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::UserOperation;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value as _};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, Term};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::job::Cancel;
use crate::model::Passage;
use crate::store::Workspace;
use fields::{ANALYZER, Fields, KIND_DOC, KIND_SPAN, analyzer, date_number};
use highlight::{Needles, Snippet, match_ranges, snippet};

/// Format of the commit payload; a different one means the index must be rebuilt.
const PAYLOAD_PREFIX: &str = "parallax-index-v4 seq=";
/// Memory for the index writer (split over its threads).
const WRITER_MEMORY: usize = 128 * 1024 * 1024;
/// Documents indexed between two progress reports.
const PROGRESS_EVERY: usize = 500;
/// Documents read from the database with one set of queries.
const READ_BATCH: usize = 64;

/// How to order document hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SortBy {
    #[default]
    Relevance,
    /// Newest first; documents without a date last.
    Date,
}

/// One page of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: 20,
            offset: 0,
        }
    }
}

/// A document that matches.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DocHit {
    pub doc_id: String,
    pub score: f32,
    /// Its title, else its derived title: for showing, not metadata.
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub snippet: Snippet,
    /// Every match in the document text, `[start, end)` in code points.
    pub matches: Vec<[u32; 2]>,
}

/// A span that matches.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SpanHit {
    pub span_id: String,
    /// The span's place and text.
    #[serde(flatten)]
    pub passage: Passage,
    pub score: f32,
    pub label: String,
    /// Matches inside the span's text, in code points of `text`.
    pub highlights: Vec<[u32; 2]>,
}

/// Hits of one page and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SearchResults<T> {
    pub total: usize,
    pub hits: Vec<T>,
}

/// Progress of indexing: documents done of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct IndexProgress {
    pub done: usize,
    pub total: usize,
}

/// What opening or syncing the index did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SyncOutcome {
    UpToDate,
    /// Caught up with this many changed documents.
    CaughtUp(usize),
    /// Rebuilt from the database, for the reason given.
    Rebuilt(&'static str),
    /// Another process holds the index writer; searched the index as it is.
    Busy,
}

/// The search index of one workspace.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// The lock beside the index folder, as [`lock_rebuilds`] leaves it.
enum RebuildLock {
    /// Held until dropped.
    Held { _file: std::fs::File },
    /// The workspace's folder cannot be written: no index to rebuild, and no lock.
    Unwritable,
    /// Another process holds it (only when not waiting for it).
    Busy,
}

/// Opening (with its catching up) and rebuilding the index are one process at a time: a rebuild
/// removes the index folder, which another process opening or rebuilding it at the same moment
/// would find half gone (found by the battery: a `reindex` beside imports failed on a segment
/// file that vanished). The lock file lies beside the folder, which a rebuild removes.
///
/// A catch-up takes it without waiting (`wait` false): while another process rebuilds, it
/// writes nothing (it would commit its segments into the new index: the app's worker beside
/// `parallax reindex`) and says the index is busy.
fn lock_rebuilds(ws: &Workspace, wait: bool) -> Result<RebuildLock> {
    let path = ws.root().join(".parallax-index.lock");
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    else {
        return Ok(RebuildLock::Unwritable);
    };
    if wait {
        file.lock().map_err(|e| Error::io(&path, e))?;
        return Ok(RebuildLock::Held { _file: file });
    }
    match file.try_lock() {
        Ok(()) => Ok(RebuildLock::Held { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Ok(RebuildLock::Busy),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

fn index_error(dir: &Path, e: tantivy::TantivyError) -> Error {
    Error::Index(format!("{}: {e}", dir.display()))
}

/// A stored text field (an id) of a hit, read from the searcher that found it.
fn stored(
    searcher: &Searcher,
    address: DocAddress,
    field: tantivy::schema::Field,
) -> Result<String> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .map_err(|e| Error::Index(e.to_string()))?;
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| Error::Index("a hit without its id".into()))
}

fn payload_seq(index: &Index) -> Option<i64> {
    let meta = index.load_metas().ok()?;
    meta.payload?.strip_prefix(PAYLOAD_PREFIX)?.parse().ok()
}

impl SearchIndex {
    /// Opens the workspace's index and brings it up to date: created if missing, rebuilt if
    /// corrupt or of another format, caught up if the database changed since its last commit.
    pub fn open(
        ws: &Workspace,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<(SearchIndex, SyncOutcome)> {
        let _rebuilding = lock_rebuilds(ws, true)?;
        let dir = ws.index_dir();
        if !dir.join("meta.json").is_file() {
            let me = Self::rebuild_locked(ws, None, progress)?;
            return Ok((me, SyncOutcome::Rebuilt("there was no index")));
        }
        let opened = Index::open_in_dir(&dir)
            .map_err(|e| index_error(&dir, e))
            .and_then(|index| match payload_seq(&index) {
                Some(_) => Self::wrap(&dir, index).map(Some),
                None => Ok(None),
            });
        match opened {
            Ok(Some(mut me)) => {
                let outcome = me.catch_up(ws, progress)?;
                Ok((me, outcome))
            }
            opened => {
                // Unreadable includes a segment's file gone (`wrap` opens them all), not only a
                // meta.json that does not parse.
                if let Err(e) = opened {
                    tracing::warn!("search index is unreadable ({e}); rebuilding");
                }
                let me = Self::rebuild_locked(ws, None, progress)?;
                Ok((
                    me,
                    SyncOutcome::Rebuilt("the index was unreadable or of another format"),
                ))
            }
        }
    }

    /// Throws the index away and builds it again from the database.
    pub fn rebuild(ws: &Workspace, progress: &mut dyn FnMut(IndexProgress)) -> Result<SearchIndex> {
        Self::rebuild_cancellable(ws, None, progress)
    }

    /// [`SearchIndex::rebuild`] that stops with [`Error::Cancelled`] when `cancel` is set. The
    /// index is then left without a commit, so the next open rebuilds it.
    pub fn rebuild_cancellable(
        ws: &Workspace,
        cancel: Option<&AtomicBool>,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<SearchIndex> {
        let _rebuilding = lock_rebuilds(ws, true)?;
        Self::rebuild_locked(ws, cancel, progress)
    }

    /// The rebuild, by the one process holding [`lock_rebuilds`].
    fn rebuild_locked(
        ws: &Workspace,
        cancel: Option<&AtomicBool>,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<SearchIndex> {
        let dir = ws.index_dir();
        if dir.exists() {
            // meta.json first: a process killed while removing the rest leaves "no index", never
            // a meta.json naming segments whose files are half gone (found by the crash test).
            let meta = dir.join("meta.json");
            if meta.exists() {
                std::fs::remove_file(&meta).map_err(|e| Error::io(&meta, e))?;
            }
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let (schema, _) = Fields::schema();
        let index = Index::create_in_dir(&dir, schema).map_err(|e| index_error(&dir, e))?;
        let me = Self::wrap(&dir, index)?;
        let seq = ws.index_log_head()?;
        let ids = ws.document_ids()?;
        let mut writer = me.writer()?.ok_or_else(|| {
            Error::Index(format!(
                "{}: another Parallax is writing this index",
                dir.display()
            ))
        })?;
        me.write_documents(ws, &mut writer, &ids, false, cancel, progress)?;
        me.commit(&mut writer, seq)?;
        Ok(me)
    }

    fn wrap(dir: &Path, mut index: Index) -> Result<SearchIndex> {
        index.tokenizers().register(ANALYZER, analyzer());
        index
            .tokenizers()
            .register(pairs::PAIR_ANALYZER, pairs::pair_analyzer());
        // Searches run over the index's segments on every core (a phrase over 100,000 documents
        // is bound by reading positions, which splits well).
        index
            .set_default_multithread_executor()
            .map_err(|e| index_error(dir, e))?;
        let fields = Fields::of(&index).map_err(|e| index_error(dir, e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(dir, e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// `None` when another process holds the writer lock.
    fn writer(&self) -> Result<Option<IndexWriter>> {
        match self.index.writer(WRITER_MEMORY) {
            Ok(w) => Ok(Some(w)),
            Err(tantivy::TantivyError::LockFailure(..)) => Ok(None),
            Err(e) => Err(Error::Index(e.to_string())),
        }
    }

    fn commit(&self, writer: &mut IndexWriter, seq: i64) -> Result<()> {
        let mut prepared = writer
            .prepare_commit()
            .map_err(|e| Error::Index(e.to_string()))?;
        prepared.set_payload(&format!("{PAYLOAD_PREFIX}{seq}"));
        prepared.commit().map_err(|e| Error::Index(e.to_string()))?;
        self.reader
            .reload()
            .map_err(|e| Error::Index(e.to_string()))?;
        Ok(())
    }

    /// Indexes every document changed since the last commit, in one commit; `Busy`, writing
    /// nothing, while another process rebuilds or opens the index ([`lock_rebuilds`]).
    pub fn sync(
        &mut self,
        ws: &Workspace,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<SyncOutcome> {
        let rebuilding = lock_rebuilds(ws, false)?;
        if matches!(rebuilding, RebuildLock::Busy) {
            return Ok(SyncOutcome::Busy);
        }
        self.catch_up(ws, progress)
    }

    /// [`SearchIndex::sync`] by the process holding [`lock_rebuilds`].
    fn catch_up(
        &mut self,
        ws: &Workspace,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<SyncOutcome> {
        let from = payload_seq(&self.index).unwrap_or(0);
        let head = ws.index_log_head()?;
        if head <= from {
            return Ok(SyncOutcome::UpToDate);
        }
        let Some(mut writer) = self.writer()? else {
            return Ok(SyncOutcome::Busy);
        };
        let ids = ws.changed_since(from, head)?;
        self.write_documents(ws, &mut writer, &ids, true, None, progress)?;
        self.commit(&mut writer, head)?;
        ws.prune_index_log(head)?;
        Ok(SyncOutcome::CaughtUp(ids.len()))
    }

    fn write_documents(
        &self,
        ws: &Workspace,
        writer: &mut IndexWriter,
        ids: &[String],
        replace: bool,
        cancel: Option<&AtomicBool>,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<()> {
        let f = &self.fields;
        let total = ids.len();
        progress(IndexProgress { done: 0, total });
        let mut done = 0;
        for batch in ids.chunks(READ_BATCH) {
            Cancel::new(cancel).check()?;
            let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
            let records = ws.index_records(&batch)?;
            // One message to the indexing threads a document: a message a record kept them
            // waking each other (130 span records a document), and tantivy's queue holds up to
            // 10,000 messages, so a message a batch let the reading run far ahead (1 GB).
            for (id, record) in batch.iter().zip(records) {
                let mut ops = Vec::new();
                if replace {
                    ops.push(UserOperation::Delete(Term::from_field_text(f.doc_id, id)));
                }
                // A document deleted since it was logged has nothing left to index.
                ops.extend(
                    record
                        .iter()
                        .flat_map(|r| self.records(r))
                        .map(UserOperation::Add),
                );
                writer.run(ops).map_err(|e| Error::Index(e.to_string()))?;
            }
            let before = done;
            done += batch.len();
            if done / PROGRESS_EVERY > before / PROGRESS_EVERY || done == total {
                progress(IndexProgress { done, total });
            }
        }
        Ok(())
    }

    fn records(&self, r: &crate::store::IndexRecord) -> Vec<TantivyDocument> {
        let f = &self.fields;
        let d = &r.summary;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, KIND_DOC);
        doc.add_text(f.doc_id, &d.id);
        doc.add_text(f.text, &r.text);
        doc.add_text(f.text_pairs, &r.text);
        let mut common = TantivyDocument::default();
        // The title a person sees (else derived from the text) is the one `title:` finds.
        if let Some(t) = d.shown_title() {
            common.add_text(f.title, &t);
        }
        if let Some(o) = &d.meta.outlet {
            common.add_text(f.outlet, o);
        }
        if let Some(n) = d.meta.published.as_deref().and_then(date_number) {
            common.add_u64(f.published, n);
        }
        if let Some(l) = &d.meta.language {
            common.add_text(f.lang, l);
        }
        common.add_text(f.status, d.status.as_str());
        let mut labels: Vec<String> = r.spans.iter().map(|s| s.label.to_lowercase()).collect();
        labels.sort_unstable();
        labels.dedup();
        for l in &labels {
            doc.add_text(f.label, l);
        }
        let mut annotators: Vec<String> = r
            .spans
            .iter()
            .map(|s| s.annotator.to_lowercase())
            .chain(r.doc_label_annotators.iter().map(|a| a.to_lowercase()))
            .collect();
        annotators.sort_unstable();
        annotators.dedup();
        for a in &annotators {
            doc.add_text(f.annotator, a);
        }
        for (field, value) in common.field_values() {
            doc.add_field_value(field, value);
        }
        let mut out = vec![doc];
        for s in &r.spans {
            let mut span = TantivyDocument::default();
            span.add_text(f.kind, KIND_SPAN);
            span.add_text(f.doc_id, &d.id);
            span.add_text(f.span_id, &s.id);
            span.add_text(f.span_text, &s.text);
            span.add_text(f.label, s.label.to_lowercase());
            span.add_text(f.annotator, s.annotator.to_lowercase());
            for (name, value) in &s.attrs {
                let value = match value {
                    serde_json::Value::String(v) => v.clone(),
                    other => other.to_string(),
                };
                span.add_text(f.attr, format!("{name}={value}").to_lowercase());
            }
            for (field, value) in common.field_values() {
                span.add_field_value(field, value);
            }
            out.push(span);
        }
        out
    }

    fn parse(&self, text: &str, kind: &str) -> Result<(query::Node, Box<dyn Query>)> {
        let node = query::parse(text).map_err(|e| Error::Query(e.to_string()))?;
        let q = translate::to_tantivy(&node, &self.fields, kind)
            .map_err(|e| Error::Query(e.to_string()))?;
        Ok((node, q))
    }

    /// The page of hits. Their addresses are only valid in `searcher`, the snapshot they
    /// came from: read their stored fields with [`stored`] from the same one.
    fn top(
        searcher: &Searcher,
        q: &dyn Query,
        page: Page,
        sort: SortBy,
    ) -> Result<(usize, Vec<(f32, DocAddress)>)> {
        let limit = page.limit.max(1);
        let err = |e: tantivy::TantivyError| Error::Index(e.to_string());
        match sort {
            SortBy::Relevance => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(page.offset)
                    .order_by_score();
                searcher.search(q, &(Count, top)).map_err(err)
            }
            SortBy::Date => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(page.offset)
                    .order_by_u64_field("published", Order::Desc);
                let (total, hits) = searcher.search(q, &(Count, top)).map_err(err)?;
                Ok((total, hits.into_iter().map(|(_, a)| (0.0, a)).collect()))
            }
        }
    }

    /// Documents matching `text` (the query language in `query`), with snippets and the
    /// positions of every match in code points.
    pub fn search_documents(
        &self,
        ws: &Workspace,
        text: &str,
        page: Page,
        sort: SortBy,
    ) -> Result<SearchResults<DocHit>> {
        let (node, q) = self.parse(text, KIND_DOC)?;
        let searcher = self.reader.searcher();
        let (total, top) = Self::top(&searcher, q.as_ref(), page, sort)?;
        let needles = Needles::of(&node, &[None, Some("text")]);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let id = stored(&searcher, address, self.fields.doc_id)?;
            // Deleted since the last commit: the next sync drops it from the index.
            let doc = match ws.document(&id) {
                Err(Error::DocumentNotFound(_)) => continue,
                doc => doc?,
            };
            let matches = match_ranges(&doc.text, &needles);
            let title = doc.summary.shown_title();
            let m = doc.summary.meta;
            hits.push(DocHit {
                snippet: snippet(&doc.text, &matches),
                doc_id: id,
                score,
                title,
                outlet: m.outlet,
                published: m.published,
                matches,
            });
        }
        Ok(SearchResults { total, hits })
    }

    /// Spans matching `text`: `label:CLAIM troops`, `label:SOURCE konashenkov`.
    pub fn search_spans(
        &self,
        ws: &Workspace,
        text: &str,
        page: Page,
    ) -> Result<SearchResults<SpanHit>> {
        self.spans_matching(ws, text, page, None)
    }

    /// Spans matching a query in one annotator's layer alone: what they may search while
    /// annotation is blind.
    pub fn search_spans_of_layer(
        &self,
        ws: &Workspace,
        text: &str,
        page: Page,
        annotator: &str,
    ) -> Result<SearchResults<SpanHit>> {
        self.spans_matching(ws, text, page, Some(annotator))
    }

    fn spans_matching(
        &self,
        ws: &Workspace,
        text: &str,
        page: Page,
        layer: Option<&str>,
    ) -> Result<SearchResults<SpanHit>> {
        let (node, mut q) = self.parse(text, KIND_SPAN)?;
        if let Some(annotator) = layer {
            // Annotator names are indexed lowercased (see `records`).
            let only: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(self.fields.annotator, &annotator.to_lowercase()),
                IndexRecordOption::Basic,
            ));
            q = Box::new(BooleanQuery::new(vec![
                (Occur::Must, q),
                (Occur::Must, only),
            ]));
        }
        let searcher = self.reader.searcher();
        let (total, top) = Self::top(&searcher, q.as_ref(), page, SortBy::Relevance)?;
        let needles = Needles::of(&node, &[None, Some("text")]);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let id = stored(&searcher, address, self.fields.span_id)?;
            let span = match ws.span(&id) {
                Err(Error::SpanNotFound(_)) => continue,
                span => span?,
            };
            let summary = ws.document_summary(&span.doc_id)?;
            hits.push(SpanHit {
                highlights: match_ranges(&span.text, &needles),
                passage: Passage::of(&summary, span.start, span.end, span.text),
                span_id: span.id,
                score,
                label: span.label,
            });
        }
        Ok(SearchResults { total, hits })
    }
}
