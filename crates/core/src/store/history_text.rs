//! What a history entry changed, in words an analyst reads in the bar after an undo: "CLAIM
//! “troops are returning”: label SOURCE → CLAIM", "relation attributed_to", "status done".

use rusqlite::{Connection, OptionalExtension};

use super::history::Change;
use super::rows::SpanRow;
use crate::error::Result;

/// The longest quote of a span in a description, in characters.
const QUOTE_CHARS: usize = 40;

fn quote(text: &str) -> String {
    format!("“{}”", crate::text::shorten(text, QUOTE_CHARS))
}

fn name_of(conn: &Connection, sql: &str, id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()?
        .unwrap_or_else(|| format!("#{id}")))
}

fn label(conn: &Connection, id: i64) -> Result<String> {
    name_of(conn, "SELECT name FROM span_labels WHERE id = ?1", id)
}

fn span_text(conn: &Connection, row: &SpanRow) -> Result<String> {
    Ok(format!(
        "{} {}",
        label(conn, row.label_id)?,
        quote(&row.quote)
    ))
}

/// What one span change did: which span, and which of its fields changed.
fn span_change(conn: &Connection, before: &SpanRow, after: &SpanRow) -> Result<String> {
    let mut fields = Vec::new();
    if before.label_id != after.label_id {
        fields.push(format!(
            "label {} → {}",
            label(conn, before.label_id)?,
            label(conn, after.label_id)?
        ));
    }
    if (before.start, before.end) != (after.start, after.end) {
        fields.push(format!(
            "extent {} → {}",
            quote(&before.quote),
            quote(&after.quote)
        ));
    }
    if before.attrs != after.attrs {
        fields.push("attributes".into());
    }
    if before.note != after.note {
        fields.push("note".into());
    }
    if before.source_entity_id != after.source_entity_id {
        fields.push("source entity".into());
    }
    if before.claim_group_id != after.claim_group_id {
        fields.push("claim group".into());
    }
    let what = span_text(conn, before)?;
    Ok(if fields.is_empty() {
        what
    } else {
        format!("{what}: {}", fields.join(", "))
    })
}

/// Describes an entry's changes: the first change that is the point of it (a span's status
/// change that comes with its first span is not), and how many more there are.
pub(crate) fn describe(conn: &Connection, changes: &[Change]) -> Result<String> {
    let main: Vec<&Change> = changes
        .iter()
        .filter(|c| !matches!(c, Change::LayerStatus { .. }))
        .collect();
    let has_spans = main.iter().any(|c| matches!(c, Change::Span { .. }));
    let main: Vec<&Change> = main
        .into_iter()
        .filter(|c| !(has_spans && matches!(c, Change::Document { .. })))
        .collect();
    let Some(first) = main.first() else {
        return Ok(String::new());
    };
    let text = match first {
        Change::Span { before, after } => match (before, after) {
            (None, Some(a)) => format!("added {}", span_text(conn, a)?),
            (Some(b), None) => format!("deleted {}", span_text(conn, b)?),
            (Some(b), Some(a)) => span_change(conn, b, a)?,
            (None, None) => String::new(),
        },
        Change::Relation { before, after } => {
            let row = after.as_ref().or(before.as_ref());
            let name = match row {
                Some(r) => name_of(
                    conn,
                    "SELECT name FROM relation_types WHERE id = ?1",
                    r.type_id,
                )?,
                None => String::new(),
            };
            let verb = if after.is_some() { "added" } else { "deleted" };
            format!("{verb} relation {name}")
        }
        Change::Document { before, after } => {
            if before.status != after.status {
                format!("status {} → {}", before.status, after.status)
            } else {
                "document details".into()
            }
        }
        Change::DocLabel { after, .. } => if after.is_some() {
            "added a document label"
        } else {
            "removed a document label"
        }
        .into(),
        Change::Entity { before, after } => match (before, after) {
            (_, Some(a)) => format!("source entity “{}”", a.name),
            (Some(b), None) => format!("deleted source entity “{}”", b.name),
            (None, None) => String::new(),
        },
        Change::Group { before, after } => match (before, after) {
            (_, Some(a)) => format!("claim group {}", quote(&a.canonical)),
            (Some(b), None) => format!("deleted claim group {}", quote(&b.canonical)),
            (None, None) => String::new(),
        },
        Change::Assignment { .. } => "assignment".into(),
        Change::LayerStatus { .. } => "layer status".into(),
        Change::Reject { .. } => "curation".into(),
        Change::SuggestionReject { .. } => "turned-down suggestion".into(),
        Change::Schema { .. } => "label schema".into(),
    };
    let more = main.len() - 1;
    Ok(match more {
        0 => text,
        1 => format!("{text} and 1 more change"),
        n => format!("{text} and {n} more changes"),
    })
}
