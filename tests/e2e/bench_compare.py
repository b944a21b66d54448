"""Benchmark of the compare view in the real webview (`make bench-compare`; not a test).
Makes a workspace of 1,000 claim groups over 50 outlets with `parallax-bench compare` (or uses
$BENCH_WORKSPACE), then times: opening the compare view to its rows drawn, scrolling the table
down and across, and a status filter redrawing it. Timings are taken in the page.
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
GROUPS = int(os.environ.get("BENCH_GROUPS", "1000"))
OUTLETS = int(os.environ.get("BENCH_OUTLETS", "50"))

OPEN = """
const done = arguments[0];
const t0 = performance.now();
document.querySelector('[data-testid=compare-open]').click();
function check() {
  if (document.querySelectorAll('[data-testid=compare-row]').length > 0)
    requestAnimationFrame(() => done({ms: performance.now() - t0,
      // The view's own marks (compare.svelte.ts): when its compare_open went out and came back.
      ipc_sent_ms: performance.getEntriesByName('compare:asked').at(-1).startTime - t0,
      ipc_answered_ms: performance.getEntriesByName('compare:answered').at(-1).startTime - t0,
      rows: document.querySelectorAll('[data-testid=compare-row]').length,
      cells: document.querySelectorAll('[data-testid=compare-member]').length}));
  else requestAnimationFrame(check);
}
check();
"""

SCROLL = """
const [dx, dy, frames_wanted, done] = arguments;
const el = document.querySelector('[data-testid=compare-table]');
const frames = [];
let last = null;
function tick(t) {
  if (last !== null) frames.push(t - last);
  last = t;
  if (frames.length >= frames_wanted) { done(frames); return; }
  el.scrollTop += dy;
  el.scrollLeft += dx;
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
"""

FILTER = """
const done = arguments[0];
const box = document.querySelector('[data-testid=compare-status][data-status=disputed]');
const before = document.querySelector('[data-testid=compare-count]').textContent;
const t0 = performance.now();
box.click();
function check() {
  const now = document.querySelector('[data-testid=compare-count]').textContent;
  if (now !== before) requestAnimationFrame(() => done(performance.now() - t0));
  else requestAnimationFrame(check);
}
check();
"""


# The opening's round trip alone (the core's table, the lean rows, 32 rows' members, the JSON
# through the IPC), five times after the view is open: what the open waits on before drawing.
IPC = """
const done = arguments[0];
const times = [];
const filter = {statuses: [], outlets: [], conflicts_only: false};
(async () => {
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await window.__TAURI_INTERNALS__.invoke('compare_open', {filter, first: 0, count: 32});
    times.push(performance.now() - t0);
  }
  done(times);
})();
"""


def async_script(s, source, *args):
    return s.call("POST", "/execute/async", {"script": source, "args": list(args)})


def frames_summary(frames):
    return {"p50_ms": statistics.median(frames), "max_ms": max(frames), "over_50ms": sum(f > 50 for f in frames), "frames": len(frames)}


def main():
    ws = os.environ.get("BENCH_WORKSPACE")
    if not ws:
        root = os.path.join(WORK, "compare-bench")
        subprocess.run([BENCH, "compare", "--groups", str(GROUPS), "--outlets", str(OUTLETS), "--dir", root], check=True)
        ws = os.path.join(root, "ws")
    results = {"groups": GROUPS, "outlets": OUTLETS}
    with Session([ws]) as s:
        s.wait_for("the documents listed", lambda: s.find_all("nav[aria-label=Documents] button.doc"), timeout=120)
        s.call("POST", "/timeouts", {"script": 120_000})
        t0 = time.monotonic()
        results["open"] = async_script(s, OPEN)
        results["open_wall_s"] = time.monotonic() - t0
        results["scroll_down"] = frames_summary(async_script(s, SCROLL, 0, 140, 300))
        results["scroll_across"] = frames_summary(async_script(s, SCROLL, 120, 0, 100))
        s.screenshot("bench-compare.png")
        results["filter_ms"] = async_script(s, FILTER)
        # Last: each of these opens the view again in the core, and the view's later fetches
        # of rows would find their opening replaced.
        results["opening_ipc_ms"] = sorted(async_script(s, IPC))
    o = results["open"]
    print(f"compare view: {GROUPS} groups × {OUTLETS} outlets")
    print(f"  open to rows drawn           {o['ms']:7.1f} ms  ({o['rows']} rows, {o['cells']} members drawn; "
          f"compare_open sent at {o['ipc_sent_ms']:.0f} ms, answered at {o['ipc_answered_ms']:.0f} ms)")
    print(f"  opening through the IPC      {statistics.median(results['opening_ipc_ms']):7.1f} ms p50 of 5")
    for key, what in [("scroll_down", "scroll down (140 px/frame)"), ("scroll_across", "scroll across (120 px/frame)")]:
        r = results[key]
        print(f"  {what:<28} p50 {r['p50_ms']:6.1f} ms  max {r['max_ms']:6.1f} ms  ({r['over_50ms']} of {r['frames']} over 50 ms)")
    print(f"  status filter to redrawn     {results['filter_ms']:7.1f} ms")
    with open(os.path.join(os.environ["PARALLAX_E2E_ARTIFACTS"], "bench-compare.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
