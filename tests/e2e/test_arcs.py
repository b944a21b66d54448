"""Relations as arcs in the real app. The CLI imports an article with a claim, its source, cue and
figure related to it, a second claim attributed across paragraphs to the same source, and a third
claim with no source yet. The reader draws one arc per relation, each starting on its head span
and ending on its child (checked on the laid-out text, not only by its attributes); the claim
with no source carries the missing-partner marker. Hovering a span brings its arcs forward; A
cycles all / the selected span's / none; the inspector proposes the third claim's source (the one
in its paragraph) and Enter links it, which takes its marker away. The legend counts each label's spans, and clicking a label selects its spans in turn.
Another annotator's layer drawn in lanes under the lines has its relation drawn as an arc between
their bars."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from ui import js_text, one, open_document, seg_with  # noqa: E402
from webdriver import Session, ref  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]

TITLE = "Harbour plans"
P2 = "The port authority said the harbour will handle 40 ships a day by March, up from 25 today."
P3 = "Critics doubt the plan will pay for itself."
P4 = "Fees will double next year, the authority's statement added, without naming a date."
TEXT = f"{TITLE}\n\n{P2}\n\n{P3}\n\n{P4}"


def at(needle, label, key):
    start = TEXT.index(needle)
    return {"id": key, "start": start, "end": start + len(needle), "label": label}


SPANS = [
    at("The port authority", "SOURCE", "src"),
    at("said", "CUE", "cue"),
    at("the harbour will handle 40 ships a day by March", "CLAIM", "claim1"),
    at("40 ships a day", "QUANTITY", "qty"),
    at("Critics", "SOURCE", "critics"),
    at("the plan will pay for itself", "CLAIM", "claim2"),
    at("Fees will double next year", "CLAIM", "claim3"),
]
RELATIONS = [
    {"head": "claim1", "child": "src", "label": "attributed_to"},
    {"head": "cue", "child": "claim1", "label": "cue_of"},
    {"head": "qty", "child": "claim1", "label": "quantity_of"},
    {"head": "claim3", "child": "src", "label": "attributed_to"},
]
TEXT_OF = {s["id"]: TEXT[s["start"]:s["end"]] for s in SPANS}
EXPECTED = sorted((r["label"], TEXT_OF[r["head"]], TEXT_OF[r["child"]]) for r in RELATIONS)

# Each arc with the text of the spans it joins, and whether its path starts on the head span's
# first line box and ends on the child's (within 2 px of the box's centre, in the overlay's px).
ARCS = """
const svg = document.querySelector('[data-testid=arcs]');
if (!svg) return null;
const origin = svg.getBoundingClientRect();
// The overlay covers the viewport; its view box starts at the scroll position.
const view = svg.viewBox.baseVal;
function spanText(id) {
  return [...document.querySelectorAll(`[data-testid=reader-text] [data-spans~="${id}"]`)].map(e => e.textContent).join('');
}
function firstBox(id) {
  const segs = [...document.querySelectorAll(`[data-testid=reader-text] [data-spans~="${id}"]`)];
  const first = segs[0].getClientRects()[0];
  let left = first.left, right = first.right;
  for (const s of segs) {
    const r = s.getClientRects()[0];
    if (Math.abs(r.top - first.top) < 2) right = Math.max(right, r.right);
  }
  return {x: (left + right) / 2 - origin.left + view.x, y: first.top - origin.top + view.y};
}
function ends(d) {
  const nums = d.match(/-?[0-9.]+/g).map(Number);
  // The path starts with M x y and ends on x y (a curve) or on V y after H x (a connector).
  const start = {x: nums[0], y: nums[1]};
  const endMatch = d.match(/(?:H(-?[0-9.]+)V(-?[0-9.]+)|(-?[0-9.]+) (-?[0-9.]+))$/);
  const end = endMatch[1] !== undefined ? {x: +endMatch[1], y: +endMatch[2]} : {x: +endMatch[3], y: +endMatch[4]};
  return [start, end];
}
const near = (a, b) => Math.abs(a.x - b.x) < 2 && Math.abs(a.y - b.y) < 2;
return [...svg.querySelectorAll('[data-testid=arc]')].map(g => {
  const [start, end] = ends(g.querySelector('path').getAttribute('d'));
  return {
    label: g.dataset.label, head: spanText(g.dataset.head), child: spanText(g.dataset.child),
    joined: near(start, firstBox(g.dataset.head)) && near(end, firstBox(g.dataset.child)),
    hot: g.classList.contains('hot'),
  };
});
"""

MARKED = """return [...document.querySelectorAll('[data-testid=missing-partner]')].map(m =>
  [...document.querySelectorAll(`[data-testid=reader-text] [data-spans~="${m.dataset.span}"]`)].map(e => e.textContent).join(''))"""


def arcs(s):
    return s.script(ARCS)


def drawn(s):
    return sorted((a["label"], a["head"], a["child"]) for a in arcs(s) or [])


def prepare():
    ws = os.path.join(WORK, "arcs-ws")
    subprocess.run([CLI, "init", ws], check=True, capture_output=True)
    path = os.path.join(WORK, "harbour.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"text": TEXT, "meta": {"title": TITLE}, "spans": SPANS, "relations": RELATIONS}) + "\n")
    subprocess.run([CLI, "import", ws, path, "--format", "jsonl"], check=True, capture_output=True)
    return ws


def centre_of(s, label, text_part):
    el = seg_with(s, label, text_part)
    assert el, f"no {label} span with {text_part!r}"
    return s.script("const r = arguments[0].getClientRects()[0]; return {x: r.left + r.width / 2, y: r.top + r.height / 2};", ref(el))


def main():
    ws = prepare()
    with Session([ws]) as s:
        s.wait_for("the document listed", lambda: s.find_all("nav[aria-label=Documents] button.doc"))
        open_document(s, TITLE)
        # The suggestions off, so that the pictures show the annotations' arcs alone.
        s.click(one(s, "[data-testid=show-suggestions]"))
        s.wait_for("no ghosts", lambda: not s.find_all("[data-testid=ghost-span]"))
        s.wait_for("every relation drawn as an arc", lambda: drawn(s) == EXPECTED)
        assert all(a["joined"] for a in arcs(s)), arcs(s)
        # One on one line (a curve), one across paragraphs (a connector through the margin).
        assert s.script("return document.querySelectorAll('[data-testid=arc] path').length") == 4
        assert s.script(MARKED) == ["the plan will pay for itself"], s.script(MARKED)
        assert "1 span missing a relation" in (js_text(s, "[data-testid=missing-count]") or "")
        # The text is still the document's: the arcs' labels are not part of it.
        assert s.script("return document.querySelector('[data-testid=reader-text]').textContent") == TEXT
        counts = s.script("return Object.fromEntries([...document.querySelectorAll('[data-testid=legend-label]')].map(b => [b.dataset.label, +b.dataset.count]))")
        assert {k: counts[k] for k in ("CLAIM", "SOURCE", "CUE", "QUANTITY", "EVIDENCE")} == {
            "CLAIM": 3, "SOURCE": 2, "CUE": 1, "QUANTITY": 1, "EVIDENCE": 0}, counts
        s.screenshot("arcs-01-all.png")

        # Hovering the source brings its two attributions forward, and only those.
        c = centre_of(s, "SOURCE", "port authority")
        s.move_to(c["x"], c["y"])
        s.wait_for("the source's arcs hot", lambda: sorted(a["head"] for a in arcs(s) if a["hot"]) ==
                   sorted([TEXT_OF["claim1"], TEXT_OF["claim3"]]))
        s.screenshot("arcs-02-hover.png")
        s.move_to(5, 5)

        # A: the selected span's arcs only (none while nothing is selected), then none, then all.
        s.click(one(s, "[data-testid=reader-text]"))
        s.press("a")
        s.wait_for("arcs of the selection", lambda: s.script("return document.querySelector('[data-testid=arcs-mode]').value") == "selection")
        s.wait_for("no arc with nothing selected", lambda: drawn(s) == [])
        s.click(seg_with(s, "CLAIM", "harbour"))
        s.wait_for("the claim's three arcs", lambda: sorted(a[0] for a in drawn(s)) == ["attributed_to", "cue_of", "quantity_of"])
        s.press("a")
        s.wait_for("no arcs at all", lambda: arcs(s) is None and not s.find_all("[data-testid=missing-partner]"))
        s.press("a")
        s.wait_for("every arc again", lambda: drawn(s) == EXPECTED)

        # The third claim: the inspector proposes the source in its paragraph; Enter links it,
        # which takes its marker away.
        s.click(seg_with(s, "CLAIM", "pay for itself"))
        s.wait_for("the source proposed", lambda: "SOURCE “Critics”" in (js_text(s, "[data-testid=relation-proposal]") or ""))
        s.press("\ue007")
        s.wait_for("the new arc", lambda: len(drawn(s)) == 5)
        assert ("attributed_to", "the plan will pay for itself", "Critics") in drawn(s)
        s.wait_for("the marker gone", lambda: s.script(MARKED) == [])
        assert all(a["joined"] for a in arcs(s)), arcs(s)

        # The legend walks a label's spans in reading order.
        s.press("\ue00c")  # Escape: nothing selected
        for want in ("the harbour will handle", "the plan will pay", "Fees will double", "the harbour will handle"):
            s.click(one(s, "[data-testid=legend-label][data-label=CLAIM]"))
            s.wait_for(f"{want!r} selected", lambda: want in (js_text(s, "[data-testid=span-text]") or ""))
        s.screenshot("arcs-03-linked.png")

    # Another annotator's layer, drawn in lanes under the lines: their relation is an arc too
    # (dashed), from their claim's bar to their source's bar.
    other = os.path.join(WORK, "harbour-bo.jsonl")
    bo_spans = [dict(at("the harbour will handle 40 ships a day", "CLAIM", "b1"), annotator="bo"),
                dict(at("The port authority said", "SOURCE", "b2"), annotator="bo")]
    with open(other, "w", encoding="utf-8") as f:
        f.write(json.dumps({"text": TEXT, "meta": {"title": TITLE}, "spans": bo_spans,
                            "relations": [{"head": "b1", "child": "b2", "label": "attributed_to", "annotator": "bo"}]}) + "\n")
    subprocess.run([CLI, "import", ws, other, "--format", "jsonl"], check=True, capture_output=True)
    with Session([ws]) as s:
        s.wait_for("the document listed", lambda: s.find_all("nav[aria-label=Documents] button.doc"))
        open_document(s, TITLE)
        s.script("const m = document.querySelector('[data-testid=layers-mode]'); m.value = 'lanes';"
                 "m.dispatchEvent(new Event('change', {bubbles: true}));")
        s.wait_for("bo's lane", lambda: s.find_all("[data-testid=layer-lane][data-annotator=bo] [data-lane-span]"))
        s.wait_for("bo's relation drawn between bo's bars", lambda: s.script(LANE_ARC) is True)
        s.screenshot("arcs-04-lanes.png")


# Whether an arc joins bo's CLAIM bar to bo's SOURCE bar (its path starting on the first's box and
# ending on the second's, as for the text's spans above).
LANE_ARC = """
const svg = document.querySelector('[data-testid=arcs]');
if (!svg) return false;
const origin = svg.getBoundingClientRect();
const view = svg.viewBox.baseVal;
const bars = [...document.querySelectorAll('[data-testid=layer-lane][data-annotator=bo] [data-lane-span]')];
const idOf = (label) => bars.find(b => b.dataset.label === label)?.dataset.laneSpan;
const [claim, source] = [idOf('CLAIM'), idOf('SOURCE')];
function box(id) {
  const r = document.querySelector(`[data-lane-span="${id}"]`).getClientRects()[0];
  return {x: (r.left + r.right) / 2 - origin.left + view.x, y: r.top - origin.top + view.y};
}
const arc = [...svg.querySelectorAll('[data-testid=arc]')].find(g => g.dataset.head === claim && g.dataset.child === source);
if (!arc || !arc.classList.contains('other')) return false;
// The user's own relations stay solid.
if ([...svg.querySelectorAll('[data-testid=arc]')].filter(g => g.classList.contains('other')).length !== 1) return false;
const nums = arc.querySelector('path').getAttribute('d').match(/-?[0-9.]+/g).map(Number);
const start = {x: nums[0], y: nums[1]}, end = {x: nums[nums.length - 2], y: nums[nums.length - 1]};
const near = (a, b) => Math.abs(a.x - b.x) < 2 && Math.abs(a.y - b.y) < 2;
return near(start, box(claim)) && near(end, box(source));
"""


if __name__ == "__main__":
    main()
