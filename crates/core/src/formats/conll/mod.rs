//! CoNLL columns: one token per line with its BIO tag last, a blank line between sentences,
//! `-DOCSTART-` before each document. Read in IOB1, IOB2, BIOES or BILOU; written as IOB2.

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::Writer;
