#!/usr/bin/env bash
# Builds both deliverables:
#   dist/                    the hostable release build (Trunk), with its Content-Security-Policy
#   dist/switchboard.html    ONE self-contained file that works opened from file:// (double-click)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
python3 scripts/single_file.py dist
echo "built: dist/ (host it anywhere) and dist/switchboard.html ($(du -h dist/switchboard.html | cut -f1), open it from disk)"
