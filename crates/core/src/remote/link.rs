//! A team server's address as a workspace keeps it (a `postgres://` URL with no password in it),
//! and connecting to it: the password from the caller, `PGPASSWORD` or a password file, and TLS
//! with libpq's `sslmode` meanings.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::{Host, SslMode};

use super::pgpass;
use crate::error::{Error, Result};

/// Where a team server is, and how to reach it.
#[derive(Debug, Clone)]
pub struct Link {
    /// As given, minus nothing: it holds no password.
    url: String,
    config: postgres::Config,
    tls: Tls,
}

/// How the server's certificate is checked, as libpq's `sslmode` says.
#[derive(Debug, Clone, PartialEq)]
enum Tls {
    /// `disable`: no TLS.
    Off,
    /// `prefer` (the default: encrypted when the server offers it) or `require` (always
    /// encrypted): the certificate not checked.
    Unverified,
    /// `verify-ca` or `verify-full`: checked against the system's or `sslrootcert`'s
    /// authorities, and with `full` against the host name too.
    Verified { full: bool, root: Option<PathBuf> },
}

impl Link {
    /// Reads a `postgres://user@host:port/db?sslmode=…` URL. A password in it is refused: it
    /// would be written into the workspace.
    pub fn parse(url: &str) -> Result<Link> {
        let url = url.trim();
        let parsed =
            url::Url::parse(url).map_err(|e| Error::InvalidRemote(format!("`{url}`: {e}")))?;
        if !matches!(parsed.scheme(), "postgres" | "postgresql") {
            return Err(Error::InvalidRemote(format!(
                "`{url}`: expected a postgres:// address"
            )));
        }
        if parsed.password().is_some() || parsed.query_pairs().any(|(k, _)| k == "password") {
            return Err(Error::InvalidRemote(
                "the address holds a password, which would be stored in the workspace: give it in PGPASSWORD or ~/.pgpass instead".into(),
            ));
        }
        // libpq's verify-ca / verify-full and sslrootcert are read here; the rest by postgres.
        let mut tls = Tls::Unverified;
        let mut root = None;
        let mut kept = parsed.clone();
        kept.query_pairs_mut().clear();
        let mut any = false;
        for (key, value) in parsed.query_pairs() {
            match (key.as_ref(), value.as_ref()) {
                ("sslmode", "disable") => tls = Tls::Off,
                ("sslmode", "allow" | "prefer" | "require") => tls = Tls::Unverified,
                ("sslmode", "verify-ca") => {
                    tls = Tls::Verified {
                        full: false,
                        root: None,
                    }
                }
                ("sslmode", "verify-full") => {
                    tls = Tls::Verified {
                        full: true,
                        root: None,
                    }
                }
                ("sslmode", other) => {
                    return Err(Error::InvalidRemote(format!(
                        "sslmode `{other}`: expected disable, prefer, require, verify-ca or verify-full"
                    )));
                }
                ("sslrootcert", path) => root = Some(PathBuf::from(path)),
                (k, v) => {
                    kept.query_pairs_mut().append_pair(k, v);
                    any = true;
                }
            }
        }
        if !any {
            kept.set_query(None);
        }
        tls = match tls {
            Tls::Verified { full, .. } => Tls::Verified { full, root },
            // As libpq: `require` with a root certificate given checks the certificate.
            Tls::Unverified if root.is_some() => Tls::Verified { full: false, root },
            other => other,
        };
        let mut config = postgres::Config::from_str(kept.as_str())
            .map_err(|e| Error::InvalidRemote(format!("`{url}`: {e}")))?;
        config.ssl_mode(match tls {
            Tls::Off => SslMode::Disable,
            Tls::Unverified
                if parsed
                    .query_pairs()
                    .any(|(k, v)| k == "sslmode" && v == "require") =>
            {
                SslMode::Require
            }
            Tls::Unverified => SslMode::Prefer,
            Tls::Verified { .. } => SslMode::Require,
        });
        if config.get_user().is_none() {
            config.user(&crate::store::current_annotator());
        }
        if config.get_dbname().is_none() {
            return Err(Error::InvalidRemote(format!(
                "`{url}`: name the database, as in postgres://user@host/database"
            )));
        }
        config.connect_timeout(Duration::from_secs(10));
        // A server gone quiet (a network cut) is noticed in a minute, not two hours.
        config.keepalives_idle(Duration::from_secs(30));
        config.application_name("parallax");
        Ok(Link {
            url: url.to_string(),
            config,
            tls,
        })
    }

    /// The address as given.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The role this link logs in as: the annotator whose changes it may push.
    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    /// Connects, with `password` if given, else `PGPASSWORD`, else the password file
    /// (`PGPASSFILE` or `~/.pgpass`), else none.
    pub fn connect(&self, password: Option<&str>) -> Result<postgres::Client> {
        let mut config = self.config.clone();
        let password = password
            .map(str::to_string)
            .or_else(|| std::env::var("PGPASSWORD").ok())
            .or_else(|| self.password_from_file());
        if let Some(p) = password {
            config.password(p);
        }
        let mut tls = native_tls::TlsConnector::builder();
        match &self.tls {
            Tls::Off | Tls::Unverified => {
                tls.danger_accept_invalid_certs(true)
                    .danger_accept_invalid_hostnames(true);
            }
            Tls::Verified { full, root } => {
                tls.danger_accept_invalid_hostnames(!full);
                if let Some(root) = root {
                    let pem = std::fs::read(root).map_err(|e| Error::io(root, e))?;
                    let cert = native_tls::Certificate::from_pem(&pem).map_err(|e| {
                        Error::InvalidRemote(format!("sslrootcert {}: {e}", root.display()))
                    })?;
                    tls.add_root_certificate(cert);
                }
            }
        }
        let tls = tls
            .build()
            .map_err(|e| Error::Remote(format!("TLS: {e}")))?;
        let mut client = config.connect(postgres_native_tls::MakeTlsConnector::new(tls))?;
        // A sync cut mid-way (a laptop closed) must not hold the team's sending lock for long.
        client.batch_execute(
            "SET lock_timeout = '60s'; SET idle_in_transaction_session_timeout = '120s'",
        )?;
        Ok(client)
    }

    fn password_from_file(&self) -> Option<String> {
        let file = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            _ => "localhost".to_string(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        pgpass::lookup(
            &file,
            &host,
            port,
            self.config.get_dbname().unwrap_or_default(),
            self.user(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_address_is_refused() {
        for url in [
            "postgres://ana:secret@db.example/team",
            "postgres://ana@db.example/team?password=secret",
        ] {
            let err = Link::parse(url).unwrap_err();
            assert!(matches!(err, Error::InvalidRemote(_)), "{err}");
            assert!(err.to_string().contains("PGPASSWORD"), "{err}");
        }
    }

    #[test]
    fn addresses_are_read_with_libpq_meanings() {
        let link = Link::parse("postgres://ana@db.example:6543/team?sslmode=verify-full").unwrap();
        assert_eq!(link.user(), "ana");
        assert_eq!(link.config.get_ports(), [6543]);
        assert_eq!(link.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(
            link.tls,
            Tls::Verified {
                full: true,
                root: None
            }
        );
        let link = Link::parse("postgresql://ana@h/team?sslmode=require").unwrap();
        assert_eq!(link.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(link.tls, Tls::Unverified);
        let link = Link::parse("postgres://ana@h/team").unwrap();
        assert_eq!(link.config.get_ssl_mode(), SslMode::Prefer);
        let link = Link::parse("postgres://ana@h/team?sslmode=disable").unwrap();
        assert_eq!(link.tls, Tls::Off);
        let link =
            Link::parse("postgres://ana@h/team?sslmode=require&sslrootcert=/ca.pem").unwrap();
        let root = Some(PathBuf::from("/ca.pem"));
        assert_eq!(link.tls, Tls::Verified { full: false, root });
        for bad in [
            "http://h/team",
            "postgres://ana@h/team?sslmode=sometimes",
            "postgres://ana@h",
            "not a url",
        ] {
            let err = Link::parse(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidRemote(_)), "{bad}: {err}");
        }
    }
}
