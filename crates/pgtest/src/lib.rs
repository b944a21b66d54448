//! A real PostgreSQL server for the team server's tests and benchmarks: a cluster made with `initdb` in a
//! temporary folder and started with `pg_ctl` on a free port (as the `postgres` user when the
//! tests run as root, since PostgreSQL refuses root), with password logins, stopped on drop.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The administrator, who sets servers up and makes roles.
pub const ADMIN: &str = "admin";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

/// Each test role's password.
pub fn password(user: &str) -> String {
    format!("pw-{user}")
}

impl Cluster {
    pub fn start() -> Cluster {
        let bin = bin_dir();
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("parallax-pg")
            .tempdir()
            .unwrap();
        let pwfile = dir.path().join("admin-password");
        std::fs::write(&pwfile, password(ADMIN)).unwrap();
        if as_postgres {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path()));
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = cluster.data();
        run(cluster
            .pg("initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                ADMIN,
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
            ])
            .arg(format!("--pwfile={}", pwfile.display())));
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=50",
            cluster.dir.path().display()
        );
        run(cluster
            .pg("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-w", "-t", "60", "-l"])
            .arg(cluster.dir.path().join("server.log"))
            .arg("start"));
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A PostgreSQL program, run as the user the server runs as.
    fn pg(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// The address a role reaches database `db` by.
    pub fn url(&self, user: &str, db: &str) -> String {
        format!(
            "postgres://{user}@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// The administrator's connection to `db`.
    pub fn admin(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user={ADMIN} password={} dbname={db}",
                self.port,
                password(ADMIN)
            ),
            postgres::NoTls,
        )
        .unwrap()
    }

    /// Turns TLS on, with a self-signed certificate for `localhost` made with `openssl`;
    /// returns the certificate's file (a root to trust it by).
    pub fn enable_tls(&self) -> PathBuf {
        let data = self.data();
        let (cert, key) = (data.join("server.crt"), data.join("server.key"));
        run(Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args([
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert));
        if self.as_postgres {
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&cert)
                .arg(&key));
        }
        run(Command::new("chmod").arg("600").arg(&key));
        let mut admin = self.admin("postgres");
        admin.batch_execute("ALTER SYSTEM SET ssl = 'on'").unwrap();
        admin.batch_execute("SELECT pg_reload_conf()").unwrap();
        // The reload is asynchronous: wait until new sessions see it.
        for _ in 0..100 {
            let on: String = self
                .admin("postgres")
                .query_one("SHOW ssl", &[])
                .unwrap()
                .get(0);
            if on == "on" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let copy = self.dir.path().join("root.crt");
        std::fs::copy(&cert, &copy).unwrap();
        copy
    }

    /// What the server logged, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .pg("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

fn run(c: &mut Command) {
    let out = c.output().unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert!(
        out.status.success(),
        "{c:?}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Debian keeps the server programs in /usr/lib/postgresql/VERSION/bin: the newest there, else
/// whatever `pg_config --bindir` says.
fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(Path::file_name)
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(bin) = found.pop() {
        return bin;
    }
    let out = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .expect("PostgreSQL's server programs (initdb, pg_ctl) are missing: run scripts/setup.sh");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}
