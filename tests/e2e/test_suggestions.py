"""Suggestions in the real app. The CLI makes a workspace of a news-like article with four
attributions and an NBC-style trailer, and a second article. In the app the article shows its
suggestions as ghosts behind the text; Tab reaches the first, Enter accepts it and then the
next, X turns the third down. Reopened (another document and back, then the app restarted):
the accepted are the annotator's spans with their relations and `suggested_by`, the turned-down
one does not come back, the rest still do. The export dialog's file, read in Python, holds the
accepted spans and relations and nothing else of the suggestions."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import cli, export_through_dialog, js_text, one, open_document, seg_with  # noqa: E402
from webdriver import ENTER, Session, TAB  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]

TITLE = "Bridge talks stall"
TEXT = (
    "Bridge talks stall over river crossing\n\n"
    "LENMARK, May 3 — Talks on the new bridge stalled on Tuesday.\n\n"
    "“We will not sign a deal that leaves the river towns without a crossing,” Mayor Ilse Vasko told reporters.\n\n"
    "The transport ministry said the contract would be reviewed by June.\n\n"
    "According to Western engineers, the old bridge can carry about 40 tonnes.\n\n"
    "“The works will take three years,” said Tomas Brandt, the project's chief engineer.\n\n"
    "This article originally belongs to nbcnews.com"
)
OTHER = "Ferry timetable unchanged\n\nThe ferry keeps its summer timetable."
FIRST = "We will not sign a deal that leaves the river towns without a crossing"
SECOND = "the contract would be reviewed by June"
TURNED_DOWN = "the old bridge can carry about 40 tonnes"
LEFT = ["The works will take three years", "This article originally belongs to nbcnews.com"]


def prepare():
    ws = os.path.join(WORK, "suggest-ws")
    cli("init", ws)
    path = os.path.join(WORK, "articles.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"text": TEXT, "meta": {"title": TITLE}}) + "\n")
        f.write(json.dumps({"text": OTHER, "meta": {"title": "Ferry timetable"}}) + "\n")
    cli("import", ws, path, "--format", "jsonl")
    return ws


GHOSTS = """return [...document.querySelectorAll('[data-testid=ghost-span]')].map(e =>
  ({id: e.dataset.ghost, label: e.dataset.label, text: e.dataset.text, focused: e.classList.contains('focused')}))"""


def ghosts(s):
    return s.script(GHOSTS)


def ghost_claims(s):
    return sorted({g["text"] for g in ghosts(s) if g["label"] in ("CLAIM", "BOILERPLATE")})


def focused(s):
    """(label, text) of each span of the suggestion in focus."""
    return [(g["label"], g["text"]) for g in ghosts(s) if g["focused"]]


def accept_in_focus(s, claim):
    assert ("CLAIM", claim) in focused(s), focused(s)
    s.press(ENTER)
    s.wait_for(f"{claim!r} accepted", lambda: (js_text(s, "[data-testid=notice]") or "").startswith("Accepted CLAIM")
               and claim not in ghost_claims(s))
    s.wait_for(f"{claim!r} drawn as a claim", lambda: seg_with(s, "CLAIM", claim.split()[-1]))


def opened(s):
    s.wait_for("the documents listed", lambda: len(s.find_all("nav[aria-label=Documents] button.doc")) == 2)
    open_document(s, TITLE)
    s.wait_for("the suggestions drawn", lambda: ghosts(s))


def check_reopened(s, shot):
    # What is left: neither the accepted nor the turned-down, the others yes.
    s.wait_for("what is left proposed", lambda: ghost_claims(s) == sorted(LEFT))
    assert js_text(s, "[data-testid=suggestion-count]") == "2 open"
    for claim in (FIRST, SECOND):
        assert seg_with(s, "CLAIM", claim.split()[-1]), f"{claim!r} is not an annotation"
    assert not seg_with(s, "CLAIM", "tonnes")
    s.click(seg_with(s, "CLAIM", "crossing"))
    s.wait_for("the accepted claim's relations", lambda: "attributed_to" in (js_text(s, "[data-testid=relations]") or "")
               and "cue_of" in (js_text(s, "[data-testid=relations]") or ""))
    s.screenshot(shot)


def main():
    ws = prepare()
    with Session([ws]) as s:
        opened(s)
        s.wait_for("five suggestions", lambda: js_text(s, "[data-testid=suggestion-count]") == "5 open")
        assert ghost_claims(s) == sorted([FIRST, SECOND, TURNED_DOWN, *LEFT]), ghost_claims(s)
        # Ghosts are drawn behind the text: the text is the document's, no annotation drawn.
        assert s.script("return document.querySelector('[data-testid=reader-text]').textContent") == TEXT
        assert not s.find_all("[data-testid=reader-text] .seg")
        s.screenshot("suggestions-01-ghosts.png")

        # Tab to the first suggestion, Enter, Enter (the focus moves on), X.
        # A click on the headline (no suggestion under it: a click on a ghost would focus that one).
        at = s.script("const r = document.querySelector('[data-testid=reader-text]').getBoundingClientRect();"
                      "return {x: r.left + 40, y: r.top + 28};")
        s.click_at(at["x"], at["y"])
        assert not focused(s), focused(s)
        s.press(TAB)
        s.wait_for("the first suggestion in focus", lambda: focused(s))
        assert ("SOURCE", "Mayor Ilse Vasko") in focused(s) and ("CUE", "told reporters") in focused(s), focused(s)
        assert "attributed_to" in (js_text(s, "[data-testid=suggestion-relations]") or "")
        s.screenshot("suggestions-02-focus.png")
        accept_in_focus(s, FIRST)
        s.wait_for("the next suggestion in focus", lambda: ("CLAIM", SECOND) in focused(s))
        accept_in_focus(s, SECOND)
        s.wait_for("the third in focus", lambda: ("CLAIM", TURNED_DOWN) in focused(s))
        assert ("SOURCE", "Western engineers") in focused(s), focused(s)
        s.press("x")
        s.wait_for("the third turned down", lambda: TURNED_DOWN not in ghost_claims(s))
        assert (js_text(s, "[data-testid=notice]") or "").startswith("Turned down CLAIM"), js_text(s, "[data-testid=notice]")
        s.screenshot("suggestions-03-after-keys.png")

        # Another document and back.
        open_document(s, "Ferry timetable")
        s.wait_for("nothing proposed there", lambda: js_text(s, "[data-testid=suggestion-count]") == "none open")
        opened(s)
        check_reopened(s, "suggestions-04-reopened.png")

    # The app started again on the same workspace.
    with Session([ws]) as s:
        opened(s)
        check_reopened(s, "suggestions-05-restarted.png")
        records = export_through_dialog(s, os.path.join(WORK, "accepted.jsonl"))

    (article,) = [r for r in records if r["text"] == TEXT]
    spans = {(sp["label"], sp["text"]) for sp in article["spans"]}
    assert spans == {
        ("CLAIM", FIRST), ("SOURCE", "Mayor Ilse Vasko"), ("CUE", "told reporters"),
        ("CLAIM", SECOND), ("SOURCE", "The transport ministry"), ("CUE", "said"),
    }, spans
    for sp in article["spans"]:
        assert article["text"][sp["start"]:sp["end"]] == sp["text"], sp
        assert sp["suggested_by"].startswith("rule:"), sp
    by_id = {sp["id"]: (sp["label"], sp["text"]) for sp in article["spans"]}
    relations = sorted((by_id[r["head"]][1], r["label"], by_id[r["child"]][1]) for r in article["relations"])
    assert relations == sorted([
        (FIRST, "attributed_to", "Mayor Ilse Vasko"), ("told reporters", "cue_of", FIRST),
        (SECOND, "attributed_to", "The transport ministry"), ("said", "cue_of", SECOND),
    ]), relations
    (other,) = [r for r in records if r["text"] == OTHER]
    assert other["spans"] == [], other
    print("e2e suggestions: ghosts drawn, two accepted with Enter, one turned down with X, kept through a restart, "
          "only the accepted exported")


if __name__ == "__main__":
    main()
