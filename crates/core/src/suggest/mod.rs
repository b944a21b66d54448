//! Suggested annotations: spans proposed for a document (today by the workspace's pattern file),
//! never stored as annotations and never exported until an analyst accepts them.

pub mod patterns;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::offsets::OffsetMap;
use crate::store::Workspace;
use crate::text::Tokenized;
pub use patterns::PatternSet;

/// Where the workspace keeps its pattern file (in `workspace_meta`).
const PATTERNS_KEY: &str = "suggest.patterns";

/// A span proposed for a document, `[start, end)` in code points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedSpan {
    pub start: u32,
    pub end: u32,
    pub label: String,
    pub text: String,
    /// What proposed it: `pattern:ID`, or `pattern:line N` for a pattern without an id.
    pub suggested_by: String,
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

    /// The spans proposed for a document by `patterns`, in text order: no two overlapping, or
    /// with `every_match` each match of each pattern (for checking a pattern file).
    pub fn suggestions(
        &self,
        doc: &str,
        patterns: &PatternSet,
        every_match: bool,
    ) -> Result<Vec<SuggestedSpan>> {
        let document = self.document(doc)?;
        Ok(suggest(&document.text, patterns, every_match))
    }
}

/// The spans `patterns` propose for `text`, in text order (see [`Workspace::suggestions`]).
pub fn suggest(text: &str, patterns: &PatternSet, every_match: bool) -> Vec<SuggestedSpan> {
    if patterns.is_empty() {
        return Vec::new();
    }
    let map = OffsetMap::new(text);
    let doc = Tokenized::new(text, &map, &[]);
    let mut found = if every_match {
        patterns.all_matches(&doc)
    } else {
        patterns.matches(&doc)
    };
    found.sort_by_key(|m| (m.start, m.end, m.pattern));
    found
        .into_iter()
        .map(|m| {
            let (start, end) = (doc.cp[m.start].0, doc.cp[m.end - 1].1);
            SuggestedSpan {
                start,
                end,
                label: patterns.label(m.pattern).to_string(),
                text: text[doc.tokens[m.start].start..doc.tokens[m.end - 1].end].to_string(),
                suggested_by: patterns.origin(m.pattern),
            }
        })
        .collect()
}
