//! How a team shares a workspace: whether annotators see each other's layers (blind
//! annotation, with curators who see all), each annotator's own status for a document, and
//! how far each one is through their queue.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workspace;
use super::history::{Change, Done};
use super::layers::GOLD_LAYER;
use super::rows::KeyedRow;
use crate::error::{Error, Result};
use crate::model::{DocStatus, DocumentView};

/// Where the settings are kept in `workspace_meta`.
const SETTINGS_KEY: &str = "team";

/// The workspace's team settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamSettings {
    /// Annotators see only their own layer (in the reader, search and curation) until a
    /// curator settles the document; curators see every layer.
    pub blind: bool,
    /// Who may see every layer and curate while annotation is blind.
    pub curators: Vec<String>,
}

impl TeamSettings {
    /// Whether `viewer` may see the layers of other annotators (and gold).
    pub fn sees_all(&self, viewer: &str) -> bool {
        !self.blind || self.curators.iter().any(|c| c == viewer)
    }
}

/// A layer's own status for a document, as stored (and kept in history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LayerStatusRow {
    pub doc_id: String,
    pub annotator_id: i64,
    pub status: String,
    pub updated_at: String,
}

impl KeyedRow for LayerStatusRow {
    fn insert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO layer_status(doc_id, annotator_id, status, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(doc_id, annotator_id)
             DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        )?
        .execute(params![
            self.doc_id,
            self.annotator_id,
            self.status,
            self.updated_at
        ])?;
        Ok(())
    }

    fn delete(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached("DELETE FROM layer_status WHERE doc_id = ?1 AND annotator_id = ?2")?
            .execute(params![self.doc_id, self.annotator_id])?;
        Ok(())
    }
}

impl LayerStatusRow {
    fn load(conn: &Connection, doc_id: &str, annotator_id: i64) -> Result<Option<LayerStatusRow>> {
        Ok(conn
            .prepare_cached(
                "SELECT status, updated_at FROM layer_status
                 WHERE doc_id = ?1 AND annotator_id = ?2",
            )?
            .query_row(params![doc_id, annotator_id], |r| {
                Ok(LayerStatusRow {
                    doc_id: doc_id.to_string(),
                    annotator_id,
                    status: r.get("status")?,
                    updated_at: r.get("updated_at")?,
                })
            })
            .optional()?)
    }
}

/// A new layer of a document (no status row yet) becomes "in progress"; the change, if it was new.
pub(crate) fn start_layer(
    tx: &Connection,
    doc_id: &str,
    annotator_id: i64,
) -> Result<Option<Change>> {
    if LayerStatusRow::load(tx, doc_id, annotator_id)?.is_some() {
        return Ok(None);
    }
    set_layer_status(tx, doc_id, annotator_id, DocStatus::InProgress.as_str())
}

/// Sets a layer's status for a document inside a change (`new`: no row); the change, when
/// the status was another.
pub(crate) fn set_layer_status(
    tx: &Connection,
    doc_id: &str,
    annotator_id: i64,
    status: &str,
) -> Result<Option<Change>> {
    let before = LayerStatusRow::load(tx, doc_id, annotator_id)?;
    let after = (status != DocStatus::New.as_str()).then(|| LayerStatusRow {
        doc_id: doc_id.to_string(),
        annotator_id,
        status: status.to_string(),
        updated_at: crate::clock::now(),
    });
    if before.as_ref().map(|b| b.status.as_str()) == after.as_ref().map(|a| a.status.as_str()) {
        return Ok(None);
    }
    match &after {
        Some(row) => row.insert(tx)?,
        None => {
            if let Some(row) = &before {
                row.delete(tx)?;
            }
        }
    }
    Ok(Some(Change::LayerStatus { before, after }))
}

/// A layer of one document: whose, its status, and how much is in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LayerSummary {
    pub annotator: String,
    /// `new`, `in_progress`, `done`, `skipped`, or (gold only) `curated`.
    pub status: String,
    pub assigned: bool,
    pub spans: u32,
}

/// How far one annotator is through the documents assigned to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AnnotatorProgress {
    pub annotator: String,
    pub assigned: u32,
    pub in_progress: u32,
    pub done: u32,
    pub skipped: u32,
}

/// The team's progress: each annotator's, and the curation's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TeamProgress {
    /// Every annotator of the workspace by name, gold left out: the app colours each by their
    /// place here, so that an annotator has one colour in every view.
    pub names: Vec<String>,
    pub annotators: Vec<AnnotatorProgress>,
    /// Documents assigned to two annotators or more: those that need curating.
    pub to_curate: u32,
    /// Documents whose curation a curator finished.
    pub curated: u32,
}

impl Workspace {
    /// The team settings (none set: annotation is open, nobody is a curator).
    pub fn team_settings(&self) -> Result<TeamSettings> {
        match super::setting(self.conn(), SETTINGS_KEY)? {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(TeamSettings::default()),
        }
    }

    /// Replaces the team settings. Curators' names are trimmed; blind annotation needs one.
    pub fn set_team_settings(&mut self, settings: &TeamSettings) -> Result<TeamSettings> {
        let mut curators: Vec<String> = Vec::new();
        for name in &settings.curators {
            let name = name.trim();
            if name == GOLD_LAYER {
                return Err(Error::InvalidSetting(format!(
                    "`{GOLD_LAYER}` is the curated layer, not a person who can curate"
                )));
            }
            if !name.is_empty() && !curators.iter().any(|c| c == name) {
                curators.push(name.to_string());
            }
        }
        if settings.blind && curators.is_empty() {
            return Err(Error::InvalidSetting(
                "blind annotation needs a curator, who sees every layer to settle them; name one"
                    .into(),
            ));
        }
        let kept = TeamSettings {
            blind: settings.blind,
            curators,
        };
        super::set_setting(self.conn(), SETTINGS_KEY, &serde_json::to_string(&kept)?)?;
        Ok(kept)
    }

    /// Refuses `viewer` when annotation is blind and they are not a curator: what curation
    /// shows are the other annotators' layers.
    pub fn check_curator(&self, viewer: &str) -> Result<()> {
        let settings = self.team_settings()?;
        if settings.sees_all(viewer) {
            return Ok(());
        }
        Err(Error::BlindAnnotation {
            viewer: viewer.to_string(),
            curators: settings.curators.join(", "),
        })
    }

    /// A document as `viewer` may see it: every layer, or while annotation is blind and they
    /// are not a curator, their own layer alone.
    pub fn document_view_as(&self, doc: &str, viewer: &str) -> Result<DocumentView> {
        let mut view = self.document_view(doc)?;
        if !self.team_settings()?.sees_all(viewer) {
            view.spans.retain(|s| s.annotator == viewer);
            view.relations.retain(|r| r.annotator == viewer);
            view.doc_labels.retain(|l| l.annotator == viewer);
        }
        Ok(view)
    }

    /// The layers of a document that `viewer` may see: each annotator who is assigned it or
    /// marked something in it, and gold, with their status, by name.
    pub fn document_layers(&self, doc: &str, viewer: &str) -> Result<Vec<LayerSummary>> {
        let doc_id = self.resolve_document(doc)?;
        let sees_all = self.team_settings()?.sees_all(viewer);
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.name AS annotator,
                    COALESCE((SELECT status FROM layer_status l
                              WHERE l.doc_id = ?1 AND l.annotator_id = a.id), 'new') AS status,
                    EXISTS (SELECT 1 FROM assignments x
                            WHERE x.doc_id = ?1 AND x.annotator_id = a.id) AS assigned,
                    (SELECT COUNT(*) FROM spans s
                     WHERE s.doc_id = ?1 AND s.annotator_id = a.id) AS spans
             FROM annotators a
             WHERE a.id IN (SELECT annotator_id FROM spans WHERE doc_id = ?1
                            UNION SELECT annotator_id FROM relations WHERE doc_id = ?1
                            UNION SELECT annotator_id FROM doc_labels WHERE doc_id = ?1
                            UNION SELECT annotator_id FROM assignments WHERE doc_id = ?1
                            UNION SELECT annotator_id FROM layer_status WHERE doc_id = ?1)
             ORDER BY a.name = 'gold', a.name",
        )?;
        let rows = stmt.query_map([&doc_id], |r| {
            Ok(LayerSummary {
                annotator: r.get("annotator")?,
                status: r.get("status")?,
                assigned: r.get("assigned")?,
                spans: r.get("spans")?,
            })
        })?;
        let mut layers = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        if !sees_all {
            layers.retain(|l| l.annotator == viewer);
        }
        Ok(layers)
    }

    /// Each annotator's progress through their assigned documents, and the curation's.
    pub fn team_progress(&self) -> Result<TeamProgress> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT a.name AS annotator, COUNT(*) AS assigned,
                    COALESCE(SUM(l.status = 'in_progress'), 0) AS in_progress,
                    COALESCE(SUM(l.status = 'done'), 0) AS done,
                    COALESCE(SUM(l.status = 'skipped'), 0) AS skipped
             FROM assignments x
             JOIN annotators a ON a.id = x.annotator_id
             LEFT JOIN layer_status l
                    ON l.doc_id = x.doc_id AND l.annotator_id = x.annotator_id
             GROUP BY a.id ORDER BY a.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AnnotatorProgress {
                annotator: r.get("annotator")?,
                assigned: r.get("assigned")?,
                in_progress: r.get("in_progress")?,
                done: r.get("done")?,
                skipped: r.get("skipped")?,
            })
        })?;
        let annotators = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let to_curate = conn.query_row(
            "SELECT COUNT(*) FROM (SELECT doc_id FROM assignments GROUP BY doc_id
                                   HAVING COUNT(*) >= 2)",
            [],
            |r| r.get(0),
        )?;
        let curated = conn.query_row(
            "SELECT COUNT(*) FROM layer_status l JOIN annotators a ON a.id = l.annotator_id
             WHERE a.name = ?1 AND l.status = 'curated'",
            [GOLD_LAYER],
            |r| r.get(0),
        )?;
        let mut stmt =
            conn.prepare_cached("SELECT name FROM annotators WHERE name <> ?1 ORDER BY name")?;
        let names = stmt
            .query_map([GOLD_LAYER], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(TeamProgress {
            names,
            annotators,
            to_curate,
            curated,
        })
    }

    /// Marks a document's curation finished (gold's status `curated`) or, with `finished`
    /// false, open again; one undo step recorded under the curator's name.
    pub fn finish_curation(&mut self, doc: &str, finished: bool, curator: &str) -> Result<()> {
        self.check_curator(curator)?;
        let doc_id = self.resolve_document(doc)?;
        self.change("curate_finish", curator, |tx, _| {
            let gold = super::annotator_id(tx, GOLD_LAYER)?;
            let status = if finished {
                "curated"
            } else {
                DocStatus::New.as_str()
            };
            let changes = set_layer_status(tx, &doc_id, gold, status)?
                .into_iter()
                .collect();
            Ok(Done::new((), Some(doc_id.clone()), changes))
        })
    }
}
