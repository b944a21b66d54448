//! Record ids: UUID v7, so that ids sort by creation time.

/// A new time-ordered id, as lowercase hyphenated text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
