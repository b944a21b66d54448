//! Whether a workspace's database is whole: SQLite's own integrity check, and every reference
//! between rows resolving (imports store with foreign-key checks off, right by construction).

use super::Workspace;
use crate::error::Result;

impl Workspace {
    /// What is wrong with the database, in SQLite's words; empty when it is whole.
    pub fn problems(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut problems: Vec<String> = conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|row| row != "ok")
            .collect();
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let broken = stmt.query_map([], |r| {
            Ok(format!(
                "{} row {} points to a missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?
                    .map_or_else(|| "?".to_string(), |id| id.to_string()),
                r.get::<_, String>(2)?
            ))
        })?;
        for b in broken {
            problems.push(b?);
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_is_whole_and_a_broken_reference_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::init(dir.path()).unwrap();
        assert_eq!(ws.problems().unwrap(), Vec::<String>::new());
        ws.conn()
            .pragma_update(None, "foreign_keys", "OFF")
            .unwrap();
        ws.conn()
            .execute(
                "INSERT INTO document_texts(doc_id, text) VALUES ('nowhere', 'x')",
                [],
            )
            .unwrap();
        let problems = ws.problems().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("document_texts row"),
            "{problems:?}"
        );
        assert!(problems[0].ends_with("missing documents"), "{problems:?}");
    }
}
