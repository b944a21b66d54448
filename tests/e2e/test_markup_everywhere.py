"""Markup and script in every field a file can set, shown literally and never run, in every view
of the real app: a native JSONL dataset whose text, title, outlet, label, attribute name and
value, note, source entity name and alias, claim group wording, evidence URL and rationale each
carry an HTML payload that would set `window.__pwned` if it ran. The dataset is imported through
the (seamed) file dialog; the documents list, the reader, the inspector with its source and claim
panels, search hits, the compare view and the schema editor are opened in turn, and after each
nothing has run, no element the payloads describe exists, and the payload is there as text.
At every step, no process of the app (nor WebKit's web and network processes it started) holds a
socket to an address outside this machine."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import js_text, one, open_document  # noqa: E402
from webdriver import Session, app_pids, foreign_sockets  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
DIALOG = os.environ["PARALLAX_E2E_DIALOG_FILE"]
WORKSPACE = os.path.join(WORK, "markup-desk")


def payload(n, tag="img"):
    """Markup that sets window.__pwned to `n` if it is ever parsed as HTML."""
    if tag == "script":
        return f"<script>window.__pwned={n}</script>"
    return f'<img src=x onerror="window.__pwned={n}">'


# Names cannot hold spaces (label:NAME is typed in queries), so these have none.
LABEL = "<b_onmouseover=window.__pwned=1>CLAIM</b>"
ATTR = "<svg_onload=window.__pwned=2>"
TITLE = "Dam " + payload(3)
OUTLET = "outlet" + payload(4, "script") + ".example"
TEXT = "The ministry " + payload(5) + " said the dam will open, officials told reporters " + payload(6, "script") + "."
NOTE = "check " + payload(7)
ENTITY = "Ministry " + payload(8)
ALIAS = "the ministry " + payload(9, "script")
CANONICAL = "The dam opens " + payload(10)
EVIDENCE = "https://example.org/<script>window.__pwned=11</script>"
RATIONALE = "Two outlets " + payload(12) + " agree"
VALUE = payload(13, "script")


def dataset(path):
    group = {"id": "g-markup", "canonical": CANONICAL, "status": "disputed", "evidence": [EVIDENCE],
             "rationale": RATIONALE, "created_at": "2025-04-05T00:00:00Z"}
    entity = {"id": "e-markup", "name": ENTITY, "kind": "organisation", "aliases": [ALIAS],
              "created_at": "2025-04-05T00:00:00Z"}
    lines = []
    for n, (title, outlet) in enumerate([(TITLE, OUTLET), ("Dam opens, second outlet", "second.example")]):
        text = TEXT if n == 0 else "Officials said the dam will open on Monday, the ministry told reporters."
        claim = "the dam will open"
        source = "The ministry" if n == 0 else "the ministry"
        spans = [
            {"id": "c", "start": text.index(claim), "end": text.index(claim) + len(claim), "label": "CLAIM",
             "text": claim, "attrs": {ATTR: VALUE}, "note": NOTE, "claim_group": "g-markup"},
            {"id": "s", "start": text.index(source), "end": text.index(source) + len(source), "label": "SOURCE",
             "text": source, "attrs": {}, "note": None, "source_entity": "e-markup"},
            {"id": "o", "start": text.index("reporters"), "end": text.index("reporters") + 9, "label": LABEL,
             "text": "reporters", "attrs": {}, "note": None},
        ]
        lines.append({
            "text": text,
            "meta": {"title": title, "outlet": outlet, "published": f"2025-04-0{n + 1}"},
            "status": "in_progress",
            "spans": spans,
            "relations": [{"head": "c", "child": "s", "label": "attributed_to"}],
            "entities": [entity],
            "groups": [group],
            "schema_version": 1,
        })
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


INERT = """
const root = document.body;
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  // Elements a payload would make, and handlers it would set.
  made: root.querySelectorAll('img[src="x"], script:not([src]), [onerror], [onload], [onmouseover], b[onmouseover], iframe').length,
  text: root.innerText,
};
"""


def inert(s, where, *shown):
    assert not foreign_sockets(), f"{where}: the app is connected to {foreign_sockets()}"
    got = s.script(INERT)
    assert got["pwned"] is None, f"{where}: a payload ran (window.__pwned = {got['pwned']})"
    assert got["made"] == 0, f"{where}: {got['made']} elements made from a payload"
    for text in shown:
        assert text in got["text"], f"{where}: {text!r} is not shown as text"


def main():
    source = os.path.join(WORK, "markup.jsonl")
    dataset(source)
    with Session() as s:
        one(s, "nav[aria-label=Documents] button.doc", "the demo workspace")
        s.click(one(s, "button[aria-expanded]", "the workspace menu"))
        with open(DIALOG, "w", encoding="utf-8") as f:
            f.write(WORKSPACE + "\n")
        s.click(one(s, "[data-testid=new-workspace]"))
        s.wait_for("the new workspace", lambda: s.title() == "Parallax — markup-desk")
        with open(DIALOG, "w", encoding="utf-8") as f:
            f.write(source + "\n")
        s.click(one(s, "[data-testid=import-files]"))
        summary = s.wait_for("the import report", lambda: js_text(s, "[data-testid=import-summary]"))
        assert "Imported 2 documents" in summary, summary
        s.click(one(s, "[data-testid=job] button"))
        inert(s, "the documents list", TITLE)

        # The reader and the inspector: the claim (label, attribute, note, group) ...
        open_document(s, "Dam <img")
        inert(s, "the reader", TEXT)
        claim = s.wait_for("the claim drawn", lambda: [e for e in s.find_all("[data-testid=reader-text] .seg") if "dam will open" in s.text(e)])
        s.click(claim[0])
        s.wait_for("the claim group in the inspector", lambda: s.find_all("[data-testid=claim-group]"))
        s.screenshot("markup-01-claim.png")
        inert(s, "the claim in the inspector", "dam will open")
        values = s.script("return [...document.querySelectorAll('textarea, input, select')].map(e => e.value)")
        for wanted in (NOTE, CANONICAL, RATIONALE):
            assert any(wanted in (v or "") for v in values), f"{wanted!r} not in a field: {values}"
        labels = s.script("return [...document.querySelectorAll('[data-testid=span-label] option')].map(o => o.textContent)")
        assert any(LABEL in l for l in labels), labels
        attrs = s.script("return [...document.querySelectorAll('[data-attr]')].map(e => [e.dataset.attr, e.value])")
        assert [ATTR, VALUE] in attrs, attrs
        # The span under the label made of markup.
        marked = [e for e in s.find_all("[data-testid=reader-text] .seg") if s.text(e) == "reporters"]
        s.click(marked[0])
        s.wait_for("its label in the inspector", lambda: s.script("return document.querySelector('[data-testid=span-label]').value") == LABEL)
        inert(s, "a span whose label is markup", "reporters")
        # ... and the source with its entity.
        source_seg = [e for e in s.find_all("[data-testid=reader-text] .seg") if s.text(e) == "The ministry"]
        s.click(source_seg[0])
        s.wait_for("the source entity", lambda: ENTITY in (s.script("return document.body.innerText") or "") or any(
            ENTITY in (v or "") for v in s.script("return [...document.querySelectorAll('input')].map(e => e.value)")))
        s.screenshot("markup-02-source.png")
        inert(s, "the source in the inspector")

        # Search: hits show the title and the snippet as text.
        s.press("/")
        s.type_into(one(s, "[data-testid=search]"), "ministry")
        s.wait_for("hits", lambda: len(s.find_all("[data-testid=doc-hits] button.hit")) == 2)
        inert(s, "search hits", TITLE)
        s.press("\ue00c")

        # Compare: the group's wording, the outlets and their cells.
        s.click(one(s, "[data-testid=compare-open]"))
        one(s, "[data-testid=compare-table]", "the compare table")
        s.wait_for("the group's row", lambda: CANONICAL in (js_text(s, "[data-testid=compare-table]") or ""))
        s.screenshot("markup-03-compare.png")
        inert(s, "the compare view", CANONICAL, OUTLET)
        s.click(one(s, "[data-testid=compare-close]"))

        # The schema editor lists the label by its name.
        s.click(one(s, "[data-testid=edit-schema]"))
        one(s, "[data-testid=schema-editor]", "the schema editor")
        names = s.script("return [...document.querySelectorAll('[data-testid=label-name]')].map(e => e.value)")
        assert LABEL in names, names
        inert(s, "the schema editor")

        processes = app_pids(with_children=True)
        assert len(processes) >= 2, f"the app's processes were not found: {processes}"
        print(f"  nothing ran in 8 views; {len(processes)} processes of the app, none connected outside this machine")


if __name__ == "__main__":
    main()
