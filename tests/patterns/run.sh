#!/usr/bin/env bash
# Checks `parallax suggest --patterns` against spaCy's Matcher, PhraseMatcher and filter_spans
# on the same tokens (check_patterns.py). spaCy is pinned in tests/requirements.txt.
#
#   bash tests/patterns/run.sh        # after `cargo build -p parallax-cli` (make test does it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${PARALLAX_BIN:-$ROOT/target/debug/parallax}"
[ -x "$BIN" ] || { echo "patterns: $BIN not found; build it with cargo build -p parallax-cli" >&2; exit 1; }
# shellcheck source=tests/venv.sh
source "$ROOT/tests/venv.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$VENV/bin/python" "$ROOT/tests/patterns/check_patterns.py" "$BIN" "$WORK"
