//! Parallax's native JSONL (docs/formats.md): one document per line with metadata, status,
//! spans, relations, document labels, and the source entities and claim groups its spans link
//! to. Offsets are code points, end exclusive: in Python, `text[start:end] == span["text"]`.

mod read;
mod wire;
mod write;

pub(crate) use read::read_line;
pub(crate) use write::Writer;
