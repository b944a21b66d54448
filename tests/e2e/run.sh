#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds the app with its embedded UI, starts Xvfb and
# WebKitWebDriver, and runs every tests/e2e/test_*.py against the real window.
# Screenshots go to tests/artifacts/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CARGO="${CARGO:-cargo}"

$CARGO build --quiet --features custom-protocol --bin parallax-app
APP="$ROOT/target/debug/parallax-app"

for tool in Xvfb WebKitWebDriver python3; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool not found; run scripts/setup.sh" >&2; exit 1; }
done

WORK="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A display number nobody uses.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -ac -screen 0 1440x900x24 >"$WORK/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

mkdir -p "$ROOT/tests/artifacts"

# One WebKitWebDriver per test file, each with fresh data and config folders (as on a new
# machine: the demo workspace, no recent workspaces) and the dialog seam (src-tauri/src/dialogs.rs).
# PARALLAX_ANNOTATOR names the annotator as the app named it before it asked (the login name), so
# that the first start does not stop at the "who is annotating" dialog.
annotator="${PARALLAX_ANNOTATOR:-${USER:-anonymous}}"
status=0
# The scripts given as arguments (e.g. tests/e2e/bench_reader.py), else every test.
if [ $# -gt 0 ]; then scripts=("$@"); else scripts=("$ROOT"/tests/e2e/test_*.py); fi
for test in "${scripts[@]}"; do
  name="$(basename "$test" .py)"
  home="$WORK/$name"
  mkdir -p "$home"
  port=4444
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  DISPLAY=":$display" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
    PARALLAX_ANNOTATOR="$annotator" PARALLAX_E2E_DIALOG_FILE="$home/dialog-answer.txt" TAURI_WEBVIEW_AUTOMATION=true \
    WebKitWebDriver --port="$port" >"$home/driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  echo "e2e: $name"
  if ! DISPLAY=":$display" PARALLAX_E2E_APP="$APP" PARALLAX_E2E_DRIVER="http://127.0.0.1:$port" \
    PARALLAX_E2E_ARTIFACTS="$ROOT/tests/artifacts" PARALLAX_E2E_WORK="$home" PARALLAX_CLI="$ROOT/target/debug/parallax" \
    PARALLAX_BENCH="$ROOT/target/debug/parallax-bench" \
    PARALLAX_E2E_DIALOG_FILE="$home/dialog-answer.txt" python3 "$test"; then
    status=1
    echo "e2e: $name FAILED; WebKitWebDriver log:" >&2
    # A panic's message comes before its backtrace, which alone fills the tail below.
    grep -A 2 "panicked at" "$home/driver.log" | head -n 20 >&2 || true
    tail -n 30 "$home/driver.log" >&2 || true
    # What else is running (leftovers of killed apps would show here).
    echo "e2e: processes by name:" >&2
    ps -eo comm= | sort | uniq -c | sort -rn | head -n 6 >&2 || true
  fi
  kill "$driver" 2>/dev/null || true
  wait "$driver" 2>/dev/null || true
done
exit $status
