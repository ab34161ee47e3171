#!/usr/bin/env bash
# Runs every test: native (core + CLI), wasm-bindgen-test in headless Chromium, the page end to end
# (single file from file:// and the hosted dist/), and a short bounded fuzz run.
# Installs whatever is missing first (scripts/setup.sh). Usage: scripts/test.sh [--no-fuzz]
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-installed tools (trunk, wasm-bindgen, geckodriver, cargo-fuzz) live here.
export PATH="$HOME/.cargo/bin:$PATH"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
[ "${1:-}" = "--no-fuzz" ] && FUZZ_SECONDS=0

scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "format and lints (cargo fmt --check, cargo clippy -D warnings)"
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings

step "native tests (core, formats, decoders, ingest, flows, CLI)"
cargo test --locked

step "browser tests (wasm-bindgen-test in headless Chromium, in a dedicated worker)"
cargo test --locked --target wasm32-unknown-unknown --test wasm_worker

step "build: dist/ and dist/switchboard.html"
scripts/build.sh

step "end to end (playwright-core + Debian Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "the single file in Firefox (firefox-esr + geckodriver)"
python3 tests/firefox/single_file_firefox.py

if [ "$FUZZ_SECONDS" -gt 0 ]; then
  step "bounded fuzz run (${FUZZ_SECONDS}s per target)"
  scripts/fuzz.sh "$FUZZ_SECONDS"
fi
step "all tests passed"
