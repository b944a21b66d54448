"""What the end-to-end tests do with the app's UI, shared by the test files: find an element
by CSS (waiting for it), read text, open a document from the list, find a drawn span."""

import json
import os
import subprocess

from webdriver import ELEMENT, ref


def cli(*args):
    """Runs the `parallax` command line (the build under test); its output, or a failure that
    says what it printed on stderr."""
    done = subprocess.run([os.environ["PARALLAX_CLI"], *args], capture_output=True, text=True)
    assert done.returncode == 0, f"parallax {' '.join(args)}: {done.stderr}"
    return done.stdout


def json_lines(text):
    """The JSON values of a `--json` output, one a line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def one(s, css, what=None):
    return s.wait_for(what or css, lambda: (s.find_all(css) or [None])[0])


def js_text(s, css):
    return s.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css)


def open_document(s, title_part):
    for el in s.find_all("nav[aria-label=Documents] button.doc"):
        if title_part in s.script("return arguments[0].textContent", ref(el)):
            s.click(el)
            s.wait_for(f"{title_part} open", lambda: title_part in (js_text(s, ".doc-head h2") or ""))
            return
    raise AssertionError(f"no document titled {title_part!r}")


def seg_with(s, label, text_part):
    """A drawn segment of a `label` span containing `text_part`."""
    for el in s.find_all("[data-testid=reader-text] .seg"):
        labels = s.script("return arguments[0].dataset.labels", ref(el)) or ""
        if label in labels.split(", ") and text_part in s.text(el):
            return el
    return None


def child(s, el, css):
    """The first element under `el` matching `css`."""
    found = s.call("POST", f"/element/{el}/elements", {"using": "css selector", "value": css})
    assert found, f"no {css} under the element"
    return found[0][ELEMENT]


def attr(s, el, name):
    return s.script("return arguments[0].getAttribute(arguments[1])", ref(el), name)


# The rectangle of characters of the reader's text, in viewport coordinates, after scrolling
# them into view: arguments are the text to find and the character offsets inside it.
CHAR_RECT = """
const [needle, index] = arguments;
const root = document.querySelector('[data-testid=reader-text]');
const at = root.textContent.indexOf(needle);
if (at < 0) return null;
let want = at + index;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (want < n.nodeValue.length) {
    const r = document.createRange();
    r.setStart(n, want);
    r.setEnd(n, want + 1);
    n.parentElement.scrollIntoView({block: 'center'});
    const b = r.getBoundingClientRect();
    return {x: b.left + b.width / 2, y: b.top + b.height / 2};
  }
  want -= n.nodeValue.length;
}
return null;
"""


def select_text(s, needle, first=2, last_from_end=3):
    """Drags the mouse from inside the first word of `needle` to inside its last word."""
    a = s.script(CHAR_RECT, needle, first)
    b = s.script(CHAR_RECT, needle, len(needle) - last_from_end)
    assert a and b, f"{needle!r} not in the reader"
    s.drag(a["x"], a["y"], b["x"], b["y"])
    # The reader has taken the selection when its label toolbar shows: a key pressed before
    # that (the document just opened, the machine busy) labels nothing.
    s.wait_for(f"{needle!r} selected", lambda: bool(s.find_all("[aria-label='Label the selection']")))


# Selects the first occurrence of arguments[0] in the reader's text, as a drag would.
SELECT_WORD = """
const root = document.querySelector('[data-testid=reader-text]');
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const at = n.nodeValue.indexOf(arguments[0]);
  if (at >= 0) {
    const r = document.createRange();
    r.setStart(n, at); r.setEnd(n, at + arguments[0].length);
    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
}
return false;
"""


def label_word_saved(s, word, key="1"):
    """Selects `word` in the reader, presses a label's key (1 is CLAIM) and waits until the app
    shows the span selected and every change saved."""
    assert s.script(SELECT_WORD, word), f"{word} not in the reader"
    s.wait_for(f"{word} selected", lambda: bool(s.find_all("[aria-label='Label the selection']")))
    s.press(key)
    s.wait_for(f"{word} labelled and saved", lambda: js_text(s, "[data-testid=span-text]") == word
               and js_text(s, "[data-testid=saved]") == "All changes saved")


def answer_dialog(path):
    """Answers the app's next native file dialog with `path` (the seam in src-tauri/src/dialogs.rs)."""
    with open(os.environ["PARALLAX_E2E_DIALOG_FILE"], "w", encoding="utf-8") as f:
        f.write(path + "\n")


def export_through_dialog(s, path, annotators=None):
    """Exports native JSONL to `path` through the export dialog (layers typed into its annotators
    field when given; "" for none) and returns the file's records."""
    s.click(one(s, "[data-testid=export]"))
    one(s, "[data-testid=export-dialog]", "the export dialog")
    if annotators is not None:
        field = one(s, "[data-testid=export-annotators]")
        s.script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", ref(field))
        if annotators:
            s.type_into(field, annotators)
    answer_dialog(path)
    s.click(one(s, "[data-testid=export-submit]"))
    s.wait_for("the export dialog closed", lambda: not s.find_all("[data-testid=export-dialog]"))
    s.wait_for("the export report", lambda: js_text(s, "[data-testid=export-summary]"))
    s.click(one(s, "[data-testid=job] button"))
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
