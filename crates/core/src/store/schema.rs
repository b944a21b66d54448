//! The label schema: span labels, relation types, attributes and document labels.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Workspace;
use super::history::{Change, Done, SCHEMA_ACTION};
use crate::error::{Error, Result};
use crate::model::{AttrDef, AttrKind, DocLabelDef, LabelSchema, RelationType, SpanLabel};

/// The claims-and-sources schema a new workspace starts with (PRODUCT.md, "Default schema").
pub fn default_schema() -> LabelSchema {
    let label = |name: &str, color: &str, hotkey: &str, description: &str| SpanLabel {
        name: name.into(),
        color: color.into(),
        hotkey: Some(hotkey.into()),
        description: description.into(),
    };
    let relation =
        |name: &str, heads: &[&str], children: &[&str], required, description: &str| RelationType {
            name: name.into(),
            heads: heads.iter().map(|s| s.to_string()).collect(),
            children: children.iter().map(|s| s.to_string()).collect(),
            directed: true,
            description: description.into(),
            required,
        };
    let options = |opts: &[&str]| AttrKind::Enum {
        options: opts.iter().map(|s| s.to_string()).collect(),
    };
    LabelSchema {
        version: 1,
        span_labels: vec![
            label("CLAIM", "#f59e0b", "1", "A checkable statement."),
            label(
                "SOURCE",
                "#3b82f6",
                "2",
                "Who or what the claim is attributed to.",
            ),
            label(
                "CUE",
                "#10b981",
                "3",
                "The reporting words: said, told, according to, was quoted as saying.",
            ),
            label(
                "QUANTITY",
                "#8b5cf6",
                "4",
                "A number with its unit: \"over 100,000 troops\".",
            ),
            label(
                "EVIDENCE",
                "#ec4899",
                "5",
                "Material offered in support, e.g. satellite images.",
            ),
            label(
                "BOILERPLATE",
                "#9ca3af",
                "6",
                "Text that is not part of the article.",
            ),
        ],
        relation_types: vec![
            relation(
                "attributed_to",
                &["CLAIM"],
                &["SOURCE"],
                true,
                "The claim is attributed to this source.",
            ),
            relation(
                "cue_of",
                &["CUE"],
                &["CLAIM"],
                true,
                "The reporting words introduce this claim.",
            ),
            relation(
                "quantity_of",
                &["QUANTITY"],
                &["CLAIM"],
                true,
                "The figure belongs to this claim.",
            ),
            relation(
                "supports",
                &["CLAIM"],
                &["CLAIM"],
                false,
                "The head claim supports the child claim.",
            ),
            relation(
                "contradicts",
                &["CLAIM"],
                &["CLAIM"],
                false,
                "The head claim contradicts the child claim.",
            ),
        ],
        attributes: vec![
            AttrDef {
                name: "type".into(),
                labels: vec!["CLAIM".into()],
                kind: options(&["factual", "numerical", "quote", "prediction", "opinion"]),
                description: "What kind of claim this is.".into(),
            },
            AttrDef {
                name: "check_worthy".into(),
                labels: vec!["CLAIM".into()],
                kind: AttrKind::Bool,
                description: "Worth checking.".into(),
            },
            AttrDef {
                name: "stance".into(),
                labels: vec!["CLAIM".into()],
                kind: options(&["reports", "endorses", "disputes"]),
                description: "The outlet's stance towards the claim.".into(),
            },
            AttrDef {
                name: "refers_to".into(),
                labels: vec!["SOURCE".into()],
                kind: AttrKind::Text,
                description: "Whom a pronoun speaker (\"he\", \"they\") refers to.".into(),
            },
        ],
        doc_labels: vec![],
    }
}

/// Whether `name` can name a label, relation type, attribute or document label: not empty,
/// no white space (names are typed in queries, `label:CLAIM`, and in files).
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(char::is_whitespace)
}

/// Checks a schema for what the database cannot: names, colours, hotkeys, references.
pub(crate) fn validate(schema: &LabelSchema) -> Result<()> {
    let bad = |msg: String| Err(Error::InvalidSchema(msg));
    let named = |what: &str, name: &str| -> Result<()> {
        if is_valid_name(name) {
            Ok(())
        } else {
            bad(format!(
                "{what} name `{name}` must be non-empty and without spaces"
            ))
        }
    };
    // Relation types, attributes and document labels were once allowed spaces, and workspaces
    // may hold such names: only an empty one is refused (imports add none with spaces).
    let not_empty = |what: &str, name: &str| -> Result<()> {
        if name.trim().is_empty() {
            bad(format!("{what} name `{name}` must be non-empty"))
        } else {
            Ok(())
        }
    };
    let mut labels = HashSet::new();
    let mut hotkeys = HashSet::new();
    for l in &schema.span_labels {
        named("label", &l.name)?;
        if !labels.insert(l.name.as_str()) {
            return bad(format!("label `{}` appears twice", l.name));
        }
        let hex = l.color.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return bad(format!(
                "label `{}` has colour `{}`; use #rrggbb",
                l.name, l.color
            ));
        }
        if let Some(key) = &l.hotkey {
            if key.chars().count() != 1 {
                return bad(format!(
                    "label `{}` has hotkey `{key}`; use a single key",
                    l.name
                ));
            }
            if !hotkeys.insert(key.to_lowercase()) {
                return bad(format!("hotkey `{key}` is used by two labels"));
            }
        }
    }
    let check_refs = |what: &str, names: &[String]| -> Result<()> {
        match names.iter().find(|n| !labels.contains(n.as_str())) {
            Some(n) => bad(format!("{what} names label `{n}`, which the schema lacks")),
            None => Ok(()),
        }
    };
    let mut names = HashSet::new();
    for r in &schema.relation_types {
        not_empty("relation type", &r.name)?;
        if !names.insert(r.name.as_str()) {
            return bad(format!("relation type `{}` appears twice", r.name));
        }
        check_refs(&format!("relation type `{}`", r.name), &r.heads)?;
        check_refs(&format!("relation type `{}`", r.name), &r.children)?;
    }
    let mut names = HashSet::new();
    for a in &schema.attributes {
        not_empty("attribute", &a.name)?;
        if !names.insert(a.name.as_str()) {
            return bad(format!("attribute `{}` appears twice", a.name));
        }
        check_refs(&format!("attribute `{}`", a.name), &a.labels)?;
        if let AttrKind::Enum { options } = &a.kind
            && options.is_empty()
        {
            return bad(format!("enum attribute `{}` has no options", a.name));
        }
    }
    let mut names = HashSet::new();
    for d in &schema.doc_labels {
        not_empty("document label", &d.name)?;
        if !names.insert(d.name.as_str()) {
            return bad(format!("document label `{}` appears twice", d.name));
        }
    }
    Ok(())
}

/// Writes a schema into an empty workspace.
pub(crate) fn install(tx: &Transaction<'_>, schema: &LabelSchema) -> Result<()> {
    validate(schema)?;
    write_entries(tx, schema)?;
    set_version(tx, schema.version)
}

/// Writes an extension of the stored schema `before` (entries added, none removed or renamed)
/// inside the caller's transaction, with its history entry: an import that must keep nothing,
/// labels included, if it fails.
pub(crate) fn extend_in(
    tx: &Transaction<'_>,
    before: &LabelSchema,
    schema: &LabelSchema,
    annotator: &str,
) -> Result<()> {
    validate(schema)?;
    let after = LabelSchema {
        version: schema.version + 1,
        ..schema.clone()
    };
    write_entries(tx, &after)?;
    set_version(tx, after.version)?;
    let who = super::annotator_id(tx, annotator)?;
    let change = Change::Schema {
        before: Box::new(before.clone()),
        after: Box::new(after),
        renames: vec![],
    };
    super::history::record(tx, who, None, SCHEMA_ACTION, &[change])?;
    Ok(())
}

fn set_version(tx: &Connection, version: u32) -> Result<()> {
    tx.execute(
        "INSERT INTO workspace_meta(key, value) VALUES ('schema_version', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![version.to_string()],
    )?;
    Ok(())
}

/// Inserts the schema's entries, or updates those that exist by name, in the schema's order.
/// A relation type's and an attribute's labels are replaced.
fn write_entries(tx: &Connection, schema: &LabelSchema) -> Result<()> {
    for (pos, l) in schema.span_labels.iter().enumerate() {
        tx.execute(
            "INSERT INTO span_labels(name, color, hotkey, description, position)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET color = excluded.color, hotkey = excluded.hotkey,
               description = excluded.description, position = excluded.position",
            params![l.name, l.color, l.hotkey, l.description, pos as i64],
        )?;
    }
    for (pos, r) in schema.relation_types.iter().enumerate() {
        let id: i64 = tx.query_row(
            "INSERT INTO relation_types(name, directed, description, position, required)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET directed = excluded.directed,
               description = excluded.description, position = excluded.position,
               required = excluded.required
             RETURNING id",
            params![r.name, r.directed, r.description, pos as i64, r.required],
            |row| row.get(0),
        )?;
        tx.execute(
            "DELETE FROM relation_type_labels WHERE relation_type_id = ?1",
            [id],
        )?;
        for (role, names) in [("head", &r.heads), ("child", &r.children)] {
            for name in names {
                tx.execute(
                    "INSERT INTO relation_type_labels(relation_type_id, role, label_id)
                     VALUES (?1, ?2, (SELECT id FROM span_labels WHERE name = ?3))",
                    params![id, role, name],
                )?;
            }
        }
    }
    for (pos, a) in schema.attributes.iter().enumerate() {
        let (kind, options) = attr_kind_columns(&a.kind)?;
        let id: i64 = tx.query_row(
            "INSERT INTO attribute_defs(name, kind, options, description, position)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, options = excluded.options,
               description = excluded.description, position = excluded.position
             RETURNING id",
            params![a.name, kind, options, a.description, pos as i64],
            |row| row.get(0),
        )?;
        tx.execute("DELETE FROM attribute_labels WHERE attribute_id = ?1", [id])?;
        for name in &a.labels {
            tx.execute(
                "INSERT INTO attribute_labels(attribute_id, label_id)
                 VALUES (?1, (SELECT id FROM span_labels WHERE name = ?2))",
                params![id, name],
            )?;
        }
    }
    for (pos, d) in schema.doc_labels.iter().enumerate() {
        tx.execute(
            "INSERT INTO doc_label_defs(name, description, position) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET description = excluded.description,
               position = excluded.position",
            params![d.name, d.description, pos as i64],
        )?;
    }
    Ok(())
}

fn attr_kind_columns(kind: &AttrKind) -> Result<(&'static str, String)> {
    let options = match kind {
        AttrKind::Enum { options } => serde_json::to_string(options)?,
        _ => "[]".into(),
    };
    Ok((kind.name(), options))
}

/// An attribute kind from its `kind` and `options` columns.
pub(crate) fn attr_kind_from_columns(kind: &str, options: &str) -> Result<AttrKind> {
    Ok(match kind {
        "enum" => AttrKind::Enum {
            options: serde_json::from_str(options)?,
        },
        "bool" => AttrKind::Bool,
        "text" => AttrKind::Text,
        "number" => AttrKind::Number,
        "url" => AttrKind::Url,
        other => return Err(Error::Corrupt(format!("attribute kind `{other}`"))),
    })
}

/// Names in a table that the new schema no longer has.
fn dropped(tx: &Connection, table: &str, keep: &HashSet<&str>) -> Result<Vec<(i64, String)>> {
    let rows = tx
        .prepare(&format!("SELECT id, name FROM {table}"))?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, name)| !keep.contains(name.as_str()))
        .collect())
}

/// Refuses to drop a schema entry that annotations still use.
fn refuse_if_used(tx: &Connection, sql: &str, id: i64, what: String) -> Result<()> {
    let used: i64 = tx.query_row(sql, [id], |r| r.get(0))?;
    if used > 0 {
        return Err(Error::InvalidSchema(format!(
            "{what} is used by {used} annotation(s); change or delete them before removing it"
        )));
    }
    Ok(())
}

/// The id of a span label by name.
pub(crate) fn label_id(conn: &rusqlite::Connection, name: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM span_labels WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::UnknownLabel(name.into()))
}

/// Makes `schema` (its version included) the workspace's, inside the caller's transaction:
/// what [`Workspace::update_schema`] writes, and what undo, redo and a pulled change write back.
pub(crate) fn replace(
    tx: &Connection,
    schema: &LabelSchema,
    label_renames: &[(String, String)],
) -> Result<()> {
    let current: HashSet<String> = read(tx)?.span_labels.into_iter().map(|l| l.name).collect();
    for (old, new) in label_renames.iter().filter(|(o, n)| o != n) {
        let freed = label_renames.iter().any(|(o, n)| o == new && n != new);
        if current.contains(new) && !freed {
            return Err(Error::InvalidSchema(format!(
                "cannot rename `{old}` to `{new}`: a label `{new}` exists already"
            )));
        }
    }
    // Through temporary names, so that two labels can swap names.
    let renames: Vec<_> = label_renames.iter().filter(|(o, n)| o != n).collect();
    for (i, (old, _)) in renames.iter().enumerate() {
        let changed = tx.execute(
            "UPDATE span_labels SET name = ?2 WHERE name = ?1",
            params![old, format!("\u{1}renaming-{i}")],
        )?;
        if changed == 0 {
            return Err(Error::UnknownLabel(old.clone()));
        }
    }
    for (i, (_, new)) in renames.iter().enumerate() {
        tx.execute(
            "UPDATE span_labels SET name = ?2 WHERE name = ?1",
            params![format!("\u{1}renaming-{i}"), new],
        )?;
    }

    // Hotkeys are unique: clear them first so that two labels can swap theirs.
    tx.execute("UPDATE span_labels SET hotkey = NULL", [])?;
    let labels: HashSet<&str> = schema.span_labels.iter().map(|l| l.name.as_str()).collect();
    for (id, name) in dropped(tx, "span_labels", &labels)? {
        refuse_if_used(
            tx,
            "SELECT count(*) FROM spans WHERE label_id = ?1",
            id,
            format!("label `{name}`"),
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO retired_labels(id, name) VALUES (?1, ?2)",
            params![id, name],
        )?;
        tx.execute("DELETE FROM span_labels WHERE id = ?1", [id])?;
    }
    let types: HashSet<&str> = schema
        .relation_types
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    for (id, name) in dropped(tx, "relation_types", &types)? {
        refuse_if_used(
            tx,
            "SELECT count(*) FROM relations WHERE type_id = ?1",
            id,
            format!("relation type `{name}`"),
        )?;
        tx.execute("DELETE FROM relation_types WHERE id = ?1", [id])?;
    }
    // An attribute can go: its values stay on the spans.
    let attrs: HashSet<&str> = schema.attributes.iter().map(|a| a.name.as_str()).collect();
    for (id, _) in dropped(tx, "attribute_defs", &attrs)? {
        tx.execute("DELETE FROM attribute_defs WHERE id = ?1", [id])?;
    }
    let doc_labels: HashSet<&str> = schema.doc_labels.iter().map(|d| d.name.as_str()).collect();
    for (id, name) in dropped(tx, "doc_label_defs", &doc_labels)? {
        refuse_if_used(
            tx,
            "SELECT count(*) FROM doc_labels WHERE label_def_id = ?1",
            id,
            format!("document label `{name}`"),
        )?;
        tx.execute("DELETE FROM doc_label_defs WHERE id = ?1", [id])?;
    }
    write_entries(tx, schema)?;
    set_version(tx, schema.version)?;
    Ok(())
}

impl Workspace {
    /// Replaces the label schema with `schema`, in one transaction and one history entry
    /// (which undo leaves alone: it travels to a team server like any change). Span labels are
    /// matched by name, after `label_renames` (old name, new name): a renamed label keeps its
    /// spans. An entry that annotations still use (a label with spans, a relation type with
    /// relations, a document label set on documents) cannot be removed; an attribute can (values
    /// stay on the spans). Hotkeys may be swapped. The schema's version goes up by one.
    pub fn update_schema(
        &mut self,
        schema: &LabelSchema,
        label_renames: &[(String, String)],
        annotator: &str,
    ) -> Result<LabelSchema> {
        validate(schema)?;
        let before = self.schema()?;
        let after = LabelSchema {
            version: before.version + 1,
            ..schema.clone()
        };
        let renames: Vec<(String, String)> = label_renames
            .iter()
            .filter(|(o, n)| o != n)
            .cloned()
            .collect();
        self.change(SCHEMA_ACTION, annotator, |tx, _| {
            replace(tx, &after, &renames)?;
            let change = Change::Schema {
                before: Box::new(before),
                after: Box::new(after.clone()),
                renames,
            };
            Ok(Done::new((), None, vec![change]))
        })?;
        self.schema()
    }

    /// The workspace's label schema.
    pub fn schema(&self) -> Result<LabelSchema> {
        read(self.conn())
    }
}

/// Adds a span label named `name` (a grey, no key) unless there is one; its id. For a label
/// that a change from a team server uses and this workspace's schema lost in a conflict.
pub(crate) fn add_label(conn: &Connection, name: &str) -> Result<i64> {
    if !is_valid_name(name) {
        return Err(Error::UnknownLabel(name.into()));
    }
    conn.execute(
        "INSERT OR IGNORE INTO span_labels(name, color, hotkey, description, position)
         SELECT ?1, '#9e9e9e', NULL, '', coalesce(max(position), 0) + 1 FROM span_labels",
        [name],
    )?;
    label_id(conn, name)
}

/// The label schema stored in `conn`.
pub(crate) fn read(conn: &Connection) -> Result<LabelSchema> {
    let version: u32 = conn
        .query_row(
            "SELECT value FROM workspace_meta WHERE key = 'schema_version'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let span_labels = conn
        .prepare("SELECT name, color, hotkey, description FROM span_labels ORDER BY position, id")?
        .query_map([], |r| {
            Ok(SpanLabel {
                name: r.get(0)?,
                color: r.get(1)?,
                hotkey: r.get(2)?,
                description: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let labels_of = |sql: &str, id: i64| -> Result<Vec<String>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?)
    };
    let mut relation_types = Vec::new();
    let rows = conn
        .prepare(
            "SELECT id, name, directed, description, required FROM relation_types
             ORDER BY position, id",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let role_sql = |role: &str| {
        format!(
            "SELECT l.name FROM relation_type_labels t JOIN span_labels l ON l.id = t.label_id
                 WHERE t.relation_type_id = ?1 AND t.role = '{role}' ORDER BY l.position, l.id"
        )
    };
    for (id, name, directed, description, required) in rows {
        relation_types.push(RelationType {
            name,
            heads: labels_of(&role_sql("head"), id)?,
            children: labels_of(&role_sql("child"), id)?,
            directed,
            description,
            required,
        });
    }
    let mut attributes = Vec::new();
    let rows = conn
        .prepare(
            "SELECT id, name, kind, options, description FROM attribute_defs ORDER BY position, id",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (id, name, kind, options, description) in rows {
        let kind = attr_kind_from_columns(&kind, &options)?;
        attributes.push(AttrDef {
            name,
            labels: labels_of(
                "SELECT l.name FROM attribute_labels a JOIN span_labels l ON l.id = a.label_id
                     WHERE a.attribute_id = ?1 ORDER BY l.position, l.id",
                id,
            )?,
            kind,
            description,
        });
    }
    let doc_labels = conn
        .prepare("SELECT name, description FROM doc_label_defs ORDER BY position, id")?
        .query_map([], |r| {
            Ok(DocLabelDef {
                name: r.get(0)?,
                description: r.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LabelSchema {
        version,
        span_labels,
        relation_types,
        attributes,
        doc_labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schema_is_valid() {
        validate(&default_schema()).unwrap();
    }

    #[test]
    fn clashing_hotkeys_are_refused() {
        let mut s = default_schema();
        s.span_labels[1].hotkey = Some("1".into());
        let err = validate(&s).unwrap_err();
        assert!(err.to_string().contains("hotkey `1`"), "{err}");
    }

    #[test]
    fn a_relation_naming_a_missing_label_is_refused() {
        let mut s = default_schema();
        s.relation_types[0].children = vec!["PERSON".into()];
        let err = validate(&s).unwrap_err();
        assert!(err.to_string().contains("PERSON"), "{err}");
    }

    #[test]
    fn empty_names_are_refused_everywhere_and_spaces_in_span_labels() {
        for (what, set, names) in [
            ("label", 0, &["", "two words"][..]),
            ("relation type", 1, &[""][..]),
            ("attribute", 2, &[""][..]),
            ("document label", 3, &[""][..]),
        ] {
            for &name in names {
                let mut s = default_schema();
                match set {
                    0 => s.span_labels[5].name = name.into(),
                    1 => s.relation_types[0].name = name.into(),
                    2 => s.attributes[0].name = name.into(),
                    _ => s.doc_labels.push(DocLabelDef {
                        name: name.into(),
                        description: String::new(),
                    }),
                }
                let err = validate(&s).unwrap_err().to_string();
                assert!(
                    err.contains(&format!("{what} name `{name}` must be non-empty")),
                    "{err}"
                );
            }
        }
        // A workspace may hold a relation type named with spaces from before: it stays valid.
        let mut s = default_schema();
        s.relation_types[0].name = "two words".into();
        validate(&s).unwrap();
    }

    #[test]
    fn bad_colours_are_refused() {
        let mut s = default_schema();
        s.span_labels[0].color = "orange".into();
        assert!(validate(&s).is_err());
    }
}
