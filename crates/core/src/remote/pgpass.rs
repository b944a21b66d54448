//! libpq's password file (`~/.pgpass`): lines of `host:port:database:user:password`, `*`
//! matching anything, `\:` and `\\` escaped; ignored when others may read it, as libpq does.

use std::path::Path;

/// The password the file gives for this connection, if any line matches.
pub(crate) fn lookup(file: &Path, host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(
                "{}: ignored, since others may read it (chmod 0600 it)",
                file.display()
            );
            return None;
        }
    }
    let port = port.to_string();
    let wanted = [host, port.as_str(), db, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(fields)
        .find(|f| {
            f.len() == 5
                && f[..4]
                    .iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want)
        })
        .map(|mut f| f.swap_remove(4))
}

/// A line's fields, split at unescaped colons.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, mode: u32) -> tempfile::NamedTempFile {
        use std::io::Write;
        use std::os::unix::fs::PermissionsExt;
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        f
    }

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let f = file(
            "# team\nother:5432:team:ana:no\ndb.example:5432:team:ana:s3cr\\:et\\\\\n*:*:*:ana:fallback\n",
            0o600,
        );
        let got = |host, port, db, user| lookup(f.path(), host, port, db, user);
        assert_eq!(
            got("db.example", 5432, "team", "ana").as_deref(),
            Some("s3cr:et\\")
        );
        assert_eq!(
            got("elsewhere", 6543, "x", "ana").as_deref(),
            Some("fallback")
        );
        assert_eq!(got("db.example", 5432, "team", "ben"), None);
    }

    #[test]
    fn a_file_others_may_read_is_ignored() {
        let f = file("*:*:*:*:secret\n", 0o644);
        assert_eq!(lookup(f.path(), "h", 5432, "d", "u"), None);
    }
}
