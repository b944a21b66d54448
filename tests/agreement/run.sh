#!/usr/bin/env bash
# Checks `parallax agreement` against independent implementations (scikit-learn's Cohen's
# kappa, the `krippendorff` package, span and relation F1 by their definition) on layers made
# by check_agreement.py and imported with the parallax CLI. The packages are pinned in
# tests/requirements.txt.
#
#   bash tests/agreement/run.sh        # after `cargo build -p parallax-cli` (make test does it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${PARALLAX_BIN:-$ROOT/target/debug/parallax}"
[ -x "$BIN" ] || { echo "agreement: $BIN not found; build it with cargo build -p parallax-cli" >&2; exit 1; }
# shellcheck source=tests/venv.sh
source "$ROOT/tests/venv.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$VENV/bin/python" "$ROOT/tests/agreement/check_agreement.py" "$BIN" "$WORK"
