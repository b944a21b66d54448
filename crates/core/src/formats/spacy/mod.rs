//! spaCy / Prodigy JSONL: `text`, `tokens`, `spans` (with token indices, inclusive ends),
//! `relations` between spans' last tokens, `meta` and Prodigy's `_annotator_id` / `answer`.

mod read;
mod write;

pub(crate) use read::read_line;
pub(crate) use write::{Writer, span_edges};
