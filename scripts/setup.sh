#!/usr/bin/env bash
# Makes sure everything Parallax needs to build, run and test is on this machine (Debian 12).
#
#   scripts/setup.sh
#
# Idempotent and quiet: it prints one line per thing it installs and nothing when all is there.
# As root it installs what is missing with apt-get; as another user it names what is missing,
# prints the command to install it, and exits 1. It needs no TTY and reads no input (CI).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UI="$ROOT/ui"

# Debian packages: the Tauri / WebKitGTK build dependencies, then what the tests use
# (Xvfb and WebKitWebDriver for end-to-end tests, ImageMagick for looking at screenshots).
APT_PACKAGES=(
  libwebkit2gtk-4.1-dev
  build-essential
  file
  libxdo-dev
  libssl-dev
  libayatana-appindicator3-dev
  librsvg2-dev
  pkg-config
  curl
  xvfb
  webkit2gtk-driver
  imagemagick
  fonts-noto-color-emoji
  # The team server's tests start their own PostgreSQL cluster (initdb, pg_ctl).
  postgresql
)
# python3 runs the dataset checks in the tests and the end-to-end driver; any python3 >= 3.9 will do.
command -v python3 >/dev/null 2>&1 || APT_PACKAGES+=(python3)
# tests/formats makes a virtual environment for the readers of the export formats.
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  APT_PACKAGES+=(python3-venv)
fi

# Vite 8 needs Node.js ^20.19 or >= 22.12.
NODE_WANTED="^20.19 or >= 22.12"

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command with its output kept in a log; shows the log only when the command fails.
quietly() {
  local log status
  log="$(mktemp)"
  if "$@" </dev/null >"$log" 2>&1; then
    rm -f "$log"
  else
    status=$?
    cat "$log" >&2
    rm -f "$log"
    die "failed (exit $status): $*"
  fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    quietly env DEBIAN_FRONTEND=noninteractive apt-get update
    apt_updated=1
  fi
  quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

# --- Debian packages -------------------------------------------------------------------------
command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script expects Debian 12"

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if is_root; then
    for pkg in "${missing[@]}"; do say "installing $pkg (apt)"; done
    apt_install "${missing[@]}"
  else
    printf 'setup: missing Debian packages: %s\n' "${missing[*]}" >&2
    printf 'setup: install them with:\n  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y %s\n' \
      "${missing[*]}" >&2
    exit 1
  fi
fi

# --- Rust ------------------------------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    die "Rust is installed in ~/.cargo/bin but that is not on PATH: run '. \"\$HOME/.cargo/env\"' (or add ~/.cargo/bin to PATH) and try again"
  fi
  die "cargo and rustc not found. Install Rust with rustup (https://rustup.rs):
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
  . \"\$HOME/.cargo/env\""
fi
# `make test` runs `cargo fmt --check` and `cargo clippy`.
cargo fmt --version >/dev/null 2>&1 || die "cargo fmt not found: install it with 'rustup component add rustfmt'"
cargo clippy --version >/dev/null 2>&1 || die "cargo clippy not found: install it with 'rustup component add clippy'"

# --- Node.js and npm -------------------------------------------------------------------------
node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
  local version major minor
  version="$(node --version 2>/dev/null)" || return 1 # e.g. v20.19.0
  version="${version#v}"
  major="${version%%.*}"
  minor="${version#*.}"
  minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  if [ "$major" -eq 20 ]; then
    [ "$minor" -ge 19 ]
  elif [ "$major" -eq 22 ]; then
    [ "$minor" -ge 12 ]
  else
    [ "$major" -ge 23 ]
  fi
}

node_version() { node --version 2>/dev/null || echo "none"; }

if ! node_ok; then
  if is_root; then
    node_pkgs=()
    command -v node >/dev/null 2>&1 || node_pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || node_pkgs+=(npm)
    if [ "${#node_pkgs[@]}" -gt 0 ]; then
      for pkg in "${node_pkgs[@]}"; do say "installing $pkg (apt)"; done
      apt_install "${node_pkgs[@]}"
    fi
  fi
  if ! node_ok; then
    die "Node.js $NODE_WANTED and npm are needed (found node $(node_version), npm $(npm --version 2>/dev/null || echo none)).
  Debian 12's own nodejs package is too old (18.x); install Node.js 20.19+ or 22 LTS, e.g. from
  NodeSource's Debian repository or the official binaries, then run this again."
  fi
fi

# --- npm packages of the web UI --------------------------------------------------------------
stamp="$UI/node_modules/.parallax-setup-stamp"
if [ ! -f "$stamp" ] || [ "$UI/package-lock.json" -nt "$stamp" ] || [ "$UI/package.json" -nt "$stamp" ]; then
  say "installing npm packages in ui/ (npm ci)"
  (cd "$UI" && quietly npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
