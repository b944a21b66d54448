//! brat standoff: a `.txt` with its `.ann` (`T` spans in code points, `A`/`M` attributes, `R`
//! relations, `#` notes), and the folder's `annotation.conf` and `visual.conf`.

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::{FileNames, write_config, write_document};
pub use write::{annotation_conf, visual_conf};
