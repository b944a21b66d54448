//! Across documents: who is speaking (source entities), which claims are the same (claim
//! groups), the figures they carry, and the comparison of one claim across outlets.

pub mod compare;
pub mod compare_pages;
pub mod figures;
pub mod suggest;

pub use compare::{ClaimMember, ClaimSource, CompareFilter, CompareTable, GroupOverview};
pub use compare_pages::{CompareOpening, ComparePages, CompareRows, DocumentColumn, GroupRow};
pub use figures::Figure;
pub use suggest::{ClaimSuggestion, EntitySuggestion, MentionSuggestion, SourceOverview};
