"""A real PostgreSQL server for the end-to-end tests of the team server: a cluster made with
`initdb` in a temporary folder and started with `pg_ctl` on a free port (as the `postgres` user
when the tests run as root, since PostgreSQL refuses root), with password logins. The same as
crates/pgtest (parallax-pgtest), for the Python side."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile

ADMIN = "admin"


def password(user):
    return f"pw-{user}"


def _bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    return subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True, text=True).stdout.strip()


class Cluster:
    def __init__(self):
        self.bin = _bin_dir()
        self.as_postgres = os.geteuid() == 0
        self.dir = tempfile.mkdtemp(prefix="parallax-pg")
        os.chmod(self.dir, 0o755)
        pwfile = os.path.join(self.dir, "admin-password")
        with open(pwfile, "w", encoding="utf-8") as f:
            f.write(password(ADMIN))
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        data = os.path.join(self.dir, "data")
        self._run("initdb", "-D", data, "-U", ADMIN, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C",
                  f"--pwfile={pwfile}")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self._run("pg_ctl", "-D", data, "-o", options, "-w", "-t", "60", "-l",
                  os.path.join(self.dir, "server.log"), "start")

    def _run(self, program, *args):
        cmd = [os.path.join(self.bin, program), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def url(self, user, db):
        return f"postgres://{user}@127.0.0.1:{self.port}/{db}?sslmode=disable"

    def sql(self, db, statements):
        """Runs SQL as the administrator (psql, which the postgresql package brings)."""
        env = dict(os.environ, PGPASSWORD=password(ADMIN))
        subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", ADMIN, "-d", db, "-c", statements], check=True, env=env, capture_output=True)

    def stop(self):
        try:
            self._run("pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
