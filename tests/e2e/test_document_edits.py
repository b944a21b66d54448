"""A document's own fields edited in the real app, on the demo workspace: a status set with its
button and undone, Ctrl+Enter marking the document done and opening the next, the details
(title) saved with Enter, and a relation removed with its button and brought back with Ctrl+Z.
Each change is checked on disk with the `parallax` CLI afterwards."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import js_text, one  # noqa: E402
from webdriver import CTRL, ENTER, Session, ref  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]
DEMO = os.path.join(WORK, "data", "app.parallax.workbench", "demo-workspace")
DOCS = "nav[aria-label=Documents] button.doc"
SELECTED = 'button.doc[aria-current="true"]'


def on_disk():
    out = subprocess.run([CLI, "docs", DEMO, "--json"], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def pressed(s, status):
    return s.script(f"return document.querySelector('button[data-status=\"{status}\"]').getAttribute('aria-pressed')") == "true"


def main():
    with Session() as s:
        docs = s.wait_for("the demo's documents", lambda: (lambda d: d if len(d) == 5 else None)(s.find_all(DOCS)))
        s.wait_for("the first document open", lambda: s.find_all(SELECTED) == [docs[0]])
        first = on_disk()[0]

        # A status with its button, then undone.
        s.click(one(s, 'button[data-status="skipped"]'))
        s.wait_for("skipped shown", lambda: pressed(s, "skipped"))
        s.wait_for("skipped on disk", lambda: on_disk()[0]["status"] == "skipped")
        s.click(one(s, "#inspector-span"))
        s.chord(CTRL, "z")
        s.wait_for("the status back", lambda: pressed(s, first["status"]))
        assert on_disk()[0]["status"] == first["status"]

        # Ctrl+Enter: done, and on to the next document.
        s.click(one(s, "#inspector-span"))
        s.chord(CTRL, ENTER)
        s.wait_for("the next document open", lambda: s.find_all(SELECTED) == [docs[1]])
        s.wait_for("the first one done on disk", lambda: on_disk()[0]["status"] == "done")

        # The details: a title typed and saved with Enter.
        title = s.find_all("form.meta input")[0]
        s.script("arguments[0].select()", ref(title))
        s.type_into(title, "Kessary Dam opens its gates")
        s.press(ENTER)
        s.wait_for("the details saved", lambda: js_text(s, "[data-testid=notice]") == "Saved the document's details")
        s.wait_for("the list shows the title", lambda: "Kessary Dam opens its gates" in (js_text(s, SELECTED) or ""))
        assert on_disk()[1]["title"] == "Kessary Dam opens its gates"
        s.screenshot("document-edits-01-details.png")

        # A relation removed with its button, and brought back with Ctrl+Z.
        s.click(docs[4])
        s.wait_for("the fifth document open", lambda: s.find_all(SELECTED) == [docs[4]])
        fifth = on_disk()[4]["id"]
        relations = lambda: len(json.loads(subprocess.run([CLI, "show", DEMO, fifth, "--json"], capture_output=True, text=True, check=True).stdout)["relations"])
        before = relations()
        segs = s.wait_for("spans drawn", lambda: [e for e in s.find_all("[data-testid=reader-text] span.seg")
                                                  if "CLAIM" in (s.script("return arguments[0].dataset.labels", ref(e)) or "")])
        s.click(segs[0])
        remove = one(s, "button.remove[aria-label^='Remove relation']", "a relation of the claim")
        s.click(remove)
        s.wait_for("the relation removed", lambda: js_text(s, "[data-testid=notice]") == "Removed the relation")
        s.wait_for("one relation fewer on disk", lambda: relations() == before - 1)
        s.screenshot("document-edits-02-relation-removed.png")
        s.click(one(s, "#inspector-span"))
        s.chord(CTRL, "z")
        s.wait_for("the relation back on disk", lambda: relations() == before)
        print("  status, Ctrl+Enter, details and a relation changed in the app and found on disk")


if __name__ == "__main__":
    main()
