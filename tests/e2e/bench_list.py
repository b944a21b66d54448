"""Benchmark of the documents pane with 100,000 documents in the real webview (`make bench-app`;
not a test). Generates and imports the corpus with `parallax-bench import` (or uses
$BENCH_WORKSPACE), then times: the app's start to the first rows and the first document drawn,
J to the next document, scrolling the list, and a jump to its end. Timings are taken in the page.
"""

import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from webdriver import Session  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
CLI = os.environ["PARALLAX_CLI"]
BENCH = os.environ["PARALLAX_BENCH"]
DOCS = int(os.environ.get("BENCH_DOCS", "100000"))

SCROLL = """
const [step, frames_wanted, done] = arguments;
const el = document.querySelector('.documents-list .viewport');
const frames = [];
let last = null;
function tick(t) {
  if (last !== null) frames.push(t - last);
  last = t;
  if (frames.length >= frames_wanted) { done(frames); return; }
  el.scrollTop += step;
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
"""

JUMP = """
const done = arguments[0];
const el = document.querySelector('.documents-list .viewport');
const t0 = performance.now();
el.scrollTop = el.scrollHeight;
function check() {
  const rows = [...el.querySelectorAll('button.doc')];
  const loading = el.querySelectorAll('.loading').length;
  if (rows.length > 0 && loading === 0 && el.scrollTop > 0) {
    requestAnimationFrame(() => done(performance.now() - t0));
  } else requestAnimationFrame(check);
}
check();
"""

NEXT = """
const done = arguments[0];
const before = document.querySelector('.doc-head h2')?.textContent;
const t0 = performance.now();
window.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true, cancelable: true}));
function check() {
  const now = document.querySelector('.doc-head h2')?.textContent;
  if (now && now !== before) requestAnimationFrame(() => done(performance.now() - t0));
  else requestAnimationFrame(check);
}
check();
"""


def async_script(s, source, *args):
    return s.call("POST", "/execute/async", {"script": source, "args": list(args)})


def main():
    ws = os.environ.get("BENCH_WORKSPACE")
    if not ws:
        root = os.path.join(WORK, "list-bench")
        subprocess.run([BENCH, "import", "--docs", str(DOCS), "--dir", root], check=True)
        ws = os.path.join(root, "workspace")
    results = {"docs": DOCS}
    t0 = time.monotonic()
    with Session([ws]) as s:
        s.wait_for("the first rows", lambda: s.find_all("nav[aria-label=Documents] button.doc"), timeout=120)
        results["start_to_rows_s"] = time.monotonic() - t0
        s.wait_for("the first document drawn", lambda: s.script("return document.querySelector('[data-testid=reader-text]') !== null"), timeout=120)
        results["start_to_document_s"] = time.monotonic() - t0
        s.call("POST", "/timeouts", {"script": 120_000})
        results["next_document_ms"] = [async_script(s, NEXT) for _ in range(10)]
        frames = async_script(s, SCROLL, 120, 300)
        results["scroll"] = {"p50_ms": statistics.median(frames), "max_ms": max(frames), "over_50ms": sum(f > 50 for f in frames)}
        results["jump_to_end_ms"] = async_script(s, JUMP)
        s.screenshot("bench-list.png")
    print(f"documents pane: {DOCS} documents")
    print(f"  app start to first rows        {results['start_to_rows_s']:6.2f} s")
    print(f"  app start to a document drawn  {results['start_to_document_s']:6.2f} s")
    nd = results["next_document_ms"]
    print(f"  J to the next document drawn   p50 {statistics.median(nd):6.1f} ms  max {max(nd):6.1f} ms")
    sc = results["scroll"]
    print(f"  list scroll (120 px/frame)     p50 {sc['p50_ms']:6.1f} ms  max {sc['max_ms']:6.1f} ms  ({sc['over_50ms']} of 300 over 50 ms)")
    print(f"  jump to the end, rows drawn    {results['jump_to_end_ms']:6.1f} ms")
    with open(os.path.join(os.environ["PARALLAX_E2E_ARTIFACTS"], "bench-list.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
