//! The engine's errors. Each message says what went wrong in words a user can act on.

use std::path::PathBuf;

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{path}: not a Parallax workspace (no parallax.db inside); create one with `parallax init`"
    )]
    NotAWorkspace { path: PathBuf },

    #[error("{path}: a workspace already exists here")]
    WorkspaceExists { path: PathBuf },

    #[error(
        "{path}: this workspace was written by a newer Parallax (schema version {found}, this one knows up to {supported}); update Parallax to open it"
    )]
    WorkspaceTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "{path}: Parallax (the app, or a command still running) has this workspace open; close it (or open another workspace in the app) first"
    )]
    WorkspaceInUse { path: PathBuf },

    #[error(
        "{path}: this workspace was written by an older Parallax and must be upgraded, which needs write access; open it once as a user who can write its folder"
    )]
    ReadOnlyNeedsUpgrade { path: PathBuf },

    #[error(
        "{path}: a snapshot is being restored into this workspace; open it again when that is done"
    )]
    RestoreUnderWay { path: PathBuf },

    #[error("{path}: not a usable snapshot: {reason}")]
    BadSnapshot { path: PathBuf, reason: String },

    #[error("{0}")]
    InvalidSetting(String),

    #[error(
        "annotation in this workspace is blind: {viewer} sees only their own layer, and only its curators ({curators}) see the others and curate; ask one of them, or have them turn blind annotation off"
    )]
    BlindAnnotation { viewer: String, curators: String },

    #[error("Parallax cannot {action} {format}; it can {action} {can}")]
    UnsupportedFormat {
        format: &'static str,
        action: &'static str,
        /// The formats it can use instead, as a list for people.
        can: String,
    },

    #[error("no document matches `{0}`")]
    DocumentNotFound(String),

    #[error("`{0}` matches several documents; give more of the id")]
    AmbiguousDocument(String),

    #[error("no span with id {0}")]
    SpanNotFound(String),

    #[error("no relation with id {0}")]
    RelationNotFound(String),

    #[error("no annotator `{0}` has a layer in this workspace (`parallax stats` lists them)")]
    AnnotatorNotFound(String),

    #[error("the schema has no span label `{0}`")]
    UnknownLabel(String),

    #[error("the schema has no relation type `{0}`")]
    UnknownRelationType(String),

    #[error("the schema has no document label `{0}`")]
    UnknownDocLabel(String),

    #[error("span [{start}, {end}) is outside the document, which has {len} characters")]
    SpanOutOfBounds { start: u32, end: u32, len: u32 },

    #[error("span [{start}, {end}) is empty or reversed: end must be greater than start")]
    EmptySpan { start: u32, end: u32 },

    #[error(
        "relation `{relation}` does not allow a {head} span as head and a {child} span as child"
    )]
    RelationNotAllowed {
        relation: String,
        head: String,
        child: String,
    },

    #[error("a relation must link two spans of the same document")]
    RelationAcrossDocuments,

    #[error("a relation cannot link a span to itself")]
    RelationToSelf,

    #[error("no source entity with id {0}")]
    EntityNotFound(String),

    #[error("no claim group with id {0}")]
    GroupNotFound(String),

    /// A cross-document link that cannot be made: the wrong label, a bad evidence URL, ...
    #[error("{0}")]
    InvalidLink(String),

    #[error("attribute `{attr}` {problem}")]
    InvalidAttribute { attr: String, problem: String },

    #[error("unknown document status `{0}` (use new, in_progress, done or skipped)")]
    UnknownStatus(String),

    #[error("invalid schema: {0}")]
    InvalidSchema(String),

    #[error("pattern file, line {line}: {problem}")]
    InvalidPattern { line: usize, problem: String },

    /// Accepting a suggestion that is no longer proposed (accepted, turned down or annotated
    /// since the list was shown).
    #[error(
        "no open suggestion starts with {label} [{start}, {end}) in this document: it was accepted, turned down or annotated since; show the suggestions again"
    )]
    SuggestionNotFound { start: u32, end: u32, label: String },

    #[error(
        "the suggestion rules stopped on a document (a fault in Parallax: please report it with the document that follows the last one annotated); what the documents before it got is kept"
    )]
    SuggesterStopped,

    #[error("nothing to undo")]
    NothingToUndo,

    #[error("nothing to redo")]
    NothingToRedo,

    #[error("the operation was cancelled")]
    Cancelled,

    #[error("invalid export filter: {0}")]
    InvalidFilter(String),

    #[error("invalid split: {0}")]
    InvalidSplit(String),

    #[error("bad search query: {0}")]
    Query(String),

    #[error("search index: {0}; `parallax reindex` rebuilds it from the database")]
    Index(String),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the disk is full: the change was not saved and nothing was half-written; free some space and try again"
    )]
    DiskFull,

    #[error(
        "the workspace cannot be written (its folder or database file is read-only): nothing was changed"
    )]
    ReadOnly,

    #[error("database error: {0}")]
    Database(rusqlite::Error),

    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("corrupt record in the database: {0}")]
    Corrupt(String),

    #[error("{0}")]
    Json(#[from] serde_json::Error),

    #[error(
        "this workspace is not linked to a team server: link it with `parallax remote WORKSPACE set postgres://user@host/db`"
    )]
    NoRemote,

    #[error("team server address: {0}")]
    InvalidRemote(String),

    #[error(
        "the team server cannot be reached ({0}); your changes are kept here and go at the next sync"
    )]
    Offline(String),

    #[error("the team server refused: {0}")]
    RemoteRefused(String),

    #[error(
        "the team server wants a password{0}: give it in PGPASSWORD or ~/.pgpass (or type it in the app)"
    )]
    PasswordNeeded(String),

    #[error(
        "the team server has no Parallax tables yet: an administrator sets it up with `parallax remote WORKSPACE init-server`"
    )]
    RemoteNotSetUp,

    #[error(
        "the team server was set up by a newer Parallax (server version {found}; this one knows up to {supported}): update Parallax"
    )]
    RemoteTooNew { found: i64, supported: i64 },

    #[error(
        "the team server was set up by an older Parallax (server version {found}, this one needs {supported}): an administrator upgrades it with `parallax remote WORKSPACE init-server`"
    )]
    RemoteTooOld { found: i64, supported: i64 },

    #[error("team server: {0}")]
    Remote(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A short stable name for the kind of error, for the UI and JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotAWorkspace { .. } => "not_a_workspace",
            Error::WorkspaceExists { .. } => "workspace_exists",
            Error::WorkspaceTooNew { .. } => "workspace_too_new",
            Error::WorkspaceInUse { .. } | Error::RestoreUnderWay { .. } => "workspace_in_use",
            Error::InvalidSetting(_) => "invalid_setting",
            Error::BlindAnnotation { .. } => "blind_annotation",
            Error::UnsupportedFormat { .. } => "unsupported_format",
            Error::ReadOnlyNeedsUpgrade { .. } => "read_only",
            Error::BadSnapshot { .. } => "bad_snapshot",
            Error::DocumentNotFound(_) => "document_not_found",
            Error::AmbiguousDocument(_) => "ambiguous_document",
            Error::SpanNotFound(_) => "span_not_found",
            Error::RelationNotFound(_) => "relation_not_found",
            Error::AnnotatorNotFound(_) => "annotator_not_found",
            Error::UnknownLabel(_)
            | Error::UnknownRelationType(_)
            | Error::UnknownDocLabel(_)
            | Error::UnknownStatus(_) => "unknown_name",
            Error::SpanOutOfBounds { .. } | Error::EmptySpan { .. } => "invalid_span",
            Error::RelationNotAllowed { .. }
            | Error::RelationAcrossDocuments
            | Error::RelationToSelf => "invalid_relation",
            Error::EntityNotFound(_) => "entity_not_found",
            Error::GroupNotFound(_) => "group_not_found",
            Error::InvalidLink(_) => "invalid_link",
            Error::InvalidAttribute { .. } => "invalid_attribute",
            Error::InvalidSchema(_) => "invalid_schema",
            Error::InvalidPattern { .. } => "invalid_pattern",
            Error::SuggestionNotFound { .. } => "suggestion_not_found",
            Error::SuggesterStopped => "suggester_stopped",
            Error::NothingToUndo | Error::NothingToRedo => "nothing_to_do",
            Error::Cancelled => "cancelled",
            Error::InvalidFilter(_) | Error::InvalidSplit(_) => "invalid_export",
            Error::Query(_) => "bad_query",
            Error::Index(_) => "index",
            Error::Io { .. } => "io",
            Error::DiskFull => "disk_full",
            Error::ReadOnly => "read_only",
            Error::Database(_) | Error::Migration(_) | Error::Corrupt(_) => "database",
            Error::Json(_) => "json",
            Error::NoRemote => "no_remote",
            Error::InvalidRemote(_) => "invalid_remote",
            Error::Offline(_) => "offline",
            Error::RemoteRefused(_) => "remote_refused",
            Error::PasswordNeeded(_) => "password_needed",
            Error::RemoteNotSetUp | Error::RemoteTooNew { .. } | Error::RemoteTooOld { .. } => {
                "remote_version"
            }
            Error::Remote(_) => "remote",
        }
    }
}

impl Error {
    /// Whether the database itself failed (not the data): a write may have ended its
    /// transaction, so nothing more may be written in it.
    pub fn is_storage(&self) -> bool {
        matches!(self, Error::Database(_) | Error::DiskFull | Error::ReadOnly)
    }
}

/// SQLite's errors, with the two a user can act on named: a full disk and a read-only file.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            Some(rusqlite::ErrorCode::ReadOnly) => Error::ReadOnly,
            _ => Error::Database(e),
        }
    }
}

/// The server's errors: those a user can act on (no connection, no right) named apart.
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        use postgres::error::SqlState;
        if let Some(db) = e.as_db_error() {
            let message = db.message().trim_start_matches("parallax: ").to_string();
            return if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE {
                Error::RemoteRefused(message)
            } else if *db.code() == SqlState::INVALID_PASSWORD {
                Error::PasswordNeeded(format!(" (it refused this one: {message})"))
            } else if *db.code() == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
                Error::RemoteRefused(format!("{message} (check the user name)"))
            } else {
                Error::Remote(message)
            };
        }
        if full_message(&e).contains("password missing") {
            return Error::PasswordNeeded(String::new());
        }
        if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        {
            return Error::Offline(full_message(&e));
        }
        Error::Remote(full_message(&e))
    }
}

/// An error and its causes, on one line.
fn full_message(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
