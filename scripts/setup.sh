#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently, on a fresh Debian machine.
# Nothing here downloads from outside the package registries (crates.io, npm, Debian):
# Trunk is pointed at the wasm-bindgen and wasm-opt found on PATH and never fetches its own.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-installed tools (trunk, wasm-bindgen, geckodriver, cargo-fuzz) live here.
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "${SKIP_BROWSER:-0}" != 1 ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium and chromium-driver"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

# Firefox for the single-file check (Debian's firefox-esr, geckodriver from crates.io, Selenium from PyPI).
if [ "${SKIP_BROWSER:-0}" != 1 ]; then
  if ! command -v firefox-esr >/dev/null; then
    log "installing Debian firefox-esr"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq firefox-esr >/dev/null
  fi
  if ! command -v geckodriver >/dev/null && [ ! -x "$HOME/.cargo/bin/geckodriver" ]; then
    log "installing geckodriver (cargo, once)"
    cargo install geckodriver --locked || cargo install geckodriver
  fi
  if ! python3 -c "import selenium" 2>/dev/null; then
    log "installing selenium (pip)"
    python3 -m pip install --quiet selenium || python3 -m pip install --quiet --break-system-packages selenium
  fi
fi

if ! command -v trunk >/dev/null || ! trunk --version | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  # --locked fails on this registry snapshot (webpki-roots); a plain install builds.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  log "installing npm packages from package-lock.json (binaryen for wasm-opt, playwright-core)"
  npm ci --no-audit --no-fund --silent
fi

log "toolchain ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}')"
