"""The cross-outlet workflow by keyboard alone, on two untitled articles (their titles derived at
import from their first sentences): search the statement, open the hit with Enter and label the
match as a CLAIM; the same for its speaker as a SOURCE, made a new entity with Enter; link the
claim to it (R, Tab, Enter); G starts the claim's group and P adds the other outlet's passage;
in the other article its speaker joins the same entity with Enter; a figure is labelled, undone
and redone; the caret selects four words (Ctrl+Shift+→), a label's key labels them and Shift+→
moves the span's end; E exports, Enter writes the file, which Python reads back. Every view names the
articles by their titles, never by an id (the list, the hits, the compare view)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import answer_dialog, cli, js_text, json_lines, one, seg_with  # noqa: E402
from webdriver import CTRL, ENTER, ESCAPE, SHIFT, TAB, Session  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]

NORTH = ("Some units of the southern and western military districts are returning to their bases after completing "
         "drills, Igor Konashenkov said on Tuesday.\n\nRussia has massed over 100,000 troops near Ukraine's borders, "
         "according to Western estimates.\n")
EAST = ("Units of the southern and western military districts have completed their drills and are returning to their "
        "bases, Maj. Gen. Igor Konashenkov told reporters.\n\nRussia has deployed some 130,000 troops around Ukraine "
        "on three sides.\n")
STATEMENT = "Some units of the southern and western military districts are returning to their bases after completing drills"
NORTH_TITLE = "Some units of the southern and western military districts are returning to their bases…"
EAST_TITLE = "Units of the southern and western military districts have completed their drills and are…"
DOWN = "\ue015"


def active(s):
    return s.script("const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || e.tagName) : null")


def search(s, query, title):
    """/ and the query, then ↓ to the hit of the article titled `title`, and Enter: it opens with
    the matches marked, the focus in its text."""
    s.press("/")
    s.wait_for("the search box focused", lambda: s.script("return document.activeElement?.dataset.testid") == "search")
    s.script("const b = document.activeElement; b.value = ''; b.dispatchEvent(new Event('input', {bubbles: true}))")
    s.type_into(s.find_all("[data-testid=search]")[0], query)
    s.wait_for(f"hits for {query}", lambda: s.find_all("[data-testid=doc-hits] button.hit"))
    for _ in range(5):
        s.press(DOWN)
        if title in (active(s) or ""):
            break
    assert title in (active(s) or ""), active(s)
    s.press(ENTER)
    s.wait_for(f"{title} open", lambda: title in (js_text(s, ".doc-head h2") or ""))
    s.wait_for("the focus in the text", lambda: active(s) == "Document text")
    s.wait_for("the match marked", lambda: s.find_all("[data-testid=reader-text] .seg.marked"))


def label_match(s, key, label, text):
    if js_text(s, "[data-testid=span-text]") is not None:
        s.press(ESCAPE)  # nothing selected, so that the key labels the match (not the span)
        s.wait_for("no span selected", lambda: js_text(s, "[data-testid=span-text]") is None)
    s.press(key)
    s.wait_for(f"{text} as {label}", lambda: js_text(s, "[data-testid=span-text]") == text)


def main():
    folder = os.path.join(WORK, "articles")
    os.makedirs(folder)
    for name, text in (("north.txt", NORTH), ("east.txt", EAST)):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)
    ws = os.path.join(WORK, "keyboard-ws")
    cli("init", ws)
    cli("import", ws, folder)
    out = os.path.join(WORK, "dataset.jsonl")

    with Session([ws]) as s:
        s.wait_for("both articles listed, by their derived titles", lambda: sorted(
            s.script("return [...document.querySelectorAll('nav[aria-label=Documents] button.doc .title')].map(e => e.textContent)")
        ) == sorted([NORTH_TITLE, EAST_TITLE]))

        # The statement: searched, opened with Enter, labelled with 1 (CLAIM).
        search(s, f'"{STATEMENT}"', "Some units")
        hits = s.script("return [...document.querySelectorAll('[data-testid=doc-hits] .title')].map(e => e.textContent)")
        assert hits == [NORTH_TITLE], hits
        label_match(s, "1", "CLAIM", STATEMENT)
        # Its speaker, as a SOURCE (2); Enter makes it a new entity (none is suggested yet).
        search(s, '"Igor Konashenkov"', "Some units")
        label_match(s, "2", "SOURCE", "Igor Konashenkov")
        # (At once: Enter pressed while the inspector still looks for entities acts on what it finds.)
        s.press(ENTER)
        s.wait_for("the new entity", lambda: "New source entity" in (js_text(s, "[data-testid=notice]") or ""))
        # R from the source, Tab to the claim, Enter: CLAIM attributed_to SOURCE.
        s.press("r")
        s.press(TAB)
        s.press(ENTER)
        s.wait_for("the relation", lambda: "attributed_to" in (js_text(s, "[data-testid=relations]") or ""))
        s.screenshot("keyboard-01-attributed.png")

        # Shift+Tab back to the claim; G starts its group, P adds the other outlet's passage.
        # (Tab walks the suggestions too: as many steps back as it takes.)
        for _ in range(6):
            s.chord(SHIFT, TAB)
            if js_text(s, "[data-testid=span-text]") == STATEMENT:
                break
        s.wait_for("the claim selected", lambda: js_text(s, "[data-testid=span-text]") == STATEMENT)
        s.wait_for("its similar passage found", lambda: s.find_all("[data-testid=claim-suggestion]"))
        titles = s.script("return [...document.querySelectorAll('[data-testid=claim-suggestion] .where')].map(e => e.textContent)")
        assert all("Units of the southern" in t for t in titles), titles
        s.press("g")
        s.wait_for("the group started", lambda: s.find_all("[data-testid=claim-group]"))
        s.press("p")
        s.wait_for("the passage added", lambda: len((json_lines(cli("groups", ws, "--json")) or [{}])[0].get("members", [])) == 2)
        s.screenshot("keyboard-02-grouped.png")

        # The other article, by its speaker's name: who joins the same entity with Enter.
        search(s, '"Maj. Gen. Igor Konashenkov"', "Units of the southern")
        label_match(s, "2", "SOURCE", "Maj. Gen. Igor Konashenkov")
        s.wait_for("the entity suggested", lambda: s.find_all("[data-testid=entity-suggestion]"))
        s.press(ENTER)
        s.wait_for("linked to it", lambda: "Linked" in (js_text(s, "[data-testid=notice]") or ""))
        sources = json_lines(cli("sources", ws, "--json"))
        assert len(sources) == 1 and sources[0]["mentions"] == 2, sources

        # A figure, undone and redone, each saying what it changed.
        search(s, '"130,000 troops"', "Units of the southern")
        label_match(s, "4", "QUANTITY", "130,000 troops")
        s.chord(CTRL, "z")
        s.wait_for("undone", lambda: (js_text(s, "[data-testid=notice]") or "") == "Undid: added QUANTITY “130,000 troops”")
        s.chord(CTRL, SHIFT, "z")
        s.wait_for("redone", lambda: seg_with(s, "QUANTITY", "130,000"))

        # The caret: nothing selected, Ctrl+Shift+→ four times from the start of the text selects
        # four words; 5 labels them EVIDENCE; Shift+→ then takes the span's end a word further.
        s.press(ESCAPE)
        s.wait_for("no span selected", lambda: js_text(s, "[data-testid=span-text]") is None)
        s.press("\ue012")  # ←: the caret appears at the start of the text
        one(s, "[data-testid=caret]", "the caret drawn")
        s.screenshot("keyboard-03a-caret.png")
        for _ in range(4):
            s.chord(CTRL, SHIFT, "\ue014")
        picked = s.wait_for("four words selected", lambda: (lambda t: t if t and t.strip().count(" ") == 3 else None)(
            s.script("return getSelection().toString()")))
        assert picked.strip() == "Units of the southern", picked
        s.press("5")
        s.wait_for("the words as EVIDENCE", lambda: (js_text(s, "[data-testid=span-text]") or "").strip() == "Units of the southern")
        s.chord(SHIFT, "\ue014")
        s.wait_for("its end a word further", lambda: js_text(s, "[data-testid=span-text]") == "Units of the southern and")
        s.screenshot("keyboard-03b-caret-span.png")
        # Once the caret shows, ↓ moves it a line down and Shift+End selects to the line's end.
        s.press(ESCAPE)
        s.press("\ue012")
        caret_top = lambda: s.script("const c = document.querySelector('[data-testid=caret]'); return c ? c.offsetTop : null")
        top = s.wait_for("the caret back", caret_top)
        s.press("\ue015")
        s.wait_for("the caret a line down", lambda: (caret_top() or 0) > top)
        s.chord(SHIFT, "\ue010")
        s.wait_for("the rest of the line selected", lambda: len((s.script("return getSelection().toString()") or "").strip()) > 10)
        s.press(ESCAPE)

        # C: the compare view names the articles by their titles, never by an id.
        s.press("c")
        view = one(s, "[data-testid=compare-view]", "the compare view")
        s.wait_for("the group's row", lambda: s.find_all("[data-testid=compare-row]"))
        text = s.script("return arguments[0].textContent", {"element-6066-11e4-a52e-4f735466cecf": view})
        ids = [d["id"] for d in json_lines(cli("docs", ws, "--json"))]
        assert not any(i in text or i[:8] in text for i in ids), "an id shown in the compare view"
        s.screenshot("keyboard-03-compare.png")
        s.press("c")
        s.wait_for("back to the reader", lambda: not s.find_all("[data-testid=compare-view]"))

        # E, then Enter: the export dialog writes the file (the dialog seam answers the path).
        answer_dialog(out)
        s.press("e")
        one(s, "[data-testid=export-dialog]", "the export dialog")
        s.press(ENTER)
        s.wait_for("the export report", lambda: js_text(s, "[data-testid=export-summary]"))
        s.screenshot("keyboard-04-exported.png")

    with open(out, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    assert len(records) == 2
    for r in records:
        for span in r["spans"]:
            assert r["text"][span["start"]:span["end"]] == span["text"], span
    north = next(r for r in records if r["text"] == NORTH.strip() or r["text"].startswith("Some units"))
    labels = sorted(sp["label"] for sp in north["spans"])
    assert labels == ["CLAIM", "SOURCE"], labels
    assert [rel["label"] for rel in north["relations"]] == ["attributed_to"], north["relations"]
    east = next(r for r in records if r is not north)
    assert sorted(sp["label"] for sp in east["spans"]) == ["CLAIM", "EVIDENCE", "QUANTITY", "SOURCE"], east["spans"]
    assert next(sp for sp in east["spans"] if sp["label"] == "EVIDENCE")["text"] == "Units of the southern and"


if __name__ == "__main__":
    main()
