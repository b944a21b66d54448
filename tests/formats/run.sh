#!/usr/bin/env bash
# Checks every export format with the tools people load it with (spaCy, Hugging Face datasets,
# pybrat, seqeval, and Python's own slicing), on a workspace made by the parallax CLI from the
# built-in demo plus documents with emoji and combining accents (tests/formats/fixture.py).
# The readers are installed from PyPI into target/tests-venv (pinned in tests/requirements.txt).
#
#   bash tests/formats/run.sh        # after `cargo build -p parallax-cli` (make test does it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/formats"
BIN="${PARALLAX_BIN:-$ROOT/target/debug/parallax}"
[ -x "$BIN" ] || { echo "formats: $BIN not found; build it with cargo build -p parallax-cli" >&2; exit 1; }

# shellcheck source=tests/venv.sh
source "$ROOT/tests/venv.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
WS="$WORK/ws"
OUT="$WORK/out"
"$BIN" demo "$WS" >/dev/null
"$VENV/bin/python" "$HERE/fixture.py" "$WORK/fixture.jsonl"
# Shown, not hidden: an import that leaves anything out exits non-zero and stops the run here.
"$BIN" import "$WS" "$WORK/fixture.jsonl"

export_to() { # FORMAT PATH [ARGS...]
  local format="$1" path="$2"
  shift 2
  mkdir -p "$(dirname "$path")"
  "$BIN" export "$WS" --format "$format" -o "$path" "$@" >/dev/null
}
export_to jsonl "$OUT/jsonl/data.jsonl"
export_to claims "$OUT/claims/claims.jsonl"
export_to claim-pairs "$OUT/claim-pairs/pairs.jsonl" --seed 3
export_to spacy "$OUT/spacy/data.jsonl"
export_to doccano "$OUT/doccano/data.jsonl"
export_to doccano-label "$OUT/doccano-label/data.jsonl"
export_to label-studio "$OUT/label-studio/data.json"
export_to brat "$OUT/brat"
export_to conll "$OUT/conll/data.conll"
export_to jsonl "$OUT/split" --split 60/20/20 --seed 7

HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 HF_DATASETS_CACHE="$WORK/hf" \
  "$VENV/bin/python" "$HERE/check_exports.py" "$OUT" "$WORK/fixture.jsonl"
