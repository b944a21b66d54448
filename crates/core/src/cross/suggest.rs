//! Suggestions that make cross-document linking a few keystrokes: which entity a SOURCE span
//! names, which unlinked SOURCE spans name an entity, and which passages of other documents
//! carry the same claim.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::search::SearchIndex;
use crate::search::similar::SimilarPassage;
use crate::store::{CLAIM_LABEL, SourceEntity, Workspace};
use crate::text::names::name_likeness;
use crate::text::passage::{claim_extent, paragraph_around};

/// Names scoring below this are not offered.
const MIN_NAME_LIKENESS: f64 = 0.6;

/// An entity a SOURCE span may name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct EntitySuggestion {
    pub entity: SourceEntity,
    /// 0 to 1, by the best of its name and aliases.
    pub score: f64,
    /// The name or alias that matched best.
    pub matched: String,
}

/// A SOURCE span not linked yet that names an entity.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MentionSuggestion {
    pub span_id: String,
    pub doc_id: String,
    pub text: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub score: f64,
}

/// A passage of another document like a claim, and the CLAIM span already there if any.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClaimSuggestion {
    pub passage: SimilarPassage,
    /// The CLAIM span overlapping the passage, if it is annotated.
    pub span_id: Option<String>,
    /// That span's group when it is in another group than the claim's.
    pub group: Option<String>,
    /// `[claim_start, claim_end)`, code points: the claim in the passage, as a new CLAIM span
    /// would cover it (without the attribution, final punctuation and quotation marks).
    pub claim_start: u32,
    pub claim_end: u32,
    /// The passage's paragraph (cut at 300 code points a side), from `context_start`: what the
    /// claim's ends can be moved into before it is added.
    pub context_start: u32,
    pub context: String,
}

/// A source entity with what it is linked to, for `parallax sources` and the sources panel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SourceOverview {
    pub entity: SourceEntity,
    /// SOURCE spans linked to it.
    pub mentions: u32,
    pub documents: u32,
    pub outlets: Vec<String>,
    /// CLAIM spans attributed to one of its mentions.
    pub claims: u32,
}

fn best_name(entity: &SourceEntity, text: &str) -> (f64, String) {
    std::iter::once(&entity.name)
        .chain(entity.aliases.iter())
        .map(|n| (name_likeness(text, n), n.clone()))
        .fold(
            (0.0, String::new()),
            |best, c| if c.0 > best.0 { c } else { best },
        )
}

impl Workspace {
    /// Entities a SOURCE span may name, best first.
    pub fn entity_suggestions(&self, span: &str, limit: usize) -> Result<Vec<EntitySuggestion>> {
        let span = self.span(span)?;
        let mut out: Vec<EntitySuggestion> = self
            .source_entities()?
            .into_iter()
            .filter(|e| span.source_entity.as_deref() != Some(e.id.as_str()))
            .filter_map(|entity| {
                let (score, matched) = best_name(&entity, &span.text);
                (score >= MIN_NAME_LIKENESS).then_some(EntitySuggestion {
                    entity,
                    score,
                    matched,
                })
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(limit);
        Ok(out)
    }

    /// Unlinked SOURCE spans that name an entity, best first: "link every spelling" in one go.
    pub fn entity_mentions(&self, entity: &str, limit: usize) -> Result<Vec<MentionSuggestion>> {
        let entity = self.source_entity(entity)?;
        let rows = self
            .unlinked_mentions()?
            .into_iter()
            .map(|m| MentionSuggestion {
                span_id: m.span_id,
                doc_id: m.doc_id,
                text: m.text,
                outlet: m.outlet,
                title: m.title,
                score: 0.0,
            });
        // Many mentions share a spelling: each spelling is compared once.
        let mut scores: HashMap<String, f64> = HashMap::new();
        let mut out = Vec::new();
        for mut m in rows {
            let score = *scores
                .entry(m.text.clone())
                .or_insert_with(|| best_name(&entity, &m.text).0);
            if score >= MIN_NAME_LIKENESS {
                m.score = score;
                out.push(m);
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(limit);
        Ok(out)
    }

    /// Every source entity with its mentions, documents, outlets and attributed claims.
    pub fn source_overviews(&self) -> Result<Vec<SourceOverview>> {
        let mut counts = self.entity_counts()?;
        Ok(self
            .source_entities()?
            .into_iter()
            .map(|entity| {
                let counts = counts.remove(&entity.id).unwrap_or_default();
                SourceOverview {
                    entity,
                    mentions: counts.mentions,
                    documents: counts.documents,
                    outlets: counts.outlets,
                    claims: counts.claims,
                }
            })
            .collect())
    }
}

impl SearchIndex {
    /// Passages of other documents that carry the same claim as a CLAIM span, best first;
    /// members of the claim's own group are left out (they are grouped already).
    pub fn claim_suggestions(
        &self,
        ws: &Workspace,
        claim: &str,
        limit: usize,
    ) -> Result<Vec<ClaimSuggestion>> {
        let claim = ws.span(claim)?;
        if claim.label != CLAIM_LABEL {
            return Err(Error::InvalidLink(format!(
                "similar claims are found for {CLAIM_LABEL} spans; this span is {}",
                claim.label
            )));
        }
        // Ask for more than shown: some passages are members already.
        let passages = self.similar(ws, &claim.text, Some(&claim.doc_id), limit * 2 + 5)?;
        let mut out = Vec::new();
        for passage in passages {
            let p = &passage.passage;
            let existing = ws.claim_over(&p.doc_id, p.start, p.end)?;
            let (span_id, group) = existing.map_or((None, None), |(s, g)| (Some(s), g));
            if group.is_some() && group == claim.claim_group {
                continue;
            }
            let (a, b) = claim_extent(&p.text);
            let (context_start, context) =
                paragraph_around(&ws.document(&p.doc_id)?.text, p.start, p.end);
            out.push(ClaimSuggestion {
                claim_start: p.start + a,
                claim_end: p.start + b,
                context_start,
                context,
                passage,
                span_id,
                group,
            });
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }
}
