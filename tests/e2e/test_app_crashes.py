"""The real app killed with SIGKILL, round after round: each round labels a span with the keyboard,
waits until the app shows it saved, starts importing a 2,000-document dataset of its own through the
(seamed) file dialog and kills the app at a moment spread over the import. After every kill the span the
app acknowledged is there, every imported document has both of its spans, and `parallax check`
finds the database whole; at the end one more import completes the dataset and search finds its
last document. Each round also kills the app while it exports the workspace through the export
dialog (the export file is then absent, the previous one or the new one whole, never cut) and
while it rebuilds the search index from the menu (the next search repairs it), and while it saves
a schema edit (the schema is the old one or the new one; the new one when the app said saved).
`PARALLAX_APP_KILLS` sets the rounds (2 here; `make reliability` runs more)."""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from corpus import write_reports  # noqa: E402
from ui import answer_dialog, cli, js_text, label_word_saved, one  # noqa: E402
from webdriver import Session  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]
WORKSPACE = os.path.join(WORK, "crash-desk")
ROUNDS = int(os.environ.get("PARALLAX_APP_KILLS", "2"))
# Enough that the import outlasts the kill's window (up to 0.9 s): 2,000 documents were sometimes
# all imported within 0.3 s, and no kill landed while importing.
DOCS = 8000


def documents():
    return [json.loads(line) for line in cli("docs", WORKSPACE, "--json").splitlines()]


def write_dataset(round_):
    """The round's own dataset (texts no earlier round imported), as WORK/roundN/dataset.jsonl."""
    folder = os.path.join(WORK, f"round{round_}")
    os.makedirs(folder, exist_ok=True)
    return write_reports(os.path.join(folder, "dataset.jsonl"), DOCS, round_)


def label_a_word(s, round_):
    """Labels the round's word in the article CLAIM (1) and waits until the app says it saved."""
    word = f"word{round_}"
    label_word_saved(s, word)
    return word


EXPORT = "export.jsonl"


def export_and_kill(round_):
    """Exports the workspace through the dialog and kills the app part-way: the file is absent or
    whole (the previous export or this one). Returns 1 when the kill landed before the export ended."""
    path = os.path.join(WORK, EXPORT)
    with Session(app_args=[WORKSPACE]) as s:
        s.wait_for("the workspace open", lambda: s.title() == "Parallax — crash-desk")
        s.click(one(s, "[data-testid=export]"))
        one(s, "[data-testid=export-dialog]", "the export dialog")
        answer_dialog(path)
        s.click(one(s, "[data-testid=export-submit]"))
        time.sleep(((round_ + 1) * 0.618034) % 1 * 0.15)
        landed = not js_text(s, "[data-testid=export-summary]")
        s.crash()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        assert lines[-1] == "", "the export file does not end with a whole line"
        for line in lines[:-1]:
            assert "text" in json.loads(line), line[:80]
    return int(landed)


def rebuild_and_kill(round_):
    """Rebuilds the search index from the menu and kills the app part-way: the next search
    (another process) repairs the index and finds what is there. Returns 1 when the kill landed
    before the rebuild ended."""
    with Session(app_args=[WORKSPACE]) as s:
        s.wait_for("the workspace open", lambda: s.title() == "Parallax — crash-desk")
        s.click(one(s, "button[aria-expanded]", "the workspace menu"))
        s.click(one(s, "[data-testid=reindex]"))
        # A different moment each round, the first at once: on an idle machine the small index
        # rebuilds within 50 ms, and no kill landed in all rounds.
        time.sleep((round_ * 0.618034) % 1 * 0.4)
        landed = not js_text(s, "[data-testid=job-result]")
        s.crash()
    hits = cli("search", WORKSPACE, "desk", "--json").splitlines()
    assert len(hits) == 1, hits
    print(cli("check", WORKSPACE).strip())
    return int(landed)


def span_labels():
    return [l["name"] for l in json.loads(cli("schema", WORKSPACE))["span_labels"]]


def schema_edit_and_kill(round_):
    """Adds a label in the schema editor, saves, and kills the app at once or a moment later: the
    schema is the old one or the new one, and the new one when the app had closed the editor
    (saved). Returns 1 when the kill came before the app said saved."""
    before = span_labels()
    with Session(app_args=[WORKSPACE]) as s:
        s.wait_for("the workspace open", lambda: s.title() == "Parallax — crash-desk")
        s.click(one(s, "[data-testid=edit-schema]"))
        s.click(one(s, "[data-testid=add-label]"))
        s.click(one(s, "[data-testid=save-schema]"))
        time.sleep(((round_ + 1) * 0.618034) % 1 * 0.06)
        saved = not s.find_all("[data-testid=schema-editor]")
        s.crash()
    after = span_labels()
    assert after == before or (after[:len(before)] == before and len(after) == len(before) + 1), (before, after)
    if saved:
        assert len(after) == len(before) + 1, f"a schema edit the app said saved was lost: {after}"
    return int(not saved)


def main():
    cli("init", WORKSPACE)
    article = os.path.join(WORK, "article.txt")
    with open(article, "w", encoding="utf-8") as f:
        f.write("Notes of the desk\n\n" + " ".join(f"word{i}" for i in range(ROUNDS)) + " and the rest.\n")
    cli("import", WORKSPACE, article)
    acknowledged = []
    datasets = []
    killed_importing = 0
    killed_exporting = 0
    killed_rebuilding = 0
    killed_saving_schema = 0
    for round_ in range(ROUNDS):
        with Session(app_args=[WORKSPACE]) as s:
            s.wait_for("the workspace open", lambda: s.title() == "Parallax — crash-desk")
            s.wait_for("the article in the reader", lambda: "word0" in (js_text(s, "[data-testid=reader-text]") or ""))
            acknowledged.append(label_a_word(s, round_))
            dataset = write_dataset(round_)
            datasets.append(dataset)
            answer_dialog(dataset)
            s.click(one(s, "[data-testid=import-files]"))
            # Killed part-way: spread over the import's first seconds, a different moment each round.
            time.sleep(0.1 + ((round_ + 1) * 0.618034) % 1 * 0.8)
            if not js_text(s, "[data-testid=import-summary]"):
                killed_importing += 1
            s.crash()
        # Every acknowledged span is there; every imported document is whole; the database is.
        spans = json.loads(cli("show", WORKSPACE, documents()[0]["id"], "--json"))["spans"]
        texts = {sp["text"] for sp in spans}
        lost = [w for w in acknowledged if w not in texts]
        assert not lost, f"acknowledged and lost after the kill: {lost}"
        half = [d for d in documents() if d["source_file"] == "dataset.jsonl" and d["span_count"] != 2]
        assert not half, f"documents stored half: {half[:3]}"
        print(cli("check", WORKSPACE).strip())
        killed_exporting += export_and_kill(round_)
        killed_rebuilding += rebuild_and_kill(round_)
        killed_saving_schema += schema_edit_and_kill(round_)
    assert killed_importing > 0, "no kill landed while the app was importing"
    assert killed_exporting > 0, "no kill landed while the app was exporting"
    assert killed_rebuilding > 0, "no kill landed while the app was rebuilding the index"
    for dataset in datasets:
        out = subprocess.run([CLI, "import", WORKSPACE, dataset], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    assert len(documents()) == DOCS * ROUNDS + 1
    hits = cli("search", WORKSPACE, f'"Report {ROUNDS - 1}-{DOCS - 1}"', "--json").splitlines()
    assert len(hits) == 1, hits
    print(f"  {4 * ROUNDS} kills of the app ({killed_importing} while importing, {killed_exporting} while exporting, "
          f"{killed_rebuilding} while rebuilding the index, {killed_saving_schema} before a schema edit was acknowledged), "
          f"{len(acknowledged)} acknowledged spans, 0 lost, no export cut")


if __name__ == "__main__":
    main()
