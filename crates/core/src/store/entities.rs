//! Source entities: the speaker behind SOURCE spans across documents ("Igor Konashenkov",
//! "Russia's Defense Ministry"). Every change here (create, link, rename, merge, split, delete)
//! is one history entry holding the entity and span rows it touched, so undo takes it back.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workspace;
use super::history::{self, Change, Done};
use super::rows::SpanRow;
use crate::error::{Error, Result};
use crate::text::names::name_words;

/// The label of spans that name a source.
pub const SOURCE_LABEL: &str = "SOURCE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SourceKind {
    Person,
    Organisation,
    MediaOutlet,
    Document,
    Anonymous,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Person,
        SourceKind::Organisation,
        SourceKind::MediaOutlet,
        SourceKind::Document,
        SourceKind::Anonymous,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Person => "person",
            SourceKind::Organisation => "organisation",
            SourceKind::MediaOutlet => "media_outlet",
            SourceKind::Document => "document",
            SourceKind::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceEntity {
    pub id: String,
    pub name: String,
    pub kind: SourceKind,
    /// Other names it goes by; a span linked under a new spelling adds one.
    pub aliases: Vec<String>,
    pub created_at: String,
}

/// Changes to an entity; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct EntityEdit {
    #[ts(optional)]
    pub name: Option<String>,
    #[ts(optional)]
    pub kind: Option<SourceKind>,
    #[ts(optional)]
    pub aliases: Option<Vec<String>>,
}

const ENTITY_COLUMNS: &str = "id, name, kind, aliases, created_at";

fn entity_from_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn entity_from_columns(
    (id, name, kind, aliases, created_at): (String, String, String, String, String),
) -> Result<SourceEntity> {
    Ok(SourceEntity {
        id,
        name,
        kind: SourceKind::parse(&kind)
            .ok_or_else(|| Error::Corrupt(format!("source entity kind `{kind}`")))?,
        aliases: serde_json::from_str(&aliases)?,
        created_at,
    })
}

pub(crate) fn load_entity(conn: &Connection, id: &str) -> Result<SourceEntity> {
    let cols = conn
        .prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM source_entities WHERE id = ?1"
        ))?
        .query_row([id], entity_from_row)
        .optional()?
        .ok_or_else(|| Error::EntityNotFound(id.into()))?;
    entity_from_columns(cols)
}

/// Writes an entity as it is (history replays these).
pub(crate) fn upsert_entity(conn: &Connection, e: &SourceEntity) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO source_entities(id, name, kind, aliases, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
           aliases = excluded.aliases, created_at = excluded.created_at",
    )?
    .execute(params![
        e.id,
        e.name,
        e.kind.as_str(),
        serde_json::to_string(&e.aliases)?,
        e.created_at
    ])?;
    Ok(())
}

/// Adds an entity read from a file unless the workspace has one with its id (which stays as
/// the workspace has it).
pub(crate) fn insert_entity_if_new(conn: &Connection, e: &SourceEntity) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO source_entities(id, name, kind, aliases, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        e.id,
        clean_name(&e.name)?,
        e.kind.as_str(),
        serde_json::to_string(&clean_aliases(&e.name, &e.aliases))?,
        e.created_at
    ])?;
    Ok(())
}

pub(crate) fn delete_entity(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM source_entities WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The name of a span's label.
pub(crate) fn label_of(conn: &Connection, row: &SpanRow) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT name FROM span_labels WHERE id = ?1")?
        .query_row([row.label_id], |r| r.get(0))?)
}

fn clean_name(name: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::InvalidLink("a source entity needs a name".into()));
    }
    Ok(name)
}

/// Aliases without blanks, repeats or the name itself.
fn clean_aliases(name: &str, aliases: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let a = a.split_whitespace().collect::<Vec<_>>().join(" ");
        if !a.is_empty() && a != name && !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

impl SourceEntity {
    /// Whether `text` is already one of its spellings (case and spacing aside): a spelling
    /// with a title ("Maj. Gen. Igor Konashenkov") is kept as an alias of its own.
    fn knows(&self, text: &str) -> bool {
        let fold = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let text = fold(text);
        name_words(&text).is_empty()
            || fold(&self.name) == text
            || self.aliases.iter().any(|a| fold(a) == text)
    }
}

/// A span's row before and after `edit`, which links it across documents; `required` is the
/// label the span must have and what the link is, checked when `linking` (not when unlinking).
pub(crate) fn relinked(
    conn: &Connection,
    span: &str,
    linking: bool,
    (required, link): (&str, &str),
    edit: impl FnOnce(&mut SpanRow),
) -> Result<(SpanRow, SpanRow)> {
    let before = SpanRow::load(conn, span)?.ok_or_else(|| Error::SpanNotFound(span.into()))?;
    if linking {
        let label = label_of(conn, &before)?;
        if label != required {
            return Err(Error::InvalidLink(format!(
                "only {required} spans {link}; this span is {label}"
            )));
        }
    }
    let mut after = before.clone();
    edit(&mut after);
    after.updated_at = crate::clock::now();
    Ok((before, after))
}

/// A span's row after linking it to `entity`, checked to be a SOURCE span.
fn linked(conn: &Connection, span: &str, entity: Option<&str>) -> Result<(SpanRow, SpanRow)> {
    relinked(
        conn,
        span,
        entity.is_some(),
        (SOURCE_LABEL, "name a source entity"),
        |row| row.source_entity_id = entity.map(str::to_string),
    )
}

impl Workspace {
    /// Creates an entity without linking any span (the CLI's `entity new`, imports, tests).
    pub fn create_source_entity(
        &mut self,
        name: &str,
        kind: SourceKind,
        aliases: &[String],
        annotator: &str,
    ) -> Result<SourceEntity> {
        let name = clean_name(name)?;
        let entity = SourceEntity {
            id: crate::ids::new_id(),
            aliases: clean_aliases(&name, aliases),
            name,
            kind,
            created_at: crate::clock::now(),
        };
        self.change("create_source_entity", annotator, |tx, _| {
            upsert_entity(tx, &entity)?;
            Ok(Done::new(
                entity.clone(),
                None,
                vec![Change::Entity {
                    before: None,
                    after: Some(entity),
                }],
            ))
        })
    }

    /// Creates an entity named as a SOURCE span reads (or `name`) and links the span to it.
    pub fn create_entity_from_span(
        &mut self,
        span: &str,
        name: Option<&str>,
        kind: SourceKind,
        annotator: &str,
    ) -> Result<SourceEntity> {
        self.change("create_source_entity", annotator, |tx, _| {
            let row = SpanRow::load(tx, span)?.ok_or_else(|| Error::SpanNotFound(span.into()))?;
            let name = clean_name(name.unwrap_or(&row.quote))?;
            let entity = SourceEntity {
                id: crate::ids::new_id(),
                aliases: clean_aliases(&name, std::slice::from_ref(&row.quote)),
                name,
                kind,
                created_at: crate::clock::now(),
            };
            upsert_entity(tx, &entity)?;
            let (before, after) = linked(tx, span, Some(&entity.id))?;
            after.upsert(tx)?;
            let doc_id = after.doc_id.clone();
            Ok(Done::new(
                entity.clone(),
                Some(doc_id.clone()),
                vec![
                    Change::Entity {
                        before: None,
                        after: Some(entity),
                    },
                    Change::Span {
                        before: Some(before),
                        after: Some(after),
                    },
                ],
            ))
        })
    }

    pub fn source_entity(&self, id: &str) -> Result<SourceEntity> {
        load_entity(self.conn(), id)
    }

    pub fn source_entities(&self) -> Result<Vec<SourceEntity>> {
        let rows = self
            .conn()
            .prepare(&format!(
                "SELECT {ENTITY_COLUMNS} FROM source_entities ORDER BY name COLLATE NOCASE, id"
            ))?
            .query_map([], entity_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(entity_from_columns).collect()
    }

    /// Links SOURCE spans to an entity, or unlinks them with `None`: one undoable change. A
    /// spelling the entity does not know yet becomes an alias.
    pub fn link_source_entity(
        &mut self,
        spans: &[String],
        entity: Option<&str>,
        annotator: &str,
    ) -> Result<()> {
        let action = if entity.is_some() {
            "link_source_entity"
        } else {
            "unlink_source_entity"
        };
        self.change(action, annotator, |tx, _| {
            let mut changes = Vec::new();
            let mut target = entity.map(|id| load_entity(tx, id)).transpose()?;
            let original = target.clone();
            let mut doc = None;
            for span in spans {
                let (before, after) = linked(tx, span, entity)?;
                if before.source_entity_id == after.source_entity_id {
                    continue;
                }
                if let Some(e) = target.as_mut()
                    && !e.knows(&after.quote)
                {
                    e.aliases
                        .push(after.quote.split_whitespace().collect::<Vec<_>>().join(" "));
                }
                after.upsert(tx)?;
                doc.get_or_insert_with(|| after.doc_id.clone());
                changes.push(Change::Span {
                    before: Some(before),
                    after: Some(after),
                });
            }
            if changes.is_empty() {
                return Ok(Done::new((), None, vec![]));
            }
            if let Some(e) = &target
                && target != original
            {
                upsert_entity(tx, e)?;
                changes.push(Change::Entity {
                    before: original,
                    after: target.clone(),
                });
            }
            Ok(Done::new((), history::common_doc(&changes), changes))
        })
    }

    /// Renames an entity, changes its kind or its aliases.
    pub fn update_source_entity(
        &mut self,
        id: &str,
        edit: EntityEdit,
        annotator: &str,
    ) -> Result<SourceEntity> {
        self.change("update_source_entity", annotator, |tx, _| {
            let before = load_entity(tx, id)?;
            let mut after = before.clone();
            if let Some(name) = edit.name {
                after.name = clean_name(&name)?;
            }
            if let Some(kind) = edit.kind {
                after.kind = kind;
            }
            let aliases = edit.aliases.unwrap_or_else(|| after.aliases.clone());
            after.aliases = clean_aliases(&after.name, &aliases);
            if after == before {
                return Ok(Done::new(after, None, vec![]));
            }
            upsert_entity(tx, &after)?;
            Ok(Done::new(
                after.clone(),
                None,
                vec![Change::Entity {
                    before: Some(before),
                    after: Some(after),
                }],
            ))
        })
    }

    /// Moves every span of `from` to `into`, which gains `from`'s name and aliases as aliases;
    /// `from` is deleted. Undo restores both.
    pub fn merge_source_entities(
        &mut self,
        from: &str,
        into: &str,
        annotator: &str,
    ) -> Result<SourceEntity> {
        if from == into {
            return Err(Error::InvalidLink(
                "an entity cannot be merged into itself".into(),
            ));
        }
        self.change("merge_source_entities", annotator, |tx, _| {
            let gone = load_entity(tx, from)?;
            let before = load_entity(tx, into)?;
            let mut after = before.clone();
            let mut names = after.aliases.clone();
            names.push(gone.name.clone());
            names.extend(gone.aliases.iter().cloned());
            after.aliases = clean_aliases(&after.name, &names);
            let mut changes = move_spans(tx, "source_entity_id", from, |r| {
                r.source_entity_id = Some(into.to_string())
            })?;
            upsert_entity(tx, &after)?;
            delete_entity(tx, from)?;
            changes.push(Change::Entity {
                before: Some(before),
                after: Some(after.clone()),
            });
            changes.push(Change::Entity {
                before: Some(gone),
                after: None,
            });
            Ok(Done::new(after, None, changes))
        })
    }

    /// Moves some of an entity's spans to a new entity named `name`: the undo of a wrong merge
    /// or a wrong link of many spans.
    pub fn split_source_entity(
        &mut self,
        id: &str,
        spans: &[String],
        name: &str,
        annotator: &str,
    ) -> Result<SourceEntity> {
        if spans.is_empty() {
            return Err(Error::InvalidLink(
                "choose the spans that name the other source".into(),
            ));
        }
        self.change("split_source_entity", annotator, |tx, _| {
            let old = load_entity(tx, id)?;
            let name = clean_name(name)?;
            let new = SourceEntity {
                id: crate::ids::new_id(),
                aliases: Vec::new(),
                name,
                kind: old.kind,
                created_at: crate::clock::now(),
            };
            upsert_entity(tx, &new)?;
            let mut changes = vec![Change::Entity {
                before: None,
                after: Some(new.clone()),
            }];
            let mut new_after = new.clone();
            for span in spans {
                let (before, after) = linked(tx, span, Some(&new.id))?;
                if before.source_entity_id.as_deref() != Some(id) {
                    return Err(Error::InvalidLink(format!(
                        "span {span} is not linked to {}",
                        old.name
                    )));
                }
                if !new_after.knows(&after.quote) {
                    new_after.aliases.push(after.quote.clone());
                }
                after.upsert(tx)?;
                changes.push(Change::Span {
                    before: Some(before),
                    after: Some(after),
                });
            }
            new_after.aliases = clean_aliases(&new_after.name, &new_after.aliases);
            if new_after != new {
                upsert_entity(tx, &new_after)?;
                changes.push(Change::Entity {
                    before: Some(new),
                    after: Some(new_after.clone()),
                });
            }
            Ok(Done::new(new_after, None, changes))
        })
    }

    /// Deletes an entity; its spans stay, unlinked. Undo brings both back.
    pub fn delete_source_entity(&mut self, id: &str, annotator: &str) -> Result<()> {
        self.change("delete_source_entity", annotator, |tx, _| {
            let gone = load_entity(tx, id)?;
            let mut changes =
                move_spans(tx, "source_entity_id", id, |r| r.source_entity_id = None)?;
            delete_entity(tx, id)?;
            changes.push(Change::Entity {
                before: Some(gone),
                after: None,
            });
            Ok(Done::new((), None, changes))
        })
    }
}

/// Changes every span whose `column` (`source_entity_id` or `claim_group_id`) is `from`,
/// returning the span changes for the history entry.
pub(crate) fn move_spans(
    conn: &Connection,
    column: &str,
    from: &str,
    edit: impl Fn(&mut SpanRow),
) -> Result<Vec<Change>> {
    let ids: Vec<String> = conn
        .prepare_cached(&format!("SELECT id FROM spans WHERE {column} = ?1"))?
        .query_map([from], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let now = crate::clock::now();
    let mut changes = Vec::with_capacity(ids.len());
    for id in ids {
        let before = SpanRow::load(conn, &id)?.ok_or_else(|| Error::SpanNotFound(id.clone()))?;
        let mut after = before.clone();
        edit(&mut after);
        after.updated_at = now.clone();
        after.upsert(conn)?;
        changes.push(Change::Span {
            before: Some(before),
            after: Some(after),
        });
    }
    Ok(changes)
}
