//! The native JSONL line, declared once for both directions: the writer fills it with borrowed
//! rows, the reader takes it owned. Fields only the writer has a use for (ids, `annotators`,
//! `imported_at`) are not read, so that a hand-made file need not have them right.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::store::{ClaimGroup, SourceEntity};

/// One document: a line of the file.
#[derive(Serialize, Deserialize)]
pub(super) struct Line<'a> {
    #[serde(skip_deserializing)]
    pub id: Option<Cow<'a, str>>,
    pub text: Cow<'a, str>,
    #[serde(default)]
    pub meta: Meta<'a>,
    pub status: Option<Cow<'a, str>>,
    #[serde(default)]
    pub doc_labels: Vec<DocLabel<'a>>,
    #[serde(default)]
    pub spans: Vec<Span<'a>>,
    #[serde(default)]
    pub relations: Vec<Relation<'a>>,
    #[serde(skip_deserializing)]
    pub annotators: Vec<Cow<'a, str>>,
    /// The source entities and claim groups the spans link to, in full, so that an import
    /// into another workspace recreates them (each line stands on its own).
    #[serde(default)]
    pub entities: Vec<Cow<'a, SourceEntity>>,
    #[serde(default)]
    pub groups: Vec<Cow<'a, ClaimGroup>>,
    pub schema_version: Option<u32>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(super) struct Meta<'a> {
    pub title: Option<Cow<'a, str>>,
    pub outlet: Option<Cow<'a, str>>,
    pub author: Option<Cow<'a, str>>,
    pub published: Option<Cow<'a, str>>,
    pub url: Option<Cow<'a, str>>,
    pub language: Option<Cow<'a, str>>,
    pub source_file: Option<Cow<'a, str>>,
    pub sha256: Option<Cow<'a, str>>,
    #[serde(skip_deserializing)]
    pub imported_at: Option<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct DocLabel<'a> {
    pub label: Cow<'a, str>,
    pub annotator: Option<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct Span<'a> {
    /// The span's id in the file, which relations name; new in the workspace on import.
    pub id: Option<Cow<'a, str>>,
    pub start: u32,
    pub end: u32,
    pub label: Cow<'a, str>,
    /// What the span covers, checked against the text on import.
    pub text: Option<Cow<'a, str>>,
    #[serde(default)]
    pub attrs: Cow<'a, Map<String, Value>>,
    pub note: Option<Cow<'a, str>>,
    pub annotator: Option<Cow<'a, str>>,
    pub source_entity: Option<Cow<'a, str>>,
    pub claim_group: Option<Cow<'a, str>>,
    /// What proposed a span accepted from a suggestion (files written before it have none).
    #[serde(default)]
    pub suggested_by: Option<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct Relation<'a> {
    #[serde(skip_deserializing)]
    pub id: Option<Cow<'a, str>>,
    pub head: Cow<'a, str>,
    pub child: Cow<'a, str>,
    pub label: Cow<'a, str>,
    pub annotator: Option<Cow<'a, str>>,
}
