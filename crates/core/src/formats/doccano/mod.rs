//! doccano JSONL, both forms: `label: [[start, end, "LABEL"]]` (sequence labelling; also
//! `label: ["A"]` for text classification) and `entities` / `relations` with numeric ids.
//! Offsets in code points, as doccano writes them.

mod read;
mod write;

pub(crate) use read::read_line;
pub(crate) use write::Writer;
