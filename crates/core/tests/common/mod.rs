//! Helpers shared by the integration tests.

use std::path::Path;

/// The rows of the workspace at `root` whose references do not resolve
/// (`PRAGMA foreign_key_check`, as `table rowid -> parent`): an import stores with the
/// checks off, its references right by construction.
pub fn broken_references(root: &Path) -> Vec<String> {
    let conn = database(root);
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
    stmt.query_map([], |r| {
        Ok(format!(
            "{} {:?} -> {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?
        ))
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

/// A connection of its own to the database of the workspace at `root`, for what the tests
/// set up or check behind the workspace's back.
pub fn database(root: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(root.join(parallax_core::store::DB_FILE)).unwrap()
}
