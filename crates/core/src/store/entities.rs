//! Source entities (the speaker behind SOURCE spans across documents) and claim groups (the same
//! claim across documents). Linking a span to either is an undoable span change.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workspace;
use super::history::{self, Change};
use super::rows::SpanRow;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SourceKind {
    Person,
    Organisation,
    MediaOutlet,
    Document,
    Anonymous,
}

impl SourceKind {
    fn as_str(self) -> &'static str {
        match self {
            SourceKind::Person => "person",
            SourceKind::Organisation => "organisation",
            SourceKind::MediaOutlet => "media_outlet",
            SourceKind::Document => "document",
            SourceKind::Anonymous => "anonymous",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceEntity {
    pub id: String,
    pub name: String,
    pub kind: SourceKind,
    pub aliases: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ClaimStatus {
    Unverified,
    Supported,
    Disputed,
    Refuted,
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

fn from_json_text<T: serde::de::DeserializeOwned>(s: String) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s))
        .map_err(|e| Error::Corrupt(format!("stored value: {e}")))
}

impl Workspace {
    pub fn create_source_entity(
        &mut self,
        name: &str,
        kind: SourceKind,
        aliases: &[String],
    ) -> Result<SourceEntity> {
        let entity = SourceEntity {
            id: crate::ids::new_id(),
            name: name.trim().into(),
            kind,
            aliases: aliases.to_vec(),
            created_at: crate::clock::now(),
        };
        self.conn().execute(
            "INSERT INTO source_entities(id, name, kind, aliases, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                entity.id,
                entity.name,
                kind.as_str(),
                serde_json::to_string(&entity.aliases)?,
                entity.created_at
            ],
        )?;
        Ok(entity)
    }

    pub fn source_entities(&self) -> Result<Vec<SourceEntity>> {
        let rows = self
            .conn()
            .prepare(
                "SELECT id, name, kind, aliases, created_at FROM source_entities ORDER BY name",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, name, kind, aliases, created_at)| {
                Ok(SourceEntity {
                    id,
                    name,
                    kind: from_json_text(kind)?,
                    aliases: serde_json::from_str(&aliases)?,
                    created_at,
                })
            })
            .collect()
    }

    pub fn create_claim_group(&mut self, canonical: &str) -> Result<ClaimGroup> {
        let group = ClaimGroup {
            id: crate::ids::new_id(),
            canonical: canonical.trim().into(),
            status: ClaimStatus::Unverified,
            evidence: vec![],
            rationale: String::new(),
            created_at: crate::clock::now(),
        };
        self.conn().execute(
            "INSERT INTO claim_groups(id, canonical, created_at) VALUES (?1, ?2, ?3)",
            params![group.id, group.canonical, group.created_at],
        )?;
        Ok(group)
    }

    pub fn claim_groups(&self) -> Result<Vec<ClaimGroup>> {
        let rows = self
            .conn()
            .prepare(
                "SELECT id, canonical, status, evidence, rationale, created_at
                 FROM claim_groups ORDER BY created_at, id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, canonical, status, evidence, rationale, created_at)| {
                Ok(ClaimGroup {
                    id,
                    canonical,
                    status: from_json_text(status)?,
                    evidence: serde_json::from_str(&evidence)?,
                    rationale,
                    created_at,
                })
            })
            .collect()
    }

    /// Links a span to a source entity, or unlinks it with `None`.
    pub fn link_source_entity(
        &mut self,
        span: &str,
        entity: Option<&str>,
        annotator: &str,
    ) -> Result<()> {
        if let Some(e) = entity {
            let exists: Option<i64> = self
                .conn()
                .query_row("SELECT 1 FROM source_entities WHERE id = ?1", [e], |r| {
                    r.get(0)
                })
                .optional()?;
            if exists.is_none() {
                return Err(Error::InvalidAttribute {
                    attr: "source entity".into(),
                    problem: format!("`{e}` does not exist"),
                });
            }
        }
        self.change_span_link(span, annotator, "link_source_entity", |row| {
            row.source_entity_id = entity.map(str::to_string)
        })
    }

    /// Puts a span into a claim group, or takes it out with `None`.
    pub fn set_claim_group(
        &mut self,
        span: &str,
        group: Option<&str>,
        annotator: &str,
    ) -> Result<()> {
        if let Some(g) = group {
            let exists: Option<i64> = self
                .conn()
                .query_row("SELECT 1 FROM claim_groups WHERE id = ?1", [g], |r| {
                    r.get(0)
                })
                .optional()?;
            if exists.is_none() {
                return Err(Error::InvalidAttribute {
                    attr: "claim group".into(),
                    problem: format!("`{g}` does not exist"),
                });
            }
        }
        self.change_span_link(span, annotator, "set_claim_group", |row| {
            row.claim_group_id = group.map(str::to_string)
        })
    }

    fn change_span_link(
        &mut self,
        span: &str,
        annotator: &str,
        action: &str,
        edit: impl FnOnce(&mut SpanRow),
    ) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        let before = SpanRow::load(&tx, span)?.ok_or_else(|| Error::SpanNotFound(span.into()))?;
        let mut after = before.clone();
        edit(&mut after);
        if after == before {
            return Ok(());
        }
        after.updated_at = crate::clock::now();
        after.upsert(&tx)?;
        let who = super::annotator_id(&tx, annotator)?;
        let doc_id = after.doc_id.clone();
        history::record(
            &tx,
            who,
            Some(&doc_id),
            action,
            &[Change::Span {
                before: Some(before),
                after: Some(after),
            }],
        )?;
        tx.commit()?;
        Ok(())
    }
}
