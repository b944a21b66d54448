//! Errors as the UI receives them: `{ kind, message }`, the message written for a person.

use serde::ser::SerializeStruct;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Core(#[from] parallax_core::Error),
    /// Search asked for before the index is open, or after it failed to open.
    #[error("{0}")]
    IndexNotReady(String),
    /// The app refuses what was asked, for the reason given.
    #[error("{0}")]
    Refused(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CommandError {
    fn kind(&self) -> &'static str {
        match self {
            CommandError::Core(e) => e.kind(),
            CommandError::IndexNotReady(_) => "index_not_ready",
            CommandError::Refused(_) => "refused",
            CommandError::Internal(_) => "internal",
        }
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("CommandError", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_the_ui_as_kind_and_message() {
        let e = CommandError::from(parallax_core::Error::DocumentNotFound("abcd".into()));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "document_not_found");
        assert_eq!(json["message"], "no document matches `abcd`");
    }
}
