//! The same claim across outlets: every claim group with its members, each member's outlet,
//! date, attributed source and figures; the first appearance; and the figures that disagree.
//! The compare view and `parallax groups` both read this.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::figures::{self, Figure};
use crate::error::Result;
use crate::model::Passage;
pub use crate::store::QUANTITY_LABEL;
use crate::store::{ClaimGroup, ClaimStatus, Claims, SOURCE_LABEL, Workspace};

/// Ungrouped claims listed at most, newest documents first: enough to group by hand, bounded
/// so that a workspace of 100,000 documents still answers at once.
const UNGROUPED_LIMIT: usize = 500;

/// The SOURCE span a claim is `attributed_to`, with its entity.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClaimSource {
    pub span_id: String,
    pub text: String,
    pub entity_id: Option<String>,
    pub entity: Option<String>,
}

/// One CLAIM span as a cell of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClaimMember {
    pub span_id: String,
    #[serde(flatten)]
    pub passage: Passage,
    pub published: Option<String>,
    /// Its document's name: the title, else the derived title, else the file name (else the
    /// id's start).
    pub document: String,
    /// Where the compare view shows it: the outlet, or for a document without one its name, so
    /// that such documents are not lumped into one column.
    pub column: String,
    pub sources: Vec<ClaimSource>,
    /// Figures of the QUANTITY spans linked to the claim or inside it.
    pub figures: Vec<Figure>,
    /// Published first among the group's members (ties all count).
    pub first: bool,
    /// One of its figures disagrees with a figure of another member.
    pub conflicting: bool,
}

/// A claim group with its members.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupOverview {
    pub group: ClaimGroup,
    pub members: Vec<ClaimMember>,
    /// Outlets carrying the claim, in order of first appearance.
    pub outlets: Vec<Option<String>>,
    /// Whether any two members' figures disagree.
    pub conflict: bool,
}

/// Which groups to compare; empty lists and `None` mean all.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct CompareFilter {
    #[serde(default)]
    pub statuses: Vec<ClaimStatus>,
    /// Groups with a member attributed to this source entity.
    #[ts(optional)]
    pub entity: Option<String>,
    /// Groups carried by one of these outlets.
    #[serde(default)]
    pub outlets: Vec<String>,
    /// Only groups whose figures disagree.
    #[serde(default)]
    pub conflicts_only: bool,
}

impl CompareFilter {
    /// Whether a claim of this outlet passes the outlet filter.
    fn takes_outlet(&self, outlet: &Option<String>) -> bool {
        self.outlets.is_empty() || outlet.as_ref().is_some_and(|o| self.outlets.contains(o))
    }
}

/// Claim groups as rows and outlets as columns, with the claims not yet in a group.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CompareTable {
    /// The columns (`ClaimMember::column`) of the shown groups, those carrying most groups first.
    pub columns: Vec<String>,
    pub groups: Vec<GroupOverview>,
    /// Claims in no group, newest documents first, at most 500.
    pub ungrouped: Vec<ClaimMember>,
    pub ungrouped_total: u32,
}

/// Members of every group and, when asked, the ungrouped claims: one query each.
fn members(ws: &Workspace, grouped: bool) -> Result<Vec<(Option<String>, ClaimMember)>> {
    Ok(ws
        .claim_rows(grouped)?
        .into_iter()
        .map(|row| {
            let column = row
                .passage
                .outlet
                .clone()
                .unwrap_or_else(|| row.document.clone());
            (
                row.group_id,
                ClaimMember {
                    span_id: row.span_id,
                    passage: row.passage,
                    published: row.published,
                    document: row.document,
                    column,
                    sources: vec![],
                    figures: vec![],
                    first: false,
                    conflicting: false,
                },
            )
        })
        .collect())
}

/// Fills in each member's sources and figures: SOURCE and QUANTITY spans linked to the claim
/// (either direction), and QUANTITY spans inside it. `grouped`: the members are every grouped
/// claim, read through the group index rather than by id.
fn attach_links(ws: &Workspace, members: &mut [&mut ClaimMember], grouped: bool) -> Result<()> {
    let ids: Vec<&str>;
    let claims = if grouped {
        Claims::Grouped
    } else {
        ids = members.iter().map(|m| m.span_id.as_str()).collect();
        Claims::Ids(&ids)
    };
    let mut sources: HashMap<String, Vec<ClaimSource>> = HashMap::new();
    let mut quantities: HashMap<String, Vec<(u32, String)>> = HashMap::new();
    for row in ws.linked_rows(claims)? {
        if row.label == SOURCE_LABEL {
            sources.entry(row.claim_id).or_default().push(ClaimSource {
                span_id: row.span_id,
                text: row.text,
                entity_id: row.entity_id,
                entity: row.entity,
            });
        } else {
            quantities
                .entry(row.claim_id)
                .or_default()
                .push((row.start, row.text));
        }
    }
    let mut texts: Vec<Vec<(u32, String)>> = Vec::with_capacity(members.len());
    for m in members.iter_mut() {
        m.sources = sources.remove(&m.span_id).unwrap_or_default();
        texts.push(quantities.remove(&m.span_id).unwrap_or_default());
    }
    // Reading the figures is a sixth of the compare table: on every core.
    members
        .par_iter_mut()
        .zip(texts.par_iter_mut())
        .for_each(|(m, qs)| {
            qs.sort();
            m.figures = qs.iter().filter_map(|(_, t)| figures::parse(t)).collect();
        });
    Ok(())
}

/// Marks first appearances and disagreeing figures within one group.
fn compare_members(members: &mut [ClaimMember]) -> bool {
    let first = members
        .iter()
        .filter_map(|m| m.published.as_deref())
        .min()
        .map(str::to_string);
    for m in members.iter_mut() {
        m.first = first.is_some() && m.published == first;
    }
    let mut conflict = false;
    for i in 0..members.len() {
        for j in i + 1..members.len() {
            let disagree = members[i]
                .figures
                .iter()
                .any(|a| members[j].figures.iter().any(|b| a.disagrees_with(b)));
            if disagree {
                members[i].conflicting = true;
                members[j].conflicting = true;
                conflict = true;
            }
        }
    }
    conflict
}

impl Workspace {
    /// Every claim group with its members compared, filtered.
    pub fn group_overviews(&self, filter: &CompareFilter) -> Result<Vec<GroupOverview>> {
        let groups: HashMap<String, ClaimGroup> = self
            .claim_groups()?
            .into_iter()
            .map(|g| (g.id.clone(), g))
            .collect();
        let mut by_group: BTreeMap<String, Vec<ClaimMember>> = BTreeMap::new();
        for (group, member) in members(self, true)? {
            if let Some(g) = group {
                by_group.entry(g).or_default().push(member);
            }
        }
        {
            let mut all: Vec<&mut ClaimMember> = by_group.values_mut().flatten().collect();
            attach_links(self, &mut all, true)?;
        }
        let mut out = Vec::new();
        for (id, mut members) in by_group {
            let Some(group) = groups.get(&id) else {
                continue;
            };
            // Oldest first, so that the first appearance leads.
            members.sort_by(|a, b| {
                let (p, q) = (&a.passage, &b.passage);
                (a.published.as_deref(), &p.outlet, &p.doc_id, p.start).cmp(&(
                    b.published.as_deref(),
                    &q.outlet,
                    &q.doc_id,
                    q.start,
                ))
            });
            let conflict = compare_members(&mut members);
            let mut outlets: Vec<Option<String>> = Vec::new();
            for m in &members {
                if !outlets.contains(&m.passage.outlet) {
                    outlets.push(m.passage.outlet.clone());
                }
            }
            let keep = (filter.statuses.is_empty() || filter.statuses.contains(&group.status))
                && filter.entity.as_ref().is_none_or(|e| {
                    members
                        .iter()
                        .any(|m| m.sources.iter().any(|s| s.entity_id.as_ref() == Some(e)))
                })
                && (filter.outlets.is_empty() || outlets.iter().any(|o| filter.takes_outlet(o)))
                && (!filter.conflicts_only || conflict);
            if keep {
                out.push(GroupOverview {
                    group: group.clone(),
                    members,
                    outlets,
                    conflict,
                });
            }
        }
        // Widest spread first, then oldest.
        out.sort_by(|a, b| {
            b.outlets
                .len()
                .cmp(&a.outlets.len())
                .then_with(|| a.group.created_at.cmp(&b.group.created_at))
        });
        // Groups whose members are all deleted never show: no members, no row.
        Ok(out)
    }

    /// The compare view: groups as rows, outlets as columns, and the claims to group next.
    pub fn compare_table(&self, filter: &CompareFilter) -> Result<CompareTable> {
        let groups = self.group_overviews(filter)?;
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for g in &groups {
            let mut seen = HashSet::new();
            for m in &g.members {
                if filter.takes_outlet(&m.passage.outlet) && seen.insert(m.column.as_str()) {
                    *counts.entry(m.column.as_str()).or_default() += 1;
                }
            }
        }
        let mut columns: Vec<String> = counts.keys().map(|c| c.to_string()).collect();
        columns.sort_by(|a, b| {
            counts[b.as_str()]
                .cmp(&counts[a.as_str()])
                .then_with(|| a.cmp(b))
        });
        let mut ungrouped: Vec<ClaimMember> = members(self, false)?
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| filter.takes_outlet(&m.passage.outlet))
            .collect();
        // The entity filter needs each claim's sources: then they are read for every ungrouped
        // claim before the list is cut, else only for those shown.
        if filter.entity.is_some() {
            let mut refs: Vec<&mut ClaimMember> = ungrouped.iter_mut().collect();
            attach_links(self, &mut refs, false)?;
            ungrouped.retain(|m| {
                m.sources
                    .iter()
                    .any(|s| s.entity_id.as_ref() == filter.entity.as_ref())
            });
        }
        let ungrouped_total = ungrouped.len() as u32;
        ungrouped.truncate(UNGROUPED_LIMIT);
        if filter.entity.is_none() {
            let mut refs: Vec<&mut ClaimMember> = ungrouped.iter_mut().collect();
            attach_links(self, &mut refs, false)?;
        }
        Ok(CompareTable {
            columns,
            groups,
            ungrouped,
            ungrouped_total,
        })
    }
}
