//! Claim groups: one claim as carried by several documents, with its canonical wording and a
//! verification (status, evidence URLs, rationale) in the spirit of schema.org ClaimReview.
//! Every change is one history entry, so undo takes back a grouping as it takes back a label.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::entities::{move_spans, relinked};
use super::history::{self, Change, Done};
use super::rows::SpanRow;
use super::{NewSpan, Workspace};
use crate::error::{Error, Result};

/// The label of spans that make claims.
pub const CLAIM_LABEL: &str = "CLAIM";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum ClaimStatus {
    Unverified,
    Supported,
    Disputed,
    Refuted,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Unverified,
        ClaimStatus::Supported,
        ClaimStatus::Disputed,
        ClaimStatus::Refuted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Unverified => "unverified",
            ClaimStatus::Supported => "supported",
            ClaimStatus::Disputed => "disputed",
            ClaimStatus::Refuted => "refuted",
        }
    }

    pub fn parse(s: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimGroup {
    pub id: String,
    pub canonical: String,
    pub status: ClaimStatus,
    pub evidence: Vec<String>,
    pub rationale: String,
    pub created_at: String,
}

impl ClaimGroup {
    /// A new, unverified group worded `canonical` (spaces tidied; not empty).
    fn new(canonical: &str) -> Result<ClaimGroup> {
        Ok(ClaimGroup {
            id: crate::ids::new_id(),
            canonical: clean_canonical(canonical)?,
            status: ClaimStatus::Unverified,
            evidence: vec![],
            rationale: String::new(),
            created_at: crate::clock::now(),
        })
    }
}

/// Changes to a group; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct GroupEdit {
    #[ts(optional)]
    pub canonical: Option<String>,
    #[ts(optional)]
    pub status: Option<ClaimStatus>,
    #[ts(optional)]
    pub evidence: Option<Vec<String>>,
    #[ts(optional)]
    pub rationale: Option<String>,
}

/// What adding a passage to a group did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AddedToGroup {
    pub group_id: String,
    pub span_id: String,
    pub doc_id: String,
    /// Whether a CLAIM span had to be made for the passage.
    pub created_span: bool,
}

const GROUP_COLUMNS: &str = "id, canonical, status, evidence, rationale, created_at";

type GroupColumns = (String, String, String, String, String, String);

fn group_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<GroupColumns> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn group_from_columns(
    (id, canonical, status, evidence, rationale, created_at): GroupColumns,
) -> Result<ClaimGroup> {
    Ok(ClaimGroup {
        id,
        canonical,
        status: ClaimStatus::parse(&status)
            .ok_or_else(|| Error::Corrupt(format!("claim status `{status}`")))?,
        evidence: serde_json::from_str(&evidence)?,
        rationale,
        created_at,
    })
}

pub(crate) fn load_group(conn: &Connection, id: &str) -> Result<ClaimGroup> {
    let cols = conn
        .prepare_cached(&format!(
            "SELECT {GROUP_COLUMNS} FROM claim_groups WHERE id = ?1"
        ))?
        .query_row([id], group_from_row)
        .optional()?
        .ok_or_else(|| Error::GroupNotFound(id.into()))?;
    group_from_columns(cols)
}

pub(crate) fn upsert_group(conn: &Connection, g: &ClaimGroup) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO claim_groups(id, canonical, status, evidence, rationale, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET canonical = excluded.canonical, status = excluded.status,
           evidence = excluded.evidence, rationale = excluded.rationale,
           created_at = excluded.created_at",
    )?
    .execute(params![
        g.id,
        g.canonical,
        g.status.as_str(),
        serde_json::to_string(&g.evidence)?,
        g.rationale,
        g.created_at
    ])?;
    Ok(())
}

/// Adds a group read from a file unless the workspace has one with its id (which stays as the
/// workspace has it); evidence that is not a web address is dropped.
pub(crate) fn insert_group_if_new(conn: &Connection, g: &ClaimGroup) -> Result<()> {
    let evidence: Vec<String> = g
        .evidence
        .iter()
        .filter(|e| clean_evidence(std::slice::from_ref(e)).is_ok())
        .cloned()
        .collect();
    conn.prepare_cached(
        "INSERT OR IGNORE INTO claim_groups(id, canonical, status, evidence, rationale, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        g.id,
        clean_canonical(&g.canonical)?,
        g.status.as_str(),
        serde_json::to_string(&evidence)?,
        g.rationale,
        g.created_at
    ])?;
    Ok(())
}

pub(crate) fn delete_group(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM claim_groups WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

fn clean_canonical(text: &str) -> Result<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(Error::InvalidLink(
            "a claim group needs its canonical wording".into(),
        ));
    }
    Ok(text)
}

/// Evidence must be web addresses a reader can open.
fn clean_evidence(urls: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for raw in urls {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let url = url::Url::parse(raw).map_err(|e| {
            Error::InvalidLink(format!("evidence `{raw}` is not a web address: {e}"))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidLink(format!(
                "evidence `{raw}` must start with http:// or https://"
            )));
        }
        let url = url.to_string();
        if !out.contains(&url) {
            out.push(url);
        }
    }
    Ok(out)
}

/// A span's row put into `group`, checked to be a CLAIM span.
fn grouped(conn: &Connection, span: &str, group: Option<&str>) -> Result<(SpanRow, SpanRow)> {
    relinked(
        conn,
        span,
        group.is_some(),
        (CLAIM_LABEL, "join claim groups"),
        |row| row.claim_group_id = group.map(str::to_string),
    )
}

/// Deletes the groups that span changes left without members (a group nobody carries shows
/// nowhere), pushing the group changes so that undo brings them back.
fn drop_emptied_groups(conn: &Connection, changes: &mut Vec<Change>) -> Result<()> {
    let mut left: Vec<String> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Span {
                before: Some(b),
                after: Some(a),
            } if b.claim_group_id != a.claim_group_id => b.claim_group_id.clone(),
            _ => None,
        })
        .collect();
    left.sort();
    left.dedup();
    for id in left {
        let members: i64 = conn
            .prepare_cached("SELECT count(*) FROM spans WHERE claim_group_id = ?1")?
            .query_row([&id], |r| r.get(0))?;
        if members == 0 {
            let gone = load_group(conn, &id)?;
            delete_group(conn, &id)?;
            changes.push(Change::Group {
                before: Some(gone),
                after: None,
            });
        }
    }
    Ok(())
}

impl Workspace {
    /// Starts a group from CLAIM spans; the canonical wording is the first span's text unless
    /// given.
    pub fn start_claim_group(
        &mut self,
        spans: &[String],
        canonical: Option<&str>,
        annotator: &str,
    ) -> Result<ClaimGroup> {
        self.change("start_claim_group", annotator, |tx, _| {
            let wording = match (canonical, spans.first()) {
                (Some(c), _) => c.to_string(),
                (None, Some(s)) => {
                    SpanRow::load(tx, s)?
                        .ok_or_else(|| Error::SpanNotFound(s.clone()))?
                        .quote
                }
                (None, None) => String::new(),
            };
            let group = ClaimGroup::new(&wording)?;
            upsert_group(tx, &group)?;
            let mut changes = vec![Change::Group {
                before: None,
                after: Some(group.clone()),
            }];
            for span in spans {
                let (before, after) = grouped(tx, span, Some(&group.id))?;
                after.upsert(tx)?;
                changes.push(Change::Span {
                    before: Some(before),
                    after: Some(after),
                });
            }
            let doc = history::common_doc(&changes);
            drop_emptied_groups(tx, &mut changes)?;
            Ok(Done::new(group, doc, changes))
        })
    }

    pub fn claim_group(&self, id: &str) -> Result<ClaimGroup> {
        load_group(self.conn(), id)
    }

    pub fn claim_groups(&self) -> Result<Vec<ClaimGroup>> {
        let rows = self
            .conn()
            .prepare(&format!(
                "SELECT {GROUP_COLUMNS} FROM claim_groups ORDER BY created_at, id"
            ))?
            .query_map([], group_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(group_from_columns).collect()
    }

    /// Puts CLAIM spans into a group, or takes them out with `None`: one undoable change.
    pub fn set_claim_group(
        &mut self,
        spans: &[String],
        group: Option<&str>,
        annotator: &str,
    ) -> Result<()> {
        let action = if group.is_some() {
            "set_claim_group"
        } else {
            "leave_claim_group"
        };
        self.change(action, annotator, |tx, _| {
            if let Some(g) = group {
                load_group(tx, g)?;
            }
            let mut changes = Vec::new();
            for span in spans {
                let (before, after) = grouped(tx, span, group)?;
                if before.claim_group_id != after.claim_group_id {
                    after.upsert(tx)?;
                    changes.push(Change::Span {
                        before: Some(before),
                        after: Some(after),
                    });
                }
            }
            if changes.is_empty() {
                return Ok(Done::new((), None, vec![]));
            }
            let doc = history::common_doc(&changes);
            drop_emptied_groups(tx, &mut changes)?;
            Ok(Done::new((), doc, changes))
        })
    }

    /// Adds the claim at `[start, end)` of a document to a group: the CLAIM span there (the one
    /// overlapping it most) or, when the passage is not annotated yet, a new CLAIM span.
    pub fn add_passage_to_group(
        &mut self,
        group: &str,
        doc_id: &str,
        start: u32,
        end: u32,
        annotator: &str,
    ) -> Result<AddedToGroup> {
        let doc_id = self.resolve_document(doc_id)?;
        let text = super::documents::text_of(self.conn(), &doc_id)?;
        self.change("add_to_claim_group", annotator, |tx, who| {
            load_group(tx, group)?;
            let mut changes = Vec::new();
            let extent = Extent {
                start,
                end,
                exact: false,
            };
            let added = add_passage(tx, group, &doc_id, extent, &text, who, &mut changes)?;
            drop_emptied_groups(tx, &mut changes)?;
            Ok(Done::new(added, Some(doc_id.clone()), changes))
        })
    }

    /// Groups a claim with a passage of another document (a similar-passage suggestion): into
    /// the claim's group, or a new one worded as the claim when it has none. One undoable change.
    /// A passage not annotated yet becomes a CLAIM span: `[start, end)` as given when `exact`
    /// (an extent the analyst set), else the claim found in it ([`claim_extent`]).
    ///
    /// [`claim_extent`]: crate::text::passage::claim_extent
    pub fn group_claim_with_passage(
        &mut self,
        claim: &str,
        doc_id: &str,
        start: u32,
        end: u32,
        exact: bool,
        annotator: &str,
    ) -> Result<AddedToGroup> {
        let doc_id = self.resolve_document(doc_id)?;
        let text = super::documents::text_of(self.conn(), &doc_id)?;
        self.change("add_to_claim_group", annotator, |tx, who| {
            let row = SpanRow::load(tx, claim)?.ok_or_else(|| Error::SpanNotFound(claim.into()))?;
            let mut changes = Vec::new();
            let group = match &row.claim_group_id {
                Some(g) => g.clone(),
                None => {
                    let group = ClaimGroup::new(&row.quote)?;
                    upsert_group(tx, &group)?;
                    changes.push(Change::Group {
                        before: None,
                        after: Some(group.clone()),
                    });
                    let (before, after) = grouped(tx, claim, Some(&group.id))?;
                    after.upsert(tx)?;
                    changes.push(Change::Span {
                        before: Some(before),
                        after: Some(after),
                    });
                    group.id
                }
            };
            let extent = Extent { start, end, exact };
            let added = add_passage(tx, &group, &doc_id, extent, &text, who, &mut changes)?;
            drop_emptied_groups(tx, &mut changes)?;
            Ok(Done::new(added, None, changes))
        })
    }

    /// Changes a group's wording or verification.
    pub fn update_claim_group(
        &mut self,
        id: &str,
        edit: GroupEdit,
        annotator: &str,
    ) -> Result<ClaimGroup> {
        self.change("update_claim_group", annotator, |tx, _| {
            let before = load_group(tx, id)?;
            let mut after = before.clone();
            if let Some(c) = edit.canonical {
                after.canonical = clean_canonical(&c)?;
            }
            if let Some(s) = edit.status {
                after.status = s;
            }
            if let Some(e) = edit.evidence {
                after.evidence = clean_evidence(&e)?;
            }
            if let Some(r) = edit.rationale {
                after.rationale = r.trim().to_string();
            }
            if after == before {
                return Ok(Done::new(after, None, vec![]));
            }
            upsert_group(tx, &after)?;
            Ok(Done::new(
                after.clone(),
                None,
                vec![Change::Group {
                    before: Some(before),
                    after: Some(after),
                }],
            ))
        })
    }

    /// Moves every member of `from` into `into` and deletes `from`; `into` keeps its wording and
    /// verification, and gains `from`'s evidence.
    pub fn merge_claim_groups(
        &mut self,
        from: &str,
        into: &str,
        annotator: &str,
    ) -> Result<ClaimGroup> {
        if from == into {
            return Err(Error::InvalidLink(
                "a group cannot be merged into itself".into(),
            ));
        }
        self.change("merge_claim_groups", annotator, |tx, _| {
            let gone = load_group(tx, from)?;
            let before = load_group(tx, into)?;
            let mut after = before.clone();
            for e in &gone.evidence {
                if !after.evidence.contains(e) {
                    after.evidence.push(e.clone());
                }
            }
            let mut changes = move_spans(tx, "claim_group_id", from, |r| {
                r.claim_group_id = Some(into.to_string())
            })?;
            upsert_group(tx, &after)?;
            delete_group(tx, from)?;
            changes.push(Change::Group {
                before: Some(before),
                after: Some(after.clone()),
            });
            changes.push(Change::Group {
                before: Some(gone),
                after: None,
            });
            Ok(Done::new(after, None, changes))
        })
    }

    /// Deletes a group; its claims stay, ungrouped. Undo brings both back.
    pub fn delete_claim_group(&mut self, id: &str, annotator: &str) -> Result<()> {
        self.change("delete_claim_group", annotator, |tx, _| {
            let gone = load_group(tx, id)?;
            let mut changes = move_spans(tx, "claim_group_id", id, |r| r.claim_group_id = None)?;
            delete_group(tx, id)?;
            changes.push(Change::Group {
                before: Some(gone),
                after: None,
            });
            Ok(Done::new((), None, changes))
        })
    }
}

/// A passage to add: `[start, end)`, taken as it is when `exact`, else the claim found in it.
struct Extent {
    start: u32,
    end: u32,
    exact: bool,
}

/// Puts the CLAIM span at the passage of a document (the one overlapping it most, or a new
/// one) into `group`, pushing the span change.
fn add_passage(
    tx: &Connection,
    group: &str,
    doc_id: &str,
    extent: Extent,
    text: &str,
    who: i64,
    changes: &mut Vec<Change>,
) -> Result<AddedToGroup> {
    let Extent { start, end, exact } = extent;
    let (span_id, created_span) = match super::cross_rows::claim_over(tx, doc_id, start, end)? {
        Some((id, _)) => (id, false),
        None => {
            // The claim in the passage, without its attribution and full stop, unless the
            // analyst set the extent. Bad bounds are left for `insert_span` to refuse with its
            // usual error.
            let sentence = crate::offsets::OffsetMap::new(text).slice(start as usize, end as usize);
            let (a, b) = match sentence {
                Some(sentence) if !exact => crate::text::passage::claim_extent(sentence),
                _ => (0, end.saturating_sub(start)),
            };
            let row = super::annotations::insert_span(
                tx,
                NewSpan {
                    doc_id: doc_id.to_string(),
                    start: start + a,
                    end: start + b,
                    label: CLAIM_LABEL.into(),
                    attrs: Default::default(),
                    note: None,
                },
                who,
                text,
            )?;
            (row.id, true)
        }
    };
    let (before, after) = grouped(tx, &span_id, Some(group))?;
    after.upsert(tx)?;
    changes.push(Change::Span {
        // A new span: one change from nothing to the grouped span.
        before: (!created_span).then_some(before),
        after: Some(after),
    });
    Ok(AddedToGroup {
        group_id: group.to_string(),
        span_id,
        doc_id: doc_id.to_string(),
        created_span,
    })
}
