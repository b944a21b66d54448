//! What the commands print: human-readable tables by default, JSON lines with `--json`.

use std::io::{self, Write};

use parallax_core::Error;
use parallax_core::agreement::{AgreementReport, SpanAgreement};
use parallax_core::cross::{
    EntitySuggestion, Figure, GroupOverview, MentionSuggestion, SourceOverview,
};
use parallax_core::export::ExportReport;
use parallax_core::import::{ImportReport, LeftOut};
use parallax_core::model::{DocumentSummary, DocumentView};
use parallax_core::remote::SyncReport;
use parallax_core::search::occurrences::Occurrence;
use parallax_core::search::similar::SimilarPassage;
use parallax_core::search::{DocHit, SearchResults, SpanHit};
use parallax_core::store::backup::Snapshot;
use parallax_core::store::{
    AssignReport, BatchOutcome, Curation, HistoryEntry, Stats, SyncConflict,
};
use parallax_core::suggest::Suggestion;
use serde::Serialize;

/// Runs `f` on locked stdout; a closed pipe (`parallax docs | head`) is not an error.
fn stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match f(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}

fn json_line(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// One line per item: JSON with `--json`, else `human`'s line and then `footer`, if any.
fn listing<T: Serialize>(
    items: &[T],
    json: bool,
    human: impl Fn(&mut dyn Write, &T) -> io::Result<()>,
    footer: Option<String>,
) -> Result<(), Error> {
    stdout(|out| {
        for item in items {
            if json {
                json_line(out, item)?;
            } else {
                human(out, item)?;
            }
        }
        match footer {
            Some(footer) if !json => writeln!(out, "{footer}"),
            _ => Ok(()),
        }
    })
}

/// `before` + the names + `after`, or nothing when there are none.
fn names_note(names: &[String], before: &str, after: &str) -> String {
    match names {
        [] => String::new(),
        names => format!("{before}{}{after}", names.join(", ")),
    }
}

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// `path` or `path:line`.
fn at(path: &std::path::Path, line: Option<u32>) -> String {
    match line {
        Some(n) => format!("{}:{n}", path.display()),
        None => path.display().to_string(),
    }
}

/// Annotation warnings shown before "and N more".
const WARNINGS_SHOWN: usize = 20;

/// The "s" of a plural: "1 span", "2 spans".
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "1 file", "2 records".
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", plural(n))
}

/// What an import left out, in words ("1 record and 3 annotations"); empty if nothing.
pub fn left_out(left: &LeftOut) -> String {
    let parts: Vec<String> = [
        (left.files, "file"),
        (left.records, "record"),
        (left.annotations, "annotation"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, what)| count(n, what))
    .collect();
    parts.join(" and ")
}

pub fn import_report(report: &ImportReport, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            #[derive(Serialize)]
            struct WithCounts<'a> {
                #[serde(flatten)]
                report: &'a ImportReport,
                left_out: LeftOut,
            }
            return json_line(
                out,
                &WithCounts {
                    report,
                    left_out: report.left_out(),
                },
            );
        }
        for d in &report.duplicates {
            let layers = names_note(&d.layers_present, "; its layers of ", " are there already");
            writeln!(
                out,
                "duplicate  {}  (same content as document {}{layers})",
                at(&d.path, d.line),
                d.existing_doc_id
            )?;
        }
        for l in &report.layers {
            let present = names_note(&l.present, "; ", " there already");
            writeln!(
                out,
                "layers     {}  added to document {}: {}{present}",
                at(&l.path, l.line),
                l.doc_id,
                l.added.join(", ")
            )?;
        }
        for f in &report.failed {
            writeln!(out, "failed     {}: {}", at(&f.path, f.line), f.reason)?;
        }
        for f in &report.skipped {
            writeln!(out, "skipped    {}: {}", at(&f.path, f.line), f.reason)?;
        }
        for w in report.warnings.iter().take(WARNINGS_SHOWN) {
            writeln!(out, "left out   {}: {}", at(&w.path, w.line), w.reason)?;
        }
        if report.warnings.len() > WARNINGS_SHOWN {
            writeln!(
                out,
                "left out   ... and {} more annotations (--json lists them all)",
                report.warnings.len() - WARNINGS_SHOWN
            )?;
        }
        for a in &report.schema_added {
            writeln!(out, "added      {a} to the schema")?;
        }
        let annotations = if report.spans + report.relations > 0 {
            format!(" ({} spans, {} relations)", report.spans, report.relations)
        } else {
            String::new()
        };
        let left = report.left_out();
        let left = if left.annotations > 0 {
            format!(", left out {}", count(left.annotations, "annotation"))
        } else {
            String::new()
        };
        let layers = match report.layers.len() {
            0 => String::new(),
            n => format!(", layers added to {}", count(n, "document")),
        };
        writeln!(
            out,
            "imported {}{annotations}{left}{layers}, duplicates {}, failed {}{}",
            report.imported.len(),
            report.duplicates.len(),
            report.failed.len(),
            if report.cancelled { " (cancelled)" } else { "" }
        )
    })
}

pub fn export_report(report: &ExportReport, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, report);
        }
        for w in &report.warnings {
            writeln!(out, "not carried  {w}")?;
        }
        writeln!(
            out,
            "exported {} documents, {} spans, {} relations ({:.1} MB) to {}",
            report.documents,
            report.spans,
            report.relations,
            report.bytes as f64 / 1e6,
            report.files.join(", ")
        )
    })
}

pub fn documents(docs: &[DocumentSummary], json: bool) -> Result<(), Error> {
    listing(
        docs,
        json,
        |out, d| {
            writeln!(
                out,
                "{}  {:<11}  {:>4} spans  {:<10}  {:<22}  {}",
                d.id,
                d.status.as_str(),
                d.span_count,
                or_dash(&d.meta.published),
                or_dash(&d.meta.outlet),
                d.meta
                    .title
                    .as_deref()
                    .or(d.meta.source_file.as_deref())
                    .unwrap_or("-")
            )
        },
        None,
    )
}

pub fn document(view: &DocumentView, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, view);
        }
        let d = &view.document.summary;
        let m = &d.meta;
        writeln!(out, "id:          {}", d.id)?;
        writeln!(out, "title:       {}", or_dash(&m.title))?;
        writeln!(out, "outlet:      {}", or_dash(&m.outlet))?;
        writeln!(out, "published:   {}", or_dash(&m.published))?;
        writeln!(out, "url:         {}", or_dash(&m.url))?;
        writeln!(out, "language:    {}", or_dash(&m.language))?;
        writeln!(out, "source file: {}", or_dash(&m.source_file))?;
        writeln!(out, "sha256:      {}", d.sha256)?;
        writeln!(out, "status:      {}", d.status.as_str())?;
        writeln!(out, "\n{}\n", view.document.text)?;
        writeln!(out, "spans ({}):", view.spans.len())?;
        for s in &view.spans {
            let attrs = if s.attrs.is_empty() {
                String::new()
            } else {
                format!("  {}", serde_json::Value::Object(s.attrs.clone()))
            };
            writeln!(
                out,
                "  {}  [{}, {})  {:<11}  {:?}{}",
                s.id, s.start, s.end, s.label, s.text, attrs
            )?;
        }
        writeln!(out, "relations ({}):", view.relations.len())?;
        for r in &view.relations {
            writeln!(out, "  {}  {} --{}--> {}", r.id, r.head, r.label, r.child)?;
        }
        Ok(())
    })
}

pub fn history(entries: &[HistoryEntry], json: bool) -> Result<(), Error> {
    listing(
        entries,
        json,
        |out, e| {
            let target = e.target_seq.map(|t| format!(" #{t}")).unwrap_or_default();
            let what = if e.what.is_empty() {
                String::new()
            } else {
                format!(": {}", e.what)
            };
            writeln!(
                out,
                "#{:<5} {}  {:<12} {}{}{}{}",
                e.seq,
                e.at,
                e.annotator,
                e.action,
                target,
                what,
                if e.undone { "  (undone)" } else { "" }
            )
        },
        None,
    )
}

pub fn sync_report(r: &SyncReport, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, r);
        }
        writeln!(
            out,
            "sent {} and {}; received {} and {}",
            count(r.sent_documents as usize, "document"),
            count(r.sent_changes as usize, "change"),
            count(r.received_documents as usize, "document"),
            count(r.received_changes as usize, "change"),
        )?;
        if r.conflicts > 0 {
            writeln!(
                out,
                "{} met: see `parallax sync WORKSPACE --conflicts`",
                count(r.conflicts as usize, "conflict")
            )?;
        }
        if r.refused > 0 || r.set_aside > 0 {
            writeln!(
                out,
                "set aside: {} refused by the server, {} received that could not be applied here (see --conflicts)",
                count(r.refused as usize, "change"),
                count(r.set_aside as usize, "change"),
            )?;
        }
        if r.unsent_of_others > 0 {
            writeln!(
                out,
                "{} made here under other annotators' names wait for them to sync",
                count(r.unsent_of_others as usize, "change")
            )?;
        }
        Ok(())
    })
}

pub fn sync_conflicts(found: &[SyncConflict], json: bool) -> Result<(), Error> {
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    listing(
        found,
        json,
        |out, c| {
            writeln!(
                out,
                "#{:<5} {}  {} {}: kept {} ({}), overwritten {} ({})",
                c.remote_seq,
                c.at,
                c.row,
                c.field,
                shown(&c.kept),
                c.kept_by,
                shown(&c.lost),
                c.lost_by
            )
        },
        None,
    )
}

pub fn snapshots(snapshots: &[Snapshot], json: bool) -> Result<(), Error> {
    listing(
        snapshots,
        json,
        |out, s| {
            writeln!(
                out,
                "{}  {:<28}  {:>8.1} MB  {}",
                s.taken_at,
                s.reason,
                s.bytes as f64 / 1e6,
                s.path.display()
            )
        },
        None,
    )
}

pub fn stats(stats: &Stats, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, stats);
        }
        // One column for every count, wide enough for the longest name and a gap.
        let width = [
            &stats.by_status,
            &stats.spans_by_label,
            &stats.relations_by_type,
            &stats.spans_by_layer,
        ]
        .iter()
        .flat_map(|counts| counts.iter().map(|(name, _)| name.chars().count()))
        .max()
        .unwrap_or(0)
        .max(10)
            + 2;
        let counts = |out: &mut dyn Write, counts: &[(String, u32)]| -> io::Result<()> {
            for (name, n) in counts {
                writeln!(out, "  {name:<width$}{n}")?;
            }
            Ok(())
        };
        writeln!(out, "documents   {}", stats.documents)?;
        counts(out, &stats.by_status)?;
        writeln!(out, "spans       {}", stats.spans)?;
        counts(out, &stats.spans_by_label)?;
        writeln!(out, "relations   {}", stats.relations)?;
        counts(out, &stats.relations_by_type)?;
        writeln!(out, "layers      {}", stats.spans_by_layer.len())?;
        counts(out, &stats.spans_by_layer)?;
        writeln!(out, "annotators  {}", stats.annotators.join(", "))?;
        writeln!(out, "characters  {}", stats.characters)?;
        writeln!(out, "history     {} entries", stats.history_entries)
    })
}

/// `text` with its highlighted ranges (code points) between `[` and `]`.
fn marked(text: &str, highlights: &[[u32; 2]]) -> String {
    let mut out = String::with_capacity(text.len() + 2 * highlights.len());
    for (i, c) in text.chars().enumerate() {
        let i = i as u32;
        if highlights.iter().any(|h| h[0] == i) {
            out.push('[');
        }
        if highlights.iter().any(|h| h[1] == i) {
            out.push(']');
        }
        out.push(c);
    }
    let n = text.chars().count() as u32;
    if highlights.iter().any(|h| h[1] == n) {
        out.push(']');
    }
    out
}

pub fn document_hits(results: &SearchResults<DocHit>, json: bool) -> Result<(), Error> {
    listing(
        &results.hits,
        json,
        |out, h| {
            writeln!(
                out,
                "{}  {:<10}  {:<22}  {}\n    {}",
                h.doc_id,
                or_dash(&h.published),
                or_dash(&h.outlet),
                or_dash(&h.title),
                marked(&h.snippet.text, &h.snippet.highlights)
            )
        },
        Some(format!(
            "{} of {} documents",
            results.hits.len(),
            results.total
        )),
    )
}

pub fn span_hits(results: &SearchResults<SpanHit>, json: bool) -> Result<(), Error> {
    listing(
        &results.hits,
        json,
        |out, h| {
            writeln!(
                out,
                "{}  {:<10}  {:<22}  {}  [{}, {})  {}",
                h.span_id,
                h.label,
                or_dash(&h.passage.outlet),
                h.passage.doc_id,
                h.passage.start,
                h.passage.end,
                marked(&h.passage.text, &h.highlights)
            )
        },
        Some(format!("{} of {} spans", results.hits.len(), results.total)),
    )
}

pub fn occurrences(found: &[Occurrence], json: bool) -> Result<(), Error> {
    listing(
        found,
        json,
        |out, o| {
            let labels = if o.labels.is_empty() {
                String::new()
            } else {
                format!("  (already {})", o.labels.join(", "))
            };
            writeln!(
                out,
                "{}  [{}, {})  {:<22}  {:?}{}",
                o.passage.doc_id,
                o.passage.start,
                o.passage.end,
                or_dash(&o.passage.outlet),
                o.passage.text,
                labels
            )
        },
        Some(format!("{} occurrences", found.len())),
    )
}

/// A suggestion as `parallax suggest --json` prints it, with its document.
#[derive(Serialize)]
struct SuggestionLine<'a> {
    document: &'a str,
    #[serde(flatten)]
    suggestion: &'a Suggestion,
}

pub fn suggestions(doc: &str, found: &[Suggestion], json: bool) -> Result<(), Error> {
    stdout(|out| {
        for s in found {
            if json {
                json_line(
                    out,
                    &SuggestionLine {
                        document: doc,
                        suggestion: s,
                    },
                )?;
                continue;
            }
            let spans: Vec<String> = s
                .spans
                .iter()
                .map(|span| {
                    format!(
                        "{} [{}, {}) {:?}",
                        span.label, span.start, span.end, span.text
                    )
                })
                .collect();
            writeln!(
                out,
                "{doc}  {:<11} {}  ({})",
                s.kind,
                spans.join("  "),
                s.suggested_by
            )?;
        }
        Ok(())
    })
}

/// What `parallax suggest` did over all documents.
#[derive(Debug, Default)]
pub struct Accepted {
    pub documents: usize,
    pub suggestions: usize,
    pub spans_added: usize,
    pub spans_already_there: usize,
    pub relations_added: usize,
}

impl Accepted {
    pub fn add(&mut self, outcome: &BatchOutcome) {
        self.spans_added += outcome.spans_added;
        self.spans_already_there += outcome.spans_already_there;
        self.relations_added += outcome.relations_added;
    }
}

/// The closing line: to stdout for `--apply` (what was done), to stderr otherwise (the
/// suggestions themselves are the output).
pub fn accepted(totals: &Accepted, applied: bool) -> Result<(), Error> {
    if applied {
        stdout(|out| {
            writeln!(
                out,
                "{} documents: {} spans added ({} already there), {} relations added",
                totals.documents,
                totals.spans_added,
                totals.spans_already_there,
                totals.relations_added
            )
        })
    } else {
        eprintln!(
            "{} suggestions in {} documents",
            totals.suggestions, totals.documents
        );
        Ok(())
    }
}

pub fn similar(found: &[SimilarPassage], json: bool) -> Result<(), Error> {
    listing(
        found,
        json,
        |out, p| {
            writeln!(
                out,
                "{:.2}  {}  [{}, {})  {:<22}  {}",
                p.score,
                p.passage.doc_id,
                p.passage.start,
                p.passage.end,
                or_dash(&p.passage.outlet),
                p.passage.text
            )
        },
        found.is_empty().then(|| "no similar passages".to_string()),
    )
}

pub fn sources(found: &[SourceOverview], json: bool) -> Result<(), Error> {
    listing(
        found,
        json,
        |out, s| {
            writeln!(
                out,
                "{}  {:<28}  {:<13}  {:>3} mentions  {:>3} claims  {}{}",
                s.entity.id,
                s.entity.name,
                s.entity.kind.as_str(),
                s.mentions,
                s.claims,
                s.outlets.join(", "),
                if s.entity.aliases.is_empty() {
                    String::new()
                } else {
                    format!("  (also: {})", s.entity.aliases.join("; "))
                }
            )
        },
        Some(format!("{} source entities", found.len())),
    )
}

fn figure(f: &Figure) -> String {
    let number = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    };
    let mut s = String::new();
    if let Some(q) = &f.qualifier {
        s.push_str(q);
        s.push(' ');
    }
    s.push_str(&number(f.value));
    if let Some(u) = f.upper {
        s.push_str(&format!("–{}", number(u)));
    }
    if let Some(unit) = &f.unit {
        s.push(' ');
        s.push_str(unit);
    }
    s
}

pub fn groups(found: &[GroupOverview], json: bool) -> Result<(), Error> {
    listing(
        found,
        json,
        |out, g| {
            writeln!(
                out,
                "{}  [{}]  {}{}",
                g.group.id,
                g.group.status.as_str(),
                g.group.canonical,
                if g.conflict {
                    "  ⚠ figures disagree"
                } else {
                    ""
                }
            )?;
            for m in &g.members {
                let sources: Vec<String> = m
                    .sources
                    .iter()
                    .map(|s| s.entity.clone().unwrap_or_else(|| s.text.clone()))
                    .collect();
                let figures: Vec<String> = m.figures.iter().map(figure).collect();
                writeln!(
                    out,
                    "  {} {:<22} {:<10} {}{}{}  “{}”",
                    if m.first { "*" } else { " " },
                    or_dash(&m.passage.outlet),
                    or_dash(&m.published),
                    if sources.is_empty() {
                        String::new()
                    } else {
                        format!("{}  ", sources.join(", "))
                    },
                    if figures.is_empty() {
                        String::new()
                    } else {
                        format!("[{}]  ", figures.join(", "))
                    },
                    if m.conflicting { "⚠" } else { "" },
                    m.passage.text
                )?;
            }
            Ok(())
        },
        Some(format!(
            "{} claim groups (* first appearance, ⚠ figures disagree)",
            found.len()
        )),
    )
}

pub fn entity_suggestions(found: &[EntitySuggestion], json: bool) -> Result<(), Error> {
    listing(
        found,
        json,
        |out, s| {
            writeln!(
                out,
                "{:.2}  {}  {}  (matched “{}”)",
                s.score, s.entity.id, s.entity.name, s.matched
            )
        },
        found
            .is_empty()
            .then(|| "no entity matches this name".to_string()),
    )
}

pub fn mentions(found: &[MentionSuggestion], json: bool) -> Result<(), Error> {
    listing(
        found,
        json,
        |out, m| {
            writeln!(
                out,
                "{:.2}  {}  {:<22}  {}",
                m.score,
                m.span_id,
                or_dash(&m.outlet),
                m.text
            )
        },
        Some(format!("{} unlinked mentions", found.len())),
    )
}

/// A figure to three decimals, or `-` where it is undefined.
fn coefficient(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.3}"))
}

/// Span F1, exact and by overlap, as two columns.
fn span_f1(s: &SpanAgreement) -> String {
    format!(
        "{:>7} {:>7}",
        coefficient(s.exact_f1),
        coefficient(s.overlap_f1)
    )
}

pub fn agreement(r: &AgreementReport, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, r);
        }
        let o = &r.overall;
        writeln!(
            out,
            "{} documents compared, annotators {}",
            r.documents,
            r.annotators.join(", ")
        )?;
        writeln!(
            out,
            "overall  span F1 exact {}  overlap {}  relations F1 {}  α {}  mean κ {}  document labels α {}",
            coefficient(o.spans.exact_f1),
            coefficient(o.spans.overlap_f1),
            coefficient(o.relations_f1),
            coefficient(o.alpha),
            coefficient(o.mean_kappa),
            coefficient(o.doc_label_alpha)
        )?;
        let width = r
            .pairs
            .iter()
            .map(|p| p.first.chars().count() + p.second.chars().count() + 3)
            .chain(r.labels.iter().map(|l| l.chars().count()))
            .max()
            .unwrap_or(0)
            .max(10);
        writeln!(
            out,
            "\n{:<width$}  docs   exact overlap relations       κ",
            "pair"
        )?;
        for p in &r.pairs {
            let pair = format!("{} ~ {}", p.first, p.second);
            writeln!(
                out,
                "{pair:<width$}  {:>4} {} {:>9} {:>7}",
                p.documents,
                span_f1(&p.spans),
                coefficient(p.relations_f1),
                coefficient(p.kappa)
            )?;
        }
        writeln!(out, "\n{:<width$}   exact overlap       α", "label")?;
        for l in &r.by_label {
            writeln!(
                out,
                "{:<width$} {} {:>7}",
                l.label,
                span_f1(&l.spans),
                coefficient(l.alpha)
            )?;
        }
        writeln!(out, "\ndocuments, most disagreement first")?;
        for d in &r.by_document {
            writeln!(
                out,
                "  {}  {} {:>3} unmatched  {}  ({})",
                &d.doc_id.get(..8).unwrap_or(&d.doc_id),
                span_f1(&d.spans),
                d.unmatched,
                d.name,
                d.annotators.join(", ")
            )?;
        }
        Ok(())
    })
}

pub fn assign_report(r: &AssignReport, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, r);
        }
        for share in &r.shares {
            writeln!(
                out,
                "{:<16} {:>6} documents {:>10} characters",
                share.annotator, share.documents, share.characters
            )?;
        }
        writeln!(
            out,
            "assigned {}, of them {} to more than one annotator",
            count(r.documents as usize, "document"),
            r.shared
        )
    })
}

pub fn curation(c: &Curation, json: bool) -> Result<(), Error> {
    stdout(|out| {
        if json {
            return json_line(out, c);
        }
        let finished = if c.curated { " (curated)" } else { "" };
        writeln!(out, "layers: {}{finished}", c.annotators.join(", "))?;
        for v in &c.candidates {
            let mark = if v.gold.is_some() {
                "gold"
            } else if v.rejected {
                "rej "
            } else if v.superseded {
                "sup "
            } else if v.unanimous {
                "all "
            } else {
                "    "
            };
            let layers: Vec<String> = v
                .layers
                .iter()
                .map(|(who, id)| format!("{who}:{}", id.get(..8).unwrap_or(id)))
                .collect();
            writeln!(
                out,
                "{mark} [{}, {}) {:<10} {:?}  {}",
                v.start,
                v.end,
                v.label,
                v.text,
                layers.join(" ")
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_bracketed_by_code_points() {
        assert_eq!(
            marked("🇷🇺 some units", &[[3, 7], [8, 13]]),
            "🇷🇺 [some] [units]"
        );
        assert_eq!(marked("abc", &[]), "abc");
    }
}
