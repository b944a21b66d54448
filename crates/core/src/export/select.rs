//! Which documents and annotations an export holds. Documents are chosen by status, outlet,
//! published date and annotator; spans by label and annotator, and relations follow their spans.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{DocStatus, DocumentSummary, DocumentView};
use crate::store::{GOLD_LAYER, Workspace};

/// Filters of an export. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct ExportFilter {
    /// Documents with one of these statuses.
    pub statuses: Vec<DocStatus>,
    /// Documents from one of these outlets.
    pub outlets: Vec<String>,
    /// Documents published on or after this day (`YYYY-MM-DD`); undated ones are left out.
    pub published_from: Option<String>,
    /// Documents published on or before this day (`YYYY-MM-DD`); undated ones are left out.
    pub published_to: Option<String>,
    /// Only spans with one of these labels (documents are kept, with fewer spans).
    pub labels: Vec<String>,
    /// Only annotations by these annotators (layers), and only documents they annotated.
    /// Empty: the `gold` layer when the workspace has one, else every layer.
    pub annotators: Vec<String>,
    /// Every layer, each annotation with its annotator, even where a `gold` layer exists.
    pub all_layers: bool,
    /// Leave the text under exported BOILERPLATE spans out of each document (the stored text
    /// never changes), every other span's offsets moved to match; a span that overlaps
    /// boilerplate is left out with its relations.
    pub without_boilerplate: bool,
}

fn check_day(day: &Option<String>, what: &str) -> Result<()> {
    if let Some(d) = day {
        let ok = d.len() == 10
            && time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .is_ok();
        if !ok {
            return Err(Error::InvalidFilter(format!(
                "{what} `{d}` is not a day written YYYY-MM-DD"
            )));
        }
    }
    Ok(())
}

impl ExportFilter {
    /// The filter with the layers it exports named: `gold` where none are named, the
    /// workspace has a gold layer and `all_layers` is not set.
    pub(crate) fn with_layers(&self, ws: &Workspace) -> Result<ExportFilter> {
        let mut filter = self.clone();
        if filter.annotators.is_empty() && !filter.all_layers && ws.has_gold()? {
            filter.annotators = vec![GOLD_LAYER.to_string()];
        }
        Ok(filter)
    }

    fn keeps_document(&self, d: &DocumentSummary) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&d.status))
            && (self.outlets.is_empty()
                || d.meta
                    .outlet
                    .as_ref()
                    .is_some_and(|o| self.outlets.iter().any(|f| f.eq_ignore_ascii_case(o))))
            && self.published_from.as_ref().is_none_or(|from| {
                d.meta
                    .published
                    .as_ref()
                    .is_some_and(|p| p.as_str() >= from.as_str())
            })
            && self.published_to.as_ref().is_none_or(|to| {
                d.meta
                    .published
                    .as_ref()
                    .is_some_and(|p| p.as_str() <= to.as_str())
            })
    }

    /// Keeps the spans, relations and document labels the filter asks for.
    fn apply(&self, view: &mut DocumentView) {
        let by_annotator =
            |a: &str| self.annotators.is_empty() || self.annotators.iter().any(|x| x == a);
        if self.without_boilerplate {
            strip_boilerplate(view, by_annotator);
        }
        view.spans.retain(|s| {
            (self.labels.is_empty() || self.labels.contains(&s.label)) && by_annotator(&s.annotator)
        });
        let kept: std::collections::HashSet<&str> =
            view.spans.iter().map(|s| s.id.as_str()).collect();
        view.relations.retain(|r| {
            kept.contains(r.head.as_str())
                && kept.contains(r.child.as_str())
                && by_annotator(&r.annotator)
        });
        view.doc_labels.retain(|l| by_annotator(&l.annotator));
    }
}

/// Cuts the text under the BOILERPLATE spans of the layers `exported` keeps (with the blank
/// space that follows each, so no empty paragraphs are left) out of a document, and moves the
/// other spans to the shorter text; spans that overlap a cut go, with their relations.
fn strip_boilerplate(view: &mut DocumentView, exported: impl Fn(&str) -> bool) {
    let chars: Vec<char> = view.document.text.chars().collect();
    let len = chars.len() as u32;
    let mut cuts: Vec<(u32, u32)> = view
        .spans
        .iter()
        .filter(|s| s.label == BOILERPLATE_LABEL && exported(&s.annotator))
        .map(|s| (s.start, s.end.min(len)))
        .collect();
    if cuts.is_empty() {
        return;
    }
    cuts.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(cuts.len());
    for (a, mut b) in cuts {
        while b < len && chars[b as usize].is_whitespace() {
            b += 1;
        }
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    // Boilerplate at the end takes the blank space before it too.
    if let Some(last) = merged.last_mut()
        && last.1 == len
    {
        while last.0 > 0 && chars[last.0 as usize - 1].is_whitespace() {
            last.0 -= 1;
        }
    }
    let cut_before = |offset: u32| -> u32 {
        merged
            .iter()
            .take_while(|(a, _)| *a < offset)
            .map(|&(a, b)| b.min(offset) - a)
            .sum()
    };
    let inside = |s: u32, e: u32| merged.iter().any(|&(a, b)| s < b && a < e);
    view.spans.retain_mut(|s| {
        if s.label == BOILERPLATE_LABEL || inside(s.start, s.end) {
            return false;
        }
        s.start -= cut_before(s.start);
        s.end -= cut_before(s.end);
        true
    });
    let mut text = String::with_capacity(view.document.text.len());
    let mut at = 0;
    for &(a, b) in &merged {
        text.extend(&chars[at as usize..a as usize]);
        at = b;
    }
    text.extend(&chars[at as usize..]);
    view.document.summary.char_len = text.chars().count() as u32;
    // The hash says which text this is: a re-import of the shortened text must not pass for
    // the whole article.
    view.document.summary.sha256 = crate::text::sha256_hex(text.as_bytes());
    view.document.text = text;
}

/// The label whose text `without_boilerplate` leaves out.
const BOILERPLATE_LABEL: &str = "BOILERPLATE";

/// The documents an export holds, in import order.
pub fn select(ws: &Workspace, filter: &ExportFilter) -> Result<Vec<DocumentSummary>> {
    check_day(&filter.published_from, "the first day")?;
    check_day(&filter.published_to, "the last day")?;
    let schema = ws.schema()?;
    for label in &filter.labels {
        if !schema.span_labels.iter().any(|l| &l.name == label) {
            return Err(Error::UnknownLabel(label.clone()));
        }
    }
    let mut docs: Vec<DocumentSummary> = ws
        .list_documents()?
        .into_iter()
        .filter(|d| filter.keeps_document(d))
        .collect();
    if !filter.annotators.is_empty() {
        let touched = ws.documents_annotated_by(&filter.annotators)?;
        docs.retain(|d| touched.contains(&d.id));
    }
    Ok(docs)
}

/// Selected documents with the annotations the filter keeps, read as one batch.
pub fn load(
    ws: &Workspace,
    summaries: &[&DocumentSummary],
    filter: &ExportFilter,
) -> Result<Vec<DocumentView>> {
    let mut views = ws.views_for_export(summaries)?;
    for view in &mut views {
        filter.apply(view);
    }
    Ok(views)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocMeta;

    fn summary(
        status: DocStatus,
        outlet: Option<&str>,
        published: Option<&str>,
    ) -> DocumentSummary {
        DocumentSummary {
            id: "d".into(),
            meta: DocMeta {
                outlet: outlet.map(Into::into),
                published: published.map(Into::into),
                ..Default::default()
            },
            sha256: String::new(),
            status,
            char_len: 0,
            span_count: 0,
            imported_at: String::new(),
            derived_title: None,
        }
    }

    #[test]
    fn documents_are_kept_by_status_outlet_and_date() {
        let f = ExportFilter {
            statuses: vec![DocStatus::Done],
            outlets: vec!["Reuters.com".into()],
            published_from: Some("2022-02-01".into()),
            published_to: Some("2022-02-28".into()),
            ..Default::default()
        };
        assert!(f.keeps_document(&summary(
            DocStatus::Done,
            Some("reuters.com"),
            Some("2022-02-15")
        )));
        assert!(!f.keeps_document(&summary(
            DocStatus::New,
            Some("reuters.com"),
            Some("2022-02-15")
        )));
        assert!(!f.keeps_document(&summary(
            DocStatus::Done,
            Some("tass.ru"),
            Some("2022-02-15")
        )));
        assert!(!f.keeps_document(&summary(
            DocStatus::Done,
            Some("reuters.com"),
            Some("2022-03-01")
        )));
        assert!(!f.keeps_document(&summary(DocStatus::Done, Some("reuters.com"), None)));
        assert!(ExportFilter::default().keeps_document(&summary(DocStatus::New, None, None)));
    }

    #[test]
    fn a_malformed_day_is_refused_with_its_value() {
        let err = check_day(&Some("15/02/2022".into()), "the first day").unwrap_err();
        assert!(err.to_string().contains("15/02/2022"), "{err}");
    }
}
