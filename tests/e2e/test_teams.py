"""A team in the real app. The CLI makes a workspace of three texts, each assigned to ana and
ben. In the app: cleo turns blind annotation on as its curator; ana labels the three texts
(switching the name in the bar); ben labels them too and sees none of ana's spans, nor can he
curate; cleo opens the Agreement view, whose figures equal what the Python references
(scikit-learn, `krippendorff`) compute for the layers exported through the export dialog; she
curates each document in the Curate view with the keyboard (merge what both agree on, accept
one version of a claim, reject a source), and the gold export, read in Python, holds exactly
the accepted spans."""

import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import child, cli, export_through_dialog, js_text, one, open_document, seg_with, select_text  # noqa: E402
from webdriver import ENTER, ESCAPE, Session, ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]
# The tests' virtual environment (tests/venv.sh), with the reference packages.
VENV_PYTHON = os.path.join(ROOT, "target", "tests-venv", "bin", "python")

# Words between single spaces: the word tokens Cohen's kappa counts are the words, for the
# references as for Parallax.
TEXTS = [
    "Officials said the troops would return to their bases on Tuesday after the drills near the border ended",
    "The ministry told reporters that some units had completed their exercises and would go home within days",
    "Western officials doubt the account and say about 130000 soldiers remain in the region this week",
]
TITLES = ["Troops return", "Ministry statement", "Western doubts"]
LONG_CLAIM = "the troops would return to their bases on Tuesday"
SHORT_CLAIM = "the troops would return to their bases"
# What each annotator labels: (document, text, hotkey). 1 is CLAIM, 2 SOURCE.
ANA = [
    (0, LONG_CLAIM, "1"),
    (0, "Officials", "2"),
    (1, "The ministry", "2"),
    (1, "some units had completed their exercises", "1"),
    (2, "about 130000 soldiers remain in the region", "1"),
]
BEN = [
    (0, SHORT_CLAIM, "1"),
    (0, "Officials", "2"),
    (1, "The ministry", "2"),
    (1, "some units had completed their exercises", "1"),
    (2, "about 130000 soldiers remain in the region", "1"),
    (2, "Western officials", "2"),
]
# Gold once curated: what both agree on, ana's version of the first claim, not ben's source.
GOLD = {
    (0, LONG_CLAIM, "CLAIM"),
    (0, "Officials", "SOURCE"),
    (1, "The ministry", "SOURCE"),
    (1, "some units had completed their exercises", "CLAIM"),
    (2, "about 130000 soldiers remain in the region", "CLAIM"),
}


def prepare():
    ws = os.path.join(WORK, "team-ws")
    cli("init", ws)
    texts = os.path.join(WORK, "texts.jsonl")
    with open(texts, "w", encoding="utf-8") as f:
        for title, text in zip(TITLES, TEXTS):
            f.write(json.dumps({"text": text, "meta": {"title": title}}) + "\n")
    cli("import", ws, texts, "--format", "jsonl")
    cli("assign", ws, "--annotators", "ana,ben", "--overlap", "1", "--per-doc", "2", "--seed", "1")
    return ws


def become(s, name):
    """Switches the annotator's name through the bar."""
    s.click(one(s, "[data-testid=annotator]"))
    field = one(s, "[data-testid=annotator-field]")
    s.script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", ref(field))
    s.type_into(field, name + ENTER)
    s.wait_for(f"{name} annotating", lambda: not s.find_all("[data-testid=annotator-dialog]")
               and name in (js_text(s, "[data-testid=annotator]") or ""))


def label(s, text, key):
    select_text(s, text, 1, 2)
    s.press(key)
    name = {"1": "CLAIM", "2": "SOURCE"}[key]
    s.wait_for(f"{text!r} labelled", lambda: js_text(s, "[data-testid=span-text]") == text)
    assert seg_with(s, name, text.split()[-1]), f"{text!r} not drawn as {name}"


def drawn_labels(s):
    """The labels of the spans drawn in the reader's text and its lanes."""
    return s.script("""
      return [...document.querySelectorAll('[data-testid=reader-text] .seg[data-labels]')]
        .map(e => e.dataset.labels).filter(l => l)
        .concat([...document.querySelectorAll('[data-testid=lane-span]')].map(e => 'lane:' + e.dataset.label));""")


def annotate(s, who, spans):
    become(s, who)
    for doc in range(3):
        open_document(s, TITLES[doc])
        if who == "ben":
            # Blind: ana's spans of the same text are nowhere to be seen.
            assert drawn_labels(s) == [], drawn_labels(s)
        for d, text, key in spans:
            if d == doc:
                label(s, text, key)
        s.screenshot(f"teams-{who}-{doc + 1}.png")


def blind_on(s):
    become(s, "cleo")
    s.click(one(s, "[data-testid=team-open]"))
    blind = one(s, "[data-testid=team-blind]")
    if not s.script("return arguments[0].checked", ref(blind)):
        s.click(blind)
    s.type_into(one(s, "[data-testid=team-curators]"), "cleo")
    s.click(one(s, "[data-testid=team-save]"))
    s.wait_for("the team settings saved", lambda: "saved" in (js_text(s, "[data-testid=team-dialog]") or "").lower())
    s.screenshot("teams-blind-on.png")
    s.press(ESCAPE)
    s.wait_for("the team dialog closed", lambda: not s.find_all("[data-testid=team-dialog]"))


def blind_keeps_ben_from_curating(s):
    open_document(s, TITLES[0])
    assert drawn_labels(s) and all(not l.startswith("lane:") for l in drawn_labels(s)), drawn_labels(s)
    s.click(one(s, "[data-testid=curate-open]"))
    error = s.wait_for("the curation refused", lambda: js_text(s, "[data-testid=curate-error]"))
    assert "blind" in error and "cleo" in error, error
    s.screenshot("teams-ben-cannot-curate.png")
    s.press(ESCAPE)
    s.wait_for("the curate view closed", lambda: not s.find_all("[data-testid=curate-view]"))


def close(got, want, what):
    if want is None:
        assert got in ("", None), f"{what}: the app shows {got!r}, the reference none"
        return
    assert abs(float(got) - want) <= 1e-6, f"{what}: the app shows {got}, the reference {want}"


def agreement_matches_reference(s):
    records = export_through_dialog(s, os.path.join(WORK, "layers.jsonl"), "all")
    annotators = sorted({sp["annotator"] for r in records for sp in r["spans"]})
    assert annotators == ["ana", "ben"], annotators
    done = subprocess.run([VENV_PYTHON, os.path.join(ROOT, "tests", "agreement", "check_agreement.py"),
                           "--reference", os.path.join(WORK, "layers.jsonl")],
                          check=True, capture_output=True, text=True)
    want = json.loads(done.stdout)
    s.click(one(s, "[data-testid=agreement-open]"))
    one(s, "[data-testid=agreement-overall] dd", "the agreement figures")
    s.screenshot("teams-agreement.png")
    shown = {e["figure"]: e["value"] for e in s.script(
        "return [...document.querySelectorAll('[data-testid=agreement-overall] dd')].map(e => ({figure: e.dataset.figure, value: e.dataset.value}))")}
    w = want["overall"]
    for figure in ("exact_f1", "overlap_f1", "relations_f1", "alpha", "mean_kappa", "doc_label_alpha"):
        close(shown[figure], w[figure], f"overall {figure}")
    pair = {e["figure"]: e["value"] for e in s.script(
        "return [...document.querySelectorAll('[data-testid=agreement-matrix] td[data-pair=\"ana~ben\"] [data-figure]')].map(e => ({figure: e.dataset.figure, value: e.dataset.value}))")}
    close(pair["overlap_f1"], want["pairs"]["ana~ben"]["overlap_f1"], "ana~ben overlap F1")
    close(pair["kappa"], want["pairs"]["ana~ben"]["kappa"], "ana~ben kappa")
    # Not a trivial case: the layers disagree somewhere, and kappa is a number.
    assert w["overlap_f1"] < 1 and w["mean_kappa"] is not None and not math.isnan(w["mean_kappa"]), w


def curate(s):
    """Each document, opened from the Agreement view's list of documents."""
    for doc, title in enumerate(TITLES):
        if not s.find_all("[data-testid=agreement-view]"):
            s.click(one(s, "[data-testid=agreement-open]"))
        row = s.wait_for(f"{title} in the agreement view", lambda: next(
            (r for r in s.find_all("[data-testid=agreement-documents] tbody tr")
             if title in s.script("return arguments[0].textContent", ref(r))), None))
        s.click(child(s, row, "button"))
        one(s, "[data-testid=curate-view]", "the curate view")
        s.wait_for("the versions listed", lambda: s.find_all("[data-testid=curate-candidate]"))
        assert state_of(s, None, "open"), "nothing to curate"
        s.press("m")
        s.wait_for("what both agree on in gold", lambda: state_of(s, None, "gold"))
        if doc == 0:
            # The two versions of the claim: ana's (layer 1) into gold; ben's is superseded.
            select(s, LONG_CLAIM)
            s.press("1")
            s.wait_for("ana's claim in gold", lambda: state_of(s, LONG_CLAIM, "gold"))
            assert state_of(s, SHORT_CLAIM, "superseded"), candidates(s)
        if doc == 2:
            select(s, "Western officials")
            s.press("x")
            s.wait_for("ben's source rejected", lambda: state_of(s, "Western officials", "rejected"))
        assert not state_of(s, None, "open"), candidates(s)
        s.screenshot(f"teams-curate-{doc + 1}.png")
        s.press("f")
        s.wait_for("the curation finished", lambda: "curated" in (js_text(s, "[data-testid=curate-status]") or "").lower())
        s.press(ESCAPE)
        s.wait_for("the curate view closed", lambda: not s.find_all("[data-testid=curate-view]"))


def candidates(s):
    return s.script("""return [...document.querySelectorAll('[data-testid=curate-candidate]')].map(e =>
      ({state: e.dataset.state, text: e.textContent, start: +e.dataset.start, end: +e.dataset.end}))""")


def is_version(c, text):
    return text in c["text"] and c["end"] - c["start"] == len(text)


def state_of(s, text, state):
    """Whether a version whose text is `text` (any, when None) is in `state`."""
    return any(c["state"] == state and (text is None or is_version(c, text)) for c in candidates(s))


def select(s, text):
    rows = s.find_all("[data-testid=curate-candidate]")
    for el, c in zip(rows, candidates(s)):
        if is_version(c, text):
            s.click(el)
            s.wait_for(f"{text!r} selected", lambda: s.script("return arguments[0].getAttribute('aria-current')", ref(el)) == "true")
            return
    raise AssertionError(f"no version {text!r} in the curate view: {candidates(s)}")


def gold_export_is_what_was_accepted(s):
    records = export_through_dialog(s, os.path.join(WORK, "gold.jsonl"), "")
    got = set()
    for r in records:
        doc = TEXTS.index(r["text"])
        for sp in r["spans"]:
            assert sp["annotator"] == "gold", sp
            got.add((doc, r["text"][sp["start"]:sp["end"]], sp["label"]))
    assert got == GOLD, (got ^ GOLD)


def main():
    ws = prepare()
    with Session([ws]) as s:
        one(s, "nav[aria-label=Documents] button.doc", "the team's documents")
        blind_on(s)
        annotate(s, "ana", ANA)
        annotate(s, "ben", BEN)
        blind_keeps_ben_from_curating(s)
        become(s, "cleo")
        agreement_matches_reference(s)
        curate(s)
        gold_export_is_what_was_accepted(s)
    print("e2e teams: blind annotation by two, agreement equal to the references, curated gold exported")


if __name__ == "__main__":
    main()
