"""A new user's session in the real app: create a workspace, import three articles, label a claim
and its source with the mouse and the keyboard, link them, edit an attribute, undo and redo,
label a claim that follows an emoji (code points and UTF-16 units differ there), search and open
a hit, check that markup in a document stays text, export through the export dialog (native
JSONL, its default) and slice every span out of its text in Python, write a note with accents
and kill the app with SIGKILL the moment the note is shown as saved; then restart, find
everything as it was left, undo and redo the note across the restart, and rename a label in the
schema editor. Native dialogs are answered through the test seam (`PARALLAX_E2E_DIALOG_FILE`,
see src-tauri/src/dialogs.rs). A screenshot per step goes to tests/artifacts/."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import js_text, one, open_document, seg_with, select_text  # noqa: E402
from webdriver import CTRL, ESCAPE, SHIFT, TAB, Session, ref  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ARTICLES = os.path.join(HERE, "fixtures", "articles")
WORK = os.environ["PARALLAX_E2E_WORK"]
DIALOG = os.environ["PARALLAX_E2E_DIALOG_FILE"]
WORKSPACE = os.path.join(WORK, "bridge-desk")

CLAIM = "the Lenmark bridge will close for six weeks from Monday"
SOURCE = "Teodor Vasko"
# In the other article, after "🚌": one code point, two UTF-16 units.
AFTER_EMOJI = "overdue by a decade"
NOTE = "Geprüft ✓ — zwei Quellen, Ministerium bestätigt"



def answer_dialog(*paths):
    with open(DIALOG, "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")


def js_value(s, css):
    return s.script("const e = document.querySelector(arguments[0]); return e ? (e.type === 'checkbox' ? e.checked : e.value) : null;", css)


def create_and_annotate(s):
    # A new workspace, through the workspace menu and the (seamed) folder dialog.
    one(s, "nav[aria-label=Documents] button.doc", "the demo workspace")
    s.click(one(s, "button[aria-expanded]", "the workspace menu"))
    answer_dialog(WORKSPACE)
    s.click(one(s, "[data-testid=new-workspace]"))
    s.wait_for("the new workspace's title", lambda: s.title() == "Parallax — bridge-desk")
    s.screenshot("workflow-01-new-workspace.png")

    # Import three files.
    answer_dialog(*(os.path.join(ARTICLES, n) for n in sorted(os.listdir(ARTICLES))))
    s.click(one(s, "[data-testid=import-files]"))
    summary = s.wait_for("the import report", lambda: js_text(s, "[data-testid=import-summary]"))
    assert "Imported 3 files" in summary, summary
    s.wait_for("three documents listed", lambda: len(s.find_all("nav[aria-label=Documents] button.doc")) == 3)
    s.screenshot("workflow-02-imported.png")
    s.click(one(s, "[data-testid=job] button"))

    # A claim, selected with the mouse from mid-word to mid-word, labelled with its hotkey (1).
    open_document(s, "Lenmark bridge to close")
    select_text(s, CLAIM)
    s.press("1")
    s.wait_for("the claim drawn", lambda: seg_with(s, "CLAIM", "Lenmark bridge"))
    assert js_text(s, "[data-testid=span-text]") == CLAIM, js_text(s, "[data-testid=span-text]")
    # Its first annotation puts the document in progress, in the list too.
    s.wait_for("the document in progress", lambda: "in progress" in (js_text(s, "nav[aria-label=Documents] button.doc.selected .badge")
                                                                      or js_text(s, "nav[aria-label=Documents] [aria-current] .badge") or ""))
    # A source, labelled from the popup with the mouse.
    select_text(s, SOURCE, 1, 2)
    s.click(one(s, '.popup button[data-label="SOURCE"]'))
    s.wait_for("the source drawn", lambda: seg_with(s, "SOURCE", "Vasko"))
    assert js_text(s, "[data-testid=span-text]") == SOURCE
    s.screenshot("workflow-03-labelled.png")

    # The keys overlay opens at its top, its descriptions given room beside the keys.
    s.press("?")
    help_box = one(s, "[data-testid=help]", "the keys overlay")
    s.wait_for("the overlay laid out", lambda: s.script("return arguments[0].clientHeight > 0", ref(help_box)))
    assert s.script("return arguments[0].scrollTop", ref(help_box)) == 0, "the overlay opened scrolled down"
    widths = s.script("return [...arguments[0].querySelectorAll('td')].map(td => td.getBoundingClientRect().width)",
                      ref(help_box))
    assert min(widths) > 250, f"descriptions squeezed: {min(widths)} px"
    s.screenshot("workflow-03b-keys.png")
    s.press(ESCAPE)
    s.wait_for("the overlay closed", lambda: not s.find_all("[data-testid=help]"))

    # Link: R on the selected source, then a click on the claim makes `CLAIM attributed_to SOURCE`.
    s.press("r")
    s.click(seg_with(s, "CLAIM", "Lenmark bridge"))
    s.wait_for("the relation listed", lambda: "attributed_to" in (js_text(s, "[data-testid=relations]") or ""))
    s.screenshot("workflow-04-linked.png")

    # An attribute of the claim: select it (the source stayed selected after linking).
    s.click(seg_with(s, "CLAIM", "Lenmark bridge"))
    s.wait_for("the claim in the inspector", lambda: js_value(s, "[data-testid=span-label]") == "CLAIM")
    s.click(one(s, 'select[data-attr="type"] option[value="prediction"]'))
    s.wait_for("the attribute saved", lambda: js_value(s, 'select[data-attr="type"]') == "prediction")
    s.wait_for("the save confirmed", lambda: js_text(s, "[data-testid=saved]") == "All changes saved")
    # Out of the form, then undo and redo the attribute.
    s.click(one(s, "#inspector-span"))
    s.chord(CTRL, "z")
    s.wait_for("undo to clear the attribute", lambda: js_value(s, 'select[data-attr="type"]') == "")
    s.chord(CTRL, SHIFT, "z")
    s.wait_for("redo to set it again", lambda: js_value(s, 'select[data-attr="type"]') == "prediction")
    s.screenshot("workflow-05-attribute-undo-redo.png")

    # A claim after an emoji, in the other article about the bridge.
    open_document(s, "Six-week closure")
    select_text(s, AFTER_EMOJI)
    s.press("1")
    s.wait_for("the claim after the emoji drawn", lambda: seg_with(s, "CLAIM", "overdue by"))
    assert js_text(s, "[data-testid=span-text]") == AFTER_EMOJI, js_text(s, "[data-testid=span-text]")


def search_and_open(s):
    s.press("/")
    box = one(s, "[data-testid=search]")
    s.type_into(box, '"every twenty minutes"')
    hits = s.wait_for("two hits for the shared phrase", lambda: (lambda h: h if len(h) == 2 else None)(s.find_all("[data-testid=doc-hits] button.hit")))
    marks = [s.script("return [...arguments[0].querySelectorAll('mark')].map(m => m.textContent)", ref(h)) for h in hits]
    assert all(m == ["every twenty minutes"] for m in marks), marks
    (hit,) = [h for h in hits if "Six-week closure" in s.script("return arguments[0].textContent", ref(h))]
    s.click(hit)
    s.wait_for("the hit open with its match marked", lambda: js_text(s, ".seg.marked") == "every twenty minutes")
    s.screenshot("workflow-06-search.png")
    # Clear the search: back to the whole list.
    s.click(box)
    s.press("\ue00c")  # Escape clears the box
    s.wait_for("the full list again", lambda: len(s.find_all("nav[aria-label=Documents] button.doc")) == 3)


def markup_is_inert(s):
    open_document(s, "Notes that look like markup")
    text = js_text(s, "[data-testid=reader-text]")
    assert '<script>window.__pwned = "script";</script>' in text, text
    assert "<img src=x onerror=" in text, text
    assert s.script("return document.querySelectorAll('[data-testid=reader-text] script, [data-testid=reader-text] img').length") == 0
    assert s.script("return window.__pwned === undefined")
    s.screenshot("workflow-07-markup-inert.png")


def export_and_check(s):
    # The export dialog first: its options as they open (native JSONL, everything, no split).
    s.click(one(s, "[data-testid=export]"))
    one(s, "[data-testid=export-dialog]", "the export dialog")
    assert s.script("return document.querySelector('[data-testid=export-format-jsonl]').checked")
    assert js_value(s, "[data-testid=export-split]") is False
    assert "bridge-desk.jsonl" in js_text(s, "[data-testid=export-output-hint]")
    s.screenshot("workflow-08-export-dialog.png")
    # Then the (seamed) save dialog, answered before the modal's Export button asks it.
    out = os.path.join(WORK, "bridge-desk.jsonl")
    answer_dialog(out)
    s.click(one(s, "[data-testid=export-submit]"))
    s.wait_for("the export dialog closed", lambda: not s.find_all("[data-testid=export-dialog]"))
    summary = s.wait_for("the export report", lambda: js_text(s, "[data-testid=export-summary]"))
    assert "Wrote 3 documents, 3 spans and 1 relation" in summary, summary
    files = js_text(s, "[data-testid=export-files]") or ""
    manifest = os.path.join(WORK, "bridge-desk.manifest.json")
    assert out in files and manifest in files, files
    assert os.path.isfile(manifest), manifest
    s.screenshot("workflow-08-exported.png")
    s.click(one(s, "[data-testid=job] button"))
    with open(out, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    # Python slices code points: every span's offsets must cut out its own text.
    spans = {sp["text"]: (d, sp) for d in docs for sp in d["spans"]}
    for wanted, label in ((CLAIM, "CLAIM"), (SOURCE, "SOURCE"), (AFTER_EMOJI, "CLAIM")):
        d, sp = spans[wanted]
        assert d["text"][sp["start"]:sp["end"]] == wanted and sp["label"] == label, (wanted, sp)
    d, sp = spans[AFTER_EMOJI]
    assert "🚌" in d["text"][:sp["start"]], "the fixture should put an emoji before this claim"
    claim_doc, claim = spans[CLAIM]
    assert claim["attrs"].get("type") == "prediction", claim
    (rel,) = claim_doc["relations"]
    assert rel["label"] == "attributed_to" and rel["head"] == claim["id"] and rel["child"] == spans[SOURCE][1]["id"], rel


def note_then_crash(s):
    """The last change of the session, then SIGKILL as soon as the app shows it saved."""
    open_document(s, "Lenmark bridge to close")
    s.click(seg_with(s, "CLAIM", "Lenmark bridge"))
    s.wait_for("the claim in the inspector", lambda: js_value(s, "[data-testid=span-label]") == "CLAIM")
    note = one(s, "[data-testid=span-note]")
    s.click(note)
    s.type_into(note, NOTE)
    s.click(one(s, "#inspector-span"))  # out of the field: the note is saved on change
    s.wait_for(
        "the note shown as saved",
        lambda: js_text(s, "[data-testid=saved]") == "All changes saved" and js_value(s, "[data-testid=span-note]") == NOTE,
    )
    s.crash()


def after_restart(s):
    s.wait_for("the last workspace reopened", lambda: s.title() == "Parallax — bridge-desk")
    open_document(s, "Lenmark bridge to close")
    s.wait_for("the claim still drawn", lambda: seg_with(s, "CLAIM", "Lenmark bridge"))
    assert seg_with(s, "SOURCE", "Vasko")
    s.click(seg_with(s, "CLAIM", "Lenmark bridge"))
    s.wait_for("its relation still there", lambda: "attributed_to" in (js_text(s, "[data-testid=relations]") or ""))
    assert js_value(s, 'select[data-attr="type"]') == "prediction"
    # The note written just before the crash is there, and undo still reaches it.
    s.wait_for("the note kept through the crash", lambda: js_value(s, "[data-testid=span-note]") == NOTE)
    s.click(one(s, "#inspector-span"))
    s.chord(CTRL, "z")
    s.wait_for("undo after the restart to clear the note", lambda: js_value(s, "[data-testid=span-note]") == "")
    s.chord(CTRL, SHIFT, "z")
    s.wait_for("redo to bring it back", lambda: js_value(s, "[data-testid=span-note]") == NOTE)
    # Tab walks the spans in reading order from the claim to the source (with the suggestions
    # hidden: shown, Tab walks them too, tests/e2e/test_suggestions.py).
    s.click(one(s, "[data-testid=show-suggestions]"))
    s.wait_for("the suggestions hidden", lambda: not s.find_all("[data-testid=ghost-span]"))
    s.click(one(s, "[data-testid=reader-text]"))
    s.press(TAB)
    s.wait_for("Tab to select the first span", lambda: js_value(s, "[data-testid=span-label]") == "CLAIM")
    s.press(TAB)
    s.wait_for("Tab to select the next span", lambda: js_value(s, "[data-testid=span-label]") == "SOURCE")
    s.screenshot("workflow-09-after-restart.png")

    # Rebuild the search index from the menu, with its progress dialog; search works after.
    s.click(one(s, "button[aria-expanded]", "the workspace menu"))
    s.click(one(s, "[data-testid=reindex]"))
    result = s.wait_for("the rebuild to finish", lambda: js_text(s, "[data-testid=job-result]"))
    assert result == "Indexed 3 documents.", result
    s.click(one(s, "[data-testid=job] button"))
    s.press("/")
    s.type_into(one(s, "[data-testid=search]"), "Vasko")
    s.wait_for("hits after the rebuild", lambda: len(s.find_all("[data-testid=doc-hits] button.hit")) == 2)
    s.press("\ue00c")

    # The schema editor: rename CLAIM; the claim keeps its span, under the new name.
    s.click(one(s, "[data-testid=edit-schema]"))
    name = one(s, "[data-testid=label-name]")
    s.script("arguments[0].select()", ref(name))
    s.type_into(name, "ASSERTION")
    s.screenshot("workflow-10-schema-editor.png")
    s.click(one(s, "[data-testid=save-schema]"))
    s.wait_for("the editor closed", lambda: not s.find_all("[data-testid=schema-editor]"))
    s.wait_for("the claim under its new label", lambda: seg_with(s, "ASSERTION", "Lenmark bridge"))


def main():
    with Session() as s:
        create_and_annotate(s)
        search_and_open(s)
        markup_is_inert(s)
        export_and_check(s)
        note_then_crash(s)
    with Session() as s:
        after_restart(s)


if __name__ == "__main__":
    main()
