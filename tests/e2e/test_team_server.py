"""Two app instances on two workspaces linked to one team server (a real PostgreSQL cluster the
test starts). ana's app asks for her password (the bar says so; she types it in the Team server
dialog) and ben's reads his from a ~/.pgpass file. A span ana labels is sent by her app in the
background and appears in ben's reader after he syncs; one ben labels reaches ana; both bars say
"In step", and both workspaces hold the same spans (read with the CLI)."""

import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from postgres import ADMIN, Cluster, password  # noqa: E402
from ui import js_text, label_word_saved, one, open_document, seg_with  # noqa: E402
from webdriver import ENTER, ESCAPE, Session, ref  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]
TEXT = "Officials said the bridge would reopen on Monday, and the mayor told reporters it was safe.\n"


def cli(*args, user=None, env=None):
    e = dict(os.environ)
    e.pop("PGPASSWORD", None)
    e["PGPASSFILE"] = os.path.join(WORK, "no-pgpass")
    if user:
        e["PGPASSWORD"] = password(user)
    e.update(env or {})
    out = subprocess.run([CLI, *args], capture_output=True, text=True, env=e)
    assert out.returncode == 0, f"parallax {' '.join(args)}: {out.stderr}"
    return out.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_driver(name, annotator, extra_env):
    """A WebKitWebDriver of its own, so that each app has its annotator, settings and password
    source (none of the run's PGPASSWORD)."""
    home = os.path.join(WORK, name)
    os.makedirs(home, exist_ok=True)
    port = free_port()
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(home, "data"), XDG_CONFIG_HOME=os.path.join(home, "config"),
               PARALLAX_ANNOTATOR=annotator, TAURI_WEBVIEW_AUTOMATION="true",
               PARALLAX_E2E_DIALOG_FILE=os.path.join(home, "dialog-answer.txt"),
               PGPASSFILE=os.path.join(home, "no-pgpass"))
    env.pop("PGPASSWORD", None)
    env.update(extra_env)
    log = open(os.path.join(home, "driver.log"), "w", encoding="utf-8")
    proc = subprocess.Popen(["WebKitWebDriver", f"--port={port}"], env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise AssertionError("WebKitWebDriver did not start")


def bar(s):
    return js_text(s, "[data-testid=sync-status]")


def wait_bar(s, who, text, timeout=30.0):
    return s.wait_for(f"{who}'s bar to say {text!r}", lambda: bar(s) == text, timeout)


def spans(ws):
    out = json.loads(cli("docs", ws, "--json").splitlines()[0])
    shown = json.loads(cli("show", ws, out["id"], "--json"))
    return sorted((s["start"], s["end"], s["label"], s["annotator"]) for s in shown["spans"])


def main():
    with Cluster() as pg:
        pg.sql("postgres", "CREATE DATABASE team")
        admin_ws = os.path.join(WORK, "admin-ws")
        cli("init", admin_ws)
        cli("remote", admin_ws, "set", pg.url(ADMIN, "team"))
        cli("remote", admin_ws, "init-server", user=ADMIN)
        pg.sql("team", "CREATE ROLE ana LOGIN PASSWORD 'pw-ana'; CREATE ROLE ben LOGIN PASSWORD 'pw-ben';"
                       " GRANT parallax_annotator TO ana, ben;")

        ana_ws, ben_ws = os.path.join(WORK, "ana-ws"), os.path.join(WORK, "ben-ws")
        cli("init", ana_ws)
        text_file = os.path.join(WORK, "bridge.txt")
        with open(text_file, "w", encoding="utf-8") as f:
            f.write(TEXT)
        cli("import", ana_ws, text_file)
        cli("remote", ana_ws, "set", pg.url("ana", "team"))
        cli("sync", ana_ws, user="ana")
        cli("clone", pg.url("ben", "team"), ben_ws, user="ben")

        pgpass = os.path.join(WORK, "ben-pgpass")
        with open(pgpass, "w", encoding="utf-8") as f:
            f.write(f"127.0.0.1:{pg.port}:team:ben:{password('ben')}\n")
        os.chmod(pgpass, 0o600)

        drivers = [start_driver("ana-app", "ana", {}), start_driver("ben-app", "ben", {"PGPASSFILE": pgpass})]
        try:
            with Session(app_args=[ana_ws], driver=drivers[0][1]) as a, \
                    Session(app_args=[ben_ws], driver=drivers[1][1]) as b:
                # ana's app has no password for the server: the bar asks for it.
                wait_bar(a, "ana", "Password needed")
                assert one(a, "[data-testid=sync-status]") and \
                    a.script("return document.querySelector('[data-testid=sync-status]').classList.contains('warn')")
                a.screenshot("team_server_password_needed.png")
                a.click(one(a, "[data-testid=sync-status]"))
                field = one(a, "[data-testid=sync-password]")
                assert a.script("return document.activeElement === arguments[0]", ref(field)), \
                    "the password field has the focus"
                a.screenshot("team_server_dialog.png")
                a.type_into(field, password("ana"))
                a.press(ENTER)
                wait_bar(a, "ana", "In step")
                a.press(ESCAPE)
                # ben's reads his from ~/.pgpass (PGPASSFILE).
                wait_bar(b, "ben", "In step")

                # ana labels; her app sends it a moment later, by itself.
                open_document(a, "bridge")
                label_word_saved(a, "Officials", "2")
                a.wait_for("ana's change sent", lambda: bar(a) == "In step"
                           and "to send" not in (bar(a) or ""), timeout=30)
                a.wait_for("the server to hold ana's span", lambda: (0, 9, "SOURCE", "ana") in spans_on_server(pg))

                # ben syncs now from the dialog: ana's span appears in his reader.
                b.click(one(b, "[data-testid=sync-status]"))
                b.click(one(b, "[data-testid=sync-now]"))
                b.wait_for("ana's span in ben's reader", lambda: seg_with(b, "SOURCE", "Officials"))
                b.press(ESCAPE)
                wait_bar(b, "ben", "In step")
                b.screenshot("team_server_ben_sees_ana.png")

                # And back: ben labels, ana syncs from the dialog.
                label_word_saved(b, "mayor", "2")
                b.wait_for("ben's change sent", lambda: bar(b) == "In step", timeout=30)
                b.wait_for("the server to hold ben's span", lambda: any(s[3] == "ben" for s in spans_on_server(pg)))
                a.click(one(a, "[data-testid=sync-status]"))
                a.click(one(a, "[data-testid=sync-now]"))
                a.wait_for("ben's span in ana's reader", lambda: seg_with(a, "SOURCE", "mayor"))
                a.press(ESCAPE)
                wait_bar(a, "ana", "In step")
                a.screenshot("team_server_ana_sees_ben.png")
        finally:
            for proc, _ in drivers:
                proc.kill()
                proc.wait()

        assert spans(ana_ws) == spans(ben_ws), (spans(ana_ws), spans(ben_ws))
        assert {s[3] for s in spans(ana_ws)} == {"ana", "ben"}, spans(ana_ws)
    print("team server: two apps kept in step through PostgreSQL")


def spans_on_server(pg):
    """The spans the server's log has added, as (start, end, label, annotator), read with psql."""
    env = dict(os.environ, PGPASSWORD=password(ADMIN))
    out = subprocess.run(
        ["psql", "-At", "-h", "127.0.0.1", "-p", str(pg.port), "-U", ADMIN, "-d", "team", "-c",
         "SELECT c -> 'after' FROM parallax.changes, jsonb_array_elements(changes) c"
         " WHERE c ->> 'table' = 'span' AND c -> 'after' <> 'null'"],
        capture_output=True, text=True, env=env, check=True)
    found = []
    for line in out.stdout.splitlines():
        row = json.loads(line)
        found.append((row["start"], row["end"], row["label"], row["annotator"]))
    return found


if __name__ == "__main__":
    main()
