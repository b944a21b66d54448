//! The compare view a window at a time: the table worked out once per opening and kept, every
//! row sent lean, and the members (the bulk: 20,000 at 1,000 groups × 50 outlets) only for the
//! rows near the viewport, so that the whole table never crosses the IPC.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;

use super::compare::{ClaimMember, CompareFilter, CompareTable};
use crate::error::Result;
use crate::store::{ClaimGroup, Workspace};

/// A claim group as a row before its members are sent: enough to draw its first column, tick
/// it, name it in a plan and count it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupRow {
    pub group: ClaimGroup,
    /// Its members (CLAIM spans).
    pub claims: u32,
    /// The columns (outlets, a document without one counting as its own) carrying it.
    pub spread: u32,
    /// Whether any two members' figures disagree.
    pub conflict: bool,
}

/// A document as a column of the compare view's documents mode.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DocumentColumn {
    pub doc_id: String,
    /// Its name (`ClaimMember::document`).
    pub name: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
}

/// The members of the rows `first..first + members.len()` of the opening `generation`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CompareRows {
    pub generation: u32,
    pub first: u32,
    /// Each row's members, oldest first.
    pub members: Vec<Vec<ClaimMember>>,
}

/// The compare view as opened: every row lean, both column modes, the outlets to filter by, the
/// claims to group next and the members of the first rows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CompareOpening {
    /// Names this answer; rows asked for later say which opening they belong to.
    pub generation: u32,
    /// The groups shown, widest spread first.
    pub rows: Vec<GroupRow>,
    /// Outlet mode's columns (`ClaimMember::column`), those carrying most groups first.
    pub columns: Vec<String>,
    /// The columns that stand for one document without an outlet.
    pub no_outlet: Vec<String>,
    /// Documents mode's columns, oldest first.
    pub documents: Vec<DocumentColumn>,
    /// Outlets carrying the groups shown, those carrying most first.
    pub outlets: Vec<String>,
    /// Claims in no group, newest documents first, at most 500.
    pub ungrouped: Vec<ClaimMember>,
    pub ungrouped_total: u32,
    pub window: CompareRows,
}

/// The table of the last opening, kept for the rows asked for as the view scrolls.
#[derive(Debug, Default)]
pub struct ComparePages {
    generation: u32,
    table: Option<CompareTable>,
}

impl ComparePages {
    /// Works the table out for `filter`, keeps it and answers with the members of its rows
    /// `first..first + count` (those in view: the top, or where a refreshed view was scrolled).
    pub fn open(
        &mut self,
        ws: &Workspace,
        filter: &CompareFilter,
        first: u32,
        count: u32,
    ) -> Result<CompareOpening> {
        let table = ws.compare_table(filter)?;
        self.generation = self.generation.wrapping_add(1);
        let opening = CompareOpening {
            generation: self.generation,
            rows: table.groups.iter().map(group_row).collect(),
            columns: table.columns.clone(),
            no_outlet: no_outlet(&table),
            documents: documents(&table),
            outlets: outlets(&table),
            ungrouped: table.ungrouped.clone(),
            ungrouped_total: table.ungrouped_total,
            window: window(self.generation, &table, first, count),
        };
        self.table = Some(table);
        Ok(opening)
    }

    /// The members of rows `first..first + count` (fewer at the end) of the last opening; an
    /// answer naming another generation than asked for (the view was opened again since) has
    /// no members.
    pub fn rows(&self, generation: u32, first: u32, count: u32) -> CompareRows {
        match &self.table {
            Some(table) if generation == self.generation => window(generation, table, first, count),
            _ => CompareRows {
                generation: self.generation,
                first,
                members: vec![],
            },
        }
    }
}

fn window(generation: u32, table: &CompareTable, first: u32, count: u32) -> CompareRows {
    let from = (first as usize).min(table.groups.len());
    let to = from.saturating_add(count as usize).min(table.groups.len());
    CompareRows {
        generation,
        first: from as u32,
        members: table.groups[from..to]
            .iter()
            .map(|g| g.members.clone())
            .collect(),
    }
}

fn group_row(g: &super::compare::GroupOverview) -> GroupRow {
    let columns: HashSet<&str> = g.members.iter().map(|m| m.column.as_str()).collect();
    GroupRow {
        group: g.group.clone(),
        claims: g.members.len() as u32,
        spread: columns.len() as u32,
        conflict: g.conflict,
    }
}

fn no_outlet(table: &CompareTable) -> Vec<String> {
    let mut names: Vec<String> = table
        .groups
        .iter()
        .flat_map(|g| &g.members)
        .filter(|m| m.passage.outlet.is_none())
        .map(|m| m.column.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    names.sort();
    names
}

/// One column per document with a member in a shown column, oldest first (undated last), then
/// by outlet and name.
fn documents(table: &CompareTable) -> Vec<DocumentColumn> {
    let shown: HashSet<&str> = table.columns.iter().map(String::as_str).collect();
    let mut seen = HashSet::new();
    let mut out: Vec<DocumentColumn> = table
        .groups
        .iter()
        .flat_map(|g| &g.members)
        .filter(|m| shown.contains(m.column.as_str()) && seen.insert(m.passage.doc_id.as_str()))
        .map(|m| DocumentColumn {
            doc_id: m.passage.doc_id.clone(),
            name: m.document.clone(),
            outlet: m.passage.outlet.clone(),
            published: m.published.clone(),
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.published.is_none(),
            &a.published,
            &a.outlet,
            &a.name,
            &a.doc_id,
        )
            .cmp(&(
                b.published.is_none(),
                &b.published,
                &b.outlet,
                &b.name,
                &b.doc_id,
            ))
    });
    out
}

fn outlets(table: &CompareTable) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for g in &table.groups {
        for o in g.outlets.iter().flatten() {
            *counts.entry(o.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<&str> = counts.keys().copied().collect();
    out.sort_by(|a, b| counts[b].cmp(&counts[a]).then_with(|| a.cmp(b)));
    out.into_iter().map(str::to_string).collect()
}
