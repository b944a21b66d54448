//! The records the engine stores and hands out. These cross into the CLI's JSON and, through
//! ts-rs, into the web UI's TypeScript: change them here and regenerate the bindings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a document is in the annotation workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum DocStatus {
    New,
    InProgress,
    Done,
    Skipped,
}

impl DocStatus {
    pub const ALL: [DocStatus; 4] = [
        DocStatus::New,
        DocStatus::InProgress,
        DocStatus::Done,
        DocStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in_progress",
            DocStatus::Done => "done",
            DocStatus::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<DocStatus> {
        DocStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s || (s == "in-progress" && *st == DocStatus::InProgress))
    }
}

/// Metadata of a document. Everything but the text; all optional because files rarely say it all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocMeta {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub url: Option<String>,
    /// ISO 639-3 code, set at import when the language is detected reliably.
    pub language: Option<String>,
    /// The file name the document was imported from, relative to the imported folder.
    pub source_file: Option<String>,
}

/// A document as listed: metadata, status and counts, without the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentSummary {
    pub id: String,
    #[serde(flatten)]
    pub meta: DocMeta,
    /// SHA-256 of the original file's bytes, lowercase hex.
    pub sha256: String,
    pub status: DocStatus,
    /// Length of the text in Unicode code points.
    pub char_len: u32,
    pub span_count: u32,
    /// RFC 3339, UTC.
    pub imported_at: String,
    /// Its first line or sentence (`text::title`): what it is called where it has no title.
    /// Not metadata: never exported as its title.
    pub derived_title: Option<String>,
}

impl DocumentSummary {
    /// What a person calls the document: its title, else its derived title, else the name of
    /// its file, else the start of its id.
    pub fn name(&self) -> String {
        document_name(
            &self.id,
            self.meta.title.as_deref(),
            self.derived_title.as_deref(),
            self.meta.source_file.as_deref(),
        )
    }

    /// The title to show: its title, else its derived title.
    pub fn shown_title(&self) -> Option<String> {
        shown_title(self.meta.title.as_deref(), self.derived_title.as_deref()).map(str::to_string)
    }
}

/// The title to show for a document: its title (a blank one counts as none), else its derived
/// title.
pub fn shown_title<'a>(title: Option<&'a str>, derived_title: Option<&'a str>) -> Option<&'a str> {
    title.filter(|t| !t.trim().is_empty()).or(derived_title)
}

/// What a person calls a document (see [`DocumentSummary::name`]), from its parts where no
/// summary is at hand.
pub fn document_name(
    id: &str,
    title: Option<&str>,
    derived_title: Option<&str>,
    source_file: Option<&str>,
) -> String {
    match (shown_title(title, derived_title), source_file) {
        (Some(t), _) => t.to_string(),
        (None, Some(f)) => f.rsplit('/').next().unwrap_or(f).to_string(),
        (None, None) => id.chars().take(8).collect(),
    }
}

/// A whole document: its summary and its immutable text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Document {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    pub text: String,
}

/// A stretch of one document's text as the views across documents list it: where it is, what
/// it says, and the outlet and title of its document.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Passage {
    pub doc_id: String,
    /// `[start, end)` in code points of the document text.
    pub start: u32,
    pub end: u32,
    /// The text at `[start, end)`.
    pub text: String,
    pub outlet: Option<String>,
    /// Its document's title, else its derived title: for showing, not metadata.
    pub title: Option<String>,
}

impl Passage {
    /// `[start, end)` of the document `summary` describes, whose text there is `text`.
    pub fn of(summary: &DocumentSummary, start: u32, end: u32, text: String) -> Passage {
        Passage {
            doc_id: summary.id.clone(),
            start,
            end,
            text,
            outlet: summary.meta.outlet.clone(),
            title: summary.shown_title(),
        }
    }
}

/// A span label of the schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpanLabel {
    pub name: String,
    /// CSS colour, `#rrggbb`.
    pub color: String,
    /// A single key that applies this label in the app.
    pub hotkey: Option<String>,
    pub description: String,
}

/// A relation type of the schema: which span labels may be its head and its child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RelationType {
    pub name: String,
    /// Labels allowed as head; empty means any.
    pub heads: Vec<String>,
    /// Labels allowed as child; empty means any.
    pub children: Vec<String>,
    pub directed: bool,
    pub description: String,
    /// Every span of a head label should have one: the reader flags a head span without it
    /// (a CLAIM with no source). Older schemas, written before it existed, read as not required.
    #[serde(default)]
    pub required: bool,
}

/// The value type of a span attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum AttrKind {
    Enum { options: Vec<String> },
    Bool,
    Text,
    Number,
    Url,
}

impl AttrKind {
    /// The kind's name, as stored and as messages say it.
    pub fn name(&self) -> &'static str {
        match self {
            AttrKind::Enum { .. } => "enum",
            AttrKind::Bool => "bool",
            AttrKind::Text => "text",
            AttrKind::Number => "number",
            AttrKind::Url => "url",
        }
    }
}

/// A typed attribute that spans of some labels carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttrDef {
    pub name: String,
    /// The span labels this attribute applies to; empty means every label.
    pub labels: Vec<String>,
    #[serde(flatten)]
    pub kind: AttrKind,
    pub description: String,
}

/// A label for a whole document (e.g. its genre or whether it is relevant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocLabelDef {
    pub name: String,
    pub description: String,
}

/// The label schema of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabelSchema {
    pub version: u32,
    pub span_labels: Vec<SpanLabel>,
    pub relation_types: Vec<RelationType>,
    pub attributes: Vec<AttrDef>,
    pub doc_labels: Vec<DocLabelDef>,
}

/// A labelled stretch of a document's text, `[start, end)` in code points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Span {
    pub id: String,
    pub doc_id: String,
    pub start: u32,
    pub end: u32,
    pub label: String,
    /// The text at `[start, end)`.
    pub text: String,
    /// Up to 32 code points before the span, for re-anchoring.
    pub prefix: String,
    /// Up to 32 code points after the span, for re-anchoring.
    pub suffix: String,
    /// Attribute values by attribute name.
    #[ts(type = "Record<string, unknown>")]
    pub attrs: serde_json::Map<String, serde_json::Value>,
    pub note: Option<String>,
    pub annotator: String,
    pub created_at: String,
    pub updated_at: String,
    /// The source entity this (SOURCE) span names, if linked.
    pub source_entity: Option<String>,
    /// The claim group this (CLAIM) span belongs to, if any.
    pub claim_group: Option<String>,
    /// What proposed the span, when it was accepted from a suggestion: `pattern:ID`,
    /// `pattern:line N` or `rule:NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub suggested_by: Option<String>,
}

/// A typed link between two spans of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Relation {
    pub id: String,
    pub doc_id: String,
    pub head: String,
    pub child: String,
    pub label: String,
    pub annotator: String,
    pub created_at: String,
}

/// A document label set on a document by an annotator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocLabel {
    pub doc_id: String,
    pub label: String,
    pub annotator: String,
    pub created_at: String,
}

/// What the app shows about the open workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkspaceInfo {
    /// The workspace folder's name.
    pub name: String,
    pub path: String,
    pub document_count: u32,
    /// Opened read-only: this user cannot write its folder or database; changes are refused.
    pub read_only: bool,
}

/// A document with everything drawn on it, as the reader needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentView {
    pub document: Document,
    pub spans: Vec<Span>,
    pub relations: Vec<Relation>,
    pub doc_labels: Vec<DocLabel>,
}
