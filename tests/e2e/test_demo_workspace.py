"""`make run` on a new machine: the app opens its built-in demo workspace with the workspace name
in the title, lists the five demo articles, J / K walk them, and the reader draws the spans of an
annotated article with its curly quotes intact; a file dropped on the window is imported, and so is a labelled dataset, with its annotations and
the line of its bad record."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from webdriver import Session  # noqa: E402

DOCS = "nav[aria-label=Documents] button.doc"
SELECTED = 'button.doc[aria-current="true"]'


def reader_text(s):
    return s.script(
        "const t = document.querySelector('[data-testid=reader-text]'); return t ? t.textContent : null;"
    )


def main():
    # No workspace given: the app makes its demo workspace under $XDG_DATA_HOME, which run.sh
    # points at a fresh folder, as on a new machine.
    with Session() as s:
        docs = s.wait_for("five documents in the list", lambda: (lambda d: d if len(d) == 5 else None)(s.find_all(DOCS)))
        s.wait_for("the workspace name in the title", lambda: s.title() == "Parallax — demo-workspace")
        assert all(s.text(d).strip() for d in docs)

        s.wait_for("a document open in the reader", lambda: reader_text(s))
        # J four times: to the last document (05, annotated, with curly quotes).
        for expected in range(1, 5):
            s.press("j")
            s.wait_for(f"document {expected + 1} selected", lambda: s.find_all(SELECTED) == [docs[expected]])
        # The reader loads each document as the selection passes it, so wait for the fifth
        # one's own text, not for any change, before looking at its quotes.
        text = s.wait_for(
            "the fifth document in the reader",
            lambda: (lambda t: t if t and "spent Friday filling sandbags" in t else None)(reader_text(s)),
        )
        assert "\u201c" in text and "\u201d" in text, "curly quotes should survive import"
        drawn = s.wait_for("spans drawn in the reader", lambda: s.find_all("[data-testid=reader-text] span.seg"))
        labels = {s.script("return arguments[0].dataset.labels", {"element-6066-11e4-a52e-4f735466cecf": e}) for e in drawn}
        assert any("CLAIM" in (l or "") for l in labels), labels
        assert any("SOURCE" in (l or "") for l in labels), labels

        s.press("k")
        s.wait_for("K goes back one document", lambda: s.find_all(SELECTED) == [docs[3]])
        s.press("j")
        s.wait_for("J goes forward again", lambda: s.find_all(SELECTED) == [docs[4]])
        print(f"  screenshot: {s.screenshot('demo-workspace.png')}")

        # Files dropped on the window are imported. WebDriver cannot drag from the desktop, so
        # the test sends the event the webview gets for a drop (Tauri's `tauri://drag-drop`).
        dropped = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "articles", "northgate_post.txt")
        s.script(
            "window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {event: 'tauri://drag-drop', "
            "payload: {paths: [arguments[0]], position: {x: 400, y: 300}}}); return true;",
            dropped,
        )
        summary = s.wait_for("the dropped file imported", lambda: s.script(
            "const e = document.querySelector('[data-testid=import-summary]'); return e ? e.textContent : null;"))
        assert "Imported 1 file" in summary, summary
        s.wait_for("six documents listed", lambda: len(s.find_all(DOCS)) == 6)
        s.screenshot("demo-dropped-file.png")

        # A doccano JSONL file dropped the same way: its documents come with their spans and
        # relation (labels the schema lacks are added), and its bad line is named.
        dataset = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "datasets", "labelled.jsonl")
        s.script(
            "window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {event: 'tauri://drag-drop', "
            "payload: {paths: [arguments[0]], position: {x: 400, y: 300}}}); return true;",
            dataset,
        )
        summary = s.wait_for("the dataset imported", lambda: (lambda t: t if t and "document" in t else None)(s.script(
            "const e = document.querySelector('[data-testid=import-summary]'); return e ? e.textContent : null;")))
        assert "Imported 2 documents from 1 file with 3 spans and 1 relation" in summary, summary
        assert "1 failed" in summary, summary
        failed = s.script("const e = document.querySelector('[data-testid=import-failed]'); return e ? e.textContent : null;")
        assert failed and "labelled.jsonl:2" in failed, failed
        added = s.script("const e = document.querySelector('[data-testid=import-schema-added]'); return e ? e.textContent : null;")
        assert added and "ORG" in added, added
        s.wait_for("eight documents listed", lambda: len(s.find_all(DOCS)) == 8)
        s.screenshot("demo-dropped-dataset.png")


if __name__ == "__main__":
    main()
