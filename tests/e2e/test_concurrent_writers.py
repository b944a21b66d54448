"""The real app as one of four writers of one workspace. While the app labels words of an article
with the keyboard, three `parallax` processes annotate other documents of the same workspace and
a fourth imports a dataset into it. Every write succeeds: no command fails, no "database is
locked" reaches anyone (the app shows no error, the CLIs print none), and afterwards every span
acknowledged by the app or a CLI is in the workspace, every imported document whole, and
`parallax check` finds it whole."""

import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from corpus import write_reports  # noqa: E402
from ui import cli, js_text, label_word_saved  # noqa: E402
from webdriver import Session  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]
WORKSPACE = os.path.join(WORK, "shared-desk")
APP_SPANS = 8
# Each CLI writes at least this many spans, and goes on until the app has labelled all of its own.
CLI_SPANS = 15
CLI_MAX = 150
DATASET_DOCS = 3000


def documents():
    return [json.loads(line) for line in cli("docs", WORKSPACE, "--json").splitlines()]


def prepare():
    cli("init", WORKSPACE)
    folder = os.path.join(WORK, "articles")
    os.makedirs(folder)
    with open(os.path.join(folder, "0-desk.txt"), "w", encoding="utf-8") as f:
        f.write("Notes of the desk\n\n" + " ".join(f"word{i}" for i in range(APP_SPANS)) + " and the rest.\n")
    for n in range(1, 4):
        with open(os.path.join(folder, f"{n}-wire.txt"), "w", encoding="utf-8") as f:
            f.write(f"Wire {n}\n\n" + "The ministry said units were returning to their bases. " * 40)
    cli("import", WORKSPACE, folder)
    return write_reports(os.path.join(WORK, "dataset.jsonl"), DATASET_DOCS, "shared")


def main():
    dataset = prepare()
    docs = {d["source_file"]: d["id"] for d in documents()}
    wires = [docs[f"{n}-wire.txt"] for n in range(1, 4)]
    results = {}
    failures = []

    app_done = threading.Event()

    def annotate(doc):
        ids = []
        n = 0
        while n < CLI_MAX and (n < CLI_SPANS or not app_done.is_set()):
            done = subprocess.run([CLI, "annotate", WORKSPACE, doc, "--start", str(n * 12), "--end", str(n * 12 + 8),
                                   "--label", "CLAIM"], capture_output=True, text=True)
            if done.returncode != 0 or "locked" in done.stderr:
                failures.append(f"annotate {doc}: {done.returncode} {done.stderr.strip()}")
            else:
                ids.append(done.stdout.strip())
            n += 1
        results[doc] = ids

    def import_dataset():
        done = subprocess.run([CLI, "import", WORKSPACE, dataset], capture_output=True, text=True)
        if done.returncode != 0 or "locked" in done.stderr:
            failures.append(f"import: {done.returncode} {done.stderr.strip()}")

    with Session(app_args=[WORKSPACE]) as s:
        s.wait_for("the workspace open", lambda: s.title() == "Parallax — shared-desk")
        s.wait_for("the desk notes in the reader", lambda: "word0" in (js_text(s, "[data-testid=reader-text]") or ""))
        writers = [threading.Thread(target=annotate, args=(doc,)) for doc in wires]
        writers.append(threading.Thread(target=import_dataset))
        for w in writers:
            w.start()
        for i in range(APP_SPANS):
            label_word_saved(s, f"word{i}")
            # The app wrote while the others did (not before they began or after they ended).
            assert any(w.is_alive() for w in writers[:3]), "the CLIs ended before the app wrote"
        app_done.set()
        for w in writers:
            w.join()
        # Nothing went wrong in the app either: no error banner, everything saved.
        assert not s.find_all("[role=alert]"), js_text(s, "[role=alert]")
        s.screenshot("concurrent-writers.png")

    assert not failures, failures
    desk = json.loads(cli("show", WORKSPACE, docs["0-desk.txt"], "--json"))["spans"]
    assert sorted(sp["text"] for sp in desk) == sorted(f"word{i}" for i in range(APP_SPANS)), desk
    for doc, ids in results.items():
        present = {sp["id"] for sp in json.loads(cli("show", WORKSPACE, doc, "--json"))["spans"]}
        assert len(ids) >= CLI_SPANS and set(ids) <= present, (doc, len(ids), len(present))
    imported = [d for d in documents() if d["source_file"] == "dataset.jsonl"]
    assert len(imported) == DATASET_DOCS and all(d["span_count"] == 2 for d in imported), len(imported)
    print(cli("check", WORKSPACE).strip())
    written = sum(len(ids) for ids in results.values())
    print(f"e2e concurrent writers: the app ({APP_SPANS} spans), three CLIs ({written} spans) and an import "
          f"({DATASET_DOCS} documents) at once, every write there")


if __name__ == "__main__":
    main()
