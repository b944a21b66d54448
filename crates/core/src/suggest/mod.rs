//! Suggested annotations: attributions (statement, speaker, reporting words and their relations)
//! and site furniture found by rules, and spans of the workspace's pattern file. They are never
//! stored as annotations, and so never exported, until an analyst accepts them.

pub mod attribution;
pub mod patterns;

use std::sync::mpsc;

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Document, LabelSchema};
use crate::offsets::OffsetMap;
use crate::store::{BatchOutcome, BatchRelation, BatchSpan, DocBatch, NewSpan, Workspace};
use crate::text::Tokenized;
pub use attribution::{KnownSpeakers, Speech};
pub use patterns::PatternSet;

/// Documents read ahead of the one being written, for the rules' thread of
/// [`Suggester::accept_all`].
const RULES_AHEAD: usize = 16;

/// Where the workspace keeps its pattern file (in `workspace_meta`).
const PATTERNS_KEY: &str = "suggest.patterns";

/// Spans proposed together, with the relations between them: an attribution (its CLAIM,
/// SOURCE and CUE), a BOILERPLATE stretch, or a pattern's span.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Suggestion {
    /// `direct`, `mixed` or `indirect` (speech), `boilerplate`, or `pattern`.
    pub kind: String,
    pub spans: Vec<SuggestedSpan>,
    pub relations: Vec<SuggestedRelation>,
    /// What proposed it: `rule:NAME`, `pattern:ID`, or `pattern:line N`.
    pub suggested_by: String,
}

/// A span of a suggestion, `[start, end)` in code points.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SuggestedSpan {
    pub start: u32,
    pub end: u32,
    pub label: String,
    pub text: String,
    /// Attribute values by attribute name (`type`, `refers_to`); often none.
    #[ts(type = "Record<string, unknown>")]
    pub attrs: Map<String, Value>,
}

/// A relation between two spans of a suggestion, by their places in `spans`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SuggestedRelation {
    pub head: usize,
    pub child: usize,
    pub label: String,
}

/// What to suggest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SuggestOptions {
    /// The attribution and boilerplate rules (for English text).
    pub rules: bool,
    /// Every match of every pattern, overlapping ones too (for checking a pattern file).
    pub every_match: bool,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            rules: true,
            every_match: false,
        }
    }
}

impl Workspace {
    /// Keeps a pattern file in the workspace, in place of any kept before, after checking every
    /// line and that every label is in the schema; returns how many patterns it holds. An empty
    /// file removes the patterns.
    pub fn set_patterns(&mut self, jsonl: &str) -> Result<usize> {
        let set = self.checked_patterns(jsonl)?;
        crate::store::set_setting(self.conn(), PATTERNS_KEY, jsonl)?;
        Ok(set.len())
    }

    /// The workspace's pattern file (empty when none was kept).
    pub fn patterns(&self) -> Result<PatternSet> {
        match crate::store::setting(self.conn(), PATTERNS_KEY)? {
            Some(jsonl) => PatternSet::parse(&jsonl),
            None => Ok(PatternSet::default()),
        }
    }

    /// Reads a pattern file and checks its labels against the schema.
    pub fn checked_patterns(&self, jsonl: &str) -> Result<PatternSet> {
        let set = PatternSet::parse(jsonl)?;
        let schema = self.schema()?;
        for (line, label) in set.labels() {
            if !schema.span_labels.iter().any(|l| l.name == label) {
                let known: Vec<&str> = schema.span_labels.iter().map(|l| l.name.as_str()).collect();
                return Err(Error::InvalidPattern {
                    line,
                    problem: format!(
                        "the schema has no span label `{label}` (it has {})",
                        known.join(", ")
                    ),
                });
            }
        }
        Ok(set)
    }

    /// What is proposed for a document: the rules' suggestions (for text in English or of no
    /// known language) and the spans of `patterns`, in text order, each held to the schema (a
    /// span of a label it lacks is left out with its relations; an attribute it lacks, too).
    pub fn suggestions(
        &self,
        doc: &str,
        patterns: &PatternSet,
        options: SuggestOptions,
    ) -> Result<Vec<Suggestion>> {
        self.suggester(patterns, options)?.suggestions(self, doc)
    }

    /// What is still to propose to `annotator` in a document: [`Workspace::suggestions`] less
    /// those they turned down ([`Workspace::reject_suggestion`]) and those whose every span
    /// their layer has already (the same label, overlapping).
    pub fn open_suggestions(
        &self,
        doc: &str,
        patterns: &PatternSet,
        options: SuggestOptions,
        annotator: &str,
    ) -> Result<Vec<Suggestion>> {
        self.suggester(patterns, options)?
            .open_suggestions(self, doc, annotator)
    }

    /// Accepts, of what is still proposed to `annotator` in a document (by the rules and the
    /// workspace's pattern file), the suggestion whose first span is `[start, end)` with
    /// `label` (the key a rejection is kept under), or every one when `which` is `None`
    /// ("accept all in this document"): one undo step, none when nothing is open.
    pub fn accept_open_suggestions(
        &mut self,
        doc: &str,
        which: Option<(u32, u32, &str)>,
        annotator: &str,
    ) -> Result<BatchOutcome> {
        let doc_id = self.resolve_document(doc)?;
        let patterns = self.patterns()?;
        let mut open = self
            .suggester(&patterns, SuggestOptions::default())?
            .open_suggestions(self, &doc_id, annotator)?;
        if let Some((start, end, label)) = which {
            open.retain(|s| {
                let first = &s.spans[0];
                (first.start, first.end) == (start, end) && first.label == label
            });
            if open.is_empty() {
                return Err(Error::SuggestionNotFound {
                    start,
                    end,
                    label: label.to_string(),
                });
            }
            open.truncate(1);
        }
        if open.is_empty() {
            return Ok(BatchOutcome::default());
        }
        self.accept_suggestions(&doc_id, &open, annotator)
    }

    /// What suggesting reads from the workspace once for any number of documents: the schema,
    /// and the source entities as known speakers under every name they go by.
    pub fn suggester<'p>(
        &self,
        patterns: &'p PatternSet,
        options: SuggestOptions,
    ) -> Result<Suggester<'p>> {
        let known = if options.rules {
            let entities = self.source_entities()?;
            KnownSpeakers::new(entities.iter().flat_map(|e| {
                std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str))
            }))
        } else {
            KnownSpeakers::default()
        };
        Ok(Suggester {
            patterns,
            options,
            schema: self.schema()?,
            known,
        })
    }

    /// Adds suggestions to a document as annotations of `annotator`, with what proposed each,
    /// as one undo step; a span the layer already has (same label, overlapping) is not added
    /// twice, and relations go to the one already there.
    pub fn accept_suggestions(
        &mut self,
        doc: &str,
        suggestions: &[Suggestion],
        annotator: &str,
    ) -> Result<BatchOutcome> {
        let (spans, relations) = batch_of(suggestions);
        self.add_batch(doc, spans, &relations, annotator)
    }
}

/// Suggestions as the spans and relations of a batch to add.
fn batch_of(suggestions: &[Suggestion]) -> (Vec<BatchSpan>, Vec<BatchRelation>) {
    let mut spans = Vec::new();
    let mut relations = Vec::new();
    for s in suggestions {
        let base = spans.len();
        spans.extend(s.spans.iter().map(|span| BatchSpan {
            span: NewSpan {
                doc_id: String::new(),
                start: span.start,
                end: span.end,
                label: span.label.clone(),
                attrs: span.attrs.clone(),
                note: None,
            },
            suggested_by: Some(s.suggested_by.clone()),
        }));
        relations.extend(s.relations.iter().map(|r| BatchRelation {
            head: base + r.head,
            child: base + r.child,
            label: r.label.clone(),
        }));
    }
    (spans, relations)
}

/// Suggestions for the documents of one workspace, with what they need from it read once
/// ([`Workspace::suggester`]): `parallax suggest` over a whole workspace.
pub struct Suggester<'p> {
    patterns: &'p PatternSet,
    options: SuggestOptions,
    schema: LabelSchema,
    known: KnownSpeakers,
}

impl Suggester<'_> {
    /// [`Workspace::suggestions`] of one document.
    pub fn suggestions(&self, ws: &Workspace, doc: &str) -> Result<Vec<Suggestion>> {
        Ok(self.suggestions_in(&ws.document(doc)?))
    }

    fn suggestions_in(&self, document: &Document) -> Vec<Suggestion> {
        let english = document
            .summary
            .meta
            .language
            .as_deref()
            .is_none_or(|l| l == "eng" || l == "en");
        let options = SuggestOptions {
            rules: self.options.rules && english,
            ..self.options
        };
        let mut found = suggest_by(&document.text, self.patterns, options, &self.known);
        found.retain_mut(|s| fit_to_schema(s, &self.schema));
        found
    }

    /// Accepts every suggestion for `docs` as annotations of `annotator` (`parallax suggest
    /// --apply`): one undo step a document, spans the layer has already not added twice;
    /// `done` is told what each document got. Written a few hundred documents to a commit
    /// ([`Workspace::add_batches`]); a failure keeps what the documents before it got. The
    /// rules run on a second thread, a few documents ahead of the writing.
    pub fn accept_all(
        &self,
        ws: &Workspace,
        docs: &[String],
        annotator: &str,
        done: impl FnMut(&str, &BatchOutcome),
    ) -> Result<()> {
        std::thread::scope(|scope| {
            let (to_rules, documents) = mpsc::channel::<Document>();
            let (to_writer, batches) = mpsc::channel::<DocBatch>();
            let rules = scope.spawn(move || {
                for document in documents {
                    let (spans, relations) = batch_of(&self.suggestions_in(&document));
                    let batch = DocBatch {
                        doc_id: document.summary.id,
                        text: document.text,
                        spans,
                        relations,
                    };
                    if to_writer.send(batch).is_err() {
                        break; // the writing stopped at an error
                    }
                }
            });
            let mut unread = docs.iter();
            let mut read_ahead = || -> Result<bool> {
                let Some(doc) = unread.next() else {
                    return Ok(false);
                };
                // A send fails only if the rules' thread is gone, which it is not before this
                // function returns; the batch then never comes, and `recv` says so.
                let _ = to_rules.send(ws.document(doc)?);
                Ok(true)
            };
            let mut in_flight = 0;
            // A document that cannot be read fails in its turn, after those before it.
            let mut unreadable = None;
            let written = std::iter::from_fn(|| {
                while unreadable.is_none() && in_flight < RULES_AHEAD {
                    match read_ahead() {
                        Ok(true) => in_flight += 1,
                        Ok(false) => break,
                        Err(e) => unreadable = Some(e),
                    }
                }
                if in_flight == 0 {
                    return unreadable.take().map(Err);
                }
                in_flight -= 1;
                Some(batches.recv().map_err(|_| Error::SuggesterStopped))
            });
            let outcome = ws.add_batches(written, annotator, done);
            drop(to_rules);
            // Joined here so that a panic in the rules is the error above, not a panic of the
            // scope.
            let _ = rules.join();
            outcome
        })
    }
    /// [`Workspace::open_suggestions`] of one document.
    pub fn open_suggestions(
        &self,
        ws: &Workspace,
        doc: &str,
        annotator: &str,
    ) -> Result<Vec<Suggestion>> {
        let doc_id = ws.resolve_document(doc)?;
        let mut found = self.suggestions(ws, &doc_id)?;
        let rejected = ws.rejected_suggestions(&doc_id, annotator)?;
        let who = crate::store::annotator_name(annotator);
        let layer: Vec<(u32, u32, String)> = ws
            .spans(&doc_id)?
            .into_iter()
            .filter(|s| s.annotator == who)
            .map(|s| (s.start, s.end, s.label))
            .collect();
        found.retain(|s| {
            let first = &s.spans[0];
            let turned_down = rejected
                .iter()
                .any(|(a, b, l)| (*a, *b) == (first.start, first.end) && *l == first.label);
            let annotated = s.spans.iter().all(|sp| {
                layer
                    .iter()
                    .any(|(a, b, l)| *l == sp.label && *a < sp.end && sp.start < *b)
            });
            !turned_down && !annotated
        });
        Ok(found)
    }
}

/// Drops what the schema cannot hold; false when nothing of the suggestion is left.
fn fit_to_schema(s: &mut Suggestion, schema: &LabelSchema) -> bool {
    let known = |label: &str| schema.span_labels.iter().any(|l| l.name == label);
    let kept: Vec<bool> = s.spans.iter().map(|span| known(&span.label)).collect();
    let mut place = Vec::with_capacity(kept.len());
    let mut n = 0;
    for &k in &kept {
        place.push(n);
        n += usize::from(k);
    }
    s.relations.retain_mut(|r| {
        let allowed = schema.relation_types.iter().any(|t| {
            t.name == r.label
                && (t.heads.is_empty() || t.heads.contains(&s.spans[r.head].label))
                && (t.children.is_empty() || t.children.contains(&s.spans[r.child].label))
        });
        if !(allowed && kept[r.head] && kept[r.child]) {
            return false;
        }
        r.head = place[r.head];
        r.child = place[r.child];
        true
    });
    let mut i = 0;
    s.spans.retain(|_| {
        i += 1;
        kept[i - 1]
    });
    for span in &mut s.spans {
        span.attrs.retain(|name, value| {
            schema.attributes.iter().any(|a| {
                a.name == *name
                    && (a.labels.is_empty() || a.labels.contains(&span.label))
                    && crate::store::check_attr_value(name, &a.kind, value).is_ok()
            })
        });
    }
    !s.spans.is_empty()
}

/// What the rules and `patterns` propose for `text`, in text order.
pub fn suggest(text: &str, patterns: &PatternSet, options: SuggestOptions) -> Vec<Suggestion> {
    suggest_by(text, patterns, options, &KnownSpeakers::default())
}

/// [`suggest`], with the names of known speakers (see [`attribution::attributions_by`]).
pub fn suggest_by(
    text: &str,
    patterns: &PatternSet,
    options: SuggestOptions,
    known_speakers: &KnownSpeakers,
) -> Vec<Suggestion> {
    let map = OffsetMap::new(text);
    let span = |label: &str, (a, b): (usize, usize)| SuggestedSpan {
        start: map.byte_to_cp(a).unwrap_or(0) as u32,
        end: map.byte_to_cp(b).unwrap_or(0) as u32,
        label: label.to_string(),
        text: text[a..b].to_string(),
        attrs: Map::new(),
    };
    let mut out = Vec::new();
    if options.rules {
        for a in attribution::attributions_by(text, known_speakers) {
            let mut claim = span("CLAIM", a.claim);
            if a.speech != Speech::Indirect {
                claim.attrs.insert("type".into(), "quote".into());
            }
            let mut spans = vec![claim];
            let mut relations = Vec::new();
            if let Some(source) = a.source {
                let mut source = span("SOURCE", source);
                if let Some(name) = &a.refers_to {
                    source.attrs.insert("refers_to".into(), name.clone().into());
                }
                spans.push(source);
                relations.push(SuggestedRelation {
                    head: 0,
                    child: spans.len() - 1,
                    label: "attributed_to".into(),
                });
            }
            if let Some(cue) = a.cue {
                spans.push(span("CUE", cue));
                relations.push(SuggestedRelation {
                    head: spans.len() - 1,
                    child: 0,
                    label: "cue_of".into(),
                });
            }
            // The figures the claim states, by the same parser the claim groups compare with.
            let (c0, c1) = a.claim;
            for (f0, f1) in crate::cross::figures::locate(&text[c0..c1]) {
                spans.push(span("QUANTITY", (c0 + f0, c0 + f1)));
                relations.push(SuggestedRelation {
                    head: spans.len() - 1,
                    child: 0,
                    label: "quantity_of".into(),
                });
            }
            out.push(Suggestion {
                kind: a.speech.name().into(),
                spans,
                relations,
                suggested_by: a.rule.into(),
            });
        }
        for range in attribution::boilerplate(text) {
            out.push(Suggestion {
                kind: "boilerplate".into(),
                spans: vec![span("BOILERPLATE", range)],
                relations: Vec::new(),
                suggested_by: "rule:boilerplate".into(),
            });
        }
    }
    if !patterns.is_empty() {
        let doc = Tokenized::new(text, &map, &[]);
        let mut found = if options.every_match {
            patterns.all_matches(&doc)
        } else {
            patterns.matches(&doc)
        };
        found.sort_by_key(|m| (m.start, m.end, m.pattern));
        out.extend(found.into_iter().map(|m| Suggestion {
            kind: "pattern".into(),
            spans: vec![span(
                patterns.label(m.pattern),
                (doc.tokens[m.start].start, doc.tokens[m.end - 1].end),
            )],
            relations: Vec::new(),
            suggested_by: patterns.origin(m.pattern),
        }));
    }
    out.sort_by_key(|s| (s.spans[0].start, s.spans[0].end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claims_figures_are_quantities_linked_to_it() {
        let text = "Some 130,000 soldiers remain near the border, Western officials said.";
        let found = suggest(text, &PatternSet::default(), SuggestOptions::default());
        assert_eq!(found.len(), 1);
        let s = &found[0];
        let quantity = s.spans.iter().position(|sp| sp.label == "QUANTITY");
        let quantity = quantity.expect("a QUANTITY span");
        assert_eq!(s.spans[quantity].text, "Some 130,000 soldiers");
        assert!(s.relations.iter().any(|r| r.head == quantity
            && r.child == 0
            && r.label == "quantity_of"
            && s.spans[0].label == "CLAIM"));
    }

    #[test]
    fn what_the_schema_lacks_is_left_out() {
        let text = "Some 130,000 soldiers remain near the border, Western officials said.";
        let mut found = suggest(text, &PatternSet::default(), SuggestOptions::default());
        let mut schema = crate::store::default_schema();
        schema.span_labels.retain(|l| l.name != "CUE");
        schema.attributes.clear();
        assert!(fit_to_schema(&mut found[0], &schema));
        let mut quoted = suggest(
            "“We will return to our bases,” the spokesman said.",
            &PatternSet::default(),
            SuggestOptions::default(),
        );
        // A schema whose claim types lack `quote` keeps the claim, not the attribute.
        let mut no_quote = crate::store::default_schema();
        for a in &mut no_quote.attributes {
            if let crate::model::AttrKind::Enum { options } = &mut a.kind {
                options.retain(|o| o != "quote");
            }
        }
        assert!(fit_to_schema(&mut quoted[0], &no_quote));
        assert!(quoted[0].spans[0].attrs.is_empty());
        let labels: Vec<&str> = found[0].spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["CLAIM", "SOURCE", "QUANTITY"]);
        // cue_of went with its CUE; the other relations point at the spans' new places.
        let relations: Vec<(&str, &str, &str)> = found[0]
            .relations
            .iter()
            .map(|r| {
                (
                    found[0].spans[r.head].label.as_str(),
                    r.label.as_str(),
                    found[0].spans[r.child].label.as_str(),
                )
            })
            .collect();
        assert_eq!(
            relations,
            [
                ("CLAIM", "attributed_to", "SOURCE"),
                ("QUANTITY", "quantity_of", "CLAIM")
            ]
        );
    }
}
