//! The dataset formats, one module each holding its reader and its writer (`read.rs`,
//! `write.rs`), and the one [`Format`] enum that says what each can do. Import and export pick a
//! format here and drive it; the CLI and the UI's generated types use the same enum.
//!
//! Offsets: every reader hands the store code points, and every writer is given them. Label
//! Studio's UTF-16 offsets are converted in its module; CoNLL has tokens, no offsets.

pub mod brat;
pub mod claim_pairs;
pub mod claims;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod label_studio;
pub mod native;
pub mod read;
pub mod spacy;
pub mod write;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Every format Parallax reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Plain text files with the header quirks of news files (read only).
    Text,
    /// Native JSONL, one document per line (docs/formats.md).
    Jsonl,
    /// One CLAIM span per line with its source, cue, figures, outlet, date and group (written only).
    Claims,
    /// Claim-matching pairs: members of one claim group (1) and sampled claims of two (0) (written only).
    ClaimPairs,
    /// spaCy / Prodigy JSONL: tokens, spans with inclusive token ends, relations.
    Spacy,
    /// doccano JSONL, `entities` / `relations` form (read: either form).
    Doccano,
    /// doccano JSONL, `label: [[start, end, "LABEL"]]` form (no relations).
    DoccanoLabel,
    /// Label Studio JSON tasks (UTF-16 offsets) and a labeling config; also its JSON-MIN and CSV.
    LabelStudio,
    /// brat standoff: `.txt` + `.ann` files, written as a folder with `annotation.conf`.
    Brat,
    /// CoNLL-2003-style BIO tags, one token per line.
    Conll,
    /// CSV (or TSV) with a text column (read only).
    Csv,
}

/// What a format's offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetUnit {
    /// Unicode code points, end exclusive, as Python counts.
    CodePoints,
    /// UTF-16 code units, end exclusive, as JavaScript counts (Label Studio).
    Utf16CodeUnits,
    /// No offsets: one token per line.
    Tokens,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::Text,
        Format::Jsonl,
        Format::Claims,
        Format::ClaimPairs,
        Format::Spacy,
        Format::Doccano,
        Format::DoccanoLabel,
        Format::LabelStudio,
        Format::Brat,
        Format::Conll,
        Format::Csv,
    ];

    /// The formats an export can write, in the order the app lists them.
    pub fn writable() -> impl Iterator<Item = Format> {
        Format::ALL.into_iter().filter(|f| f.writes())
    }

    /// The formats an import can read.
    pub fn readable() -> impl Iterator<Item = Format> {
        Format::ALL.into_iter().filter(|f| f.reads())
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Claims => "claims",
            Format::ClaimPairs => "claim-pairs",
            Format::Spacy => "spacy",
            Format::Doccano => "doccano",
            Format::DoccanoLabel => "doccano-label",
            Format::LabelStudio => "label-studio",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Csv => "csv",
        }
    }

    /// Whether an import reads files of this format.
    pub fn reads(self) -> bool {
        !matches!(self, Format::Claims | Format::ClaimPairs)
    }

    /// Whether an export writes this format.
    pub fn writes(self) -> bool {
        !matches!(self, Format::Text | Format::Csv)
    }

    /// Whether the data is written as a folder of files rather than one file.
    pub fn writes_folder(self) -> bool {
        self == Format::Brat
    }

    /// The extension of a data file (of one part of a split); empty for brat's folder.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::LabelStudio => "json",
            Format::Conll => "conll",
            Format::Csv => "csv",
            Format::Brat => "",
            Format::Jsonl
            | Format::Claims
            | Format::ClaimPairs
            | Format::Spacy
            | Format::Doccano
            | Format::DoccanoLabel => "jsonl",
        }
    }

    pub fn offset_unit(self) -> OffsetUnit {
        match self {
            Format::LabelStudio => OffsetUnit::Utf16CodeUnits,
            Format::Conll => OffsetUnit::Tokens,
            _ => OffsetUnit::CodePoints,
        }
    }

    /// The format an import reads this format's export as; `None` for the views of the data
    /// (`claims`, `claim-pairs`).
    pub fn read_back_as(self) -> Option<Format> {
        match self {
            Format::DoccanoLabel => Some(Format::Doccano),
            f => f.reads().then_some(f),
        }
    }

    /// This format, if an export can write it; else an error that says which can.
    pub fn to_write(self) -> Result<Format> {
        self.check(self.writes(), "write", Format::writable())
    }

    /// This format, if an import can read it; else an error that says which can.
    pub fn to_read(self) -> Result<Format> {
        self.check(self.reads(), "read", Format::readable())
    }

    fn check(
        self,
        can: bool,
        action: &'static str,
        instead: impl Iterator<Item = Format>,
    ) -> Result<Format> {
        if can {
            return Ok(self);
        }
        let names: Vec<&str> = instead.map(Format::name).collect();
        Err(Error::UnsupportedFormat {
            format: self.name(),
            action,
            can: names.join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_read_or_written_and_names_are_its_serde_names() {
        for f in Format::ALL {
            assert!(f.reads() || f.writes(), "{f:?}");
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.name()));
            assert_eq!(serde_json::from_str::<Format>(&json).unwrap(), f);
        }
        assert_eq!(Format::writable().count(), 9);
        assert_eq!(Format::readable().count(), 9);
    }

    #[test]
    fn the_errors_name_what_can_be_done_instead() {
        let e = Format::Csv.to_write().unwrap_err().to_string();
        assert!(e.contains("cannot write csv") && e.contains("conll"), "{e}");
        let e = Format::Claims.to_read().unwrap_err().to_string();
        assert!(
            e.contains("cannot read claims") && e.contains("label-studio"),
            "{e}"
        );
        for f in Format::writable() {
            assert!(f.to_write().is_ok());
            assert!(f.read_back_as().is_none_or(|r| r.reads()));
        }
    }
}
