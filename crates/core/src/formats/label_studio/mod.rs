//! Label Studio: JSON tasks with annotations whose `labels` regions count UTF-16 code units (as
//! the browser does), the JSON-MIN and CSV forms of its export, and the labeling config.

mod read;
mod write;

pub(crate) use read::{read, read_min_task, read_stream, streams};
pub use write::config;
pub(crate) use write::{Writer, write_config};
