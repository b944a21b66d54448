# Sourced by the Python test runners: makes sure the virtual environment with the pinned
# packages of tests/requirements.txt exists (made again when that file changes) and sets VENV.
VENV="${PARALLAX_TESTS_VENV:-$ROOT/target/tests-venv}"
stamp="$VENV/.requirements"
if ! cmp -s "$ROOT/tests/requirements.txt" "$stamp" 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/requirements.txt"
  cp "$ROOT/tests/requirements.txt" "$stamp"
fi
